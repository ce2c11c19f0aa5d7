"""What the Alkire–Foster rules add to an engine run over a snapshot folder: the household rules, the area
roll-ups with FGT, then `mpi_scores` and `mpi` at two levels (nation, province), each timed apart.

    .venv/bin/python benchmarks/mpi_rules.py DIR [--year 2018]

DIR is a snapshot folder (`tuopin synth --out DIR`). Prints one line with the times, the national H and M0
and the load average (the machine is shared: note it beside the figures).
"""

from __future__ import annotations

import argparse
import os
import time

from tuopin import rules, standards
from tuopin.engine import duckdb_runner


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--year", type=int, default=2018)
    o = parser.parse_args()
    params = rules.parameters(standards.load("000000"), o.year)
    con = duckdb_runner.connect()
    duckdb_runner.register_parquet(con, o.folder, year=o.year)
    levels = ("nation", "province")

    started = time.perf_counter()
    for name in rules.HOUSEHOLD_RULES:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {rules.render(name, params)}")
    household = time.perf_counter() - started

    started = time.perf_counter()
    for level in levels:
        con.execute(f"CREATE OR REPLACE TEMP TABLE area_{level} AS {rules.render('area_result', params, area=level)}")
        fgt = rules.render("fgt", params, area=level)
        con.sql(f"SELECT a.*, f.p0 FROM area_{level} a LEFT JOIN ({fgt}) f ON f.code = a.code").to_arrow_table()
    areas = time.perf_counter() - started

    started = time.perf_counter()
    for name in rules.MPI_INPUT_RULES:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {rules.render(name, params)}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {rules.MPI_SCORE_RULE} AS "
                f"{rules.render(rules.MPI_SCORE_RULE, params)}")
    scores = time.perf_counter() - started

    started = time.perf_counter()
    out = {level: con.sql(rules.render(rules.MPI_AREA_RULE, params, area=level)).to_arrow_table() for level in levels}
    measures = time.perf_counter() - started

    households = con.execute("SELECT COUNT(*) FROM household_result").fetchone()[0]
    nation = out["nation"].to_pylist()[0]
    print(f"{o.folder}: {households:,} households; household rules {household:.2f} s, area + FGT {areas:.2f} s, "
          f"mpi_scores {scores:.2f} s, mpi at {len(levels)} levels {measures:.2f} s; "
          f"nation H {nation['h']:.4f}, M0 {nation['m0']:.4f}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
