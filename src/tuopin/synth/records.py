"""Rows for the database, as plain tuples in the column order of `COLUMNS` (no ORM objects).

Every household-year is written to its outcome from story.py: a record that meets the standard
has income above the line, food secure, children in school, everyone insured, a safe (or renovated)
house and safe water; a failing record fails the named indicator (and perhaps others).
Money is integer fen; net income = the sum of the income lines − production cost (compute_income).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from . import distributions as d
from .people import Person

HOUSEHOLD_COLUMNS = (
    "id", "number", "village_id", "township_id", "is_registered", "attribute", "status", "identified_year",
    "exit_year", "primary_cause", "other_causes", "phone", "address", "cultivated_land_mu", "housing_area_m2",
    "closed", "version", "updated_at",
)
PERSON_COLUMNS = (
    "id", "household_id", "number", "id_number", "name", "sex", "birth_date", "relation", "ethnicity", "education",
    "school_status", "chronic_illness", "serious_illness", "disabled", "disability_grade", "labour_ability",
    "work_status", "work_months", "phone", "active", "left_on", "left_reason", "version", "updated_at",
)
MONEY = ("wage_income_fen", "business_income_fen", "property_income_fen", "dividend_income_fen", "dibao_fen",
         "tekun_fen", "pension_fen", "family_planning_fen", "eco_compensation_fen", "other_transfer_fen",
         "unitemised_income_fen")
# The year's shocks (自付医疗费用, 教育支出, 灾害损失, 产业经营失败, 主要劳动力死亡或失能), and a year without any.
SHOCKS = ("medical_expense_fen", "education_expense_fen", "disaster_loss_fen", "business_failed", "labourer_lost")
NO_SHOCK = (0, 0, 0, False, False)
HOUSEHOLD_YEAR_COLUMNS = (
    "id", "household_id", "year", "members", *MONEY, "production_cost_fen", "net_income_fen",
    "per_capita_net_income_fen", "housing_grade", "renovation", "renovation_year", "renovation_cost_fen",
    "renovation_grade", "water_litres_per_day", "water_quality_ok", "water_minutes", "water_cut_days", "water_short_area",
    "food_clothing_secure", "income_expected_stable", *SHOCKS, "version", "updated_at",
)
PERSON_YEAR_COLUMNS = (
    "id", "person_id", "year", "school_status", "basic_medical", "serious_illness_insurance", "medical_assistance",
    "family_doctor", "pension_insurance", "dibao", "tekun", "work_months", "version", "updated_at",
)
EVENT_COLUMNS = ("id", "household_id", "kind", "year", "stage", "effective_on", "persons", "reason", "created_at")
STEP_COLUMNS = ("id", "event_id", "stage", "on", "ends_on", "by_name", "passed", "note")
VILLAGE_YEAR_COLUMNS = (
    "id", "village_id", "year", "population", "households", "has_clinic", "has_qualified_doctor", "road_hardened",
    "safe_water", "collective_income_fen", "version",
)

STUDYING = frozenset(("40", "41", "50"))  # in senior school or beyond: not yet in the pension scheme
LINE_FEN = {y: yuan * 100 for y, yuan in d.POVERTY_LINE_YUAN.items()}
STAGES = ("proposed", "democratic_review", "public_notice", "township_review", "county_approval", "announced")
# (days after the start, who acts) for each stage; the announcement is the event's date.
STEP_PLAN = ((0, "村两委"), (6, "村民代表大会"), (9, "村委会"), (19, "{township}人民政府"),
             (26, "镇赉县扶贫开发领导小组"), (35, "镇赉县人民政府"))


def _u(p: Person, salt: int) -> float:
    """A fixed pseudo-random number per person (no draw from the stream, so it never shifts it)."""
    return ((p.id * 2654435761 + salt * 40503) & 0xFFFF) / 65536.0


def household_rows(households, region_id, stamp):
    for h in households:
        yield (h.id, h.number, region_id[h.village], region_id[h.township], h.identified is not None,
               h.attribute if h.identified is not None else "00", h.status, h.identified, h.exit_year,
               h.primary_cause, h.other_causes, h.phone, h.address, _dec(h.land_mu), _dec(h.area_m2), h.closed,
               1, stamp)


def _dec(x: float):
    from decimal import Decimal

    return Decimal(f"{x:.2f}")


def person_rows(persons, stamp):
    for p in persons:
        last = p.left_on.year - 1 if p.left_on else d.YEARS[-1]
        school = d.school_status_for(p.age(last), p.school_u, p.disabled and p.grade <= 2)
        yield (p.id, p.hh.id, p.number, p.id_number, p.name, p.sex, p.birth, p.relation, p.ethnicity, p.education,
               school, p.chronic, p.serious, p.disabled, p.grade, p.labour, p.work_status, p.work_months,
               p.phone, p.left_on is None, p.left_on, p.left_reason, 1, stamp)


def yearly_rows(rng: random.Random, households, stamp, posts: dict | None = None):
    """(household-year rows, person-year rows, {(village, year): [persons, households]}).

    `posts`, when given, receives (household id, year) → the part of the wage line that is a welfare post's wage
    (公益性岗位), in fen: the asset-income ledgers pay exactly that (asset_income.py). Asking changes no draw.

    The hot loop of the build (1.5 million rows): draws are rng.random() scaled by hand, and what
    does not change from year to year is worked out once per person.
    """
    rnd = rng.random
    hy: list[tuple] = []
    py: list[tuple] = []
    village: dict[tuple[str, int], list[int]] = {}
    append_py, n_py = py.append, 0
    for h in households:
        fp, eco, prop = rnd() < 0.03, rnd() < 0.1, rnd() < 0.05
        base_other = min(12.0, max(1.3, math.exp(rng.gauss(math.log(3.0), 0.4))))
        base_exit = 1.15 + 0.65 * rnd()
        first_meet = None
        # per member, worked out once: person, id, school status by age, two fixed draws, health, birth year, work
        facts = [(p, p.id, d.SCHOOL[d.school_class(p.school_u)][p.disabled and p.grade <= 2], _u(p, 1), _u(p, 2),
                  p.chronic or p.serious or p.disabled, p.chronic, p.birth.year, p.work_status, p.work_months)
                 for p in h.members]
        hh_dibao_other = h.dibao and h.identified is None
        for year in d.FIRST_YEARS:
            outcome = h.outcome.get(year, 0)
            if outcome == 0:
                continue
            members = [f for f in facts if f[0].member_in(year)]
            n = len(members)
            reg = h.identified is not None and h.identified <= year
            line = LINE_FEN[year] * n
            if outcome is None:
                if not reg:
                    factor = base_other * (1.02 ** (year - 2015)) * (0.95 + 0.1 * rnd())
                elif h.kind_at_end.get(year) == "monitoring_in":
                    factor = 1.05 + 0.3 * rnd()
                else:
                    first_meet = first_meet or year
                    factor = base_exit * (1.05 ** (year - first_meet))
                net = max(int(line * factor), line + 100 * n)
            elif outcome == "income":
                net = min(int(line * (0.45 + 0.52 * rnd())), line)
            else:
                net = max(int(line * (1.05 + 0.35 * rnd())), line + 100 * n)
            ages = [year - f[7] for f in members]
            lines, cost, post = _income_lines(rnd, h, year, members, ages, reg, net, fp, eco, prop)
            if post and posts is not None:
                posts[(h.id, year)] = post
            renovated = h.renovation_year is not None and h.renovation_year <= year
            fails = outcome is not None
            water = (40 + int(81 * rnd()), True, int(11 * rnd()), int(16 * rnd()))
            if fails and year < 2019 and rnd() < 0.25:  # water is not yet an exit criterion
                k = int(4 * rnd())
                water = ((18 + int(17 * rnd()), True, 5, 5), (60, False, 5, 5), (60, True, 35, 5),
                         (60, True, 5, 40 + int(31 * rnd())))[k]
            hy.append((
                len(hy) + 1, h.id, year, n, *lines, cost, net, net // n,
                h.grade, h.renovation if renovated else "", h.renovation_year if renovated else None,
                h.renovation_cost_fen if renovated else 0, h.renovation_grade if renovated else "", *water, False,
                not (fails and rnd() < 0.03), not (outcome == "income" and rnd() < 0.6), *NO_SHOCK, 1, stamp,
            ))
            counts = village.get((h.village, year))
            if counts is None:
                counts = village[(h.village, year)] = [0, 0]
            counts[0] += n
            counts[1] += 1
            dropout = insured_gap = None
            if outcome == "school":
                dropout = next(f[0] for f, a in zip(members, ages) if 7 <= a <= 15)
            elif outcome == "insurance":
                insured_gap = members[int(n * rnd())][0]
            dibao = (reg and h.attribute == "04") or hh_dibao_other
            tekun = reg and h.attribute == "06"
            assisted = (reg and year >= 2016) or dibao or tekun
            y16, y17 = year >= 2016, year >= 2017
            for (p, pid, school_by_age, u1, u2, ill, chronic, birth_year, ws, wm) in members:
                age = year - birth_year
                school = school_by_age[age] if p is not dropout else "90"
                insured = p is not insured_gap
                adult = age >= 16 and school not in STUDYING
                if reg:
                    doctor = (y16 and (ill or age >= 65)) or (y17 and u1 < 0.5)
                    pension = adult and (y16 or u2 < 0.85)
                else:
                    doctor = chronic and y17 and u1 < 0.5
                    pension = adult and u2 < 0.85
                if ws == "4":
                    months = 10 if reg and y17 else 0
                else:
                    months = wm if ws and 16 <= age <= 60 else 0
                n_py += 1
                append_py((n_py, pid, year, school, insured, insured, assisted, doctor, pension, dibao, tekun,
                           months, 1, stamp))
    return hy, py, village


def _income_lines(rnd, h, year, members, ages, reg, net, fp, eco, prop):
    """The income lines (MONEY order), the production cost whose net is exactly `net`, and the welfare post's
    part of the wage line (fen)."""
    wage = prop_s = dividend = dibao = tekun = pension = family = eco_s = post = 0.0
    if any(f[8] in ("1", "2", "3") and 16 <= a <= 60 for f, a in zip(members, ages)):
        wage = 0.3 + 0.25 * rnd()
    if reg and year >= 2017 and any(f[8] == "4" for f in members):
        post = 0.1 + 0.1 * rnd()  # 公益性岗位, paid from PV revenue
        wage += post
    if (reg and h.attribute == "04") or (h.dibao and h.identified is None):
        dibao = 0.25 + 0.15 * rnd()
    if reg and h.attribute == "06":
        tekun = 0.6 + 0.15 * rnd()
    if max(ages) >= 60:
        pension = 0.05 + 0.1 * rnd()
    if reg and year >= 2017:
        dividend = 0.04 + 0.08 * rnd()  # 光伏 / 养殖 asset-income dividends
    if fp:
        family = 0.02 + 0.02 * rnd()
    if eco:
        eco_s = 0.01 + 0.02 * rnd()
    if prop:
        prop_s = 0.01 + 0.03 * rnd()
    other = 0.03 + 0.05 * rnd()  # 种粮补贴 and other subsidies
    total = wage + prop_s + dividend + dibao + tekun + pension + family + eco_s + other
    k = net * (0.92 / total if total > 0.92 else 1.0)
    lines = [int(wage * k), 0, int(prop_s * k), int(dividend * k), int(dibao * k), int(tekun * k),
             int(pension * k), int(family * k), int(eco_s * k), int(other * k), 0]
    business_net = net - sum(lines)
    gross = int(business_net / (0.7 - 0.2 * rnd()))  # production cost is 30–50% of gross business income
    lines[1] = gross
    return lines, gross - business_net, min(int(post * k), lines[0])


def event_rows(households, township_name, stamp_of):
    """(status event rows, procedure step rows)."""
    events: list[tuple] = []
    steps: list[tuple] = []
    # The first years' events first, so that their ids stay what they were before the later years were written.
    for first in (True, False):
        for h in households:
            for e in h.events:
                if (e.year <= d.FIRST_YEARS[-1]) == first:
                    _event_rows(h, e, events, steps, township_name, stamp_of)
    return events, steps


def _event_rows(h, e, events: list, steps: list, township_name, stamp_of) -> None:
    eid = len(events) + 1
    events.append((eid, h.id, e.kind, e.year, "announced", e.on, e.persons, e.reason, stamp_of(e.on)))
    if not e.procedure:
        return
    days = (e.on - e.started_on).days if e.started_on else 35
    start = e.on - dt.timedelta(days=days)
    for stage, (offset, who) in zip(STAGES, STEP_PLAN):
        on = e.on if stage == "announced" else start + dt.timedelta(days=offset * days // 35)
        ends = on + dt.timedelta(days=7) if stage == "public_notice" else None
        steps.append((len(steps) + 1, eid, stage, on, ends, who.format(township=township_name[h.township]), True, ""))


def village_year_rows(rng: random.Random, villages, counts, region_id):
    """Village yearly records: the population is what the registry holds for the year; the village
    facts improve 2016–2018 until every poor village has all of them (and ≥ 50,000 yuan collective income)."""
    rows: list[tuple] = []
    for v in villages:
        poor = v["is_poor_village"]
        done = rng.choice((2016, 2017, 2017, 2018, 2018)) if poor else rng.choice((2015, 2015, 2016, 2017))
        start_facts = [rng.random() < (0.3 if poor else 0.7) for _ in range(4)]
        pv_year = rng.choice((2017, 2018)) if poor else None
        for year in d.FIRST_YEARS:
            people, hh = counts.get((v["code"], year), (0, 0))
            facts = [True] * 4 if year >= done else [f or (year > 2015 and rng.random() < 0.3) for f in start_facts]
            if poor:
                if pv_year and year >= pv_year:  # the village's PV station earns from here on
                    income_yuan = rng.randint(80_000, 420_000)
                elif year >= done:
                    income_yuan = rng.randint(55_000, 90_000)
                else:
                    income_yuan = rng.randint(0, 40_000)
            else:
                income_yuan = rng.randint(50_000, 300_000)
            rows.append((len(rows) + 1, region_id[v["code"]], year, people, hh, *facts, income_yuan * 100, 1))
            start_facts = facts
    return rows


def village_rows_after(rng: random.Random, villages, counts, region_id, first_rows: list) -> list[tuple]:
    """The villages' records 2021–2025, following on their 2020 record (ids after the first years')."""
    last = {r[1]: r for r in first_rows if r[2] == d.FIRST_YEARS[-1]}
    rows: list[tuple] = []
    for v in villages:
        prev = last[region_id[v["code"]]]
        facts = list(prev[5:9])
        for year in d.AFTER_YEARS:
            people, hh = counts.get((v["code"], year), (0, 0))
            facts = [f or rng.random() < 0.3 for f in facts]
            income_yuan = rng.randint(80_000, 450_000) if v["is_poor_village"] else rng.randint(60_000, 320_000)
            rows.append((len(first_rows) + len(rows) + 1, region_id[v["code"]], year, people, hh, *facts,
                         income_yuan * 100, 1))
    return rows
