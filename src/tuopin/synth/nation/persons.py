"""The members of a chunk's households: who they are (persons) and their yearly records (persons_yearly:
schooling, insurance, 低保/特困). A household flagged with an education or medical gap for a year gets
one child out of school or one member uninsured; everyone else is covered.

A head (26–80, older for one-person households), a spouse in 85 % of larger households, children 20–38 years
younger, the head's parent in some households of five or more; ages drawn as of 2018; school status from the age
on 1 September; made-up names, masked ID numbers."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from tuopin.common import idnumber
from tuopin.engine.snapshot import PERSONS, PERSONS_YEARLY

from . import dates
from .geography import Geography
from .households import Chunk
from .text import const, digits, pick, strings

REFERENCE = int(dates.jan1(2018))      # ages are drawn as of 1 January 2018
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建国建华志强海燕春梅凤英红梅金凤德明永福国庆"
ETHNICITIES = np.array([1, 2, 3, 10, 11, 97])


def _name_pool() -> list[str]:
    given = [GIVEN[i:i + 1] for i in range(len(GIVEN))]
    given += [a + b for a in given[:24] for b in given[:24] if a != b]
    return [s + g for s in SURNAMES for g in given]


NAMES = _name_pool()


def members(geo: Geography, chunk: Chunk, rng: np.random.Generator, *, unmasked: bool = False):
    """Returns (persons table, per-person arrays the yearly records need). `unmasked` writes whole, valid ID
    numbers (for linking rosters by ID, tuopin.linkage) from the same draws: the masked registry stays the same."""
    size = chunk.members
    hh = np.repeat(np.arange(len(size)), size)
    n = len(hh)
    pos = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    head_age = np.where(size == 1, rng.integers(55, 90, len(size)), rng.integers(26, 80, len(size)))[hh]
    spouse = (pos == 1) & (rng.random(len(size)) < 0.85)[hh]
    elder = (pos == size[hh] - 1) & (size[hh] >= 5) & (head_age < 60)
    age = np.select(
        [pos == 0, spouse, elder],
        [head_age, np.clip(head_age + rng.integers(-6, 4, n), 20, 95), head_age + rng.integers(22, 32, n)],
        np.clip(head_age - rng.integers(20, 38, n) - (pos >= 4) * rng.integers(0, 25, n), 0, None))
    birth = REFERENCE - age * 365 - rng.integers(0, 365, n) - age // 4
    male = np.where(pos == 0, rng.random(n) < 0.72, rng.random(n) < 0.5)
    male = np.where(spouse, ~np.repeat(male[pos == 0], size), male)
    child = ~spouse & ~elder & (pos > 0)
    relation = np.select([pos == 0, spouse, elder, child & (age < 30) & (head_age - age > 45)],
                         [1, 2, 9, 7], np.where(male, 3, 4))

    west = geo.west[chunk.village[hh]]
    ethnicity = np.where(rng.random(n) < np.where(west, 0.3, 0.05),
                         rng.choice(ETHNICITIES[1:], size=n), 1)
    education = np.select([age < 6, age < 12, age < 15], [0, 2, 3],
                          rng.choice([1, 2, 3, 4, 5], size=n, p=[0.12, 0.38, 0.38, 0.09, 0.03]))
    chronic = rng.random(n) < np.where(age > 50, 0.25, 0.05)
    serious = rng.random(n) < 0.03
    disabled = rng.random(n) < 0.07
    labour = np.where((age < 16) | (age > 65), 5,
                      rng.choice([1, 2, 3, 4], size=n, p=[0.70, 0.08, 0.13, 0.09]))
    labour = np.where(disabled & (labour < 4), 3, labour)
    working = (labour <= 3) & (rng.random(n) < 0.55)
    work_status = np.where(working, rng.choice([1, 2, 3, 4], size=n, p=[0.33, 0.27, 0.33, 0.07]), 0)
    work_months = np.where(working, rng.integers(3, 13, n), 0)
    died = chunk.death_on[hh] >= 0
    county6 = chunk.number[hh, :6]
    tail = digits(rng.integers(0, 10_000, n), 4)
    number = np.hstack([chunk.number[hh], digits(pos + 1, 2)])

    persons = pa.table({
        "person_id": chunk.household_id[hh] * 10 + pos, "household_id": chunk.household_id[hh],
        "number": strings(number), "id_number": (whole_ids(county6, birth, tail, male) if unmasked
                                                     else strings(county6, const("********", n), tail)),
        "name": pick(NAMES, rng.integers(0, len(NAMES), n)), "sex": pick(["F", "M"], male.astype(np.int32)),
        "birth_date": pa.array(birth.astype(np.int32), type=pa.date32()),
        "relation": relation.astype(np.int8), "ethnicity": ethnicity.astype(np.int8),
        "education": education.astype(np.int8), "school_status": np.zeros(n, dtype=np.int8),
        "chronic_illness": chronic, "serious_illness": serious, "disabled": disabled,
        "disability_grade": pa.array(rng.integers(1, 5, n).astype(np.int8), mask=~disabled),
        "labour_ability": labour.astype(np.int8), "work_status": work_status.astype(np.int8),
        "work_months": work_months.astype(np.int8), "active": ~died,
        "left_on": pa.array(np.where(died, chunk.death_on[hh], 0).astype(np.int32), type=pa.date32(), mask=~died),
    }, schema=PERSONS)
    facts = {"hh": hh, "pos": pos, "birth": birth, "age": age, "sick": chronic | serious,
             "working": working, "work_months": work_months}
    return persons, facts


def whole_ids(county6: np.ndarray, birth: np.ndarray, tail: np.ndarray, male: np.ndarray) -> pa.Array:
    """Valid 18-character numbers: the county, the birth date, the masked number's first two tail digits as the
    sequence, a parity digit of the sex and the check character of GB 11643 (tuopin.common.idnumber's)."""
    day = birth.astype("datetime64[D]")
    year = day.astype("datetime64[Y]").astype(np.int64) + 1970
    month = day.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (day - day.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    parity = (tail[:, 2] - 48) // 2 * 2 + male.astype(np.int64)
    first17 = np.hstack([county6, digits(year * 10_000 + month * 100 + dom, 8), tail[:, :2],
                         digits(parity, 1)])
    total = ((first17.astype(np.int64) - 48) * np.array(idnumber.WEIGHTS)).sum(axis=1)
    check = np.frombuffer(idnumber.CHECK_CHARS.encode("ascii"), dtype=np.uint8)[total % 11]
    return strings(first17, check[:, None])


def school_age(birth: np.ndarray, year: int) -> np.ndarray:
    """Age on 1 September of the year, as the education rule counts it."""
    d = birth.astype("datetime64[D]")
    born = d.astype("datetime64[Y]").astype(np.int64) + 1970
    month_day = (d.astype("datetime64[M]").astype(np.int64) % 12 + 1) * 100 + (
        d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return year - born - (month_day > 901)


def yearly(chunk: Chunk, facts: dict, year: int, rng: np.random.Generator):
    """The records for `year` of the members of households present that year; returns (table, the school
    status of every member)."""
    hh = facts["hh"]
    n = len(hh)
    age = school_age(facts["birth"], year)
    school = np.select([(age >= 3) & (age <= 5), (age >= 6) & (age <= 11), (age >= 12) & (age <= 15),
                        (age >= 16) & (age <= 18), (age >= 19) & (age <= 22)],
                       [np.where(rng.random(n) < 0.75, 10, 0), 20, 30,
                        rng.choice([40, 41, 0], size=n, p=[0.55, 0.25, 0.20]),
                        np.where(rng.random(n) < 0.3, 50, 0)], 0)
    compulsory = (age >= 6) & (age <= 15)
    school = np.where(compulsory & (rng.random(n) < 0.004), rng.choice([80, 81], size=n), school)
    gaps = chunk.gaps[year]
    # The first compulsory-age child of a household with an education gap has dropped out (辍学).
    candidates = np.flatnonzero(compulsory & gaps["education"][hh])
    _, first = np.unique(hh[candidates], return_index=True)
    school[candidates[first]] = 90
    # The last member of a household with a medical gap lacks one of the two insurances.
    uninsured = gaps["medical"][hh] & (facts["pos"] == chunk.members[hh] - 1)
    which = rng.random(n) < 0.5
    poor = np.isin(chunk.status[year], (0, 3))[hh]
    attribute = chunk.attribute[hh]
    keep = chunk.present[year][hh]
    table = pa.table({
        "person_id": chunk.household_id[hh] * 10 + facts["pos"], "household_id": chunk.household_id[hh],
        "school_status": school.astype(np.int8), "basic_medical": ~(uninsured & which),
        "serious_illness_insurance": ~(uninsured & ~which),
        "medical_assistance": poor & facts["sick"], "family_doctor": rng.random(n) < np.where(poor, 0.9, 0.6),
        "pension_insurance": (facts["age"] >= 16) & (rng.random(n) < 0.85),
        "dibao": attribute == 4, "tekun": attribute == 6,
        "work_months": np.where(facts["working"], facts["work_months"], 0).astype(np.int8),
    }, schema=PERSONS_YEARLY).filter(pa.array(keep))
    return table, school
