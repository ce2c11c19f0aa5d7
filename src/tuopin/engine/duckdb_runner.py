"""Run the rules on DuckDB, embedded: over Arrow tables (a county from the live database) or over a
snapshot folder of Parquet files (a province, the nation)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from tuopin import rules

from . import derived, ranges
# The connection helpers live in .connection (below ranges and derived, which use them too); callers of the
# runner keep reaching them here.
from .connection import (FOLDER_MEMORY_LIMIT, HOUSEHOLD_KEYED, INPUT_TABLES, VIEW_RULES,  # noqa: F401
                         connect, connect_for_folder, create_rule, has_relation, one_row, register_arrow,
                         register_parquet, session, spill_folder)



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
    # 监测预警: per household and reason (monitoring_candidates), per household with its proposed kind
    # (monitoring_result) — empty when the run keeps no per-household rows — and per area level, villages
    # included, the proposed households by kind (area_monitoring; an area without any has no row).
    monitoring_candidates: pa.Table = field(default_factory=pa.table)
    monitoring_result: pa.Table = field(default_factory=pa.table)
    monitoring: dict[str, pa.Table] = field(default_factory=dict)


def region_names(con: duckdb.DuckDBPyConnection, deepest: int) -> dict[int, str]:
    """Names of the snapshot's regions down to a level (0 province … 4 village), by code."""
    if not has_relation(con, "regions"):
        return {}
    return dict(con.execute(f"SELECT code, name FROM regions WHERE level <= {int(deepest)}").fetchall())


# The one household rule that reads across households: run by roll_up, after the per-household rows.
ROLL_UP_RULE = "village_result"


def run(con: duckdb.DuckDBPyConnection, params: dict[str, str], *, year: int,
        levels: tuple[str, ...] = ("township", "county"), households: bool = True,
        folder: str | Path | None = None, derived_tables: bool | Mapping[str, str] = True) -> Result:
    """Run the household rules, then roll up to each level. Inputs must be registered on `con`.

    `households=False` leaves the per-household tables (household_result, household_gaps) out of the
    Result, empty: a national run needs only the roll-ups, not 30 million rows copied into Arrow.
    `folder`: the snapshot folder registered on `con`; a large one has its household rules run range by
    range of household ids (tuopin.engine.ranges), with the same results; derived tables the folder
    carries under the hash of today's rule text are read instead of running their rules (engine.derived);
    `derived_tables=False` runs every rule; a mapping (rule → SELECT, as derived.sources gives them, found by the
    caller) reads those and runs the others (a what-if's budget changes the inputs the others were derived from)."""
    if isinstance(derived_tables, Mapping):
        stored = dict(derived_tables)
    else:
        stored = derived.sources(folder, params, year) if folder is not None and derived_tables else {}
    # With the per-household results stored, nothing is left for ranges to split.
    whole = {"household_gaps", "household_result"} <= stored.keys()
    done = ranges.household_rules(con, params, folder=folder, year=year, stored=stored, detail=households) \
        if folder is not None and not whole else ()
    for name in rules.HOUSEHOLD_RULES:
        if name == ROLL_UP_RULE or name in done:
            continue
        create_rule(con, name, params, stored)
    _mpi_views(con, params)
    create_rule(con, rules.MPI_SCORE_RULE, params, stored)
    for name in rules.MONITORING_RULES:
        if name not in done:
            create_rule(con, name, params, stored)
    return roll_up(con, params, year=year, levels=levels, households=households)


def _mpi_views(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> None:
    for name in rules.MPI_INPUT_RULES:  # views: the score table is the one copy
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {rules.render(name, params)}")


def household_rows(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> dict[str, pa.Table]:
    """The rows of the per-household rules (rules.DERIVED_RULES) for whatever households are registered on
    `con`: each household's rows depend on its own input rows only, so rows computed for a few households
    replace theirs in a larger set unchanged (apps/assessment/increments.py, decision 1380)."""
    for name in rules.DERIVED_RULES:
        if name == rules.MPI_SCORE_RULE:
            _mpi_views(con, params)
        create_rule(con, name, params)
    return {name: con.sql(f"SELECT * FROM {name}").to_arrow_table() for name in rules.DERIVED_RULES}


def roll_up(con: duckdb.DuckDBPyConnection, params: dict[str, str], *, year: int,
            levels: tuple[str, ...] = ("township", "county"), households: bool = True) -> Result:
    """village_result and each level's roll-ups from the per-household rules' tables (or views) on `con`
    and the villages' yearly rows: the part of `run` that reads across households."""
    for name in rules.PER_VILLAGE_RULES:  # run() has them already (stored or run); kept rows bring none
        if not has_relation(con, name):
            create_rule(con, name, params)
    monitoring = {level: con.sql(f"SELECT * FROM ({rules.render(rules.MONITORING_AREA_RULE, params, area=level)}) "
                                 "ORDER BY code").to_arrow_table()
                  for level in ("village", *levels)}
    create_rule(con, ROLL_UP_RULE, params)
    _mpi_views(con, params)
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
        gaps_of_poor=gaps_of_poor(con),
        monitoring_candidates=con.sql("SELECT * FROM monitoring_candidates ORDER BY household_id, criterion"
                                      f"{detail}").to_arrow_table(),
        monitoring_result=con.sql(f"SELECT * FROM monitoring_result ORDER BY household_id{detail}").to_arrow_table(),
        monitoring=monitoring,
    )


def gaps_of_poor(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Gap rows of the households poor at the end of the year, per indicator with any (village_households)."""
    counts = one_row(con, "SELECT " + ", ".join(f"SUM(poor_gaps_{name})" for name in rules.INDICATORS)
                     + " FROM village_households")
    return {name: int(n) for name, n in zip(rules.INDICATORS, counts) if n}


def explain(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> pa.Table:
    """The gap rows of whatever households are registered on `con` — the same rule text, smaller inputs,
    as one statement (no temp tables: on a handful of rows, materialising costs more than the rules)."""
    ctes = ", ".join(f"{name} AS ({rules.render(name, params)}\n)"
                     for name in ("household_status", "household_person_facts", "household_gaps"))
    return con.sql(f"WITH {ctes} SELECT * FROM household_gaps ORDER BY household_id, indicator").to_arrow_table()


def explain_monitoring(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> pa.Table:
    """The monitoring reasons of whatever households are registered on `con` (their yearly rows of the year and
    the year before), each with the kind proposed for its household: the same rule text, as one statement."""
    names = (*rules.GAP_RULES, "monitoring_candidates", "monitoring_result")
    ctes = ", ".join(f"{name} AS ({rules.render(name, params)}\n)" for name in names)
    return con.sql(f"WITH {ctes} SELECT c.*, r.kind, r.candidate FROM monitoring_candidates c "
                   "JOIN monitoring_result r ON r.household_id = c.household_id "
                   "ORDER BY c.household_id, c.criterion").to_arrow_table()


def county_exit(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> pa.Table:
    """三率一度 for the evaluation rounds registered on `con`; run() must have rolled up to the county."""
    return con.sql(rules.render(rules.COUNTY_EXIT_RULE, params)).to_arrow_table()
