"""The per-household rules over a large snapshot folder, one range of household ids at a time.

household_status and household_result look at one household at a time, so running them over each range
of household ids and appending the results gives exactly the table one pass over the whole folder gives
(household_gaps runs in one pass first; each range reads its own part of it). What it changes is the cost
at national scale: the status aggregation and the join of a range (a million households) keep their hash
tables small and in cache (one pass over 30 million households spilled past 4 GB). The snapshot files are
sorted by household (decision 0206, `tuopin synth`), so each range's filter skips the other row groups by
their statistics.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tuopin import rules

from .connection import create_rule, household_conditions, one_row, register_parquet, within

PER_HOUSEHOLD_RULES = ("household_status", "household_person_facts", "household_gaps", "household_result")
RANGE_HOUSEHOLDS = 1_000_000


def id_ranges(con: duckdb.DuckDBPyConnection, year: int) -> list[tuple[int | None, int | None]]:
    """Ranges of about RANGE_HOUSEHOLDS households with a yearly record; the first and last are open, so
    that every household id falls in exactly one range."""
    low, high, n = one_row(con, f"SELECT MIN(household_id), MAX(household_id), COUNT(*) FROM households_yearly "
                                f"WHERE year = {int(year)}")
    parts = -(-n // RANGE_HOUSEHOLDS) if n else 0
    if parts <= 1:
        return [(None, None)]
    width = -(-(high - low + 1) // parts)
    bounds = [low + k * width for k in range(1, parts)]
    return list(zip([None, *bounds], [b - 1 for b in bounds] + [None]))


def household_rules(con: duckdb.DuckDBPyConnection, params: dict[str, str], *, folder: str | Path,
                    year: int, stored: dict[str, str] | None = None) -> bool:
    """Run PER_HOUSEHOLD_RULES into the tables they name; False (nothing done) when the folder holds one
    range only, for which the ordinary single pass is as good. household_person_facts and household_gaps
    run in one pass (persons are not keyed by household); status and result run range by range over it.
    `stored`: derived tables to read instead of running their rules (tuopin.engine.derived.sources)."""
    stored = stored or {}

    def status(households) -> str:
        if "household_status" in stored:
            return within(stored["household_status"], households)
        return rules.render("household_status", params)

    ranges = id_ranges(con, year)
    if len(ranges) == 1:
        return False
    create_rule(con, "household_person_facts", params, stored)
    con.execute(f"CREATE OR REPLACE TEMP TABLE all_household_gaps AS {rules.render('household_gaps', params)}")
    for k, households in enumerate(ranges):
        register_parquet(con, folder, year=year, households=households)
        in_range = " AND ".join(household_conditions(households))
        con.execute(f"CREATE OR REPLACE TEMP VIEW household_gaps AS SELECT * FROM all_household_gaps WHERE {in_range}")
        con.execute(f"CREATE OR REPLACE TEMP VIEW household_status AS {status(households)}")
        result = rules.render("household_result", params)
        if k == 0:
            con.execute(f"CREATE OR REPLACE TEMP TABLE all_household_result AS {result}")
        else:
            con.execute(f"INSERT INTO all_household_result {result}")
    con.execute("DROP VIEW household_gaps")
    con.execute("DROP TABLE IF EXISTS household_result")
    con.execute("ALTER TABLE all_household_gaps RENAME TO household_gaps")
    con.execute("ALTER TABLE all_household_result RENAME TO household_result")
    register_parquet(con, folder, year=year)
    con.execute(f"CREATE OR REPLACE TEMP VIEW household_status AS {status(None)}")
    return True
