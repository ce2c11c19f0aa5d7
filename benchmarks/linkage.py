"""Linking a roster to a registry snapshot (`tuopin match`, decisions 1545–1548): the ID join's throughput, the
likeness pass's scored pairs per second, peak memory, and precision and recall against the generator's truth.

    .venv/bin/python benchmarks/linkage.py [--households 350000] [--rows 1000000] [--rate 0.02] [--threads 2]
                                           [--engine duckdb|spark] [--registry DIR]

Writes an unmasked synthetic registry (`tuopin synth --unmasked`) and a roster with faults planted at `rate`
(`tuopin synth roster`) under a temporary folder, then runs `match`. Scored pairs are those the blocking rules
make (counted again here, the same joins). The machine is shared: the figures per core are per CPU second (all of
DuckDB's threads), of the whole likeness pass (u sampled, then predicted and decided) and of Splink's predict alone.
`--engine spark` runs `tuopin match --engine spark` instead (the local session, `local[*]`, its JVM's start
counted apart): the CPU seconds are then the driver's alone, so compare the wall seconds, on a quiet machine.
`--registry DIR` links against a registry written before by `tuopin synth --unmasked` (at 100 M persons its
generation takes longer than the match; the same folder then serves the national what-if too), and `--roster
PATH` a roster written from it before (`--plain` writes one in about two minutes at that size).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq


from tuopin.engine.connection import connect
from tuopin.synth.nation.generate import generate
from tuopin.synth.rosters import roster, truth_path


CHILD = """
import json, resource, sys, time
from pathlib import Path
from tuopin.linkage.match import match
work = Path(sys.argv[1])
if sys.argv[4] == "spark":
    from tuopin.engine import spark_runner
    from tuopin.linkage import spark_match
    started = time.perf_counter()
    spark = spark_runner.session()
    start = time.perf_counter() - started
    summary = spark_match.match(work / "registry", work / "roster.parquet", "dibao", work / "out", spark=spark)
    print(json.dumps(summary | {"session_seconds": round(start, 1)}))
else:
    summary = match(work / "registry", work / "roster.parquet", "dibao", work / "out",
                    memory_limit=sys.argv[2], threads=int(sys.argv[3]))
    # Its own peak, from the kernel's high-water mark of this process's memory (VmHWM, reset at exec):
    # getrusage's ru_maxrss survives exec, so it would report the parent's memory at the fork if larger.
    status = Path("/proc/self/status")
    hwm = [int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM:")] \
        if status.exists() else [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]
    print(json.dumps(summary | {"peak_rss_mb": round(hwm[0] / 1024)}))
"""


def scored_pairs(out: Path, registry: Path, roster_path: Path) -> int:
    """The pairs the blocking rules make between the rows left to likeness and the registry's persons."""
    con = connect()
    m = str(out / "matches.parquet")
    return con.sql(f"""
        WITH rows AS (SELECT r.name, r.birth_date, concat_ws('/', r.county, r.township, r.village) AS place,
                             row_number() OVER () AS row
                      FROM '{roster_path}' r),
        rest AS (SELECT rows.* FROM rows JOIN '{m}' m USING (row) WHERE m.how <> 'id'),
        names AS (SELECT code, name FROM '{registry}/regions/*.parquet'),
        persons AS (SELECT p.person_id, p.name, p.birth_date, concat_ws('/', c.name, t.name, v.name) AS place
            FROM '{registry}/persons/*.parquet' p JOIN '{registry}/households/*.parquet' h USING (household_id)
            JOIN names c ON c.code = h.county_code JOIN names t ON t.code = h.township_code
            JOIN names v ON v.code = h.village_code)
        SELECT count(*) FROM (
            SELECT r.row, p.person_id FROM rest r JOIN persons p
                ON p.place = r.place AND year(p.birth_date) = year(r.birth_date)
            UNION SELECT r.row, p.person_id FROM rest r JOIN persons p
                ON p.name = r.name AND p.birth_date = r.birth_date
            UNION SELECT r.row, p.person_id FROM rest r JOIN persons p ON p.name = r.name AND p.place = r.place)
    """).fetchall()[0][0]


def plain_roster(registry: Path, out: Path, rate: float) -> dict:
    con = connect()
    con.execute(f"""CREATE TABLE r AS
        WITH names AS (SELECT code, name FROM '{registry}/regions/*.parquet')
        SELECT p.person_id, p.name, CASE WHEN hash(p.person_id) % 10000 >= {int(rate * 10000)} THEN p.id_number
               END AS id_number, p.sex, p.birth_date, c.name AS county, t.name AS township, v.name AS village
        FROM '{registry}/persons/*.parquet' p JOIN '{registry}/households/*.parquet' h USING (household_id)
        JOIN names c ON c.code = h.county_code JOIN names t ON t.code = h.township_code
        JOIN names v ON v.code = h.village_code ORDER BY p.person_id""")
    con.execute(f"COPY (SELECT * EXCLUDE (person_id) FROM r ORDER BY person_id) TO '{out}' (FORMAT parquet)")
    con.execute(f"COPY (SELECT row_number() OVER (ORDER BY person_id) AS row, person_id FROM r) "
                f"TO '{truth_path(out)}' (FORMAT parquet)")
    return dict(zip(("rows", "id_missing"),
                    con.sql("SELECT count(*), count(*) FILTER (id_number IS NULL) FROM r").fetchall()[0]))


def quality(out: Path, roster_path: Path) -> dict:
    rows = connect().sql(f"""SELECT count(*) FILTER (m.how IN ('id', 'likeness')) AS linked,
            count(*) FILTER (m.how IN ('id', 'likeness') AND m.person_id = t.person_id) AS right,
            count(*) FILTER (t.person_id IS NOT NULL) AS in_registry
        FROM '{out / "matches.parquet"}' m JOIN '{truth_path(roster_path)}' t USING (row)""").fetchall()[0]
    linked, right, in_registry = rows
    return {"precision": round(right / linked, 5), "recall": round(right / in_registry, 5)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=350_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=0.02)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory", default="4GB")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--plain", action="store_true",
                        help="every registry person once, `rate` of the numbers left out, written by DuckDB: "
                             "for sizes the faults' generator (a Python loop) is too slow for")
    parser.add_argument("--registry", type=Path,
                        help="an unmasked registry written before (`tuopin synth --unmasked`): not generated again")
    parser.add_argument("--roster", type=Path,
                        help="with --registry: a roster written before from it (its truth file beside it)")
    args = parser.parse_args()
    # The generators run in a process of their own: DuckDB keeps the memory it used for them, and a parent
    # holding gigabytes leaves the match less of the machine (and of the page cache) than it would have alone.
    generators = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    with tempfile.TemporaryDirectory(dir=args.registry.parent if args.registry else None) as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        if args.registry:
            (work / "registry").symlink_to(args.registry.resolve())
            manifest = json.loads((args.registry / "_snapshot.json").read_text())
        else:
            manifest = generators.submit(generate, work / "registry", households_total=args.households,
                                         unmasked=True).result()
        synth_s = time.perf_counter() - t
        t = time.perf_counter()
        if args.roster:
            (work / "roster.parquet").symlink_to(args.roster.resolve())
            truth_path(work / "roster.parquet").symlink_to(truth_path(args.roster).resolve())
            planted = {"rows": pq.ParquetFile(args.roster).metadata.num_rows}
        elif args.plain:
            planted = generators.submit(plain_roster, work / "registry", work / "roster.parquet", args.rate).result()
        else:
            planted = generators.submit(roster, work / "registry", kind="dibao", rate=args.rate,
                                        out=work / "roster.parquet", rows=args.rows).result()
        generators.shutdown()
        roster_s = time.perf_counter() - t
        # In a process of its own: its peak memory is the match's, not the generators'.
        child = subprocess.run([sys.executable, "-c", CHILD, str(work), args.memory, str(args.threads), args.engine],
                               capture_output=True, text=True, check=True)
        summary = json.loads(child.stdout)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        pairs = scored_pairs(work / "out", work / "registry", work / "roster.parquet")
        model = json.loads(Path(summary["model"]).read_text())["tuopin"]
        result = {
            "persons": manifest["tables"]["persons"]["rows"], "planted": planted,
            "synth_seconds": round(synth_s, 1), "roster_seconds": round(roster_s, 1), "match": summary,
            "match_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "id_rows_per_second": round(summary["rows"] / max(summary["id_seconds"], 0.01)),
            "id_rows_per_cpu_second": round(summary["rows"] / max(summary["id_cpu_seconds"], 0.01)),
            "likeness_scored_pairs": pairs,
            "likeness_pairs_per_cpu_second": round(pairs / max(summary["likeness_cpu_seconds"], 0.01)),
            "predict_pairs_per_cpu_second": round(pairs / max(model["seconds"]["predict_cpu"], 0.01)),
            "u_sampling": model["u"], "u_seconds": model["seconds"],
            "match_peak_rss_mb": summary.get("peak_rss_mb"),
            "load_average": os.getloadavg(), **quality(work / "out", work / "roster.parquet"),
        }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
