"""Run the rules on DuckDB, embedded: over Arrow tables (a county from the live database) or over a
snapshot folder of Parquet files (a province, the nation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import duckdb
import pyarrow as pa

from tuopin import rules

from .snapshot import YEARLY

INPUT_TABLES = ("regions", "villages_yearly", "households", "households_yearly", "persons", "persons_yearly",
                "status_events")


@dataclass
class Result:
    """What one run of the rules produced, as Arrow tables."""

    year: int
    household_gaps: pa.Table
    household_result: pa.Table
    village_result: pa.Table
    areas: dict[str, pa.Table] = field(default_factory=dict)  # level -> area_result joined with fgt


_shared: duckdb.DuckDBPyConnection | None = None


def session() -> duckdb.DuckDBPyConnection:
    """A fresh cursor on one in-memory database kept for the process: opening a database costs ~50 ms,
    a cursor nothing. Registered tables and temp tables belong to the cursor, so callers do not meet."""
    global _shared
    if _shared is None:
        _shared = connect(threads=1)
    return _shared.cursor()


def connect(*, threads: int | None = None, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    return con


def register_arrow(con: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> None:
    for name, table in tables.items():
        con.register(name, table)


def register_parquet(con: duckdb.DuckDBPyConnection, directory: str | Path, *, year: int | None = None) -> None:
    """Views over a snapshot folder; yearly tables are limited to the year (and the one before) if given."""
    root = Path(directory)
    for name in INPUT_TABLES:
        folder = root / name
        if not folder.exists():
            continue
        if name in YEARLY:
            src = f"read_parquet('{folder.as_posix()}/year=*/*.parquet', hive_partitioning = true)"
            where = f" WHERE year IN ({year - 1}, {year})" if year else ""
            con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {src}{where}")
        else:
            con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{folder.as_posix()}/*.parquet')")


def run(con: duckdb.DuckDBPyConnection, params: dict[str, str], *, year: int,
        levels: tuple[str, ...] = ("township", "county")) -> Result:
    """Run the household rules, then roll up to each level. Inputs must be registered on `con`."""
    for name in rules.HOUSEHOLD_RULES:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {rules.render(name, params)}")
    areas = {}
    for level in levels:
        con.execute(f"CREATE OR REPLACE TEMP TABLE area_{level} AS {rules.render('area_result', params, area=level)}")
        fgt = rules.render("fgt", params, area=level)
        areas[level] = con.sql(
            f"SELECT a.*, f.p0, f.p1, f.p2 FROM area_{level} a LEFT JOIN ({fgt}) f ON f.code = a.code ORDER BY a.code"
        ).to_arrow_table()
    return Result(
        year=year,
        household_gaps=con.sql("SELECT * FROM household_gaps ORDER BY household_id, indicator").to_arrow_table(),
        household_result=con.sql("SELECT * FROM household_result ORDER BY household_id").to_arrow_table(),
        village_result=con.sql("SELECT * FROM village_result ORDER BY village_code").to_arrow_table(),
        areas=areas,
    )


def explain(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> pa.Table:
    """The gap rows of whatever households are registered on `con` — the same rule text, smaller inputs,
    as one statement (no temp tables: on a handful of rows, materialising costs more than the rules)."""
    ctes = ", ".join(f"{name} AS ({rules.render(name, params)}\n)" for name in ("household_status", "household_gaps"))
    return con.sql(f"WITH {ctes} SELECT * FROM household_gaps ORDER BY household_id, indicator").to_arrow_table()


def county_exit(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> pa.Table:
    """三率一度 for the evaluation rounds registered on `con`; run() must have rolled up to the county."""
    return con.sql(rules.render(rules.COUNTY_EXIT_RULE, params)).to_arrow_table()
