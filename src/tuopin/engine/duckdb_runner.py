"""Run the rules on DuckDB, embedded: over Arrow tables (a county from the live database) or over a
snapshot folder of Parquet files (a province, the nation)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import duckdb
import pyarrow as pa

from tuopin import rules

from .ranges import household_conditions
from .snapshot import YEARLY

INPUT_TABLES = ("regions", "villages_yearly", "households", "households_yearly", "persons", "persons_yearly",
                "status_events")
HOUSEHOLD_KEYED = frozenset({"households", "households_yearly", "persons_yearly", "status_events"})


@dataclass
class Result:
    """What one run of the rules produced, as Arrow tables."""

    year: int
    household_gaps: pa.Table
    household_result: pa.Table
    village_result: pa.Table
    areas: dict[str, pa.Table] = field(default_factory=dict)  # level -> area_result joined with fgt
    # Gap rows of the households poor at the end of the year, per indicator (the summary's `gaps`).
    gaps_of_poor: dict[str, int] = field(default_factory=dict)
    mpi: dict[str, pa.Table] = field(default_factory=dict)  # level -> rules/sql/mpi.sql (Alkire–Foster) rows


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


def register_arrow(con: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> None:
    for name, table in tables.items():
        con.register(name, table)


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
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM {src}{condition}")


# Rules read once, by the rule after them: a view lets DuckDB stream them into their reader instead of
# storing a copy (30 million rows at national scale).
VIEW_RULES = frozenset({"household_status", "exits"})


def region_names(con: duckdb.DuckDBPyConnection, deepest: int) -> dict[int, str]:
    """Names of the snapshot's regions down to a level (0 province … 4 village), by code."""
    if not con.execute("SELECT COUNT(*) FROM duckdb_views() WHERE view_name = 'regions'").fetchone()[0]:
        return {}
    return dict(con.execute(f"SELECT code, name FROM regions WHERE level <= {int(deepest)}").fetchall())


def run(con: duckdb.DuckDBPyConnection, params: dict[str, str], *, year: int,
        levels: tuple[str, ...] = ("township", "county"), households: bool = True,
        folder: str | Path | None = None) -> Result:
    """Run the household rules, then roll up to each level. Inputs must be registered on `con`.

    `households=False` leaves the per-household tables (household_result, household_gaps) out of the
    Result, empty: a national run needs only the roll-ups, not 30 million rows copied into Arrow.
    `folder`: the snapshot folder registered on `con`; a large one has its household rules run range by
    range of household ids (tuopin.engine.ranges), with the same results; derived tables the folder
    carries under the hash of today's rule text are read instead of running their rules (engine.derived)."""
    from . import derived, ranges

    stored = derived.sources(folder, params, year) if folder is not None else {}
    # With the per-household results stored, nothing is left for ranges to split.
    whole = {"household_gaps", "household_result"} <= stored.keys()
    done = folder is not None and not whole and ranges.household_rules(con, params, folder=folder, year=year,
                                                                         stored=stored)
    for name in rules.HOUSEHOLD_RULES:
        if done and name in ranges.PER_HOUSEHOLD_RULES:
            continue
        create_rule(con, name, params, stored)
    for name in rules.MPI_INPUT_RULES:  # views: the score table below is the one copy
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {rules.render(name, params)}")
    create_rule(con, rules.MPI_SCORE_RULE, params, stored)
    areas, mpi = {}, {}
    for level in levels:
        mpi[level] = con.sql(rules.render(rules.MPI_AREA_RULE, params, area=level)).to_arrow_table()
        con.execute(f"CREATE OR REPLACE TEMP TABLE area_{level} AS {rules.render('area_result', params, area=level)}")
        fgt = rules.render("fgt", params, area=level)
        areas[level] = con.sql(
            f"SELECT a.*, f.p0, f.p1, f.p2 FROM area_{level} a LEFT JOIN ({fgt}) f ON f.code = a.code ORDER BY a.code"
        ).to_arrow_table()
    detail = "" if households else " LIMIT 0"
    return Result(
        year=year,
        household_gaps=con.sql(f"SELECT * FROM household_gaps ORDER BY household_id, indicator{detail}").to_arrow_table(),
        household_result=con.sql(f"SELECT * FROM household_result ORDER BY household_id{detail}").to_arrow_table(),
        village_result=con.sql("SELECT * FROM village_result ORDER BY village_code").to_arrow_table(),
        areas=areas,
        mpi=mpi,
        gaps_of_poor=dict(con.execute(
            "SELECT g.indicator, COUNT(*) FROM household_gaps g JOIN household_result r "
            "ON r.household_id = g.household_id WHERE r.poor_at_end GROUP BY g.indicator").fetchall()),
    )


def create_rule(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, str],
                stored: Mapping[str, str] | None = None) -> None:
    """The rule's table (or view) named after it: read from the snapshot's derived table when `stored`
    has it, else the rule run."""
    if stored and name in stored:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {stored[name]}")
        return
    kind = "VIEW" if name in VIEW_RULES else "TABLE"
    con.execute(f"CREATE OR REPLACE TEMP {kind} {name} AS {rules.render(name, params)}")


def explain(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> pa.Table:
    """The gap rows of whatever households are registered on `con` — the same rule text, smaller inputs,
    as one statement (no temp tables: on a handful of rows, materialising costs more than the rules)."""
    ctes = ", ".join(f"{name} AS ({rules.render(name, params)}\n)"
                     for name in ("household_status", "household_person_facts", "household_gaps"))
    return con.sql(f"WITH {ctes} SELECT * FROM household_gaps ORDER BY household_id, indicator").to_arrow_table()


def county_exit(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> pa.Table:
    """三率一度 for the evaluation rounds registered on `con`; run() must have rolled up to the county."""
    return con.sql(rules.render(rules.COUNTY_EXIT_RULE, params)).to_arrow_table()
