"""Households (户) and persons (人) of the synthetic county as they stand at the end of 2015.

Households are composed from templates (a single elder, a couple, a couple with children, three
generations …) so that relations and ages agree; the county's age pyramid emerges from them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from tuopin.common import idnumber

from . import distributions as d
from . import names

DIVISION = "220821"
BASE_YEAR = 2015


@dataclass(slots=True)
class Person:
    id: int
    hh: Household
    sex: str
    birth: dt.date
    relation: str
    ethnicity: str
    name: str = ""
    number: str = ""
    id_number: str = ""
    education: str = ""
    chronic: bool = False
    serious: bool = False
    disabled: bool = False
    grade: int | None = None
    labour: str = "5"
    work_status: str = ""
    work_months: int = 0
    phone: str = ""
    school_u: float = 0.0        # schooling propensity, fixed for life
    joined: int = 0              # first year on the register (a birth after 2015 joins that year)
    left_on: dt.date | None = None
    left_reason: str = ""
    unable_from: int | None = None  # disabled by an accident or illness after 2020: works no more (after.py)

    def age(self, year: int) -> int:
        return year - self.birth.year

    def member_in(self, year: int) -> bool:
        """On the register at the end of `year` (the yearly records count these)."""
        return self.joined <= year and (self.left_on is None or self.left_on.year > year)


@dataclass(slots=True)
class Household:
    id: int
    village: str                 # village code
    township: str
    number: str
    poor: bool                   # registered (建档立卡) at the end of 2015
    ethnicity: str
    members: list = field(default_factory=list)
    attribute: str = "00"
    primary_cause: str = ""
    other_causes: str = ""
    phone: str = ""
    address: str = ""
    land_mu: float = 0.0
    area_m2: float = 0.0
    grade: str = "A"             # housing safety grade at the start
    # The story (story.py): registration, events, renovation, and each year's outcome.
    identified: int | None = None        # identification year (识别年度)
    events: list = field(default_factory=list)
    status: str = ""                     # 脱贫属性 after the last event
    # year → the status event kind in force at the end of the year, and whether that is poor: the engine's
    # answer (tuopin.engine.status) over the events, asked once the story is written
    kind_at_end: dict = field(default_factory=dict)
    poor_at_end: dict = field(default_factory=dict)
    exit_year: int | None = None
    closed: bool = False
    renovation: str = ""
    renovation_year: int | None = None
    renovation_cost_fen: int = 0
    renovation_grade: str = ""           # 改造后鉴定: the grade of the house inspected again (decision 1520)
    # year → None (meets every indicator) or the indicator it is made to fail ("income", "housing", …)
    outcome: dict = field(default_factory=dict)
    dibao: bool = False                  # a 低保 household outside the register
    risk: str = ""                       # monitoring risk (监测对象), when monitored
    cases: list = field(default_factory=list)  # monitoring cases 2020–2025, taken or turned down (cases.Case)


_JAN1: dict[int, int] = {}


def _date_in(rng: random.Random, year: int) -> dt.date:
    first = _JAN1.get(year) or _JAN1.setdefault(year, dt.date(year, 1, 1).toordinal())
    return dt.date.fromordinal(first + int(rng.random() * 365))


def _randint(rng: random.Random, lo: int, hi: int) -> int:
    return lo + int(rng.random() * (hi - lo + 1))


def _age(rng: random.Random, ranges) -> int:
    lo, hi = d.pick(rng, ranges)
    return _randint(rng, lo, hi)


# (low, high) head ages in 2015 by template, weighted; the poor are older.
SINGLE_POOR = (((45, 59), 20), ((60, 69), 30), ((70, 79), 32), ((80, 92), 18))
SINGLE_OTHER = (((22, 39), 20), ((40, 59), 40), ((60, 79), 32), ((80, 90), 8))
COUPLE_POOR = (((35, 49), 15), ((50, 64), 40), ((65, 84), 45))
COUPLE_OTHER = (((25, 39), 15), ((40, 59), 45), ((60, 80), 40))


def _compose(rng: random.Random, size: int, poor: bool) -> list[tuple[str, str, int]]:
    """[(relation, sex, age in 2015)] for a household of `size`, head first."""
    def couple(ages):
        a = _age(rng, ages)
        return [("01", "M", a), ("02", "F", max(20, a - _randint(rng, -2, 5)))]

    def children(mother_age, n):
        out = []
        for _ in range(n):
            sex = "M" if rng.random() < 0.52 else "F"
            age = min(mother_age - 18, max(0, mother_age - _randint(rng, 22, 34)))
            out.append(("03" if sex == "M" else "04", sex, age))
        return out

    if size == 1:
        sex = "F" if rng.random() < (0.45 if poor else 0.3) else "M"
        return [("01", sex, _age(rng, SINGLE_POOR if poor else SINGLE_OTHER))]
    if size == 2:
        if rng.random() < 0.8:
            return couple(COUPLE_POOR if poor else COUPLE_OTHER)
        head = ("01", "F" if rng.random() < 0.6 else "M", _randint(rng, 38, 62))
        return [head] + children(head[2], 1)
    kind = rng.random()
    if size == 3:
        if kind < 0.75:
            c = couple((((28, 56), 1),))
            return c + children(c[1][2], 1)
        c = couple((((34, 56), 1),))
        return c + [("09", "F" if rng.random() < 0.6 else "M", min(92, c[0][2] + _randint(rng, 22, 32)))]
    if size == 4:
        c = couple((((30, 52), 1),))
        if kind < 0.65:
            return c + children(c[1][2], 2)
        return c + children(c[1][2], 1) + [("09", "F", min(92, c[0][2] + _randint(rng, 22, 32)))]
    # Five or six: three generations.
    if kind < 0.5:
        c = couple((((32, 50), 1),))
        return c + children(c[1][2], size - 3) + [("09", "F", min(92, c[0][2] + _randint(rng, 22, 32)))]
    c = couple((((48, 68), 1),))
    son_age = max(18, c[1][2] - _randint(rng, 22, 30))
    dil_age = max(18, son_age - _randint(rng, -1, 4))
    kids = [("07", "M" if rng.random() < 0.52 else "F", max(0, dil_age - _randint(rng, 20, 30)))
            for _ in range(size - 4)]
    return c + [("03", "M", son_age), ("06", "F", dil_age)] + kids


def _health(rng: random.Random, p: Person, poor: bool) -> None:
    a = p.age(BASE_YEAR)
    band = 0 if a < 30 else 1 if a < 50 else 2 if a < 65 else 3
    mult = 2.2 if poor else 1.0
    p.chronic = rng.random() < min(0.7, (0.01, 0.06, 0.15, 0.28)[band] * mult)
    p.serious = rng.random() < (0.003, 0.01, 0.025, 0.04)[band] * (3.0 if poor else 1.0)
    p.disabled = rng.random() < (0.01, 0.025, 0.045, 0.08)[band] * (3.0 if poor else 1.0)
    p.grade = d.pick(rng, ((1, 15), (2, 25), (3, 30), (4, 30))) if p.disabled else None


def _labour_and_work(rng: random.Random, p: Person, poor: bool) -> None:
    a = p.age(BASE_YEAR)
    in_school = d.school_status_for(a, p.school_u, False) not in ("", "10")
    if a < 16 or (a <= 22 and in_school):
        p.labour = "5"
    elif p.serious or (p.grade is not None and p.grade <= 2):  # a grade is set only for the disabled
        p.labour = "4"
    elif p.chronic or p.disabled:
        p.labour = "3"
    elif a < 60:
        p.labour = "2" if rng.random() < (0.04 if poor else 0.12) else "1"
    elif a < 70:
        p.labour = "1" if rng.random() < 0.4 else "3"
    else:
        p.labour = "5"
    if p.labour in ("1", "2") and 18 <= a <= 55:
        r = rng.random()
        p.work_status = "3" if r < 0.12 else "2" if r < 0.25 else "1" if r < 0.45 else ""
    elif poor and p.labour == "3" and a < 65 and rng.random() < 0.3:
        p.work_status = "4"  # 公益性岗位 (village public-welfare job, paid from PV revenue)
    p.work_months = _randint(rng, 3, 10) if p.work_status in ("1", "2", "3") else (10 if p.work_status == "4" else 0)


class IdNumbers:
    """Valid, unique resident ID numbers: a sequence counter per (birth date, sex)."""

    def __init__(self):
        self._next: dict[tuple, int] = {}

    def issue(self, birth: dt.date, sex: str) -> tuple[str, dt.date]:
        while True:
            n = self._next.get((birth, sex), 0)
            if n < 500:  # idnumber.make has 500 distinct sequences per date and sex
                self._next[(birth, sex)] = n + 1
                return idnumber.make(DIVISION, birth, n, sex), birth
            birth += dt.timedelta(days=1)


def make_person(rng, ids: IdNumbers, hh: Household, pid: int, relation: str, sex: str, birth: dt.date,
                ethnicity: str, family: str | None, seq: int) -> Person:
    p = Person(id=pid, hh=hh, sex=sex, birth=birth, relation=relation, ethnicity=ethnicity)
    p.id_number, p.birth = ids.issue(birth, sex)
    p.name = names.full_name(rng, sex, p.birth.year, ethnicity, family)
    p.number = f"{hh.number}{seq:02d}"
    p.school_u = rng.random()
    return p


def build_people(rng: random.Random, villages: list[dict], t: d.Targets, scale: float):
    """Households and persons at the end of 2015. Returns (households, persons), ids from 1."""
    n_households = d.scaled(t.households, scale, 1)
    n_registered = d.scaled(t.registered, scale, 1)
    population = d.scaled(t.population, scale, 1)
    poor_persons = int(round(population * t.poor_share_2015))
    # Village sizes vary; poor villages hold a larger share of the poor.
    size_w = [rng.uniform(0.6, 1.4) for _ in villages]
    per_village = d.allocate(n_households, size_w)
    reg_w = [n * (2.4 if v["is_poor_village"] else 1.0) for n, v in zip(per_village, villages)]
    reg_village = d.allocate(n_registered, reg_w)
    reg_village = [min(r, int(n * 0.7)) for r, n in zip(reg_village, per_village)]
    short = n_registered - sum(reg_village)
    for i in sorted(range(len(villages)), key=lambda i: -per_village[i]):  # top up the big villages
        if short <= 0:
            break
        room = per_village[i] - reg_village[i]
        take = min(room, short)
        reg_village[i] += take
        short -= take

    flags = []
    for n, r in zip(per_village, reg_village):
        f = [True] * r + [False] * (n - r)
        rng.shuffle(f)
        flags.append(f)
    sizes = [[d.pick(rng, d.SIZE_POOR if p else d.SIZE_OTHER) for p in f] for f in flags]
    _fit(rng, sizes, flags, True, poor_persons)
    _fit(rng, sizes, flags, False, population - poor_persons)

    ids = IdNumbers()
    households: list[Household] = []
    persons: list[Person] = []
    township_names = {v["township_code"]: v["township_name"] for v in villages}
    for v, f, sz in zip(villages, flags, sizes):
        mongol = v["township_name"].endswith("蒙古族乡")
        for seq, (poor, size) in enumerate(zip(f, sz), start=1):
            eth = d.pick(rng, d.ETHNICITY_MONGOL_TOWNSHIP if mongol else d.ETHNICITY)
            hh = Household(id=len(households) + 1, village=v["code"], township=v["township_code"],
                           number=f"{v['code']}{seq:05d}", poor=poor, ethnicity=eth)
            hh.address = f"{names.COUNTY}{township_names[v['township_code']]}{v['name']}{_randint(rng, 1, 9)}组"
            family: str | None = None
            for k, (relation, sex, age) in enumerate(_compose(rng, size, poor), start=1):
                person_eth = eth if relation not in ("02", "06") or rng.random() < 0.85 else "01"
                surname = family if relation in ("03", "04", "07") and family else None
                birth = _date_in(rng, BASE_YEAR - age)
                p = make_person(rng, ids, hh, len(persons) + 1, relation, sex, birth, person_eth, surname, k)
                if relation == "01":
                    family = p.name[0]  # every surname in names.py is one character
                _health(rng, p, poor)
                a = p.age(BASE_YEAR)
                schooling = a < 16 or (a <= 22 and d.school_status_for(a, p.school_u, False) != "")
                p.education = (d.child_education(a, p.school_u) if schooling
                               else d.education_for(rng, p.birth.year, poor))
                _labour_and_work(rng, p, poor)
                if relation == "01" and rng.random() < 0.92:
                    p.phone = names.phone(rng)
                elif 18 <= a <= 60 and rng.random() < 0.35:
                    p.phone = names.phone(rng)
                hh.members.append(p)
                persons.append(p)
            head = hh.members[0]
            hh.phone = head.phone
            hh.land_mu = round(len(hh.members) * rng.uniform(4.0, 12.0), 2)
            hh.area_m2 = round(rng.uniform(38.0, 95.0), 2)
            households.append(hh)
    return households, persons, ids


def _fit(rng: random.Random, sizes, flags, poor: bool, target: int) -> None:
    """Nudge household sizes (1–6) until the persons in the `poor` group sum to `target` exactly."""
    slots = [(i, j) for i, f in enumerate(flags) for j, p in enumerate(f) if p == poor]
    if not slots:
        return
    total = sum(sizes[i][j] for i, j in slots)
    guard = 0
    while total != target and guard < 10 * len(slots) + 1000:
        guard += 1
        i, j = slots[rng.randrange(len(slots))]
        if total < target and sizes[i][j] < 6:
            sizes[i][j] += 1
            total += 1
        elif total > target and sizes[i][j] > 1:
            sizes[i][j] -= 1
            total -= 1


def births_and_deaths(rng: random.Random, households: list[Household], persons: list[Person], ids: IdNumbers,
                      years=range(2016, 2021)) -> tuple[int, int]:
    """Ordinary demography of the households outside the register: births to couples of child-bearing
    age, deaths of elders (never the head, so no household loses its head)."""
    births = deaths = 0
    for h in households:
        if h.identified is not None or not h.members:
            continue
        for year in years:
            present = [p for p in h.members if p.member_in(year - 1)]
            for p in present:
                if p.relation != "01" and p.age(year) >= 70 and rng.random() < 0.025:
                    p.left_on, p.left_reason = _date_in(rng, year), "死亡"
                    deaths += 1
            mother = next((p for p in present if p.relation in ("02", "06") and 22 <= p.age(year) <= 40
                           and p.left_on is None), None)
            if mother is not None and len(present) < 7 and rng.random() < 0.035:
                sex = "M" if rng.random() < 0.52 else "F"
                relation = ("03" if sex == "M" else "04") if mother.relation == "02" else "07"
                birth = _date_in(rng, year)
                family = h.members[0].name[0]
                p = make_person(rng, ids, h, len(persons) + 1, relation, sex, birth, h.members[0].ethnicity, family,
                                len(h.members) + 1)
                p.joined, p.education, p.labour = year, "0", "5"
                h.members.append(p)
                persons.append(p)
                births += 1
    return births, deaths
