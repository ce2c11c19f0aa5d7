"""倒查正推 on the engine: the policy rules (policy_eligible, policy_coverage, policy_signals, policy_village, then
policy_area per level) over the snapshot tables, household_status and roster_matches, on DuckDB or Spark. Run after
the household rules, or alone: household_status is created when the connection lacks it. A connection without
roster_matches (a folder written before rosters, a registry without any) gets an empty one: coverage is then read
from the registry's columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from tuopin import rules

from .connection import create_rule, has_relation
from .snapshot import schema_of

ROSTERS = "roster_matches"


@dataclass
class Coverage:
    year: int
    persons: pa.Table  # policy_coverage: per person and policy (empty when the run keeps no per-person rows)
    villages: pa.Table  # policy_village
    areas: dict[str, pa.Table] = field(default_factory=dict)  # level -> policy_area rows
    signals: pa.Table = field(default_factory=pa.table)  # policy_signals: per person and kind
    bases: dict[str, str] = field(default_factory=dict)  # policy -> roster / registry / none (policy_basis)


def register_rosters(con: duckdb.DuckDBPyConnection, folder: str | Path | None = None) -> None:
    """roster_matches from a snapshot folder when it has one, else empty (when the connection has none yet)."""
    path = Path(folder) / ROSTERS if folder is not None else None
    if path is not None and path.is_dir():
        con.execute(f"CREATE OR REPLACE VIEW {ROSTERS} AS SELECT * FROM read_parquet('{path.as_posix()}/*.parquet')")
    elif not has_relation(con, ROSTERS):
        con.register(ROSTERS, schema_of(ROSTERS).empty_table())


def run(con: duckdb.DuckDBPyConnection, params: dict[str, str], *, year: int,
        levels: tuple[str, ...] = ("township", "county"), persons: bool = True,
        folder: str | Path | None = None) -> Coverage:
    register_rosters(con, folder)
    if not has_relation(con, "household_status"):
        create_rule(con, "household_status", params)
    for name in rules.COVERAGE_RULES:
        create_rule(con, name, params)
    detail = "" if persons else " LIMIT 0"
    return Coverage(
        year=year,
        persons=con.sql(f"SELECT * FROM policy_coverage ORDER BY person_id, policy{detail}").to_arrow_table(),
        villages=con.sql("SELECT * FROM policy_village ORDER BY village_code, policy").to_arrow_table(),
        areas={level: con.sql(f"SELECT * FROM ({rules.render(rules.COVERAGE_AREA_RULE, params, area=level)}) "
                              "ORDER BY code, policy").to_arrow_table() for level in levels},
        signals=con.sql("SELECT * FROM policy_signals ORDER BY person_id, kind").to_arrow_table(),
        bases=dict(con.execute("SELECT policy, basis FROM policy_basis").fetchall()),
    )


def run_spark(spark, params: dict[str, str], *, year: int, levels: tuple[str, ...] = ("township", "county"),
              persons: bool = True, folder: str | None = None) -> Coverage:
    """`run` on Spark (inputs registered by spark_runner); roster_matches from the folder when it has them, else
    empty when not registered."""
    from .spark_runner import _arrow, _exists, to_spark

    if folder is not None and _exists(spark, f"{str(folder).rstrip('/')}/{ROSTERS}"):
        spark.read.parquet(f"{str(folder).rstrip('/')}/{ROSTERS}").createOrReplaceTempView(ROSTERS)
    elif not spark.catalog.tableExists(ROSTERS):
        spark.createDataFrame([], schema=_spark_schema()).createOrReplaceTempView(ROSTERS)
    frames = []
    if not spark.catalog.tableExists("household_status"):
        frames.append(_view(spark, "household_status", rules.render("household_status", params), to_spark))
    for name in rules.COVERAGE_RULES:
        frames.append(_view(spark, name, rules.render(name, params), to_spark))
    try:
        return Coverage(
            year=year,
            persons=_arrow(spark.table("policy_coverage") if persons else spark.table("policy_coverage").limit(0),
                           "person_id", "policy"),
            villages=_arrow(spark.table("policy_village"), "village_code", "policy"),
            areas={level: _arrow(spark.sql(to_spark(rules.render(rules.COVERAGE_AREA_RULE, params, area=level))),
                                 "code", "policy") for level in levels},
            signals=_arrow(spark.table("policy_signals"), "person_id", "kind"),
            bases={row["policy"]: row["basis"] for row in spark.table("policy_basis").collect()},
        )
    finally:
        for frame in frames:
            frame.unpersist()


def _view(spark, name: str, sql: str, to_spark):
    frame = spark.sql(to_spark(sql)).cache()
    frame.createOrReplaceTempView(name)
    return frame


def _spark_schema():
    from pyspark.sql.types import DateType, LongType, ShortType, StringType, StructField, StructType

    return StructType([StructField("year", ShortType()), StructField("kind", StringType()),
                       StructField("person_id", LongType()), StructField("died_on", DateType()),
                       StructField("started_on", DateType())])
