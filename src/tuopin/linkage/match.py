"""A roster matched to a registry snapshot at national scale, in DuckDB over Parquet:

1. rows are joined to the registry's persons by their ID number as written, then the rows left by the number
   normalised — a number held by two registry persons is queued for review, never guessed; a roster number
   equal to a registry one needs no check of its own (the registry's was checked when registered), so the
   check digit is computed only for the rows left, and only their other columns are read;
2. the rest (no number, a number failing its check, or a valid one nobody holds) are linked by likeness
   (likeness.py) against the persons that share a block with some row: the blocks are found by DuckDB's hash
   joins over the whole registry, so Splink sees thousands of persons, not 100 million. A row whose valid
   number is not in the registry is at most a review: its likeness to someone under another number is a
   question, not an answer.

The same SQL runs on Spark (spark_match.py, `tuopin match --engine spark`): written here in DuckDB's dialect
over the views `roster_numbered`, `person_ids` and `persons` each engine makes of the files, turned into Spark's
by sqlglot. Writes OUT/matches.parquet (one row per roster row: row, person_id, how = id|likeness|review|none,
match_weight, match_probability) and OUT/model.json (the likeness model's parameters)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyarrow.parquet as pq

from tuopin.engine.connection import connect

from . import ids
from .likeness import U_SAMPLE, fit, link_by_likeness, model_of
from .settings import LinkageSettings

ROSTER_COLUMNS = ("name", "id_number", "sex", "birth_date", "county", "township", "village")
SUMMARY = ("matched_by_id", "matched_by_likeness", "queued_for_review", "unmatched")

# The registry's numbers whose 64-bit hash another registry number shares: the numbers two or more persons
# hold (queued for review, never guessed), and the rare pairs whose hashes collide. Grouping 100 M hashes costs
# half what grouping 100 M numbers as text does; the few roster rows that meet one are counted exactly.
SHARED_HASHES = """SELECT h FROM (SELECT hash(id_number) AS h FROM person_ids WHERE id_number IS NOT NULL
    GROUP BY h HAVING count(*) > 1)"""
# One pass over the roster's numbers as written, without the other columns: a number equal to a registry one
# needs no check or normalising of its own (the registry's was checked when it was registered). A row whose
# number two persons hold comes out once per holder, marked shared.
JOINED = """
    SELECT r.row, p.person_id, s.h IS NOT NULL AS shared, CASE WHEN p.person_id IS NULL THEN r.number END AS raw
    FROM (SELECT row, CAST(id_number AS VARCHAR) AS number FROM roster_numbered) r
    LEFT JOIN person_ids p ON p.id_number = r.number LEFT JOIN shared_hashes s ON s.h = hash(r.number)"""
# Every roster row once, with the registry persons holding its number as written: `holders` 1 names the
# person, 2 or more make a review (person_id then the first holder), NULL leaves the row to what follows.
BY_NUMBER = """
    SELECT row, person_id, CASE WHEN person_id IS NOT NULL THEN 1 END AS holders, raw FROM joined WHERE NOT shared
    UNION ALL
    SELECT row, min(person_id), NULLIF(count(person_id), 0), CASE WHEN count(person_id) = 0 THEN min(raw) END
    FROM joined WHERE shared GROUP BY row"""
# The rows left whose number, normalised (full-width digits, spaces, a lower-case x), is another text: looked up
# again. A clean roster has none, and the join then reads nothing of the registry's.
BY_NORMALISED = f"""
    WITH renumbered AS (
        SELECT row, id FROM (SELECT row, raw, NULLIF({ids.sql_normalise('raw')}, '') AS id FROM by_number
                             WHERE holders IS NULL AND raw IS NOT NULL) n WHERE id <> raw)
    SELECT r.row, min(p.person_id) AS person_id, count(*) AS holders
    FROM renumbered r JOIN person_ids p ON p.id_number = r.id GROUP BY r.row"""
# Every roster row with the registry person its number names (NULL where none does), from both lookups.
SCANNED = """SELECT b.row, coalesce(b.person_id, n.person_id) AS person_id, coalesce(b.holders, n.holders) AS holders
    FROM by_number b LEFT JOIN by_normalised n ON n.row = b.row"""
# The ID pass's steps, each a table or a view (read once or cheaply by what follows).
ID_PASS = (("shared_hashes", SHARED_HASHES, "table"), ("joined", JOINED, "table"), ("by_number", BY_NUMBER, "view"),
           ("by_normalised", BY_NORMALISED, "table"), ("scanned", SCANNED, "view"))
# What the ID passes left, read again from the roster: no valid number, or a valid number no registry person
# holds. The rows without a number are found by a filter the Parquet reader applies as it reads, so only
# theirs of the other columns are decoded; the others by their row numbers (a clean roster has none).
_REST_COLUMNS = f"""r.row, r.name, r.sex, r.birth_date, concat_ws('/', r.county, r.township, r.village) AS village,
           coalesce({ids.sql_valid(ids.sql_normalise('CAST(r.id_number AS VARCHAR)'))}, FALSE) AS had_valid_id"""
REST = f"""
    SELECT {_REST_COLUMNS} FROM roster_numbered r WHERE r.id_number IS NULL
    UNION ALL
    SELECT {_REST_COLUMNS} FROM roster_numbered r
    SEMI JOIN (SELECT row FROM by_number WHERE holders IS NULL AND raw IS NOT NULL) b ON b.row = r.row
    ANTI JOIN by_normalised n ON n.row = r.row"""
KEYS = "SELECT name, birth_date, village AS place, year(birth_date) AS birth_year FROM rest"
# One hash semi-join per blocking rule of linkage.toml (an OR of them would be a nested loop).
CANDIDATES = """
    SELECT p.person_id, p.name, p.sex, p.birth_date, p.place AS village FROM persons p
        SEMI JOIN keys k ON k.place = p.place AND k.birth_year = year(p.birth_date)
    UNION SELECT p.person_id, p.name, p.sex, p.birth_date, p.place FROM persons p
        SEMI JOIN keys k ON k.name = p.name AND k.birth_date = p.birth_date
    UNION SELECT p.person_id, p.name, p.sex, p.birth_date, p.place FROM persons p
        SEMI JOIN keys k ON k.name = p.name AND k.place = p.place"""
# `linked` is the likeness pass's result (likeness.RESULT).
OUTPUT = """
    SELECT s.row,
           CASE WHEN s.holders = 1 THEN s.person_id WHEN l.decision IN ('match', 'review') THEN l.person_id
           END AS person_id,
           CASE WHEN s.holders = 1 THEN 'id' WHEN s.holders > 1 THEN 'review'
                WHEN l.decision = 'match' AND NOT t.had_valid_id THEN 'likeness'
                WHEN l.decision IN ('match', 'review') THEN 'review' ELSE 'none' END AS how,
           l.match_weight, l.match_probability
    FROM scanned s LEFT JOIN rest t ON t.row = s.row LEFT JOIN linked l ON l.row = s.row"""
COUNTS = "SELECT how, count(*) AS n FROM matched GROUP BY how"


def u_sample(table: str, key: str, columns: str, total: int) -> str:
    """At most about U_SAMPLE records of a table, the same ones on either engine (a prefix of the md5 of the
    key, compared as hex text: DuckDB and Spark compute it alike), so that both fit on the same records."""
    fraction = U_SAMPLE / max(total, 1)
    where = "" if fraction >= 1 else (
        f" WHERE substr(md5(CAST({key} AS VARCHAR) || '_11'), 1, 8) < '{int(fraction * 16 ** 8):08x}'")
    return f"SELECT {columns} FROM {table}{where}"


def u_persons(total: int) -> str:
    return u_sample("persons", "person_id", "person_id, name, sex, birth_date, place AS village", total)


def u_rows(total: int) -> str:
    return u_sample("rest", "row", "row, name, sex, birth_date, village", total)


class MatchRefused(ValueError):
    """Inputs the match cannot use; the message says which and why."""


def match(registry_dir: str | Path, roster_path: str | Path, kind: str, out_dir: str | Path, *,
          memory_limit: str = "4GB", threads: int | None = None, settings: LinkageSettings | None = None) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    registry, out = Path(registry_dir), Path(out_dir)
    files = roster_files(Path(roster_path))
    manifest = read_manifest(registry)
    out.mkdir(parents=True, exist_ok=True)
    con = connect(threads=threads, memory_limit=memory_limit)  # without DuckDB's progress bar on stdout
    con.execute(f"SET temp_directory = '{out / '.spill'}'")
    _views(con, registry, files, roster_path)
    for name, sql, made_as in ID_PASS:
        con.execute(f"CREATE TEMP {made_as.upper()} {name} AS {sql}")
    con.execute(f"CREATE TEMP TABLE rest AS {REST}")
    # The ID pass ends with the rows it leaves read back for the likeness pass: reading them is its cost.
    id_seconds, id_cpu = time.perf_counter() - started, time.process_time() - cpu
    persons_total = con.sql("SELECT count(*) FROM person_ids").fetchall()[0][0]
    con.execute(f"CREATE TEMP TABLE keys AS {KEYS}")
    candidates = con.sql(CANDIDATES).to_arrow_table()
    rest = con.sql("SELECT row, name, sex, birth_date, village FROM rest").to_arrow_table()
    likeness_started, likeness_cpu = time.perf_counter(), time.process_time()
    model = fit(rest.num_rows, persons_total, lambda: con.sql(u_rows(rest.num_rows)).to_arrow_table(),
                lambda: con.sql(u_persons(persons_total)).to_arrow_table(), settings=settings, connection=con)
    linked = link_by_likeness(candidates, rest, persons_in_scope=persons_total, model=model, settings=settings,
                              connection=con)
    likeness_seconds, likeness_cpu = time.perf_counter() - likeness_started, time.process_time() - likeness_cpu
    model_path = write_model(out, model_of(linked))
    con.register("linked", linked)
    con.execute(f"CREATE TEMP TABLE matched AS {OUTPUT}")
    con.execute(f"COPY (SELECT * FROM matched ORDER BY row) TO '{out / 'matches.parquet'}' "
                "(FORMAT parquet, COMPRESSION zstd)")
    counts = dict(con.sql(COUNTS).fetchall())
    return summary(kind, counts, persons_total=persons_total, likeness_rows=rest.num_rows,
                   likeness_candidates=candidates.num_rows, id_seconds=id_seconds, id_cpu=id_cpu,
                   likeness_seconds=likeness_seconds, likeness_cpu=likeness_cpu,
                   seconds=time.perf_counter() - started, out=out, model_path=model_path, manifest=manifest)


def summary(kind: str, counts: dict, *, persons_total: int, likeness_rows: int, likeness_candidates: int,
            id_seconds: float, id_cpu: float, likeness_seconds: float, likeness_cpu: float, seconds: float,
            out: Path, model_path: Path, manifest: dict, engine: str = "duckdb") -> dict:
    return {"kind": kind, "engine": engine, "rows": sum(counts.values()), "matched_by_id": counts.get("id", 0),
            "matched_by_likeness": counts.get("likeness", 0), "queued_for_review": counts.get("review", 0),
            "unmatched": counts.get("none", 0), "registry_persons": persons_total,
            "likeness_rows": likeness_rows, "likeness_candidates": likeness_candidates,
            "id_seconds": round(id_seconds, 2),
            "likeness_seconds": round(likeness_seconds, 2), "id_cpu_seconds": round(id_cpu, 2),
            "likeness_cpu_seconds": round(likeness_cpu, 2), "seconds": round(seconds, 2),
            "matches": str(out / "matches.parquet"), "model": str(model_path),
            "registry_masked": manifest.get("masked", True)}


def write_model(out: Path, model: dict) -> Path:
    path = out / "model.json"
    path.write_text(json.dumps(model, ensure_ascii=False, indent=2))
    return path


def roster_files(path: Path) -> list[Path]:
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise MatchRefused(f"{path}: no roster Parquet file there")
    return files


def read_manifest(registry: Path) -> dict:
    path = registry / "_snapshot.json"
    if not path.is_file():
        raise MatchRefused(f"{registry}: not a snapshot folder (no _snapshot.json)")
    manifest = json.loads(path.read_text())
    if manifest.get("masked", True):
        raise MatchRefused(f"{registry}: the snapshot's ID numbers are masked, so no row can be matched by its "
                           "number; export it with --unmasked (a role that may see ID numbers) or synthesise it "
                           "with `tuopin synth --unmasked`")
    return manifest


def check_columns(roster_path, columns: set[str]) -> None:
    lacking = sorted(set(ROSTER_COLUMNS) - columns)
    if lacking:
        raise MatchRefused(f"{roster_path}: the roster lacks the column(s) {', '.join(lacking)}")


def first_rows(files: list[Path]) -> list[tuple[Path, int]]:
    """Each file with the number of rows before it: a row's number runs on across the files of a folder."""
    starts, first = [], 0
    for f in files:
        starts.append((f, first))
        first += pq.ParquetFile(f).metadata.num_rows
    return starts


def _views(con, registry: Path, files: list[Path], roster_path) -> None:
    con.execute("CREATE TEMP TABLE offsets (filename VARCHAR, first_row BIGINT)")
    con.executemany("INSERT INTO offsets VALUES (?, ?)", [(str(f), n) for f, n in first_rows(files)])
    listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    con.execute(f"CREATE VIEW roster_in AS SELECT * FROM read_parquet([{listed}], filename = true, "
                "file_row_number = true)")
    check_columns(roster_path, {r[0] for r in con.sql("DESCRIBE roster_in").fetchall()})
    con.execute(f"CREATE VIEW roster_numbered AS SELECT o.first_row + r.file_row_number + 1 AS row, "
                f"r.{', r.'.join(ROSTER_COLUMNS)} FROM roster_in r JOIN offsets o USING (filename)")
    con.execute(f"CREATE VIEW person_ids AS SELECT person_id, id_number "
                f"FROM read_parquet('{registry}/persons/*.parquet')")
    tables = (f"read_parquet('{registry}/{t}/*.parquet')" for t in ("persons", "households", "regions"))
    con.execute(f"CREATE VIEW persons AS {persons_sql(*tables)}")


def persons_sql(persons: str, households: str, regions: str) -> str:
    """The registry's persons with their place as the rosters write it: county/township/village by name."""
    return f"""
        WITH names AS (SELECT code, name FROM {regions})
        SELECT p.person_id, p.id_number, p.name, p.sex, p.birth_date,
               concat_ws('/', c.name, t.name, v.name) AS place
        FROM {persons} p
        JOIN {households} h ON h.household_id = p.household_id
        LEFT JOIN names c ON c.code = h.county_code LEFT JOIN names t ON t.code = h.township_code
        LEFT JOIN names v ON v.code = h.village_code"""
