"""The demo county's renovations (危房改造) as the workflow's rows (decision 1523): for every house the story
renovated — the registry's renovation, year, cost and re-inspection grade — an inspection (its grade C or D), the
option, the county's approval, the works, the acceptance and the re-inspection, all in the renovation's year,
so the rows agree with the registry the rules read; and for the C and D houses never renovated by the last year,
a renovation still under way. Its own random stream: no other part of the county moves. No Django here."""

from __future__ import annotations

import datetime as dt
import random

from tuopin import standards

from . import distributions as d

COLUMNS = ("id", "household_id", "stage", "grade", "inspected_on", "inspector", "agency", "floor_area_m2", "members",
           "option", "option_on", "estimated_cost_fen", "subsidy_fen", "approved_on", "approved_by_name",
           "works_on", "contractor", "accepted_on", "accepted_by_name", "accepted", "cost_fen", "reinspected_on",
           "reinspector", "reinspection_grade", "note", "version", "updated_at")
AGENCY = "县住房和城乡建设局"
APPROVER = "县脱贫攻坚领导小组办公室"
OPEN_STAGES = ("inspected", "option_chosen", "approved", "works")
COUNTY = "220821"


def _day(rng: random.Random, year: int, first: tuple[int, int], last: tuple[int, int]) -> dt.date:
    start, end = dt.date(year, *first), dt.date(year, *last)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _later(rng: random.Random, day: dt.date, lo: int, hi: int, cap: dt.date) -> dt.date:
    return min(day + dt.timedelta(days=rng.randint(lo, hi)), cap)


def _members(h, year: int) -> int:
    return max(sum(1 for p in h.members if p.member_in(year)), 1)


def renovation_rows(households, *, seed: int, stamp) -> tuple[list[tuple], dict]:
    """(rows in COLUMNS order, counts {"renovations", "open", by option, "cost_fen", "subsidy_fen"})."""
    rng = random.Random(f"{seed}:housing")
    housing = standards.load(COUNTY).section("housing")
    options = housing["options"]

    def reference(option: str, members: int) -> int:  # as apps/housing/options.py reads the same entries
        entry = options[option]
        return int(entry["cost_yuan"]) * 100 if "cost_yuan" in entry else \
            int(entry["cost_yuan_per_person"]) * 100 * members

    subsidy = {grade: int(s["yuan"]) * 100 for grade, s in housing["subsidy"].items()}
    rows: list[tuple] = []
    counts: dict = {"renovations": 0, "open": 0, "cost_fen": 0, "subsidy_fen": 0,
                    "options": {name: 0 for name in options}}
    last = d.YEARS[-1]
    for h in households:
        if h.grade not in ("C", "D") or (h.closed and not h.renovation_year):
            continue
        area = f"{h.area_m2:.2f}"
        if h.renovation_year:
            year = h.renovation_year
            inspected = _day(rng, year, (3, 1), (4, 30))
            cap = dt.date(year, 12, 20)
            option_on = _later(rng, inspected, 7, 25, cap)
            approved = _later(rng, option_on, 5, 20, cap)
            works = _later(rng, approved, 5, 30, cap)
            accepted = max(_day(rng, year, (8, 15), (11, 15)), works)
            again = _later(rng, accepted, 3, 20, cap)
            cost = h.renovation_cost_fen
            paid = min(subsidy[h.grade], cost)
            n = _members(h, year)
            rows.append((len(rows) + 1, h.id, "safe", h.grade, inspected, "鉴定员", AGENCY, area,
                         n, h.renovation, option_on, reference(h.renovation, n), paid, approved,
                         APPROVER, works, "", accepted, "乡镇验收组", True, cost, again, "鉴定员",
                         h.renovation_grade, "", 1, stamp))
            counts["renovations"] += 1
            counts["options"][h.renovation] += 1
            counts["cost_fen"] += cost
            counts["subsidy_fen"] += paid
            continue
        # Never renovated: inspected in the last year, somewhere along the way (the registry is not written).
        stage = OPEN_STAGES[rng.randrange(len(OPEN_STAGES))]
        inspected = _day(rng, last, (3, 1), (6, 30))
        cap = dt.date(last, 12, 20)
        option = "repair" if h.grade == "C" else "reinforce"
        chosen = stage != "inspected"
        dates: list[dt.date | None] = [None, None, None]  # option chosen, approved, works started
        day = inspected
        for k, reached in enumerate((chosen, stage in ("approved", "works"), stage == "works")):
            if reached:
                day = dates[k] = _later(rng, day, 5, 25, cap)
        n = _members(h, last)
        rows.append((len(rows) + 1, h.id, stage, h.grade, inspected, "鉴定员", AGENCY, area, n,
                     option if chosen else "", dates[0], reference(option, n) if chosen else 0,
                     min(subsidy[h.grade], reference(option, n)) if chosen else 0, dates[1],
                     APPROVER if dates[1] else "", dates[2], "", None, "", None, 0, None, "", "", "", 1, stamp))
        counts["open"] += 1
    return rows, counts
