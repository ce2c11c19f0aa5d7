"""An independent reading of the demo data under the definitions of docs/data-formats.md §7, from plain rows.

It re-derives what the assessment engine will compute — status at year end from the events, the
household standard from the yearly records — so the tests catch a generator that drifts from the story.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tuopin.apps.registry.choices import COMPULSORY_OK
from tuopin.synth.distributions import POVERTY_LINE_YUAN
from tuopin.synth.records import (EVENT_COLUMNS, HOUSEHOLD_YEAR_COLUMNS, MONEY, PERSON_COLUMNS,
                                  PERSON_YEAR_COLUMNS)

POOR_KINDS = {"identified": "poor", "returned": "poor", "exited": "exited", "monitoring_in": "monitored",
              "natural_decrease": "closed", "risk_removed": "exited"}


def _ix(columns):
    return {c: i for i, c in enumerate(columns)}


def status_at_end(events_by_household, year: int) -> dict:
    end = dt.date(year, 12, 31)
    out = {}
    for hid, events in events_by_household.items():
        state = None
        for kind, on in sorted(events, key=lambda e: e[1]):
            if on <= end:
                state = POOR_KINDS.get(kind, state)
        out[hid] = state
    return out


def _age_rules(birth: dt.date, year: int) -> tuple[int, ...]:
    """Ages by the rules an engine might apply: year − birth year, exact age on 1 Sept and on 31 Dec."""
    def exact(on):
        return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return year - birth.year, exact(dt.date(year, 9, 1)), exact(dt.date(year, 12, 31))


def assess(tables: dict) -> dict:
    """{(household_id, year): (meets under the strictest age rule, meets under the most lenient)} and checks.

    `tables` maps "person", "householdyear", "personyear", "statusevent" to (columns, rows).
    """
    P, HY, PY = _ix(PERSON_COLUMNS), _ix(HOUSEHOLD_YEAR_COLUMNS), _ix(PERSON_YEAR_COLUMNS)
    persons = {r[P["id"]]: r for r in tables["person"][1]}
    members = defaultdict(list)
    for r in tables["personyear"][1]:
        person = persons[r[PY["person_id"]]]
        members[(person[P["household_id"]], r[PY["year"]])].append((person, r))
    result, problems = {}, []
    for r in tables["householdyear"][1]:
        hid, year = r[HY["household_id"]], r[HY["year"]]
        people = members[(hid, year)]
        n = r[HY["members"]]
        if n != len(people):
            problems.append(f"household {hid} {year}: members {n} but {len(people)} person records")
        gross = sum(r[HY[f]] for f in MONEY)
        net = r[HY["net_income_fen"]]
        if gross - r[HY["production_cost_fen"]] != net or net // n != r[HY["per_capita_net_income_fen"]]:
            problems.append(f"household {hid} {year}: income lines do not add up")
        income = net > POVERTY_LINE_YUAN[year] * 100 * n
        grade, renovation, ryear = r[HY["housing_grade"]], r[HY["renovation"]], r[HY["renovation_year"]]
        housing = grade in ("A", "B") or (renovation != "" and ryear is not None and ryear <= year
                                          and r[HY["renovation_grade"]] in ("A", "B"))
        water = year < 2019 or (r[HY["water_litres_per_day"]] >= (20 if r[HY["water_short_area"]] else 35)
                                and r[HY["water_quality_ok"]] and r[HY["water_minutes"]] <= 20
                                and r[HY["water_cut_days"]] <= 36)
        insured = all(py[PY["basic_medical"]] and py[PY["serious_illness_insurance"]] for _, py in people)
        base = income and housing and water and insured and r[HY["food_clothing_secure"]]
        strict = lenient = base
        for person, py in people:
            ages = _age_rules(person[P["birth_date"]], year)
            ok = py[PY["school_status"]] in COMPULSORY_OK
            if not ok and any(6 <= a <= 15 for a in ages):
                strict = False
            if not ok and all(6 <= a <= 15 for a in ages):
                lenient = False
        result[(hid, year)] = (strict, lenient)
    return {"outcomes": result, "problems": problems}


def story_violations(tables: dict, years=range(2015, 2021)) -> list[str]:
    """Households exiting in Y must meet every indicator in Y (under any age rule); households poor
    at the end of Y must fail at least one (under every age rule)."""
    E = _ix(EVENT_COLUMNS)
    events = defaultdict(list)
    exits = defaultdict(set)
    for e in tables["statusevent"][1]:
        if e[E["stage"]] == "announced":
            events[e[E["household_id"]]].append((e[E["kind"]], e[E["effective_on"]]))
            if e[E["kind"]] == "exited":
                exits[e[E["year"]]].add(e[E["household_id"]])
    checked = assess(tables)
    problems = list(checked["problems"])
    for year in years:
        status = status_at_end(events, year)
        for (hid, y), (strict, lenient) in checked["outcomes"].items():
            if y != year:
                continue
            if hid in exits[year] and not strict:
                problems.append(f"household {hid} exits in {year} but fails an indicator")
            elif status.get(hid) == "poor" and lenient:
                problems.append(f"household {hid} is poor at the end of {year} but meets every indicator")
    return problems
