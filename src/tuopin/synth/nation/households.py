"""Registered households of a chunk of villages: who they are, their status story (status events), and
their yearly records (income lines, housing, water, food). Gap shares differ for poor and other households
so that the rules find realistic 短板 (docs/decisions/1000-national-synthetic-registry.md).

- Who: sizes 1–8, mean ≈ 2.9; 贫困户属性 一般 68 %, 低保 26 %, 特困 6 % (mostly one or two persons).
- Status story: identified in 2014 (86 %) or 2015–2017; exits per year 2014–2020 12/16/17/17/18/13/7 % (never
  before identification), every household out by 2020; 2 % return the year after exit (60 % of them exit again),
  1.5 % are monitored (监测纳入) in 2020, 8 % of one-person households end by the member's death (自然减少), 1.2 %
  are removed as misidentified (错评清退). Identification is announced April–September, exits October–December,
  so a household's events are in date order and `households_yearly.status` is what they leave at each year end.
  `event_id = household_id × 8 + slot` (later events, higher ids, no count across chunks);
  `person_id = household_id × 10 + position`.
- Yearly records: one for year Y when identified by Y and neither dead nor removed by then. Per-capita net income
  relative to the year's poverty line (read from the standards): poor at the year end — 88 % between 0.45 and
  0.99 × the line, 12 % just above (waiting for the next announcement); others — log-normal around `median_ratio`
  × the line (1.9 up to 2016, rising to 2.55 in 2020: the registered households' per-capita net income rose from
  3,416 yuan in 2015 to 10,740 in 2020, 2.7 × that year's line, by the State Council Information Office) ×
  a regional level (west 0.9, east 1.1), 1.5 % fallen below until 2019 (none in 2020). Below the median
  the household's own level spreads less (decision 1460). Eleven income lines split gross income (低保金 for
  低保户, 特困供养金 for 特困户), production cost 3–20 %, net and per capita exact in fen. Gap shares, poor / other:
  food 2 % / 0.1 %, housing (C/D unrenovated) 6 % / 0.2 %, water 5 % / 0.4 %, medical (one member uninsured)
  3 % / 0.2 %, education (one child of 6–15 out of school) 1.5 % / 0.1 %.
  A household not poor keeps most of its income level from year to year (a level of its own, sd 0.33 in logs above
  the median and 0.2 below, and a yearly draw, sd 0.12), so that a sharp fall of income is an event, not the noise.
- The year's shocks (`COSTS`, `SHOCKS`, decisions 1436 and 1460), drawn from generators spawned off the chunk's (its
  other draws stay as they were): out-of-pocket medical costs — 21 % of households a few hundred yuan, 3 % large
  (median 8,000 yuan); schooling costs for 35 % of households of three or more (median 1,500 yuan), 1 % large
  (median 12,000); disasters clustered by village — 2 % of villages a year hit, 40 % of their households losing
  10–100 % of a year's income, and 0.3 % of households elsewhere (a fire); a failed business 0.4 %; the main
  labourer lost 0.4 %.
- The consolidation years 2021–2025 and their monitoring: consolidation.py (decision 1460).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tuopin.engine import status as status_rule
from tuopin.engine.snapshot import HOUSEHOLDS, HOUSEHOLDS_YEARLY, INCOME_LINES, STATUS_EVENTS

from . import dates
from .geography import EAST, PROVINCES, Geography
from .text import digits, pick, strings

FIRST_YEAR, LAST_YEAR = 2014, 2020   # the poverty years' story; the consolidation years follow (consolidation.py)
NEVER = 9999
SIZES, SIZE_P = np.arange(1, 9), np.array([0.17, 0.27, 0.22, 0.18, 0.10, 0.04, 0.015, 0.005])  # mean ≈ 2.9
ATTRIBUTES, ATTRIBUTE_P = np.array([1, 4, 6]), np.array([0.68, 0.26, 0.06])   # 一般 低保 特困供养
IDENTIFIED, IDENTIFIED_P = np.arange(2014, 2018), np.array([0.86, 0.05, 0.05, 0.04])
EXIT, EXIT_P = np.arange(2014, 2021), np.array([0.12, 0.16, 0.17, 0.17, 0.18, 0.13, 0.07])
CAUSE_P = np.array([0.40, 0.06, 0.08, 0.03, 0.04, 0.02, 0.12, 0.14, 0.08, 0.01, 0.02])  # 因病 … 自身动力不足
OTHER_CAUSES = ["", "", "", "7", "9", "8", "7,9", "1,9", "5", "9,10"]
RETURN_SHARE, RE_EXIT_SHARE, MONITOR_SHARE = 0.02, 0.6, 0.015
DEATH_SHARE_SINGLE, MISIDENTIFIED_SHARE = 0.08, 0.012
# The year's shocks (module docstring): shares of households, and medians in yuan with their log spread.
# Calibrated by decision 1460: large out-of-pocket medical costs 3 % (median 8,000 yuan, the registered
# households' costs capped by 先诊疗后付费 and the three insurances), disasters in 2 % of villages, failed businesses 0.4 %.
COSTS: dict[str, tuple[float, float, float]] = {
    "medical_small": (0.21, 600, 0.8), "medical_large": (0.03, 8_000, 0.7),
    "education": (0.35, 1_500, 0.6), "education_large": (0.01, 12_000, 0.4)}
SHOCKS: dict[str, float] = {"village_hit": 0.02, "household_in_hit_village": 0.4, "lone_disaster": 0.003,
                            "business_failed": 0.004, "labourer_lost": 0.004}
# A household's own income level and the year's draw, in logs (together sd ≈ 0.35 above the median, the spread
# of the others' income): below the median the level spreads less (0.2, decision 1460) — transfers and the
# exit standard hold up the bottom of the registered households' incomes.
LEVEL_SD, LEVEL_SD_BELOW, YEAR_SD = 0.33, 0.2, 0.12
# Income level of a region's registered households relative to the nation's (west, east): closer than all rural
# incomes (0.85, 1.2 before decision 1460), the registered households' incomes being half transfers and wages.
REGION_LEVEL = (0.9, 1.1)


def median_ratio(year: int) -> float:
    """The median per-capita net income of households not poor, as a multiple of the year's line (docstring)."""
    return 1.9 + (2.55 - 1.9) * min(max((year - 2016) / 4, 0.0), 1.0)
def fallen_share(year: int) -> float:
    """Exited households fallen below the line at the year's end: 1.5 % until 2019; none in 2020, when the
    national census of the poverty campaign (脱贫攻坚普查) checked every exited household's income (decision 1460)."""
    return 0.015 if year < 2020 else 0.0


# Share of households with a gap in each indicator: (poor at the end of the year, the others).
GAP = {"food": (0.02, 0.001), "housing": (0.06, 0.002), "water": (0.05, 0.004), "medical": (0.03, 0.002),
       "education": (0.015, 0.001)}
KIND_CODES = ["identified", "exited", "returned", "exited", "monitoring_in", "natural_decrease", "misidentified"]
# 脱贫属性 code left by the status event kind in force at the end of a year (-1: not registered)
STATUS_OF_KIND = {"identified": 0, "exited": 1, "returned": 3, "monitoring_in": 5, "natural_decrease": 9,
                  "misidentified": -1, "risk_removed": 1}


@dataclass
class Chunk:
    """One chunk's households, kept for the persons that follow."""

    household_id: np.ndarray
    village: np.ndarray            # index into the geography's villages
    number: np.ndarray             # 户编号 as an (n, 17) byte matrix
    members: np.ndarray
    attribute: np.ndarray
    present: dict                  # year -> bool mask: a yearly record exists
    status: dict                   # year -> 脱贫属性 at the end of the year (-1 none), for the years written
    gaps: dict                     # year -> {indicator: bool mask}
    death_on: np.ndarray           # day number of the sole member's death, or -1
    income_level: np.ndarray | None = None  # each household's own income level (standard normal), drawn once
    later: Any = None              # the consolidation years' story (consolidation.Later), when drawn


def region_level(geo: Geography, village: np.ndarray) -> np.ndarray:
    province = np.array([p[0] for p in PROVINCES])[geo.province[village]]
    return np.where(geo.west[village], REGION_LEVEL[0], np.where(np.isin(province, list(EAST)), REGION_LEVEL[1], 1.0))


def own_level(income_level: np.ndarray) -> np.ndarray:
    """A household's own income level in logs (LEVEL_SD above the median, LEVEL_SD_BELOW below)."""
    return np.where(income_level < 0, LEVEL_SD_BELOW, LEVEL_SD) * income_level


def story(geo: Geography, v0: int, v1: int, first_id: int, rng: np.random.Generator, years=(LAST_YEAR,),
          later: Callable | None = None, current_year: int = LAST_YEAR):
    """Households of villages v0..v1 with their status events; returns (Chunk, households, status_events).

    `later(chunk, status at the end of LAST_YEAR)` draws the years after (consolidation.story), returning their
    events and each household's last exit year. The chunk holds the status at the end of `years` (those
    written) and of `current_year` (the households table's current status)."""
    village = np.repeat(np.arange(v0, v1), geo.households[v0:v1])
    n = len(village)
    hid = first_id + np.arange(n, dtype=np.int64)
    starts = np.cumsum(geo.households[v0:v1]) - geo.households[v0:v1]
    serial = np.arange(n) - np.repeat(starts, geo.households[v0:v1]) + 1
    number = np.hstack([digits(geo.village_code[village], 12), digits(serial, 5)])

    attribute = rng.choice(ATTRIBUTES, size=n, p=ATTRIBUTE_P)
    members = rng.choice(SIZES, size=n, p=SIZE_P)
    members[attribute == 6] = np.minimum(members[attribute == 6], rng.integers(1, 3, size=(attribute == 6).sum()))

    ident = rng.choice(IDENTIFIED, size=n, p=IDENTIFIED_P)
    exit1 = np.maximum(rng.choice(EXIT, size=n, p=EXIT_P), np.where(ident > 2014, ident + 1, ident))
    exit1 = np.where(exit1 > LAST_YEAR, NEVER, exit1)
    u = rng.random(n)
    mis = np.where((u < MISIDENTIFIED_SHARE) & (ident <= 2016), ident + 1, NEVER)
    dies = (members == 1) & (rng.random(n) < DEATH_SHARE_SINGLE) & (mis == NEVER)
    death = np.where(dies, np.minimum(ident + 1 + rng.integers(0, 5, size=n), LAST_YEAR), NEVER)
    exit1 = np.where((mis < NEVER) | (death <= exit1), NEVER, exit1)
    returned = np.where((exit1 < LAST_YEAR) & (u > 1 - RETURN_SHARE) & (death == NEVER), exit1 + 1, NEVER)
    exit2 = np.where((returned < LAST_YEAR) & (rng.random(n) < RE_EXIT_SHARE), returned + 1, NEVER)
    monitored = np.where((exit1 <= 2019) & (returned == NEVER) & (death == NEVER)
                         & (rng.random(n) < MONITOR_SHARE), LAST_YEAR, NEVER)

    # Event slots in the order they happen within a household; event_id = household_id × 8 + slot keeps
    # "later events have higher ids" without counting across chunks.
    slots = [
        (ident, dates.in_year(ident, 90, 250, rng)),                    # identified: April–early September
        (exit1, dates.in_year(exit1, 273, 364, rng)),                   # exited: announced Oct–Dec
        (returned, dates.in_year(returned, 59, 240, rng)),              # returned: Mar–Aug
        (exit2, dates.in_year(exit2, 273, 364, rng)),
        (monitored, dates.in_year(np.minimum(monitored, LAST_YEAR), 150, 330, rng)),
        (death, dates.in_year(np.minimum(death, LAST_YEAR), 0, 240, rng)),
        (mis, dates.in_year(np.minimum(mis, LAST_YEAR), 150, 270, rng)),
    ]
    events = _events(hid, members, slots)
    present = {y: (ident <= y) & (death > y) & (mis > y) for y in range(FIRST_YEAR, LAST_YEAR + 1)}
    chunk = Chunk(household_id=hid, village=village, number=number, members=members, attribute=attribute,
                  present=present, status={}, gaps={},
                  death_on=np.where(death < NEVER, slots[5][1], -1),
                  # a spawned generator (the first spawn, as when yearly() drew it): the chunk's own draws stay
                  income_level=rng.spawn(1)[0].standard_normal(n))
    last_exit = np.where(exit2 < NEVER, exit2, exit1)
    if later is not None:
        later_events, later_exit = later(chunk, _status(events, first_id, n, {LAST_YEAR})[LAST_YEAR])
        events = pa.concat_tables([events, later_events])
        last_exit = np.where(later_exit < NEVER, later_exit, last_exit)
    status = _status(events, first_id, n, {*years, current_year})
    chunk.status = status

    households = pa.table({
        "household_id": hid, "number": strings(number),
        "county_code": geo.county_code[village], "township_code": geo.township_code[village],
        "village_code": geo.village_code[village], "natural_village_code": pa.nulls(n, pa.int64()),
        "is_registered": mis == NEVER, "attribute": attribute.astype(np.int8),
        "status": pa.array(status[current_year], mask=status[current_year] < 0),
        "identified_year": ident.astype(np.int16),
        "exit_year": pa.array(last_exit.astype(np.int16), mask=last_exit == NEVER),
        "primary_cause": rng.choice(np.arange(1, 12), size=n, p=CAUSE_P).astype(np.int8),
        "other_causes": pick(OTHER_CAUSES, rng.integers(0, len(OTHER_CAUSES), size=n)),
        "cultivated_land_mu": np.round(rng.gamma(2.0, 2.5, size=n), 1),
        "housing_area_m2": np.round(rng.uniform(35, 140, size=n), 1),
        "closed": death < NEVER,
    }, schema=HOUSEHOLDS)
    return chunk, households, events


def _status(events: pa.Table, first_id: int, n: int, years) -> dict:
    """year -> each household's 脱贫属性 code at the end of the year, by the engine's own rule over the events
    (asked only for the years needed: at national scale each year is a pass over 60 million events)."""
    answer = status_rule.at_year_end(events, years)
    codes = np.array(list(STATUS_OF_KIND.values()), dtype=np.int8)
    code = codes[pc.index_in(answer["kind_at_end"], pa.array(list(STATUS_OF_KIND))).to_numpy()]
    row = answer["household_id"].to_numpy() - first_id
    year = answer["year"].to_numpy()
    status = {}
    for y in years:
        s = np.full(n, -1, dtype=np.int8)
        at = year == y
        s[row[at]] = code[at]
        status[y] = s
    return status


def _events(hid, members, slots) -> pa.Table:
    parts = [(np.flatnonzero(years < NEVER), slot, years, on) for slot, (years, on) in enumerate(slots)]
    idx = np.concatenate([p[0] for p in parts])
    slot = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    year = np.concatenate([p[2][p[0]] for p in parts])
    on = np.concatenate([p[3][p[0]] for p in parts])
    event_id = hid[idx] * 8 + slot
    order = np.argsort(event_id, kind="stable")
    idx, slot, year, on, event_id = idx[order], slot[order], year[order], on[order], event_id[order]
    n = len(idx)
    return pa.table({
        "event_id": event_id, "household_id": hid[idx], "kind": pick(KIND_CODES, slot),
        "year": year.astype(np.int16), "stage": pick(["announced"], np.zeros(n, dtype=np.int32)),
        "effective_on": pa.array(on.astype(np.int32), type=pa.date32()),
        "persons": members[idx].astype(np.int16), "related_household_id": pa.nulls(n, pa.int64()),
    }, schema=STATUS_EVENTS)


def yearly(geo: Geography, chunk: Chunk, year: int, line_fen: int, rng: np.random.Generator) -> pa.Table:
    """The households' records for `year` (those present), and the year's gap flags kept on the chunk."""
    keep = np.flatnonzero(chunk.present[year])
    n = len(keep)
    village = chunk.village[keep]
    members = chunk.members[keep].astype(np.int64)
    status = chunk.status[year][keep]
    poor = (status == 0) | (status == 3)
    gaps = {k: rng.random(n) < np.where(poor, p, q) for k, (p, q) in GAP.items()}
    chunk.gaps[year] = {k: _spread(v, keep, len(chunk.household_id)) for k, v in gaps.items()}

    # Per-capita net income relative to the line: most poor households below it, a few already above
    # (they wait for next year's announcement); the others above it, a few fallen below.
    level = region_level(geo, village)
    u = rng.random(n)
    assert chunk.income_level is not None  # drawn by story()
    below, above, fallen = rng.uniform(0.45, 0.99, n), rng.uniform(1.01, 1.3, n), rng.uniform(0.7, 0.99, n)
    yearly_draw = rng.standard_normal(n)
    ratio = np.where(poor, np.where(u < 0.88, below, above),
                     np.where(u < fallen_share(year), fallen, np.exp(np.log(median_ratio(year) * level)
                                                                    + own_level(chunk.income_level[keep])
                                                                    + YEAR_SD * yearly_draw)))
    ratio = np.where(~poor & (u >= fallen_share(year)), np.maximum(ratio, 1.01), ratio)
    net = np.floor(ratio * line_fen * members).astype(np.int64)
    return record(geo, chunk, keep, year, status, gaps, net, rng,
                  lambda net: _shocks(village, members, net, rng.spawn(1)[0]))


def record(geo: Geography, chunk: Chunk, keep: np.ndarray, year: int, status: np.ndarray, gaps: dict,
           net: np.ndarray, rng: np.random.Generator, shocks: Callable[[np.ndarray], dict]) -> pa.Table:
    """The yearly records of households `keep` with their net income fixed: income lines, housing, water;
    `shocks(net)` gives the year's shock columns (drawn last)."""
    n = len(keep)
    village = chunk.village[keep]
    members = chunk.members[keep].astype(np.int64)
    poor = (status == 0) | (status == 3)
    cost = np.floor(net * rng.uniform(0.03, 0.2, n)).astype(np.int64)
    lines = _income_lines(net + cost, chunk.attribute[keep], rng)
    housing = _housing(gaps["housing"], year, rng)
    water = _water(gaps["water"], rng)
    return pa.table({
        "household_id": chunk.household_id[keep], "county_code": geo.county_code[village],
        "township_code": geo.township_code[village], "village_code": geo.village_code[village],
        "status": pa.array(status, mask=status < 0), "members": members.astype(np.int16),
        **lines, "production_cost_fen": cost, "net_income_fen": net,
        "per_capita_net_income_fen": net // members,
        **housing, **water,
        "food_clothing_secure": ~gaps["food"],
        "income_expected_stable": rng.random(n) < np.where(poor, 0.6, 0.95),
        **shocks(net),
    }, schema=HOUSEHOLDS_YEARLY)


def _shocks(village: np.ndarray, members: np.ndarray, net: np.ndarray, rng: np.random.Generator) -> dict:
    """The year's shocks (layout 2) of the households (COSTS, SHOCKS); `rng` is the year's own generator."""
    n = len(village)

    def yuan(share: float, median: float, spread: float, among=True) -> np.ndarray:
        hit = (rng.random(n) < share) & among
        return np.where(hit, np.floor(np.exp(rng.normal(np.log(median), spread, n)) * 100), 0).astype(np.int64)

    medical_large = yuan(*COSTS["medical_large"])
    medical = np.where(medical_large > 0, medical_large, yuan(*COSTS["medical_small"]))
    education_large = yuan(*COSTS["education_large"])
    education = np.where(education_large > 0, education_large, yuan(*COSTS["education"], among=members >= 3))
    villages, at = np.unique(village, return_inverse=True)
    hit_village = (rng.random(len(villages)) < SHOCKS["village_hit"])[at]
    struck = (hit_village & (rng.random(n) < SHOCKS["household_in_hit_village"])) | (
        rng.random(n) < SHOCKS["lone_disaster"])
    loss = np.where(struck, np.floor(np.maximum(net, 0) * rng.uniform(0.1, 1.0, n)), 0).astype(np.int64)
    return {"medical_expense_fen": medical, "education_expense_fen": education, "disaster_loss_fen": loss,
            "business_failed": rng.random(n) < SHOCKS["business_failed"],
            "labourer_lost": rng.random(n) < SHOCKS["labourer_lost"]}


def _spread(values: np.ndarray, keep: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[keep] = values
    return out


def _income_lines(gross: np.ndarray, attribute: np.ndarray, rng) -> dict:
    """Split gross income (fen) over the income lines; the wage line takes the rounding remainder."""
    n = len(gross)
    alpha = np.array([4.5, 2.5, 0.2, 0.3, 0.01, 0.01, 0.8, 0.1, 0.2, 0.4, 0.01])
    shares = rng.gamma(np.broadcast_to(alpha, (n, len(alpha))))
    shares[:, 4] += np.where(attribute == 4, 1.2, 0.0)    # 低保金
    shares[:, 5] += np.where(attribute == 6, 3.0, 0.0)    # 特困供养金
    shares[:, 10] = 0.0                                   # itemised: nothing unitemised
    shares /= shares.sum(axis=1, keepdims=True)
    fen = np.floor(shares * gross[:, None]).astype(np.int64)
    fen[:, 0] += gross - fen.sum(axis=1)
    return {name: fen[:, i] for i, name in enumerate(INCOME_LINES)}


def _housing(gap: np.ndarray, year: int, rng) -> dict:
    n = len(gap)
    grade = np.where(gap, rng.choice([2, 3], size=n, p=[0.6, 0.4]),
                     rng.choice([0, 1, 2, 3], size=n, p=[0.58, 0.30, 0.08, 0.04]))
    unsafe_done = ~gap & (grade >= 2)
    kind = np.where(unsafe_done, np.where(grade == 2, 1, rng.choice([2, 3, 4], size=n, p=[0.3, 0.5, 0.2])), 0)
    cost = np.where(unsafe_done, rng.integers(50, 400, size=n) * 10_000, 0)
    return {"housing_grade": pick(["A", "B", "C", "D"], grade),
            "renovation": pick(["", "repair", "reinforce", "rebuild", "relocate"], kind),
            "renovation_year": pa.array(np.where(unsafe_done, year - rng.integers(0, 3, size=n), 0).astype(np.int16),
                                        mask=~unsafe_done),
            "renovation_cost_fen": pa.array(cost.astype(np.int64), mask=~unsafe_done),
            # 改造后鉴定 (decision 1520): a new house graded A, a repaired or reinforced one B; drawn from no generator.
            "renovation_grade": pick(["", "B", "B", "A", "A"], kind)}


def _water(gap: np.ndarray, rng) -> dict:
    n = len(gap)
    short = rng.random(n) < 0.1
    facet = np.where(gap, rng.integers(0, 4, size=n), -1)   # quantity, quality, trip, cuts
    litres = np.where(facet == 0, np.where(short, rng.integers(8, 20, n), rng.integers(15, 35, n)),
                      rng.integers(40, 150, n))
    return {"water_litres_per_day": litres.astype(np.int16), "water_quality_ok": facet != 1,
            "water_minutes": np.where(facet == 2, rng.integers(21, 90, n), rng.integers(0, 16, n)).astype(np.int16),
            "water_cut_days": np.where(facet == 3, rng.integers(37, 120, n), rng.integers(0, 20, n)).astype(np.int16),
            "water_short_area": short}
