"""The same rules over the same snapshot folder on DuckDB and on Spark (local mode), as `tuopin assess --data`
runs them (roll-ups only, no per-household rows copied out); checks the two agree on every area.

    .venv/bin/python benchmarks/spark_vs_duckdb.py --data /work/data/n1000000 --year 2018 [--level province]

Spark's session start (the JVM) is timed apart from the run; the first Spark run in a JVM is also slower than
the next (classes loading, code compiled), so both runs are reported. No Django.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time

from tuopin import rules, standards
from tuopin.engine import duckdb_runner, spark_runner


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--year", type=int, default=2018)
    parser.add_argument("--level", default="province")
    o = parser.parse_args()
    levels = ("nation", o.level)
    params = rules.parameters(standards.load("000000"), o.year)
    figures = {"machine": f"{platform.machine()} {os.cpu_count()} cores", "load_before": os.getloadavg()}

    start = time.perf_counter()
    con = duckdb_runner.connect_for_folder()
    duckdb_runner.register_parquet(con, o.data, year=o.year)
    duck = duckdb_runner.run(con, params, year=o.year, levels=levels, households=False)
    figures["duckdb_s"] = round(time.perf_counter() - start, 2)
    figures["duckdb_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    con.close()

    start = time.perf_counter()
    spark = spark_runner.session()
    figures["spark_session_start_s"] = round(time.perf_counter() - start, 2)
    for run in ("spark_first_run_s", "spark_second_run_s"):
        start = time.perf_counter()
        session = spark_runner.connect(spark)
        spark_runner.register_parquet(session, o.data, year=o.year)
        on_spark = spark_runner.run(session, params, year=o.year, levels=levels, households=False)
        figures[run] = round(time.perf_counter() - start, 2)
    figures["spark_driver_memory"] = os.environ.get("TUOPIN_SPARK_MEMORY", "2g")
    figures["load_after"] = os.getloadavg()

    for level in levels:  # the figures must agree, or the times mean nothing
        a, b = duck.areas[level].to_pylist(), on_spark.areas[level].to_pylist()
        assert [r["code"] for r in a] == [r["code"] for r in b], level
        for x, y in zip(a, b):
            for key in x:
                if isinstance(x[key], float):
                    assert abs(x[key] - y[key]) <= 1e-12 * max(1.0, abs(x[key])), (level, key, x, y)
                else:
                    assert x[key] == y[key], (level, key, x, y)
    assert duck.gaps_of_poor == on_spark.gaps_of_poor
    nation = duck.areas["nation"].to_pylist()[0]
    figures["households_poor"] = nation["poor_households"]
    figures["agree"] = True
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
