"""The rules on a province's Spark cluster, without Django: a snapshot folder in, `tuopin assess --json`'s
object out (the data set as the nation, listed by province unless --level), and optionally the result
tables written back as Parquet beside the data. docs/spark.md says how to submit it.

    spark-submit [cluster options] $(python -c 'import tuopin.engine.spark_submit as m; print(m.__file__)') \\
        --data s3a://bucket/snapshot --year 2018 [--level city] [--out s3a://bucket/results/2018]
    python -m tuopin.engine.spark_submit --data DIR --year 2018     # the same on a local session

Only the driver runs Python (the rules are SQL: executors need no tuopin), so only the driver needs
tuopin installed. Rows per household stay on the cluster: the driver collects the roll-ups alone.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from tuopin import rules, standards

from tuopin.engine import spark_runner  # absolute: spark-submit runs this file as a script

LEVELS = ("province", "city", "county", "township", "village")
COUNTS = ("rural_population", "poor_persons", "poor_households", "households_exited", "persons_exited",
          "households_eligible", "villages_total", "poor_villages", "poor_villages_meeting_exit")
PLURAL = {"province": "provinces", "city": "cities", "county": "counties", "township": "townships",
          "village": "villages"}


def cluster_session():
    """Under spark-submit, the session it configured (master, memory, S3 credentials come from there), with
    the semantics the rules need; under plain python, the local session of `spark_runner`."""
    if "PYSPARK_GATEWAY_PORT" not in os.environ:  # not launched by spark-submit
        return spark_runner.session()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("tuopin-assess")
    for key, value in spark_runner.SQL_CONF.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def assess(spark, data: str, *, year: int, level: str = "province", out: str | None = None) -> dict:
    params = rules.parameters(standards.load("000000"), year)
    spark = spark_runner.connect(spark)
    spark_runner.register_parquet(spark, data, year=year)
    levels = ("nation", level) if level != "village" else ("nation",)
    frames = spark_runner.execute(spark, params, levels=levels)
    try:
        if out:
            for name in ("household_gaps", "household_result", "village_result", *(f"area_{lv}" for lv in levels)):
                frames[name].write.mode("overwrite").parquet(f"{out.rstrip('/')}/{name}")
        names = spark_runner.region_names(spark, LEVELS.index(level))
        (top,) = [row.asDict() for row in frames["area_nation"].collect()] or [None]
        if top is None:
            raise SystemExit(f"no village population figures for {year} in {data}: nothing to assess")
        summary = {"year": year, "scope": {"code": f"{0:012d}", "name": "全国", "level": "nation"},
                   **_figures(top), "gaps": _gaps(spark), **_monitoring(frames, "nation").get(0, _monitoring_of({}))}
        watched = _monitoring(frames, level)
        if level == "village":
            rows = sorted((r.asDict() for r in frames["village_result"].collect()), key=lambda r: r["village_code"])
            summary[PLURAL[level]] = [{**_village(r, names), **watched.get(r["village_code"], _monitoring_of({}))}
                                      for r in rows]
        else:
            rows = sorted((r.asDict() for r in frames[f"area_{level}"].collect()), key=lambda r: r["code"])
            summary[PLURAL[level]] = [{"code": f"{r['code']:012d}", "name": names.get(r["code"], ""), **_figures(r),
                                       **watched.get(r["code"], _monitoring_of({}))} for r in rows]
        return summary
    finally:
        spark_runner.release(frames)


def _monitoring(frames: dict, level: str) -> dict[int, dict]:
    """{area code: the summary's monitoring keys} from the level's area_monitoring rows (as the DuckDB summary)."""
    return {row["code"]: _monitoring_of(row.asDict()) for row in frames[f"monitoring_{level}"].collect()}


def _monitoring_of(row: dict) -> dict:
    candidates = int(row.get("candidates") or 0)
    return {"monitoring_candidates": candidates,
            "monitoring": {"candidates": candidates, "candidate_persons": int(row.get("candidate_persons") or 0),
                           "by_kind": {kind: int(row.get(kind) or 0) for kind in rules.MONITORING_KINDS},
                           "monitored_at_risk": int(row.get("monitored") or 0)}}


def _gaps(spark) -> dict[str, int]:
    counted = spark_runner.gaps_of_poor(spark)
    return {name: int(counted.get(name, 0)) for name in rules.INDICATORS}


def _figures(row: dict) -> dict:
    figures: dict[str, object] = {k: int(row[k] or 0) for k in COUNTS}
    figures["incidence"] = row["incidence"] if row["incidence"] is not None else 0.0
    figures["fgt"] = {k: row.get(k) or 0.0 for k in ("p0", "p1", "p2")}
    return figures


def _village(row: dict, names: dict) -> dict:
    checks = {k: bool(row[k]) for k in ("incidence_ok", "clinic_ok", "road_ok", "water_ok", "collective_income_ok")}
    return {"code": f"{row['village_code']:012d}", "name": names.get(row["village_code"], ""),
            "rural_population": int(row["population"]), "poor_persons": int(row["poor_persons"]),
            "incidence": row["incidence"] or 0.0, "households_exited": int(row["households_exited"]),
            "persons_exited": int(row["persons_exited"]), "households_eligible": int(row["households_eligible"]),
            "is_poor_village": bool(row["is_poor_village"]), "meets_exit_standard": all(checks.values()),
            "checks": checks}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tuopin.engine.spark_submit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="the snapshot folder: a path, hdfs://… or s3a://…")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--level", choices=LEVELS, default="province", help="the areas listed under the nation")
    parser.add_argument("--out", help="write the result tables as Parquet under this folder (overwritten)")
    o = parser.parse_args(argv)
    try:
        summary = assess(cluster_session(), o.data, year=o.year, level=o.level, out=o.out)
    except spark_runner.SparkUnavailable as exc:  # one line, not a traceback: the cause is the installation
        sys.stderr.write(f"{parser.prog}: {exc}\n")
        return 2 if isinstance(exc, spark_runner.SparkMissing) else 1
    sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
