"""The features of each household at the end of a year, computed by features.sql over a snapshot folder (or the
same tables registered from the live registry), one Arrow table for all the years asked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from string import Template

import duckdb
import pyarrow as pa

from tuopin import rules
from tuopin.standards import Standards

SQL = Path(__file__).with_name("features.sql")
# Columns of features.sql that are not features: keys, the year, and the label.
KEYS = ("household_id", "township_code", "village_code", "year", "label")


def monitoring_line_fen(standards: Standards, year: int) -> int:
    """The year's monitoring line, as the monitoring rules read it (before 2021, derived from the 2020 guidance)."""
    return standards.monitoring_line_fen(year)


def year_features(con: duckdb.DuckDBPyConnection, standards: Standards, year: int) -> pa.Table:
    """One row per household not poor, monitored or off the register at the end of `year`. The tables of the
    snapshot layout must be registered on `con` with every year from `year - 2` to `year + 1` they hold."""
    params = rules.year_parameters(year)
    con.execute(f"CREATE OR REPLACE TEMP VIEW household_status AS "
                f"{rules.render('household_status', {k: rules.literal(v) for k, v in params.items()})}")
    values = {"year": str(int(year)), "year_end": rules.literal(params["year_end"]),
              "next_year_end": rules.literal(dt.date(year + 1, 12, 31)),
              "monitoring_line_fen": str(monitoring_line_fen(standards, year))}
    return con.sql(Template(SQL.read_text(encoding="utf-8")).substitute(values)).to_arrow_table()


def features(con: duckdb.DuckDBPyConnection, standards: Standards, years: list[int]) -> pa.Table:
    return pa.concat_tables([year_features(con, standards, y) for y in years])


def feature_names(table: pa.Table) -> list[str]:
    return [name for name in table.column_names if name not in KEYS]
