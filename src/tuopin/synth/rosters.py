"""A department's roster (教育资助, 低保, 医保 …) drawn from a registry snapshot's persons, with the faults a real
one has planted at a given rate, and the truth beside it so that a match can be measured (tuopin.linkage).

Each drawn row, independently with probability `rate`: one character of the name replaced (an input method's
homophone), two adjacent digits of the ID number swapped (the check digit then fails), the ID number left out.
Besides, `rate` of the rows are persons who died, `rate` are a row repeated, and `rate` are people the registry
does not hold. The truth (row, person_id — none for the outsiders — and the faults) goes to PATH's `.truth.parquet`
sibling."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from tuopin.common import idnumber
from tuopin.engine.connection import connect

from .nation.persons import GIVEN, SURNAMES

# Characters a typo puts in: the given names' and surnames' own (a homophone from the same pool of common ones).
TYPO_CHARACTERS = sorted(set(GIVEN + SURNAMES))


def truth_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.stem + ".truth.parquet")


def roster(registry_dir: str | Path, *, kind: str, rate: float, out: str | Path, rows: int | None = None,
           seed: int = 1) -> dict:
    """Write the roster to `out` (Parquet: name, id_number, sex, birth_date, county, township, village, kind,
    amount_fen) and its truth; returns the counts of every fault planted."""
    if not 0 <= rate < 0.2:
        raise ValueError(f"rate {rate}: give a share from 0 to 0.2")
    reg = Path(registry_dir)
    rng = np.random.default_rng([seed, 11])
    con = connect()
    con.execute(f"""CREATE TABLE people AS
        WITH names AS (SELECT code, name FROM read_parquet('{reg}/regions/*.parquet'))
        SELECT p.person_id, p.id_number, p.name, p.sex, p.birth_date, p.active,
               c.name AS county, t.name AS township, v.name AS village
        FROM read_parquet('{reg}/persons/*.parquet') p
        JOIN read_parquet('{reg}/households/*.parquet') h USING (household_id)
        JOIN names c ON c.code = h.county_code JOIN names t ON t.code = h.township_code
        JOIN names v ON v.code = h.village_code""")
    total = con.sql("SELECT count(*) FROM people").fetchall()[0][0]
    n = min(rows or total // 10, total)
    n_dead = int(round(n * rate))
    drawn = con.sql(f"""
        (SELECT * FROM people WHERE NOT active ORDER BY hash(person_id, {seed}) LIMIT {n_dead})
        UNION ALL
        (SELECT * FROM people WHERE active ORDER BY hash(person_id, {seed}) LIMIT {n - n_dead})""").to_arrow_table()
    data = {c: drawn[c].to_pylist() for c in drawn.column_names}
    m = len(data["person_id"])
    faults: list[list[str]] = [["dead"] if not a else [] for a in data["active"]]
    for i in range(m):
        if rng.random() < rate:
            data["name"][i] = _typo(data["name"][i], rng)
            faults[i].append("name_typo")
        if rng.random() < rate:
            data["id_number"][i] = _transpose(data["id_number"][i], rng)
            faults[i].append("id_transposed")
        if rng.random() < rate:
            data["id_number"][i] = None
            faults[i].append("id_missing")
    columns = ("person_id", "id_number", "name", "sex", "birth_date", "county", "township", "village")
    out_rows = [{c: data[c][i] for c in columns} | {"faults": faults[i]} for i in range(m)]
    for i in rng.choice(m, size=int(round(n * rate)), replace=False) if m else []:
        out_rows.append(out_rows[int(i)] | {"faults": [*out_rows[int(i)]["faults"], "duplicate"]})
    for _ in range(int(round(n * rate))):
        out_rows.append(_outsider(out_rows[int(rng.integers(len(out_rows)))], rng))
    order = rng.permutation(len(out_rows))
    out_rows = [out_rows[int(k)] for k in order]
    table = pa.table({
        **{c: [r[c] for r in out_rows] for c in ("name", "id_number", "sex", "birth_date", "county", "township",
                                                   "village")},
        "kind": [kind] * len(out_rows),
        "amount_fen": pa.array(rng.integers(50_000, 500_000, len(out_rows)), type=pa.int64()),
    })
    table = table.set_column(table.schema.get_field_index("birth_date"), "birth_date",
                             table["birth_date"].cast(pa.date32()))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out, compression="zstd")
    truth = pa.table({"row": pa.array(range(1, len(out_rows) + 1), type=pa.int64()),
                      "person_id": pa.array([r["person_id"] for r in out_rows], type=pa.int64()),
                      "faults": pa.array([",".join(r["faults"]) for r in out_rows], type=pa.string())})
    pq.write_table(truth, truth_path(out), compression="zstd")
    counts: dict[str, int] = {"rows": len(out_rows)}
    for r in out_rows:
        for f in r["faults"]:
            counts[f] = counts.get(f, 0) + 1
    return counts


def _typo(name: str, rng: np.random.Generator) -> str:
    k = int(rng.integers(len(name)))
    choices = [c for c in TYPO_CHARACTERS if c != name[k]]
    return name[:k] + choices[int(rng.integers(len(choices)))] + name[k + 1:]


def _transpose(number: str | None, rng: np.random.Generator) -> str | None:
    """Two adjacent, different digits of the first seventeen swapped (GB 11643's check catches every such swap)."""
    if not number:
        return number
    spots = [k for k in range(16) if number[k] != number[k + 1]]
    if not spots:
        return number
    k = spots[int(rng.integers(len(spots)))]
    return number[:k] + number[k + 1] + number[k] + number[k + 2:]


def _outsider(like: dict, rng: np.random.Generator) -> dict:
    """Someone of a registry person's village whom the registry does not hold: another name and birth date."""
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 70)))
    name = SURNAMES[int(rng.integers(len(SURNAMES)))] + "".join(
        GIVEN[int(rng.integers(len(GIVEN)))] for _ in range(int(rng.integers(1, 3))))
    sex = "M" if rng.random() < 0.5 else "F"
    division = (like["id_number"] or "110101")[:6]
    number = idnumber.make(division, birth, int(rng.integers(0, 500)), sex) if rng.random() < 0.5 else None
    return {"person_id": None, "id_number": number, "name": name, "sex": sex, "birth_date": birth,
            "county": like["county"], "township": like["township"], "village": like["village"], "faults": ["outsider"]}
