"""The ID pass of `tuopin match` alone, in-process, each step timed (wall and CPU seconds, peak memory): for
pairing two versions of the pass on the same files, alternately, when the machine's speed moves.

    PYTHONPATH=src .venv/bin/python benchmarks/id_pass.py --registry DIR --roster PATH [--memory 6GB] [--threads 2]

The registry is an unmasked snapshot (`tuopin synth --unmasked`), the roster one written from it
(`benchmarks/linkage.py --plain`). Run from a checkout of an older commit (its `src` on PYTHONPATH) it times
that commit's pass: before decision 1625 the pass was two statements, `HELD` and `SCANNED`.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from tuopin.engine.connection import connect
from tuopin.linkage import match


def steps() -> list[tuple[str, str, str]]:
    if hasattr(match, "ID_PASS"):
        return [*match.ID_PASS, ("rest", match.REST, "table")]
    return [("held", match.HELD, "table"), ("scanned", match.SCANNED, "table"), ("rest", match.REST, "table")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry", type=Path, required=True)
    parser.add_argument("--roster", type=Path, required=True)
    parser.add_argument("--memory", default="6GB")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--spill", type=Path, help="DuckDB's spill folder (default: beside the roster)")
    args = parser.parse_args()
    con = connect(threads=args.threads, memory_limit=args.memory)
    con.execute(f"SET temp_directory = '{args.spill or args.roster.parent / '.spill'}'")
    started, cpu = time.perf_counter(), time.process_time()
    match._views(con, args.registry, match.roster_files(args.roster), args.roster)
    timed = []
    for name, sql, made_as in steps():
        t, c = time.perf_counter(), time.process_time()
        con.execute(f"CREATE TEMP {made_as.upper()} {name} AS {sql}")
        timed.append({"step": name, "seconds": round(time.perf_counter() - t, 1),
                      "cpu_seconds": round(time.process_time() - c, 1)})
    rows, by_id = con.sql("SELECT count(*), count(*) FILTER (holders = 1) FROM scanned").fetchall()[0]
    print(json.dumps({"seconds": round(time.perf_counter() - started, 1),
                      "cpu_seconds": round(time.process_time() - cpu, 1), "steps": timed, "rows": rows,
                      "held_once": by_id, "rows_left": con.sql("SELECT count(*) FROM rest").fetchall()[0][0],
                      "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20, 2)},
                     indent=2))


if __name__ == "__main__":
    main()
