"""The per-household rules over a large snapshot folder, one range of household ids at a time.

household_status, household_gaps, household_result and monitoring_candidates look at one household at a
time, so running them over each range of household ids and appending the results gives exactly the tables one
pass over the whole folder gives (household_person_facts runs in one pass first; each range reads its own part
of it). What it changes is the cost at national scale: each range's status (the status rule over
61 million events is the costliest rule of a run) is computed once, into a small table that household_result
and monitoring_candidates both read, where a view would run it twice; and the aggregation and joins of a
range (a million households) keep their hash tables small and in cache (one pass over 30 million households
spilled past 4 GB). The snapshot files are sorted by household (decision 0206, `tuopin synth`), so each
range's filter skips the other row groups by their statistics. A run that keeps per-village sums (any
reader adds them up) might run those by range too; measured, it cost more than it saved (decision 1450).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tuopin import rules

from .connection import create_rule, household_conditions, one_row, register_parquet, within

PER_HOUSEHOLD_RULES = ("household_status", "household_person_facts", "household_gaps", "household_result")
# Per-household rules run later in a run (after the Alkire–Foster scores) that read the status too: run range by
# range with the rules above, from the same status table (unless the folder carries them derived).
RANGED_AFTER = ("monitoring_candidates",)
# The rules whose rows of a range the range's later rules read (household_result and monitoring_candidates read the
# gaps): each range's rows are a table of their own first, then added to the whole run's.
READ_IN_RANGE = ("household_gaps",)
RANGE_HOUSEHOLDS = 1_000_000
# A run that keeps no per-household rows (duckdb_runner.run(households=False), the nation) reads the ranges' tables
# only through the roll-ups (village_households, the Alkire–Foster units and deprivations, monitoring_result): it
# keeps the columns they read, and no reasons (text built for each of millions of rows that no roll-up reads).
# Smaller tables: at 30 million households the full ones filled DuckDB's memory limit and spilled.
ROLL_UP_ONLY = {
    "household_gaps": "household_id, indicator, CAST(NULL AS VARCHAR) AS reason, value, threshold",
    "household_result": "household_id, county_code, township_code, village_code, members, net_income_fen, "
                        "poor_at_end, kind_at_end, eligible",
    "monitoring_candidates": "household_id, criterion, CAST(NULL AS VARCHAR) AS reason, value, threshold",
}
# The kinds household_status.sql names a status by, as an ENUM in such a run: its readers compare the kind with
# text as before, but a join carries one byte instead of a string (the status is joined to every household twice).
STATUS_KINDS = ("identified", "exited", "returned", "natural_decrease", "misidentified", "monitoring_in",
                "risk_removed")
KIND_TYPE = "status_kind"


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
                    year: int, stored: dict[str, str] | None = None, detail: bool = True) -> tuple[str, ...]:
    """Run PER_HOUSEHOLD_RULES and RANGED_AFTER into the tables they name; returns the rules it ran, none
    when the folder holds one range only, for which the ordinary single pass is as good.
    household_person_facts runs in one pass (persons are not keyed by household; its rows are few); the
    others range by range, each range's status computed once into a small table that both household_result and
    monitoring_candidates read.
    `stored`: derived tables to read instead of running their rules (tuopin.engine.derived.sources); a rule of
    RANGED_AFTER stored is left to the caller.
    `detail=False` (a run that keeps no per-household rows) keeps of those rows only what the roll-ups read
    (ROLL_UP_ONLY)."""
    stored = stored or {}

    def status(households) -> str:
        if "household_status" in stored:
            return within(stored["household_status"], households)
        return rules.render("household_status", params)

    ranges = id_ranges(con, year)
    if len(ranges) == 1:
        return ()
    after = tuple(name for name in RANGED_AFTER if name not in stored)
    kept = ("household_gaps", "household_result", *after)
    create_rule(con, "household_person_facts", params, stored)
    _rename(con, "household_person_facts", "all_household_person_facts")
    if not detail:
        con.execute(f"CREATE TYPE IF NOT EXISTS {KIND_TYPE} AS ENUM {rules.literal(STATUS_KINDS)}")
    for k, households in enumerate(ranges):
        register_parquet(con, folder, year=year, households=households)
        in_range = " AND ".join(household_conditions(households))
        con.execute("CREATE OR REPLACE TEMP VIEW household_person_facts AS "
                    f"SELECT * FROM all_household_person_facts WHERE {in_range}")
        # The status columns its two readers use (kind_at_start is read by none), once per range.
        kind = "kind_at_end" if detail else f"CAST(kind_at_end AS {KIND_TYPE}) AS kind_at_end"
        con.execute("CREATE OR REPLACE TEMP TABLE household_status AS SELECT household_id, poor_at_start, poor_at_end, "
                    f"{kind} FROM ({status(households)})")
        for name in kept:
            sql = within(stored[name], households) if name in stored else rules.render(name, params)
            if not detail and name in ROLL_UP_ONLY:
                sql = f"SELECT {ROLL_UP_ONLY[name]} FROM ({sql})"
            if name in READ_IN_RANGE:
                con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
                sql = f"SELECT * FROM {name}"
            con.execute(f"CREATE OR REPLACE TEMP TABLE all_{name} AS {sql}" if k == 0
                        else f"INSERT INTO all_{name} {sql}")
    con.execute("DROP TABLE household_status")
    con.execute("DROP VIEW household_person_facts")
    _rename(con, "all_household_person_facts", "household_person_facts")
    for name in kept:
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"ALTER TABLE all_{name} RENAME TO {name}")
    register_parquet(con, folder, year=year)
    # The status of every household as a view (nothing in a run reads it after the ranges).
    con.execute(f"CREATE OR REPLACE TEMP VIEW household_status AS {status(None)}")
    return (*PER_HOUSEHOLD_RULES, *after)


def _rename(con: duckdb.DuckDBPyConnection, name: str, to: str) -> None:
    """Rename a rule's relation, a table when run and a view when read from a derived table."""
    kind = one_row(con, "SELECT COUNT(*) FROM duckdb_tables() WHERE table_name = $1", [name])[0]
    con.execute(f"ALTER {'TABLE' if kind else 'VIEW'} {name} RENAME TO {to}")
