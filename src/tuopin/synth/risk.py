"""What can go wrong in a household's year after 2020, and how likely it is given what the registry showed at
the end of the year before (decision 1440): illness and its cost, schooling costs, a village's disaster, a
failed business, a lost job, the main labourer dead or disabled.

Every probability here reads only facts the registry held at the end of the previous year — ages, the persons'
illness and disability, labour and work months, the income lines, the children's schooling, the village — or
facts of the year that are known in advance (a child's age); the draw itself is the honest noise.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

# A year's disasters: kind, townships hit (0: villages anywhere), share of their villages hit, share of a hit
# village's households that lose something, the season. Clustered in years and places: a flood along the river
# in 2021, a drought over the west in 2023, hail here and there.
DISASTERS = {
    2021: ("flood", 3, 0.6, 0.45, (7, 15), (8, 31)),
    2022: ("hail", 0, 0.02, 0.45, (6, 10), (8, 20)),
    2023: ("drought", 4, 0.6, 0.5, (6, 1), (8, 15)),
    2024: ("hail", 0, 0.04, 0.5, (6, 10), (8, 20)),
    2025: ("hail", 0, 0.02, 0.45, (6, 10), (8, 20)),
}
# A disaster's loss is registered (灾害损失) when it reaches this share of the household's usual net income.
DISASTER_RECORDED = 0.1
# Self-paid medical costs (after basic and serious-illness insurance), yuan a year: median and log spread.
CHRONIC_COST = (1_200, 0.6)
SERIOUS_COST = (6_000, 0.8)
ACUTE_COST = (10_000, 1.0)     # heavy tail: one in twenty above ~50,000 yuan
ACUTE_CAP = 300_000
# Registered (exited) households pay far less of it: 先诊疗后付费, 医疗救助 and the three-layer reimbursement.
REGISTERED_MEDICAL_SHARE = 0.35
# Schooling costs a year, yuan: senior school (普高/中职), college; registered households get grants (雨露计划).
SCHOOL_COST = {"40": (2_500, 5_000), "41": (2_000, 4_000), "50": (9_000, 16_000)}
REGISTERED_SCHOOL_SHARE = 0.5
# Job loss: a year's chance for a household living on wages, raised for a single earner, for short work months
# the year before, and in 2022 (the epidemic's lockdowns).
JOB_LOSS = 0.012
JOB_LOSS_YEAR = {2022: 1.8}
# A business fails: a year's chance for a household living on business income, raised after a fall the year before.
BUSINESS_FAILURE = 0.0015


@dataclass(slots=True)
class Shocks:
    medical_fen: int = 0
    education_fen: int = 0
    disaster_fen: int = 0
    crop_loss: float = 0.0          # share of the year's business income lost to the disaster
    business_failed: bool = False
    business_cut: float = 1.0       # what is left of business income
    job_cut: float = 1.0            # what is left of wage income
    labourer: object = None         # the main labourer lost (a Person), and how
    labourer_died: bool = False
    acute: bool = False             # a serious illness struck this year
    water_gap: bool = False
    dates: dict = field(default_factory=dict)   # shock → the day it happened (the first clue)


def lognormal_yuan(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


def day_in(rng: random.Random, year: int, first=(1, 5), last=(11, 30)) -> dt.date:
    a, b = dt.date(year, *first), dt.date(year, *last)
    return a + dt.timedelta(days=int(rng.random() * ((b - a).days + 1)))


def disaster_villages(rng: random.Random, villages: list[dict], exposure: dict[str, float]) -> dict:
    """year → (kind, {village code: severity}, season): the villages each year's disaster hits."""
    townships = sorted({v["township_code"] for v in villages})
    out = {}
    for year, (kind, n_town, share, _, first, last) in DISASTERS.items():
        towns = set(rng.sample(townships, n_town)) if n_town else set(townships)
        hit = {v["code"]: 0.5 + 0.5 * rng.random() for v in villages
               if v["township_code"] in towns and rng.random() < min(1.0, share * exposure[v["code"]])}
        out[year] = (kind, hit, first, last)
    return out


def acute_chance(age: int, chronic: bool) -> float:
    return (0.003 + 0.0008 * max(0, age - 30)) * (2.5 if chronic else 1.0)


def labourer_loss_chance(age: int, ill: bool) -> float:
    return (0.002 + 0.0004 * max(0, age - 30)) * (2.5 if ill else 1.0)


def job_loss_chance(year: int, wage_share: float, earners: int, short_months: bool) -> float:
    if wage_share < 0.4 or earners == 0:
        return 0.0
    return (JOB_LOSS * (2.0 if earners == 1 else 1.0) * (3.0 if short_months else 1.0)
            * JOB_LOSS_YEAR.get(year, 1.0))


def business_failure_chance(business_share: float, fell: bool, hit_last_year: bool) -> float:
    if business_share < 0.3:
        return 0.0
    return BUSINESS_FAILURE * (1 + 3 * (business_share - 0.3)) * (3.0 if fell else 1.0) * (2.0 if hit_last_year
                                                                                             else 1.0)
