"""The demo county's education and medical aid paid per person (decision 1532), framework-free.

Education, 2016–2019: the seed's 2.82 million yuan (aid.toml `[demo.education]`, scaled with the county) paid to
pupils and students of registered households — 两免一补 (the boarding subsidy) to primary and junior pupils, the
national grant to senior-school students, 雨露计划 to vocational students, a one-off grant to college freshmen — at
the standard amounts of aid.toml. Each year gets the share of the total its eligible pupils' standard amounts
make up; within a year the payments go to eligible pupils in a seeded random order until the year's share is
spent, the last one pro-rated (按在校月数折算) so that the total is exact. About a fifth of the eligible pupil-years
are paid: the total is the seed's, the amounts the standards'.

Medical assistance (医疗救助): from 2021 the registry holds each household's self-paid medical expenses; a
registered household whose expenses pass the threshold gets the share of them, up to the cap (aid.toml), paid to
its ill member (else its head). Before 2021 no expenses are recorded: a registered household poor through illness
(主要致贫原因 因病) with a seriously ill member is assisted every year once, for that member, on an expense drawn
between one and three times the threshold — an estimate, marked so in aid.toml, that gives about as many
households a year as the recorded expenses do from 2021. 民政局 pays until 2018, 医疗保障局 from 2019 (the county's 医保局 was set up then).

The insurers' reimbursements (基本医疗保险, 大病保险) from 2021, the years with recorded expenses: see
`reimbursement_payments` (decision 1613). 先诊疗后付费 is how a stay is settled, not a sum of its own: not generated.
"""

from __future__ import annotations

import datetime as dt
import random

from tuopin.standards.aid import aid_kinds, demo_education

from .distributions import allocate

EDUCATION_YEARS = (2016, 2017, 2018, 2019)
MEDICAL_FIRST_YEAR, EXPENSES_FROM = 2016, 2021
# school status (在校生状况) → the kind paid and the standard's key in aid.toml
SCHOOL_KINDS = {"20": ("two_exemptions", "primary_yuan"), "30": ("two_exemptions", "junior_yuan"),
                "40": ("grant_senior", "yuan"), "41": ("yulu", "yuan"), "50": ("grant_college", "yuan")}
# The month each kind is paid in (the autumn term's grants, the spring term's boarding subsidy).
PAY_MONTH = {"two_exemptions": 6, "grant_senior": 11, "yulu": 10, "grant_college": 9, "medical_assistance": 12}
PREFIX = {"education": "JY", "poverty": "FP", "civil_affairs": "MZ", "medical_insurance": "YB"}
COLUMNS = ("person_id", "household_id", "village_id", "year", "kind", "amount_fen", "paid_on", "domain",
           "reference", "note")
PRO_RATED = "按在校月数折算"


def _index(columns) -> dict:
    return {c: i for i, c in enumerate(columns)}


def education_total_fen(scale: float) -> int:
    """The seed's education aid, in whole yuan, scaled with the county."""
    return int(round(demo_education()["total_yuan"] * scale)) * 100


ILLNESS = "1"  # 主要致贫原因 因病


def _registered(tables) -> dict:
    """{household id: (village id, identified year, primary cause)} of the registered households."""
    cols, rows = tables["household"]
    i = _index(cols)
    return {r[i["id"]]: (r[i["village_id"]], r[i["identified_year"]] or 2014, r[i["primary_cause"]])
            for r in rows if r[i["is_registered"]]}


def education_candidates(tables) -> list[tuple]:
    """(year, person id, household id, village id, kind, standard fen) of every eligible pupil-year."""
    registered = _registered(tables)
    kinds = aid_kinds()
    pcols, prow = tables["person"]
    pi = _index(pcols)
    household_of = {r[pi["id"]]: r[pi["household_id"]] for r in prow}
    ycols, yrows = tables["personyear"]
    yi = _index(ycols)
    y_at, s_at, p_at = yi["year"], yi["school_status"], yi["person_id"]
    # One pass over the person-years (about two million at full size): the pupils' rows, and each college
    # student's first year (the college grant is paid once, to a freshman).
    pupils: list[tuple] = []
    freshman: dict[int, int] = {}
    for r in yrows:
        status = r[s_at]
        if status not in SCHOOL_KINDS:
            continue
        if status == "50":
            person, year = r[p_at], r[y_at]
            if year < freshman.get(person, 9999):
                freshman[person] = year
        if r[y_at] in EDUCATION_YEARS:
            pupils.append((r[y_at], r[p_at], status))
    out = []
    for year, person, status in sorted(pupils):
        if status == "50" and freshman[person] != year:
            continue
        household = household_of[person]
        if household not in registered or registered[household][1] > year:
            continue
        kind, key = SCHOOL_KINDS[status]
        out.append((year, person, household, registered[household][0], kind, kinds[kind][key] * 100))
    return out


def education_payments(candidates: list[tuple], total_fen: int, rng: random.Random) -> list[tuple]:
    """Rows of COLUMNS summing exactly to `total_fen` (see the module's docstring)."""
    by_year = {y: [c for c in candidates if c[0] == y] for y in EDUCATION_YEARS}
    natural = [sum(c[5] for c in by_year[y]) for y in EDUCATION_YEARS]
    shares = allocate(total_fen // 100, natural)  # whole yuan a year
    rows: list[tuple] = []
    carried = 0
    serial: dict[str, int] = {}
    for year, share in zip(EDUCATION_YEARS, shares):
        left = share * 100 + carried
        pool = by_year[year][:]
        rng.shuffle(pool)
        for _, person, household, village, kind, fen in pool:
            if left <= 0:
                break
            amount, note = (fen, "") if fen <= left else (left, PRO_RATED)
            left -= amount
            rows.append(_row(rng, serial, year, person, household, village, kind, amount, note))
        carried = left  # only when a year has too few pupils (a very small county)
    return rows


def _row(rng, serial: dict, year, person, household, village, kind, amount, note) -> tuple:
    domain = _payer(kind, year)
    serial[domain] = serial.get(domain, 0) + 1
    paid_on = dt.date(year, PAY_MONTH[kind], rng.randint(5, 28))
    return (person, household, village, year, kind, amount, paid_on, domain,
            f"{PREFIX[domain]}{year}-{serial[domain]:06d}", note)


def _payer(kind: str, year: int) -> str:
    domains = aid_kinds()[kind]["departments"]
    if kind == "medical_assistance":
        return "civil_affairs" if year <= 2018 else "medical_insurance"
    return domains[0]


def medical_payments(tables, rng: random.Random, last_year: int) -> list[tuple]:
    standard = aid_kinds()["medical_assistance"]
    threshold, share, cap = standard["threshold_yuan"] * 100, standard["share"], standard["cap_yuan"] * 100
    registered = _registered(tables)
    pcols, prows = tables["person"]
    pi = _index(pcols)
    ill: dict[int, list] = {}
    members: dict[int, int] = {}
    for r in prows:
        household = r[pi["household_id"]]
        if household not in registered or not r[pi["active"]]:
            continue
        members.setdefault(household, r[pi["id"]])  # the first listed: the head
        if r[pi["serious_illness"]] or r[pi["chronic_illness"]]:
            ill.setdefault(household, []).append((r[pi["id"]], bool(r[pi["serious_illness"]])))
    serial: dict = {}
    rows = []

    def pay(year, household, person, expense):
        amount = min(cap, int(expense * share) // 100 * 100)
        if amount > 0:
            rows.append(_row(rng, serial, year, person, household, registered[household][0], "medical_assistance",
                             amount, ""))

    for year in range(MEDICAL_FIRST_YEAR, min(EXPENSES_FROM, last_year + 1)):
        for household in sorted(ill):
            village, identified, cause = registered[household]
            serious = [person for person, is_serious in ill[household] if is_serious]
            if identified <= year and cause == ILLNESS and serious:
                pay(year, household, serious[0], rng.randint(threshold, 3 * threshold))
    hcols, hrows = tables["householdyear"]
    hi = _index(hcols)
    for r in hrows:
        year, household, expense = r[hi["year"]], r[hi["household_id"]], r[hi["medical_expense_fen"]]
        if year < EXPENSES_FROM or year > last_year or household not in registered or expense < threshold:
            continue
        person = (ill.get(household) or [(members.get(household), True)])[0][0]
        if person is not None:
            pay(year, household, person, expense)
    return rows


REIMBURSEMENT_PREFIX = {"basic_insurance": "YBJB", "serious_illness_insurance": "YBDB"}


def reimbursement_payments(tables, rng: random.Random, last_year: int) -> list[tuple]:
    """The insurers' reimbursements (基本医疗保险, 大病保险) of the years whose self-paid expenses the registry records
    (decision 1613). The generator made a registered household pay `risk.REGISTERED_MEDICAL_SHARE` of its costs, so
    the year's cost is the recorded expense over that share; the basic insurance paid back its `cost_share` of it,
    the serious-illness insurance its `share` of what was left above its deductible, the two never more than the
    cost less the expense. Paid by the medical insurance bureau to the ill member (else the head). Reads the tables,
    writes nothing: the registry, and so the incidence, are as before."""
    from .risk import REGISTERED_MEDICAL_SHARE

    kinds = aid_kinds()
    basic_share = kinds["basic_insurance"]["cost_share"]
    serious = kinds["serious_illness_insurance"]
    deductible, serious_share = serious["deductible_yuan"] * 100, serious["share"]
    registered = _registered(tables)
    pcols, prows = tables["person"]
    pi = _index(pcols)
    first: dict[int, int] = {}
    ill: dict[int, int] = {}
    for r in prows:
        household = r[pi["household_id"]]
        if household not in registered or not r[pi["active"]]:
            continue
        first.setdefault(household, r[pi["id"]])
        if r[pi["serious_illness"]] or r[pi["chronic_illness"]]:
            ill.setdefault(household, r[pi["id"]])
    hcols, hrows = tables["householdyear"]
    hi = _index(hcols)
    serial: dict[str, int] = {}
    rows = []
    for r in sorted(hrows, key=lambda r: (r[hi["year"]], r[hi["household_id"]])):
        year, household, expense = r[hi["year"]], r[hi["household_id"]], r[hi["medical_expense_fen"]]
        if year < EXPENSES_FROM or year > last_year or household not in registered or expense <= 0:
            continue
        person = ill.get(household, first.get(household))
        if person is None:
            continue
        cost = int(expense / REGISTERED_MEDICAL_SHARE)
        covered = cost - expense
        basic = min(covered, int(cost * basic_share)) // 100 * 100
        after = cost - basic
        extra = min(covered - basic, int(max(0, after - deductible) * serious_share)) // 100 * 100
        for kind, amount in (("basic_insurance", basic), ("serious_illness_insurance", extra)):
            if amount <= 0:
                continue
            serial[kind] = serial.get(kind, 0) + 1
            paid_on = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            rows.append((person, household, registered[household][0], year, kind, amount, paid_on,
                         "medical_insurance", f"{REIMBURSEMENT_PREFIX[kind]}{year}-{serial[kind]:06d}", ""))
    return rows


def aid_rows(tables, *, seed: int, scale: float, last_year: int = 2025) -> list[tuple]:
    """Every generated payment, rows of COLUMNS: education 2016–2019, medical assistance, then the insurers'
    reimbursements (their own random stream: the rows before them are as they were)."""
    rng = random.Random(f"{seed}:aid")
    education = education_payments(education_candidates(tables), education_total_fen(scale), rng)
    medical = medical_payments(tables, rng, last_year)
    return education + medical + reimbursement_payments(tables, random.Random(f"{seed}:aid:reimbursement"),
                                                        last_year)
