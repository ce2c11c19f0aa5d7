"""The numbers the demo county is shaped by: Zhenlai's published figures, and plausible shares for rural
north-east China around 2015 where they are silent (decision 0101).

Every count is given at full size; `scaled()` shrinks it for tests.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass

from tuopin import standards

# The years the published figures pin (identification to the end of the poverty alleviation campaign), and the
# consolidation years after it (巩固拓展脱贫攻坚成果, the transition period): drawn from streams of their own
# (after.py) so that the first years' rows never move.
FIRST_YEARS = (2015, 2016, 2017, 2018, 2019, 2020)
AFTER_YEARS = (2021, 2022, 2023, 2024, 2025)
YEARS = FIRST_YEARS + AFTER_YEARS
# Current-price poverty lines, yuan per person per year: the standards in force for Zhenlai, the same data
# the engine reads, so the story and the assessment cannot disagree about the line. From 2021 the monitoring
# line (防止返贫监测范围) is the one that matters; the poverty line is carried.
_STANDARDS = standards.load("220821")
POVERTY_LINE_YUAN = {y: _STANDARDS.poverty_line_yuan(y) for y in range(2014, YEARS[-1] + 1)}
MONITORING_LINE_YUAN = {y: _STANDARDS.monitoring_line_yuan(y) for y in AFTER_YEARS}


@dataclass(frozen=True)
class Targets:
    """Zhenlai's published figures (full size), and the small adjustments that keep them true together."""

    population: int = 172_600          # rural registered population, end 2015
    households: int = 71_000
    registered: int = 18_884           # 建档立卡 households at end 2015
    poor_share_2015: float = 0.2092    # poor persons ÷ rural population at end 2015 (20.9%)
    exits: int = 18_827                # households exiting 2016–2018
    exit_persons: int = 35_972
    exit_split: tuple = (0.30, 0.35)   # 2016, 2017; 2018 takes the rest
    remaining_persons: int = 104       # still poor at end 2018 (0.06%)
    natural_decrease: int = 25         # single-member poor households whose member dies 2016–2018
    # New identifications 2016–2017 equal the natural decreases, so the registry ends 2018 with
    # 18,884 active pairings again; a third of them stay poor.
    new_remaining_share: float = 0.4
    renovated_share: float = 0.66      # poor households in C/D houses, renovated 2016–2018 (≥ 12,000)
    returned_2019: int = 12            # 返贫 in the consolidation years
    returned_2020: int = 6
    re_exit_2020: int = 7              # of the 2019 returns, exit again in 2020
    monitored_2020: int = 40           # 监测纳入 (脱贫不稳定户)
    # 2021–2025 (after.py, decision 1440): returns to poverty a year (a handful: most risks are met in time),
    # and the share of returned households that exit again each following year.
    returned_after: tuple = (5, 6, 8, 4, 3)
    re_exit_share: float = 0.8
    pairing_cadres: int = 8_935
    # Not scaled: the organisation of the county does not shrink with its population.
    special_groups: int = 28
    county_leaders: int = 20
    departments: int = 27
    pairing_units: int = 189
    first_secretaries: int = 115
    team_members: int = 302


def scaled(n: int, scale: float, minimum: int = 0) -> int:
    return max(minimum, int(round(n * scale)))


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder): the parts sum exactly to total."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


class Table:
    """A discrete distribution of (value, weight) pairs, drawn by bisection (rng.choices is slower)."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs):
        self.values = [v for v, _ in pairs]
        self.cum, total = [], 0.0
        for _, w in pairs:
            total += w
            self.cum.append(total)
        self.total = total

    def draw(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


_TABLES: dict = {}


def pick(rng: random.Random, pairs):
    """One value from (value, weight) pairs (the prepared table is cached per tuple)."""
    table = _TABLES.get(id(pairs))
    if table is None or table[0] is not pairs:
        table = _TABLES[id(pairs)] = (pairs, Table(pairs))
    return table[1].draw(rng)


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items, heavier ones likelier (Efraimidis–Spirakis keys); deterministic for the rng."""
    keyed = sorted(((rng.random() ** (1.0 / w) if w > 0 else 0.0), i) for i, w in enumerate(weights))
    return [items[i] for _, i in keyed[len(keyed) - k:]][::-1] if k > 0 else []


# Household size (户人数). Poor households are small: the old, the sick, the alone (≈ 1.9 persons).
SIZE_POOR = ((1, 40), (2, 40), (3, 12), (4, 5.5), (5, 2), (6, 0.5))
SIZE_OTHER = ((1, 12), (2, 40), (3, 30), (4, 11), (5, 5), (6, 2))

# Ethnicity (民族) of a household: Zhenlai is mostly Han; the two Mongol townships are a third Mongol.
ETHNICITY = (("01", 93.3), ("02", 3.7), ("11", 2.0), ("10", 0.5), ("03", 0.5))
ETHNICITY_MONGOL_TOWNSHIP = (("01", 64.0), ("02", 32.0), ("11", 3.0), ("10", 0.5), ("03", 0.5))

# 贫困户属性 and 主要致贫原因 of poor households.
ATTRIBUTE = (("01", 58), ("04", 35), ("06", 7))
CAUSES = (("1", 42), ("2", 18), ("8", 10), ("9", 10), ("7", 7), ("3", 4), ("4", 3), ("5", 2), ("11", 2),
          ("6", 1), ("10", 1))

# Housing safety grade (住房安全等级) of households that are not poor.
HOUSING_OTHER = (("A", 62), ("B", 38))
# Renovation of a C or D house (危房改造): C is repaired; D mostly reinforced (the county's D-grade model).
RENOVATION_D = (("reinforce", 55), ("rebuild", 38), ("relocate", 7))
RENOVATION_COST_YUAN = {"repair": (4_000, 7_000), "reinforce": (10_000, 16_000), "rebuild": (25_000, 40_000),
                        "relocate": (40_000, 60_000)}


def education_for(rng: random.Random, birth_year: int, poor: bool) -> str:
    """文化程度 of an adult by birth cohort; the poor a step lower."""
    table: tuple[tuple[str, int], ...]
    if birth_year < 1950:
        table = (("1", 38), ("2", 48), ("3", 12), ("4", 2))
    elif birth_year < 1965:
        table = (("1", 10), ("2", 45), ("3", 37), ("4", 7), ("5", 1))
    elif birth_year < 1980:
        table = (("1", 3), ("2", 25), ("3", 58), ("4", 11), ("5", 2), ("6", 1))
    else:
        table = (("1", 1), ("2", 10), ("3", 58), ("4", 19), ("5", 8), ("6", 4))
    code = pick(rng, table)
    if poor and code > "1" and rng.random() < 0.35:
        code = str(int(code) - 1)
    return code


def school_status_for(age: int, u: float, severe_disability: bool) -> str:
    """在校生状况 at `age` (= year − birth year) for a child whose schooling propensity is `u` (fixed
    for life, so the path is consistent year to year). Ages 6–16 always hold a status that satisfies
    compulsory education, whatever exact-age rule the assessment applies."""
    if age < 3:
        return ""
    if age <= 5:
        return "10" if u < 0.6 else ""
    if age <= 16 and severe_disability:
        return "80" if u < 0.6 else "81"
    if age <= 11:
        return "20"
    if age <= 15:
        return "30"
    if age <= 18:
        return "40" if u < 0.5 else ("41" if (u < 0.72 or age == 16) else "")
    if age <= 22:
        return "50" if u < 0.3 else ""
    return ""


def child_education(age: int, u: float) -> str:
    """文化程度 of someone still of school age (the level reached or being attended)."""
    if age < 6:
        return "0"
    if age <= 11:
        return "2"
    if age <= 15:
        return "3"
    if age <= 18:
        return "4" if u < 0.72 else "3"
    return "5" if u < 0.3 else ("4" if u < 0.72 else "3")


def school_class(u: float) -> int:
    """The schooling path a propensity `u` leads to (the thresholds of school_status_for)."""
    return 0 if u < 0.3 else 1 if u < 0.5 else 2 if u < 0.6 else 3 if u < 0.72 else 4


# SCHOOL[path][severe disability][age] = school_status_for(age, u, severe) for any u on that path.
_PATH_U = (0.1, 0.4, 0.55, 0.65, 0.9)
SCHOOL = tuple(tuple(tuple(school_status_for(age, u, severe) for age in range(131)) for severe in (False, True))
               for u in _PATH_U)


# Rural 低保 standard in Jilin, yuan per person per year (approximate, rising with the province's adjustments):
# what 兜底 brings a monitored household without labour up to (after.py).
DIBAO_RURAL_YUAN = {2021: 4_900, 2022: 5_200, 2023: 5_500, 2024: 5_800, 2025: 6_100}


# ---- The accountability work 2016–2020 (apps/demo/work.py, decision 0717) ----------------------------------------
# The office's calendar: (month, day) in each year.
FIRST_GAP_LIST_ON = (1, 15)   # the 2015 gaps become tasks once the pairings are in force (1 January 2016)
TEMPLATES_ON = (3, 1)         # the year's "4+4" handed out after the Spring Festival
YEAR_END_SYNC_ON = (12, 28)   # the year's gaps re-read after its exits are announced (5–26 December)
ASSESSED_ON = (12, 20)        # the year's assessment, on the year's work before its gaps are re-read
WORK_YEARS = (2016, 2017, 2018, 2019, 2020)  # visits and gap tasks every year (四个不摘)
# The consolidation years: the pairings stay in force and the cadres keep visiting, less often (at most twice a
# year); the year's gaps are the monitoring procedure's, not written by the demo's work.
VISIT_YEARS_AFTER = AFTER_YEARS
VISITS_A_YEAR_AFTER = 2
ASSESSED_YEARS = (2016, 2017, 2018)
TEMPLATE_YEARS = ()  # the "4+4" handed out (≈ 76,000 tasks a year)

# How diligent an owner is: (visits a year to each paired household, share of tasks done by their due date,
# share done late; the rest left open), weight. Most cadres visit quarterly ("1+1") and finish nearly all.
CADRE_WORK = (((4, 0.99, 0.008), 76), ((4, 0.96, 0.03), 14), ((3, 0.98, 0.015), 6.5), ((2, 0.85, 0.10), 2),
              ((1, 0.60, 0.20), 1.5))
# A unit (a department, a paired unit, a township government) does not visit: its cadres' visits count for it.
UNIT_WORK = (((0, 0.99, 0.01), 70), ((0, 0.97, 0.025), 22), ((0, 0.93, 0.05), 8))
# A visit in a quarter is the cadre's 1×5 group's shared trip (one vehicle) this often; otherwise on its own.
VISIT_ON_GROUP_TRIP = 0.7
