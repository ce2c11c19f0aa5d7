"""The consolidation years 2021–2025 (巩固拓展脱贫攻坚成果) of a chunk's households: each year's income and
shocks, and the monitoring they lead to (防止返贫动态监测) as status events — `monitoring_in`, `risk_removed`,
`returned`, and `exited` again after a return (decision 1460).

Drawn from the chunk's own generator for these years (`[seed, 4, chunk]`), always for all five years, so the
years 2014–2020 stay as they were and a later year's record is the same whichever years are written. Year by
year, from the status each household has at the end of the year before:

- Income (households not poor at the year's end): the household's own level and the year's draw as in the first
  years, around a median that follows the registered (脱贫) population's per-capita net income — 10,740 yuan in
  2020, 12,550 in 2021, 14,342 in 2022, then +8 % a year (chosen) — over the poverty line carried (4,000 yuan).
  A failed business costs 15–50 % of the year's income and recovers 30 % of the loss a year (55 % under
  monitoring); the main labourer lost costs 25–55 % for good; monitoring's measures add 5–25 % the next year.
- Returns (返贫): 2 % a year of the households monitored at the start of the year, 0.01 % of the other exited
  ones; a returned household is poor (its income drawn as a poor household's) and exits again the next year
  with chance 0.8 (October–December).
- Monitoring in (纳入监测): the households the monitoring rules propose on the year's record (income not above
  the monitoring line, rigid spending, a fall of 30 %, a disaster loss of half the income, a failed business,
  the labourer lost — as rules/sql/monitoring_candidates.sql states them, the gaps left out) are taken in by the
  village review with a chance that falls with their income after rigid spending and losses: 0.6 below 0.7 × the
  poverty line, 0.4 below it, 0.25 below the monitoring line, 0.1 above it; visits find 0.05 % of the others.
  Dated February–November.
- Risk removed (风险消除): at the year-end review (December), for a household taken in six months before or more
  (an earlier year, or by the end of May), whose income after rigid spending and losses is 10 % above the
  monitoring line, with chance 0.75; never for a 特困 household (no labour to stand on).

Event ids: `event_base + household_id × 16 + (year − 2021) × 3 + slot` (slots: returned or monitoring_in,
risk_removed, exited), above every id of the first years (`event_base` = 8 × (households + 1)), so a household's
later events have higher ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from tuopin.engine.snapshot import STATUS_EVENTS

from . import dates, households
from .geography import Geography
from .households import NEVER, Chunk
from .text import pick

FIRST_YEAR, LAST_YEAR = 2021, 2025
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
# 脱贫人口人均纯收入, yuan (国家乡村振兴局: 2020 10,740; 2021 12,550; 2022 14,342), then LATER_GROWTH a year.
INCOME_YUAN = {2020: 10_740, 2021: 12_550, 2022: 14_342}
LATER_GROWTH = 1.08
RETURN = {"monitored": 0.02, "other": 0.0001}
RE_EXIT = 0.8
# The village review's chance, by income after rigid spending and losses ÷ (the poverty line × members).
TAKE_IN = ((0.7, 0.6), (1.0, 0.4))
TAKE_IN_BELOW_MONITORING, TAKE_IN_ABOVE, FOUND_BY_VISITS = 0.25, 0.1, 0.0005
REMOVE, REMOVE_MARGIN_TENTHS, REMOVE_BY_DAY = 0.75, 11, 150   # 10 % above the line; taken in by 31 May
INCOME_FALL_PERCENT, DISASTER_PERCENT = 30, 50                # as [monitoring.criteria] in the standards
GAP_SCALE = 1 / 3      # the others' gap shares after 2020: the 两不愁三保障 were met at the exits
SLOTS = 3
# status codes (households.STATUS_OF_KIND): exited or risk removed, returned, monitored, died
EXITED, RETURNED, MONITORED, DIED = 1, 3, 5, 9


def median_ratio(year: int) -> float:
    """The median per-capita net income of households not poor, as a multiple of the poverty line (2020: the
    first years' 2.55, the same rise after as the registered population's income)."""
    income = INCOME_YUAN.get(year) or INCOME_YUAN[2022] * LATER_GROWTH ** (year - 2022)
    return households.median_ratio(2020) * income / INCOME_YUAN[2020]


@dataclass
class Later:
    """What the story drew for each year, over all the chunk's households (indexed like the chunk)."""

    records: dict       # year -> {"net", "medical", "education", "disaster", "business", "labourer"}
    state: dict         # year -> the story's status code at the year's end (-1: none)


def story(geo: Geography, chunk: Chunk, status_2020: np.ndarray, lines: dict, event_base: int,
          rng: np.random.Generator):
    """The years 2021–2025 of the chunk; sets `chunk.later` and `chunk.present` for those years and returns
    (status events, each household's last exit year or NEVER). `lines`: year -> (poverty line, monitoring line)
    in fen per person."""
    assert chunk.income_level is not None  # drawn by households.story()
    n = len(chunk.household_id)
    members = chunk.members.astype(np.int64)
    alive = chunk.present[households.LAST_YEAR].copy()
    state = np.where(alive, status_2020, -1).astype(np.int8)
    level = np.log(households.region_level(geo, chunk.village)) + households.own_level(chunk.income_level)
    # The year before's per-capita income, for the first year's fall: the level without the year's draw.
    line_2020 = lines[2020][0]
    ratio_2020 = np.where(state == RETURNED, 0.75, np.exp(np.log(households.median_ratio(2020)) + level))
    prev_pc = np.floor(ratio_2020 * line_2020 * members).astype(np.int64) // members
    taken_year = np.where(state == MONITORED, 2020, 0)
    taken_day = np.zeros(n, dtype=np.int64)
    scar, lost, boost = np.ones(n), np.ones(n), np.ones(n)
    last_exit = np.full(n, NEVER)
    records, states, parts = {}, {}, []
    for y in YEARS:
        line, mline = lines[y]
        start = state.copy()
        u = rng.random(n)
        ret = alive & (((start == MONITORED) & (u < RETURN["monitored"])) | ((start == EXITED) & (u < RETURN["other"])))
        re_exit = alive & (start == RETURNED) & (rng.random(n) < RE_EXIT)
        poor = alive & (((start == RETURNED) & ~re_exit) | ret)

        ratio = np.exp(np.log(median_ratio(y)) + level + households.YEAR_SD * rng.standard_normal(n))
        ratio *= scar * lost * boost
        shocks = households._shocks(chunk.village, members, np.floor(ratio * line * members).astype(np.int64),
                                    rng)
        business, labourer = shocks["business_failed"], shocks["labourer_lost"]
        business_cut = np.where(business, rng.uniform(0.5, 0.85, n), 1.0)
        labour_cut = np.where(labourer, rng.uniform(0.45, 0.75, n), 1.0)
        lost *= labour_cut
        ratio = np.maximum(ratio * business_cut * labour_cut, 0.5)
        w = rng.random(n)
        ratio = np.where(poor, np.where(w < 0.88, rng.uniform(0.45, 0.99, n), rng.uniform(1.01, 1.3, n)), ratio)
        net = np.floor(ratio * line * members).astype(np.int64)
        medical, education, disaster = (shocks["medical_expense_fen"], shocks["education_expense_fen"],
                                        shocks["disaster_loss_fen"])

        # The monitoring rules' criteria on the year's record (monitoring_candidates.sql, the gaps aside).
        left = net - medical - education - disaster
        cap = mline * members
        pc = net // members
        candidate = ((net <= cap) | ((medical + education > 0) & (net - medical - education <= cap))
                     | ((prev_pc > 0) & ((prev_pc - pc) * 100 >= INCOME_FALL_PERCENT * prev_pc))
                     | ((disaster > 0) & (disaster * 100 >= DISASTER_PERCENT * np.maximum(net, 0)))
                     | business | labourer)
        margin = left / (line * members)
        chance = np.select([margin < TAKE_IN[0][0], margin < TAKE_IN[1][0], left <= cap],
                           [TAKE_IN[0][1], TAKE_IN[1][1], TAKE_IN_BELOW_MONITORING], TAKE_IN_ABOVE)
        chance = np.where(candidate, chance, FOUND_BY_VISITS)
        take = alive & ~poor & ~re_exit & (start == EXITED) & (rng.random(n) < chance)
        day = rng.integers(31, 334, n)
        taken_year = np.where(take, y, taken_year)
        taken_day = np.where(take, day, taken_day)
        monitored = ((start == MONITORED) & ~ret) | take
        eligible = monitored & ((taken_year < y) | (taken_day <= REMOVE_BY_DAY))
        remove = (eligible & (left * 10 > REMOVE_MARGIN_TENTHS * cap) & (chunk.attribute != 6)
                  & (rng.random(n) < REMOVE))

        state[ret] = RETURNED
        state[re_exit] = EXITED
        state[take] = MONITORED
        state[remove] = EXITED
        last_exit = np.where(re_exit, y, last_exit)
        jan1, first_slot = int(dates.jan1(y)), (y - FIRST_YEAR) * SLOTS
        parts += [(ret, first_slot, "returned", jan1 + rng.integers(59, 241, n)),         # March–August
                  (take, first_slot, "monitoring_in", jan1 + day),
                  (remove, first_slot + 1, "risk_removed", jan1 + rng.integers(340, 365, n)),
                  (re_exit, first_slot + 2, "exited", jan1 + rng.integers(273, 365, n))]

        records[y] = {"net": net, "medical": medical, "education": education, "disaster": disaster,
                      "business": business, "labourer": labourer}
        states[y] = state.copy()
        chunk.present[y] = alive
        prev_pc = np.where(alive, pc, 0)
        # What carries into next year: the business's loss recovers, monitoring's measures raise the income.
        scar = 1 - (1 - scar * business_cut) * np.where(monitored & ~remove, 0.45, 0.7)
        boost = np.where(monitored & ~remove, rng.uniform(1.05, 1.25, n), 1.0)
    chunk.later = Later(records=records, state=states)
    return _events(chunk, parts, event_base), last_exit


def _events(chunk: Chunk, parts, event_base: int) -> pa.Table:
    idx = np.concatenate([np.flatnonzero(mask) for mask, *_ in parts])
    slot = np.concatenate([np.full(mask.sum(), slot) for mask, slot, *_ in parts])
    kinds = [kind for *_, kind, _on in parts]
    kind = np.concatenate([np.full(mask.sum(), k) for k, (mask, *_) in enumerate(parts)])
    on = np.concatenate([on[mask] for mask, _s, _k, on in parts])
    event_id = event_base + chunk.household_id[idx] * 16 + slot
    order = np.argsort(event_id, kind="stable")
    idx, kind, on, event_id = idx[order], kind[order], on[order], event_id[order]
    year = on.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    n = len(idx)
    return pa.table({
        "event_id": event_id, "household_id": chunk.household_id[idx], "kind": pick(kinds, kind),
        "year": year.astype(np.int16), "stage": pick(["announced"], np.zeros(n, dtype=np.int32)),
        "effective_on": pa.array(on.astype(np.int32), type=pa.date32()),
        "persons": chunk.members[idx].astype(np.int16), "related_household_id": pa.nulls(n, pa.int64()),
    }, schema=STATUS_EVENTS)


def yearly(geo: Geography, chunk: Chunk, year: int, rng: np.random.Generator) -> pa.Table:
    """The households' records for a consolidation year, from the story; `rng` is the year's own generator
    (income lines, housing, water, gaps)."""
    keep = np.flatnonzero(chunk.present[year])
    n = len(keep)
    status = chunk.status[year][keep]
    poor = (status == 0) | (status == 3)
    gaps = {k: rng.random(n) < np.where(poor, p, q * GAP_SCALE) for k, (p, q) in households.GAP.items()}
    chunk.gaps[year] = {k: households._spread(v, keep, len(chunk.household_id)) for k, v in gaps.items()}
    rec = chunk.later.records[year]
    return households.record(geo, chunk, keep, year, status, gaps, rec["net"][keep], rng, lambda _net: {
        "medical_expense_fen": rec["medical"][keep], "education_expense_fen": rec["education"][keep],
        "disaster_loss_fen": rec["disaster"][keep], "business_failed": rec["business"][keep],
        "labourer_lost": rec["labourer"][keep]})
