"""DuckDB connections for the engine and the views it reads: a snapshot folder's tables (limited to a year
and a range of household ids) or Arrow tables registered under the snapshot layout's names, and one rule's
table created on a connection. The runner, the ranges and the derived tables all start here."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Mapping

import duckdb
import pyarrow as pa

from tuopin import rules

from .snapshot import ADDED_COLUMNS, YEARLY

INPUT_TABLES = ("regions", "villages_yearly", "households", "households_yearly", "persons", "persons_yearly",
                "status_events")
HOUSEHOLD_KEYED = frozenset({"households", "households_yearly", "persons_yearly", "status_events"})

_shared: duckdb.DuckDBPyConnection | None = None
# A snapshot folder may hold the nation (30 million households): DuckDB spills to disk beyond this.
FOLDER_MEMORY_LIMIT = "4GB"


def session() -> duckdb.DuckDBPyConnection:
    """A fresh cursor on one in-memory database kept for the process: opening a database costs ~50 ms,
    a cursor nothing. Registered tables and temp tables belong to the cursor, so callers do not meet."""
    global _shared
    if _shared is None:
        _shared = connect(threads=1)
    return _shared.cursor()


def connect(*, threads: int | None = None, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    return con


def connect_for_folder() -> duckdb.DuckDBPyConnection:
    """A connection for a whole snapshot folder (up to the nation): every core, a memory ceiling with
    spilling to the system's temporary folder, and no insertion order kept — every result the engine
    returns is ordered explicitly, and keeping 30 million rows in scan order costs memory and time."""
    con = connect(threads=os.cpu_count(), memory_limit=FOLDER_MEMORY_LIMIT)
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET parquet_metadata_cache = true")  # ranges read the same files' footers again and again
    con.execute(f"SET temp_directory = '{spill_folder()}'")
    return con


def spill_folder() -> str:
    return Path(tempfile.gettempdir(), "tuopin-duckdb").as_posix()


# A what-if's budget lines (decision 1600): the income each household of the year receives besides its recorded
# income, computed once per connection (tuopin.engine.what_if.budget_table). While the table exists, the
# households_yearly registered on the connection — Arrow or a folder's view, range by range — is the recorded
# one with the added income in its net income and per-capita net income, the two income columns the rules read.
BUDGET_TABLE = "budget_added"


def budgeted(src: str) -> str:
    """A SELECT of households_yearly's rows from `src` (a relation or a subquery) with BUDGET_TABLE's income
    added to the year's rows that receive any; the year before's rows and the others unchanged."""
    return (f"SELECT y.* REPLACE (CAST(y.net_income_fen + COALESCE(b.added_fen, 0) AS BIGINT) AS net_income_fen, "
            "CAST(CASE WHEN b.added_fen IS NULL OR y.members IS NULL OR y.members <= 0 "
            "THEN y.per_capita_net_income_fen "
            "ELSE FLOOR((y.net_income_fen + b.added_fen) / y.members) END AS BIGINT) AS per_capita_net_income_fen) "
            f"FROM {src} y LEFT JOIN {BUDGET_TABLE} b ON b.household_id = y.household_id AND b.year = y.year")


def register_arrow(con: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> None:
    budget = "households_yearly" in tables and has_relation(con, BUDGET_TABLE)
    for name, table in tables.items():
        if budget and name == "households_yearly":
            with_budget(con, lambda t=table: con.register("households_yearly_recorded", t), "households_yearly_recorded")
        else:
            con.register(name, table)


def with_budget(con: duckdb.DuckDBPyConnection, register, recorded: str) -> None:
    """Register households_yearly's recorded rows as `recorded` (by calling `register`) and households_yearly as
    those rows with the budget's income added (`budgeted`)."""
    with contextlib.suppress(duckdb.Error):
        con.unregister("households_yearly")
    register()
    con.execute(f"CREATE OR REPLACE TEMP VIEW households_yearly AS {budgeted(recorded)}")


def register_parquet(con: duckdb.DuckDBPyConnection, directory: str | Path, *, year: int | None = None,
                     households: tuple[int | None, int | None] | None = None) -> None:
    """Views over a snapshot folder; yearly tables are limited to the year (and the one before) if given.

    `households` (low, high; None = open) limits every table keyed by household to that range of ids: a
    filter DuckDB checks against the Parquet row groups' statistics, so a range reads only its own row
    groups (tuopin.engine.ranges)."""
    root = Path(directory)
    for name in INPUT_TABLES:
        folder = root / name
        if not folder.exists():
            continue
        where = []
        if name in YEARLY:
            src = f"read_parquet('{folder.as_posix()}/year=*/*.parquet', hive_partitioning = true)"
            if year:
                where.append(f"year IN ({year - 1}, {year})")
        else:
            src = f"read_parquet('{folder.as_posix()}/*.parquet')"
        if name in HOUSEHOLD_KEYED:
            where += household_conditions(households)
        condition = f" WHERE {' AND '.join(where)}" if where else ""
        select = f"SELECT *{_added(con, name, src)} FROM {src}{condition}"
        if name == "households_yearly" and has_relation(con, BUDGET_TABLE):
            select = budgeted(f"({select})")
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {select}")


def _added(con: duckdb.DuckDBPyConnection, name: str, src: str) -> str:
    """The columns a folder of an older layout lacks, as their 'none' value (snapshot.ADDED_COLUMNS)."""
    added = ADDED_COLUMNS.get(name)
    if not added:
        return ""
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
    return "".join(f", {value} AS {column}" for column, value in added.items() if column not in present)


def household_conditions(households: tuple[int | None, int | None] | None) -> list[str]:
    """SQL conditions limiting `household_id` to a range (low, high; None = open on that side)."""
    if not households:
        return []
    low, high = households
    return ([f"household_id >= {int(low)}"] if low is not None else []) + (
        [f"household_id <= {int(high)}"] if high is not None else [])


def within(sql: str, households: tuple[int | None, int | None] | None) -> str:
    """A derived table's SQL limited to a range of household ids (tuopin.engine.ranges)."""
    where = household_conditions(households)
    return f"SELECT * FROM ({sql}) WHERE {' AND '.join(where)}" if where else sql


def has_relation(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether `name` is a table or a view on the connection (registered Arrow tables are views)."""
    return bool(one_row(con, "SELECT (SELECT COUNT(*) FROM duckdb_tables() WHERE table_name = $1) "
                        "+ (SELECT COUNT(*) FROM duckdb_views() WHERE view_name = $1)", [name])[0])


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    """The row of an aggregate query (COUNT, MIN, MAX, a COPY's count: always one), typed as a row rather than a
    maybe-row."""
    # fetchall, not fetchone: DuckDB keeps a result it has not read to the end open on the connection, and
    # refuses to register a table on it until then.
    rows = con.execute(sql, params).fetchall()
    if not rows:
        raise RuntimeError(f"no row from {sql}")
    return rows[0]


# Rules read once, by the rule after them: a view lets DuckDB stream them into their reader instead of
# storing a copy (30 million rows at national scale).
VIEW_RULES = frozenset({"household_status", "exits"})


def create_rule(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, str],
                stored: Mapping[str, str] | None = None) -> None:
    """The rule's table (or view) named after it: read from the snapshot's derived table when `stored`
    has it, else the rule run."""
    if stored and name in stored:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {stored[name]}")
        return
    kind = "VIEW" if name in VIEW_RULES else "TABLE"
    con.execute(f"CREATE OR REPLACE TEMP {kind} {name} AS {rules.render(name, params)}")
