"""A roster matched to a registry snapshot at national scale, in DuckDB over Parquet:

1. rows are joined to the registry's persons by their normalised ID number — a number held by two registry
   persons is queued for review, never guessed; a roster number equal to a registry one needs no check of its
   own (the registry's was checked when registered), so the check digit is computed only for the rows left;
2. the rest (no number, a number failing its check, or a valid one nobody holds) are linked by likeness
   (likeness.py) against the persons that share a block with some row: the blocks are found by DuckDB's hash
   joins over the whole registry, so Splink sees thousands of persons, not 100 million. A row whose valid number is not in the registry is at most a review: its likeness to someone
   under another number is a question, not an answer.

Writes OUT/matches.parquet (one row per roster row: row, person_id, how = id|likeness|review|none,
match_weight, match_probability) and OUT/model.json (the likeness model's parameters)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyarrow.parquet as pq

from tuopin.engine.connection import connect

from . import ids
from .likeness import link_by_likeness, model_of

ROSTER_COLUMNS = ("name", "id_number", "sex", "birth_date", "county", "township", "village")


class MatchRefused(ValueError):
    """Inputs the match cannot use; the message says which and why."""


def match(registry_dir: str | Path, roster_path: str | Path, kind: str, out_dir: str | Path, *,
          memory_limit: str = "4GB", threads: int | None = None) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    registry, out = Path(registry_dir), Path(out_dir)
    files = _roster_files(Path(roster_path))
    manifest = _manifest(registry)
    out.mkdir(parents=True, exist_ok=True)
    con = connect(threads=threads, memory_limit=memory_limit)  # without DuckDB's progress bar on stdout
    con.execute(f"SET temp_directory = '{out / '.spill'}'")
    _views(con, registry, files)
    lacking = sorted(set(ROSTER_COLUMNS) - {r[0] for r in con.sql("DESCRIBE roster_in").fetchall()})
    if lacking:
        raise MatchRefused(f"{roster_path}: the roster lacks the column(s) {', '.join(lacking)}")
    # The registry's numbers, once each: a number two persons hold is kept with its count, to be reviewed.
    con.execute("""CREATE TEMP TABLE held AS
        SELECT id_number AS id, min(person_id) AS person_id, count(*) AS holders FROM person_ids
        WHERE id_number IS NOT NULL GROUP BY id_number""")
    # One pass over the roster: a row whose number a registry person holds keeps only that; the others keep
    # what the likeness pass compares. An equal number needs no check digit of its own: the registry's was
    # checked when it was registered, and both files agree on it.
    clean = "regexp_full_match(r.id_number, '[0-9]{17}[0-9X]')"
    con.execute(f"""CREATE TEMP TABLE scanned AS
        WITH numbered AS (
            SELECT o.first_row + r.file_row_number + 1 AS row, r.name, r.sex, r.birth_date,
                   r.county, r.township, r.village,
                   NULLIF(CASE WHEN {clean} THEN r.id_number
                               ELSE {ids.sql_normalise('CAST(r.id_number AS VARCHAR)')} END, '') AS id
            FROM roster_in r JOIN offsets o USING (filename))
        SELECT n.row, h.person_id, h.holders,
               CASE WHEN h.id IS NULL THEN n.name END AS name, CASE WHEN h.id IS NULL THEN n.sex END AS sex,
               CASE WHEN h.id IS NULL THEN n.birth_date END AS birth_date,
               CASE WHEN h.id IS NULL THEN concat_ws('/', n.county, n.township, n.village) END AS village,
               CASE WHEN h.id IS NULL THEN n.id END AS id
        FROM numbered n LEFT JOIN held h ON h.id = n.id""")
    id_seconds, id_cpu = time.perf_counter() - started, time.process_time() - cpu
    # What the ID join left: no valid number, or a valid number no registry person holds.
    con.execute(f"""CREATE TEMP TABLE rest AS
        SELECT row, name, sex, birth_date, village, coalesce({ids.sql_valid('id')}, FALSE) AS had_valid_id
        FROM scanned WHERE person_id IS NULL""")
    persons_total = con.sql("SELECT count(*) FROM person_ids").fetchall()[0][0]
    # One hash semi-join per blocking rule of linkage.toml (an OR of them would be a nested loop).
    con.execute("CREATE TEMP TABLE keys AS SELECT name, birth_date, village AS place, year(birth_date) AS birth_year "
                "FROM rest")
    candidates = con.sql("""
        SELECT p.person_id, p.name, p.sex, p.birth_date, p.place AS village FROM persons p
            SEMI JOIN keys k ON k.place = p.place AND k.birth_year = year(p.birth_date)
        UNION SELECT p.person_id, p.name, p.sex, p.birth_date, p.place FROM persons p
            SEMI JOIN keys k ON k.name = p.name AND k.birth_date = p.birth_date
        UNION SELECT p.person_id, p.name, p.sex, p.birth_date, p.place FROM persons p
            SEMI JOIN keys k ON k.name = p.name AND k.place = p.place""").to_arrow_table()
    rest = con.sql("SELECT row, name, sex, birth_date, village FROM rest").to_arrow_table()
    sample = con.sql("SELECT person_id, name, sex, birth_date, place AS village FROM persons "
                     "USING SAMPLE reservoir(200000 ROWS) REPEATABLE (11)").to_arrow_table()
    likeness_started, likeness_cpu = time.perf_counter(), time.process_time()
    linked = link_by_likeness(candidates, rest, persons_in_scope=persons_total, u_sample=sample, connection=con)
    likeness_seconds, likeness_cpu = time.perf_counter() - likeness_started, time.process_time() - likeness_cpu
    model_path = out / "model.json"
    model_path.write_text(json.dumps(model_of(linked), ensure_ascii=False, indent=2))
    con.register("linked", linked)
    con.execute(f"""COPY (
        SELECT s.row,
               CASE WHEN s.holders = 1 THEN s.person_id WHEN l.decision IN ('match', 'review') THEN l.person_id
               END AS person_id,
               CASE WHEN s.holders = 1 THEN 'id' WHEN s.holders > 1 THEN 'review'
                    WHEN l.decision = 'match' AND NOT t.had_valid_id THEN 'likeness'
                    WHEN l.decision IN ('match', 'review') THEN 'review' ELSE 'none' END AS how,
               l.match_weight, l.match_probability
        FROM scanned s LEFT JOIN rest t USING (row) LEFT JOIN linked l USING (row)
        ORDER BY s.row) TO '{out / "matches.parquet"}' (FORMAT parquet, COMPRESSION zstd)""")
    counts = dict(con.sql(f"SELECT how, count(*) FROM '{out / 'matches.parquet'}' GROUP BY how").fetchall())
    rows = sum(counts.values())
    return {"kind": kind, "rows": rows, "matched_by_id": counts.get("id", 0),
            "matched_by_likeness": counts.get("likeness", 0), "queued_for_review": counts.get("review", 0),
            "unmatched": counts.get("none", 0), "registry_persons": persons_total,
            "likeness_rows": rest.num_rows, "likeness_candidates": candidates.num_rows,
            "id_seconds": round(id_seconds, 2),
            "likeness_seconds": round(likeness_seconds, 2), "id_cpu_seconds": round(id_cpu, 2),
            "likeness_cpu_seconds": round(likeness_cpu, 2), "seconds": round(time.perf_counter() - started, 2),
            "matches": str(out / "matches.parquet"), "model": str(model_path),
            "registry_masked": manifest.get("masked", True)}


def _roster_files(path: Path) -> list[Path]:
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise MatchRefused(f"{path}: no roster Parquet file there")
    return files


def _manifest(registry: Path) -> dict:
    path = registry / "_snapshot.json"
    if not path.is_file():
        raise MatchRefused(f"{registry}: not a snapshot folder (no _snapshot.json)")
    manifest = json.loads(path.read_text())
    if manifest.get("masked", True):
        raise MatchRefused(f"{registry}: the snapshot's ID numbers are masked, so no row can be matched by its "
                           "number; export it with --unmasked (a role that may see ID numbers) or synthesise it "
                           "with `tuopin synth --unmasked`")
    return manifest


def _views(con, registry: Path, files: list[Path]) -> None:
    starts, first = [], 0
    for f in files:
        starts.append((str(f), first))
        first += pq.ParquetFile(f).metadata.num_rows
    con.execute("CREATE TEMP TABLE offsets (filename VARCHAR, first_row BIGINT)")
    con.executemany("INSERT INTO offsets VALUES (?, ?)", starts)
    listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    con.execute(f"CREATE VIEW roster_in AS SELECT * FROM read_parquet([{listed}], filename = true, "
                "file_row_number = true)")
    con.execute(f"CREATE VIEW person_ids AS SELECT person_id, id_number "
                f"FROM read_parquet('{registry}/persons/*.parquet')")
    # The place as the rosters write it: county/township/village by name.
    con.execute(f"""CREATE VIEW persons AS
        WITH names AS (SELECT code, name FROM read_parquet('{registry}/regions/*.parquet'))
        SELECT p.person_id, p.id_number, p.name, p.sex, p.birth_date,
               concat_ws('/', c.name, t.name, v.name) AS place
        FROM read_parquet('{registry}/persons/*.parquet') p
        JOIN read_parquet('{registry}/households/*.parquet') h USING (household_id)
        LEFT JOIN names c ON c.code = h.county_code LEFT JOIN names t ON t.code = h.township_code
        LEFT JOIN names v ON v.code = h.village_code""")
