"""engine.status: the status at the end of each year is the household_status rule's answer over Arrow events."""

import datetime as dt

import pyarrow as pa

from tuopin.engine import snapshot, status


def events(rows):
    """rows: (event_id, household_id, kind, stage, effective_on)."""
    columns = list(zip(*rows))
    schema = snapshot.STATUS_EVENTS
    return pa.table({name: pa.array(values, schema.field(name).type)
                     for name, values in zip(status.READS, columns)})


def answer(table, years):
    got = status.at_year_end(table, years)
    return {(r["household_id"], r["year"]): (r["kind_at_end"], r["poor_at_end"]) for r in got.to_pylist()}


def test_the_latest_announced_event_by_the_years_end_decides():
    table = events([
        (1, 10, "identified", "announced", dt.date(2014, 9, 1)),
        (2, 10, "exited", "announced", dt.date(2016, 12, 31)),    # on the last day: counts for 2016
        (3, 10, "returned", "public_notice", dt.date(2017, 5, 1)),  # not announced: passed over
        (4, 10, "split", "announced", dt.date(2018, 3, 1)),        # changes no status
        (5, 11, "identified", "announced", dt.date(2017, 1, 1)),
        (6, 11, "exited", "announced", dt.date(2018, 6, 1)),
        (7, 11, "returned", "announced", dt.date(2018, 6, 1)),     # same day, later id: wins
    ])
    assert answer(table, [2015, 2016, 2018]) == {
        (10, 2015): ("identified", True), (10, 2016): ("exited", False), (10, 2018): ("exited", False),
        (11, 2018): ("returned", True),
    }


def test_a_household_without_events_by_the_years_end_has_no_row_and_no_year_gives_no_rows():
    table = events([(1, 10, "identified", "announced", dt.date(2017, 9, 1))])
    assert answer(table, [2016, 2017]) == {(10, 2017): ("identified", True)}
    assert status.at_year_end(table, []).num_rows == 0


def test_a_national_runs_status_kinds_are_the_rules_kinds():
    """engine.ranges casts the status kind to an ENUM of STATUS_KINDS (decision 1620): a kind the rule names and the
    ENUM lacks would fail the national run; one the ENUM has and the rule never names would be dead."""
    import re

    from tuopin import rules
    from tuopin.engine import ranges

    named = set(re.findall(r"THEN '(\w+)'", rules.text("household_status")))
    assert named == set(ranges.STATUS_KINDS)
