"""The per-household rules over a large snapshot folder, one range of household ids at a time.

household_status, household_result and monitoring_candidates look at one household at a time, so running
them over each range of household ids and appending the results gives exactly the tables one pass over the
whole folder gives (household_person_facts and household_gaps run in one pass first; each range reads its own
part of the gaps). What it changes is the cost at national scale: each range's status (the status rule over
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
                    year: int, stored: dict[str, str] | None = None) -> tuple[str, ...]:
    """Run PER_HOUSEHOLD_RULES and RANGED_AFTER into the tables they name; returns the rules it ran, none
    when the folder holds one range only, for which the ordinary single pass is as good.
    household_person_facts and household_gaps run in one pass (persons are not keyed by household); the
    others range by range over it, each range's status computed once into a small table that both
    household_result and monitoring_candidates read.
    `stored`: derived tables to read instead of running their rules (tuopin.engine.derived.sources); a rule of
    RANGED_AFTER stored is left to the caller."""
    stored = stored or {}

    def status(households) -> str:
        if "household_status" in stored:
            return within(stored["household_status"], households)
        return rules.render("household_status", params)

    ranges = id_ranges(con, year)
    if len(ranges) == 1:
        return ()
    after = tuple(name for name in RANGED_AFTER if name not in stored)
    create_rule(con, "household_person_facts", params, stored)
    con.execute(f"CREATE OR REPLACE TEMP TABLE all_household_gaps AS {rules.render('household_gaps', params)}")
    for k, households in enumerate(ranges):
        register_parquet(con, folder, year=year, households=households)
        in_range = " AND ".join(household_conditions(households))
        con.execute(f"CREATE OR REPLACE TEMP VIEW household_gaps AS SELECT * FROM all_household_gaps WHERE {in_range}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE household_status AS {status(households)}")
        for name in ("household_result", *after):
            sql = rules.render(name, params)
            con.execute(f"CREATE OR REPLACE TEMP TABLE all_{name} AS {sql}" if k == 0
                        else f"INSERT INTO all_{name} {sql}")
    con.execute("DROP VIEW household_gaps")
    con.execute("DROP TABLE household_status")
    con.execute("ALTER TABLE all_household_gaps RENAME TO household_gaps")
    for name in ("household_result", *after):
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute(f"ALTER TABLE all_{name} RENAME TO {name}")
    register_parquet(con, folder, year=year)
    # The status of every household as a view (nothing in a run reads it after the ranges).
    con.execute(f"CREATE OR REPLACE TEMP VIEW household_status AS {status(None)}")
    return (*PER_HOUSEHOLD_RULES, *after)
