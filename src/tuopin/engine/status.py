"""Each household's status at the end of given years, by the engine's own rule (rules/sql/household_status.sql)
over status events held as Arrow: for callers with events but no snapshot folder — the demo generator deciding
whose records fail, the national generator and the export writing `households_yearly.status` — so that none of
them restates the rule (decision 1371)."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from tuopin import rules

from .connection import session

# The columns of `status_events` the rule reads (their types are the snapshot layout's).
READS = ("event_id", "household_id", "kind", "stage", "effective_on")


def at_year_end(events: pa.Table, years: Iterable[int]) -> pa.Table:
    """household_id, year, kind_at_end, poor_at_end for every household that has a status at the end of
    each year, in no particular order.

    `events` holds at least the columns of READS, typed as the snapshot's status_events."""
    years = sorted(set(years))
    if not years:
        return pa.table({"household_id": pa.array([], pa.int64()), "year": pa.array([], pa.int16()),
                         "kind_at_end": pa.array([], pa.string()), "poor_at_end": pa.array([], pa.bool_())})
    con = session()
    try:
        con.register("status_events", events.select(list(READS)))
        each = [f"SELECT household_id, CAST({year} AS SMALLINT) AS year, kind_at_end, poor_at_end FROM ("
                + rules.render("household_status", _parameters(year)) + ")" for year in years]
        return con.sql(" UNION ALL ".join(each)).to_arrow_table()
    finally:
        con.close()


def _parameters(year: int) -> dict[str, str]:
    # The rule reads no standard, only the year's dates.
    return {name: rules.literal(value) for name, value in rules.year_parameters(year).items()}
