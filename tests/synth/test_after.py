"""The consolidation years 2021–2025 of the demo county (decision 1440): records for every household, shocks as
facts of the record, monitoring cases that follow from them, removals, returns, and the first years untouched."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from tuopin.synth import after, build_registry
from tuopin.synth import distributions as d
from tuopin.synth.cases import RISK_FACT, STABLE_DAYS, counts_from_events
from tuopin.synth.records import EVENT_COLUMNS, HOUSEHOLD_YEAR_COLUMNS

from .checks import status_at_end, story_violations

SCALE = 0.1
HY = {c: i for i, c in enumerate(HOUSEHOLD_YEAR_COLUMNS)}


@pytest.fixture(scope="module")
def reg():
    return build_registry(7, SCALE)


def _records(reg) -> dict:
    return {(r[HY["household_id"]], r[HY["year"]]): r for r in reg.tables["householdyear"][1]}


def _included(reg):
    return [(h, c) for h in reg.households for c in h.cases if c.included and c.year >= 2021]


def test_the_first_years_do_not_move_when_the_later_years_are_written(reg, monkeypatch):
    monkeypatch.setattr(after, "continue_story", lambda *a, **k: {})
    alone = build_registry(7, SCALE)
    first = d.FIRST_YEARS[-1]
    for table, year_ix in (("householdyear", 2), ("personyear", 2), ("villageyear", 2), ("statusevent", 3)):
        with_later = [r for r in reg.tables[table][1] if r[year_ix] <= first]
        assert with_later == [r for r in alone.tables[table][1] if r[year_ix] <= first], table
    events = {r[0] for r in alone.tables["statusevent"][1]}
    assert [r for r in reg.tables["procedurestep"][1] if r[1] in events] == alone.tables["procedurestep"][1]
    assert {k: v for k, v in reg.story.items() if k != "after"} == {k: v for k, v in alone.story.items()
                                                                      if k != "after"}


def test_every_household_on_the_register_has_its_records_every_later_year(reg):
    records = _records(reg)
    persons = Counter((r[1], r[2]) for r in reg.tables["personyear"][1])
    person_household = {p.id: p.hh.id for p in reg.persons}
    per_household = Counter((person_household[pid], year) for (pid, year) in persons)
    for h in reg.households:
        for year in d.AFTER_YEARS:
            n = sum(1 for p in h.members if p.member_in(year))
            if n == 0:
                assert (h.id, year) not in records
                continue
            assert records[(h.id, year)][HY["members"]] == n
            assert per_household[(h.id, year)] == n


def test_the_records_tell_the_story_every_year(reg):
    assert story_violations(reg.tables, years=d.YEARS) == []


def test_incomes_grow_believably(reg):
    registered = {h.id for h in reg.households if h.identified is not None}
    mean = defaultdict(list)
    for r in reg.tables["householdyear"][1]:
        if r[HY["year"]] >= 2020:
            mean[(r[HY["household_id"]] in registered, r[HY["year"]])].append(r[HY["per_capita_net_income_fen"]])
    avg = {k: sum(v) / len(v) for k, v in mean.items()}
    for group in (True, False):
        growth = [avg[(group, y)] / avg[(group, y - 1)] for y in range(2022, 2026)]
        assert all(0.98 <= g <= 1.15 for g in growth), (group, growth)  # a drought year may stall them
        assert 1.04 <= (avg[(group, 2025)] / avg[(group, 2021)]) ** (1 / 4) <= 1.12, group
    # The exited catch up faster (脱贫人口 income), 2020 → 2025.
    assert avg[(True, 2025)] / avg[(True, 2020)] > avg[(False, 2025)] / avg[(False, 2020)]


def test_a_few_hundred_households_a_year_are_taken_under_monitoring_at_full_scale(reg):
    per_year = Counter(c.year for _, c in _included(reg))
    for year in d.AFTER_YEARS:
        assert 150 * SCALE <= per_year[year] <= 1_000 * SCALE, per_year
    kinds = Counter(c.kind for _, c in _included(reg))
    assert kinds["unstable"] > kinds["marginal"] > 0 and kinds["sudden"] > 0
    assert per_year[2021] > per_year[2022] and per_year[2023] > per_year[2022]  # the flood and the drought years


def test_an_inclusion_for_a_shock_has_the_shock_in_its_record(reg):
    records = _records(reg)
    checked = 0
    for h, case in _included(reg):
        r = records[(h.id, case.year)]
        shown = {"medical": r[HY["medical_expense_fen"]] > 0, "education": r[HY["education_expense_fen"]] > 0,
                 "disaster": r[HY["disaster_loss_fen"]] > 0, "business": r[HY["business_failed"]],
                 "labourer": r[HY["labourer_lost"]]}
        prev = records.get((h.id, case.year - 1))
        shown["wage"] = prev is not None and r[HY["wage_income_fen"]] < 0.7 * prev[HY["wage_income_fen"]]
        for risk in case.risks:
            if risk in RISK_FACT:
                assert shown[RISK_FACT[risk]], (h.id, case)
                checked += 1
    assert checked > 20


def test_most_inclusions_are_rule_candidates_some_are_found_otherwise_and_some_candidates_are_turned_down(reg):
    included = [c for _, c in _included(reg)]
    candidates = sum(1 for c in included if c.facts)
    assert 0.7 <= candidates / len(included) < 1.0
    assert {c.channel for c in included} == {"engine", "cadre_visit", "self_report", "department_alert"}
    turned_down = [c for h in reg.households for c in h.cases if not c.included]
    assert turned_down and all(c.facts for c in turned_down)


def test_decisions_follow_their_clue_mostly_within_fifteen_days(reg):
    included = [c for _, c in _included(reg)]
    assert all(c.clue_on <= c.decided_on and c.decided_on.year == c.year for c in included)
    quick = sum(1 for c in included if (c.decided_on - c.clue_on).days <= 15)
    assert 0.8 <= quick / len(included) < 1.0


def test_risk_is_removed_six_months_or_more_after_inclusion_and_never_for_a_household_without_labour(reg):
    removed = [(h, c) for h in reg.households for c in h.cases if c.removed_on]
    assert removed
    assert all((c.removed_on - c.decided_on).days >= STABLE_DAYS for _, c in removed)
    years_later = Counter(c.removed_on.year - c.year for _, c in removed)
    assert years_later[1] + years_later[2] >= 0.6 * len(removed), years_later
    for h, c in removed:
        year = c.removed_on.year
        assert any(p.labour in ("1", "2", "3") and 16 <= p.age(year) <= 69 and p.member_in(year)
                   and (p.unable_from is None or p.unable_from > year) for p in h.members), h.id


def test_returns_are_counted_and_no_household_is_poor_and_monitored_at_a_year_end(reg):
    E = {c: i for i, c in enumerate(EVENT_COLUMNS)}
    events = defaultdict(list)
    for e in reg.tables["statusevent"][1]:
        events[e[E["household_id"]]].append((e[E["kind"]], e[E["effective_on"]]))
    counted = counts_from_events(EVENT_COLUMNS, reg.tables["statusevent"][1], d.AFTER_YEARS)
    by_id = {h.id: h for h in reg.households}
    for year in d.AFTER_YEARS:
        story = reg.story["after"][year]
        assert counted[year]["returned"] == story["returned"]
        assert counted[year]["included"] == story["included"]
        assert counted[year]["risk_removed"] == story["risk_removed"]
        status = status_at_end(events, year)
        end = dt.date(year, 12, 31)
        for h in reg.households:
            if any(c.open_at(end) for c in h.cases):
                assert status.get(h.id) == "monitored", (h.id, year)
        returned = {h.id for h in reg.households for c in h.cases if c.returned_on and c.returned_on.year == year}
        assert len(returned) == story["returned"]
        assert all(status[hid] == "poor" and by_id[hid].poor_at_end[year] for hid in returned)
    assert sum(reg.story["after"][y]["returned"] for y in d.AFTER_YEARS) >= 3


def test_risk_has_precursors_in_the_year_before(reg):
    """Households taken in are, the year before, poorer and sicker than the others (what a risk score learns)."""
    records = _records(reg)
    new = {(h.id, c.year) for h, c in _included(reg) if c.year >= 2022}
    margin = {True: [], False: []}
    for hid, year in records:
        if year < 2022 or (hid, year - 1) not in records:
            continue
        prev = records[(hid, year - 1)]
        margin[(hid, year) in new].append(prev[HY["per_capita_net_income_fen"]] / (d.MONITORING_LINE_YUAN[year] * 100))
    below = {k: sum(1 for m in v if m < 1.3) / len(v) for k, v in margin.items()}
    assert below[True] > 3 * below[False], below
