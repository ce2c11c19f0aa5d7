"""The county's story 2014–2020, decided household by household (docs/decisions/0100–0105).

Identification in 2014–2015; exits 2016–2018 (18,827 households, 35,972 persons); a few deaths,
natural decreases and new identifications, balanced so Zhenlai's published figures hold exactly at full size;
consolidation in 2019–2020 with a few 返贫 and 监测纳入. Each household-year gets an outcome —
meets every indicator, or fails a named one — which years.py turns into the yearly records the
assessment engine will read: a household exiting in Y meets everything in Y; one still poor at
the end of Y fails at least one indicator in Y.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import pyarrow as pa

from tuopin.engine import status

from . import distributions as d
from .people import Household

POOR, EXITED, RETURNED, MONITORED, CLOSED = "0", "1", "3", "5", "9"


@dataclass(slots=True)
class Event:
    kind: str
    year: int
    on: dt.date
    persons: int
    reason: str = ""
    procedure: bool = True   # carries the six ProcedureSteps (识别, 脱贫, 返贫, 监测纳入, 风险消除)
    started_on: dt.date | None = None   # the procedure's first step, when not 35 days before (监测 is quicker)


def _day(rng: random.Random, year: int, first: tuple[int, int], last: tuple[int, int]) -> dt.date:
    a, b = dt.date(year, *first), dt.date(year, *last)
    return a + dt.timedelta(days=rng.randrange((b - a).days + 1))


def members_at_end(h: Household, year: int) -> int:
    return sum(1 for p in h.members if p.member_in(year))


def _assign_attributes(rng: random.Random, h: Household, identified: int) -> None:
    """贫困户属性 and 致贫原因, with the members' health made to agree with the cause."""
    h.identified = identified
    adults = [p for p in h.members if p.age(2015) >= 18] or h.members
    attribute = d.pick(rng, d.ATTRIBUTE)
    if attribute == "06" and (len(h.members) > 2 or min(p.age(2015) for p in h.members) < 55):
        attribute = "04"
    h.attribute = attribute
    while True:
        cause = d.pick(rng, d.CAUSES)
        if cause != "3" or any(6 <= p.age(2015) <= 22 for p in h.members):
            break
    h.primary_cause = cause
    if cause == "1" and not any(p.chronic or p.serious for p in h.members):
        p = rng.choice(adults)
        if rng.random() < 0.7:
            p.chronic = True
        else:
            p.serious = True
        if p.labour in ("1", "2"):
            p.labour, p.work_status, p.work_months = "3", "", 0
    elif cause == "2" and not any(p.disabled for p in h.members):
        p = rng.choice(adults)
        p.disabled, p.grade = True, d.pick(rng, ((1, 15), (2, 25), (3, 30), (4, 30)))
        if p.labour in ("1", "2"):
            p.labour, p.work_status, p.work_months = ("4" if p.grade <= 2 else "3"), "", 0
    others = [c for c in ("1", "2", "7", "8", "9", "4", "11") if c != cause]
    h.other_causes = ",".join(sorted(rng.sample(others, rng.choice((0, 0, 1, 1, 2))), key=int))


def _identify(h: Household, year: int, on: dt.date) -> None:
    h.events.append(Event("identified", year, on, members_at_end(h, year), "精准识别"))


def _exit(rng: random.Random, h: Household, year: int) -> None:
    on = _day(rng, year, (12, 5), (12, 26))
    h.events.append(Event("exited", year, on, members_at_end(h, year), "收入稳定超过标准，两不愁三保障"))
    h.exit_year = year


def _remaining_subset(rng: random.Random, pool: list[Household], n: int, target: int) -> list[Household]:
    """n households of `pool` whose member counts (end 2018) sum to `target` — or as near as can be —
    taken from different villages where possible."""
    if n <= 0:
        return []
    by_size: dict[int, list[Household]] = {}
    for h in pool:
        by_size.setdefault(members_at_end(h, 2018), []).append(h)
    counts = {s: 0 for s in by_size}
    smallest = min(by_size)
    counts[smallest] = min(n, len(by_size[smallest]))
    remaining = n - counts[smallest]
    for s in sorted(by_size):  # fill any shortfall with the next sizes
        if remaining <= 0:
            break
        if s != smallest:
            take = min(remaining, len(by_size[s]))
            counts[s] += take
            remaining -= take
    total = sum(s * c for s, c in counts.items())
    sizes = sorted(by_size)
    guard = 0
    while total < target and guard < 100_000:  # move one household up a size at a time
        guard += 1
        movable = [s for s in sizes if counts[s] > 0 and any(t > s and counts[t] < len(by_size[t]) for t in sizes)]
        if not movable:
            break
        s = rng.choice(movable)
        t = min(t for t in sizes if t > s and counts[t] < len(by_size[t]))
        if total + (t - s) > target and t - s > 1:
            smaller = [u for u in movable if any(v == u + 1 and counts[v] < len(by_size[v]) for v in sizes)]
            if not smaller:
                break
            s = rng.choice(smaller)
            t = s + 1
        counts[s] -= 1
        counts[t] += 1
        total += t - s
    chosen, used_villages = [], set()
    for s in sizes:
        candidates = by_size[s][:]
        rng.shuffle(candidates)
        candidates.sort(key=lambda h: h.village in used_villages)  # stable: new villages first
        for h in candidates[: counts[s]]:
            chosen.append(h)
            used_villages.add(h.village)
    return chosen


def write_story(rng: random.Random, households: list[Household], t: d.Targets, scale: float) -> dict:
    """Decide every household's events, renovation and yearly outcomes. Returns the headline counts."""
    original = [h for h in households if h.poor]
    others = [h for h in households if not h.poor]

    # 2014–2015: identification (建档立卡 in 2014, the 回头看 additions in 2015).
    for h in original:
        year = 2014 if rng.random() < 0.85 else 2015
        _assign_attributes(rng, h, year)
        on = _day(rng, 2014, (9, 1), (10, 31)) if year == 2014 else _day(rng, 2015, (10, 1), (11, 30))
        _identify(h, year, on)
        h.status = POOR
        if rng.random() < t.renovated_share:
            h.grade = "C" if rng.random() < 0.45 else "D"
        else:
            h.grade = "A" if rng.random() < 0.3 else "B"
    for h in others:
        h.grade = d.pick(rng, d.HOUSING_OTHER)
        h.dibao = rng.random() < 0.015

    # Natural decrease: single elders who die 2016–2018 (自然减少); as many new identifications 2016–2017.
    n_nat = d.scaled(t.natural_decrease, scale)
    singles = [h for h in original if len(h.members) == 1]
    dying = d.weighted_sample(rng, singles, [max(1, h.members[0].age(2015) - 40) for h in singles], n_nat)
    for h in dying:
        year = rng.choice((2016, 2016, 2017, 2017, 2018))
        p = h.members[0]
        p.left_on, p.left_reason = _day(rng, year, (1, 10), (11, 20)), "死亡"
        h.events.append(Event("natural_decrease", year, p.left_on, 0, "户内唯一成员死亡", procedure=False))
        h.status, h.closed = CLOSED, True
    dying_ids = {h.id for h in dying}

    candidates = [h for h in others if 1 <= len(h.members) <= 4]
    new = rng.sample(candidates, min(len(candidates), n_nat))
    for i, h in enumerate(new):
        year = 2016 if i < round(len(new) * 0.6) else 2017
        h.poor = False  # not registered at the end of 2015; registered from `year`
        _assign_attributes(rng, h, year)
        h.primary_cause = rng.choice(("1", "1", "4"))  # fell ill, or a disaster
        if h.primary_cause == "1" and not any(p.serious for p in h.members):
            p = rng.choice([p for p in h.members if p.age(2015) >= 18] or h.members)
            p.serious = True
        _identify(h, year, _day(rng, year, (6, 1), (10, 31)))
        h.status = POOR

    # Deaths among the poor before their exit: as many as make the persons add up (see Targets).
    exits = d.scaled(t.exits, scale)
    exit_persons = d.scaled(t.exit_persons, scale)
    registered = d.scaled(t.registered, scale)
    n_remaining = registered + len(new) - len(dying) - exits
    remaining_target = max(n_remaining, d.scaled(t.remaining_persons, scale))
    poor_persons_2015 = sum(len(h.members) for h in original)
    new_persons = sum(len(h.members) for h in new)
    k = poor_persons_2015 - len(dying) + new_persons - exit_persons - remaining_target
    mortal = [p for h in original if h.id not in dying_ids for p in h.members if p.relation != "01"]
    deaths = d.weighted_sample(rng, mortal, [max(1, p.age(2015) - 45) ** 2 for p in mortal],
                               max(0, min(k, len(mortal))))

    # Who is still poor at the end of 2018: some of the new, the rest chosen so the persons fit.
    alive_pool = [h for h in original if h.id not in dying_ids]
    for p in deaths:  # provisional: off the register by 2018; the date is set once the exit year is known
        p.left_on = dt.date(2016, 1, 1)
    forced_new = new[: min(n_remaining, round(len(new) * t.new_remaining_share))]
    forced_sum = sum(members_at_end(h, 2018) for h in forced_new)
    remaining = forced_new + _remaining_subset(rng, alive_pool, n_remaining - len(forced_new),
                                               remaining_target - forced_sum)
    remaining_ids = {h.id for h in remaining}

    # Exit years 2016–2018: the easier cases first (general households, lack of funds or skills).
    e16 = round(exits * t.exit_split[0])
    e17 = round(exits * t.exit_split[1])
    exiting_new = [h for h in new if h.id not in remaining_ids]
    year_of: dict[int, int] = {}
    for h in exiting_new:
        year_of[h.id] = 2018 if h.identified == 2017 or rng.random() < 0.5 else 2017
    exiting = [h for h in alive_pool if h.id not in remaining_ids]
    ease = [(3.0 if h.attribute == "01" else 1.0) * (2.0 if h.primary_cause in ("7", "9", "5") else 1.0)
            * (0.6 if h.primary_cause in ("1", "2") else 1.0) for h in exiting]
    ordered = d.weighted_sample(rng, exiting, ease, len(exiting))
    n16 = e16
    n17 = e17 - sum(1 for y in year_of.values() if y == 2017)
    for i, h in enumerate(ordered):
        year_of[h.id] = 2016 if i < n16 else 2017 if i < n16 + n17 else 2018
    for p in deaths:
        last = year_of.get(p.hh.id, 2018)
        year = rng.randint(2016, last)
        p.left_on, p.left_reason = _day(rng, year, (1, 10), (10, 31)), "死亡"

    for h in exiting + exiting_new:
        _exit(rng, h, year_of[h.id])
        h.status = EXITED

    # Renovation of C/D houses (危房改造) by the exit year; D mostly by the county's reinforcement model.
    for h in original + new:
        if h.grade not in ("C", "D") or h.closed:
            continue
        exit_year = year_of.get(h.id)
        if exit_year is None:  # still poor at the end of 2018: renovated when it exits in 2019–2020
            continue
        years = list(range(2016, exit_year + 1))
        _renovate(rng, h, rng.choices(years, weights=[1] * (len(years) - 1) + [2])[0])

    # 2019–2020: the last poor exit; a few exited households return (返贫); some are monitored.
    half = (len(remaining) + 1) // 2
    for i, h in enumerate(remaining):
        year = 2019 if i < half else 2020
        if h.grade in ("C", "D") and not h.renovation:
            _renovate(rng, h, year)
        _exit(rng, h, year)
        h.status = EXITED
    settled = [h for h in exiting + exiting_new if not any(p.left_on for p in h.members)]
    rng.shuffle(settled)
    n19, n20 = d.scaled(t.returned_2019, scale, 1), d.scaled(t.returned_2020, scale, 1)
    n_re, n_mon = min(d.scaled(t.re_exit_2020, scale, 1), n19), d.scaled(t.monitored_2020, scale, 1)
    returned19, returned20 = settled[:n19], settled[n19:n19 + n20]
    monitored = settled[n19 + n20:n19 + n20 + n_mon]
    for year, group in ((2019, returned19), (2020, returned20)):
        for h in group:
            h.events.append(Event("returned", year, _day(rng, year, (7, 1), (10, 31)), members_at_end(h, year),
                                  rng.choice(("因病返贫", "因灾返贫", "因意外返贫"))))
            h.status = RETURNED
    for h in returned19[:n_re]:
        _exit(rng, h, 2020)
        h.status = EXITED
    for h in monitored:
        h.risk = rng.choice(("因病", "因残", "因灾", "因务工不稳", "缺劳动力"))
        h.events.append(Event("monitoring_in", 2020, _day(rng, 2020, (6, 1), (9, 30)), members_at_end(h, 2020),
                              f"脱贫不稳定户（{h.risk}）"))
        h.status = MONITORED

    for h in households:
        h.events.sort(key=lambda e: e.on)
    ask_engine(households)
    for h in households:
        _outcomes(rng, h)
    return {
        "registered_2015": len(original), "natural_decrease": len(dying), "new_identified": len(new),
        "deaths_before_exit": len(deaths), "remaining_2018": len(remaining),
        "returned": len(returned19) + len(returned20), "monitored": len(monitored),
    }


def _renovate(rng: random.Random, h: Household, year: int) -> None:
    h.renovation = "repair" if h.grade == "C" else d.pick(rng, d.RENOVATION_D)
    lo, hi = d.RENOVATION_COST_YUAN[h.renovation]
    h.renovation_year = year
    h.renovation_cost_fen = rng.randrange(lo, hi + 1, 100) * 100
    # Inspected again once accepted: a new house (rebuilt, or moved into) is graded A, a repaired or reinforced
    # one B (decision 1520). Drawn from no generator, so the county's other draws are unchanged.
    h.renovation_grade = "A" if h.renovation in ("rebuild", "relocate") else "B"


def ask_engine(households: list[Household], years=d.FIRST_YEARS) -> None:
    """Each household's status at the end of every year, by the assessment engine's own rule over the events
    as the registry will hold them (announced, numbered in the order records.event_rows numbers them)."""
    rows = [(h.id, e.kind, e.on) for h in households for e in h.events]
    events = pa.table({
        "event_id": pa.array(range(1, len(rows) + 1), pa.int64()),
        "household_id": pa.array([r[0] for r in rows], pa.int64()),
        "kind": pa.array([r[1] for r in rows], pa.string()),
        "stage": pa.array(["announced"] * len(rows), pa.string()),
        "effective_on": pa.array([r[2] for r in rows], pa.date32()),
    })
    by_id = {h.id: h for h in households}
    answer = status.at_year_end(events, years)
    for hid, year, kind, poor in zip(*(answer[c].to_pylist() for c in ("household_id", "year", "kind_at_end",
                                                                         "poor_at_end"))):
        h = by_id[hid]
        h.kind_at_end[year], h.poor_at_end[year] = kind, poor


def _outcomes(rng: random.Random, h: Household) -> None:
    """Each year's outcome: None (meets every indicator) or the indicator the record fails."""
    for year in d.FIRST_YEARS:
        if members_at_end(h, year) == 0:
            continue
        if h.poor_at_end.get(year, False):
            h.outcome[year] = "income" if rng.random() < 0.96 else _other_gap(h, year)
        else:
            h.outcome[year] = None


def _other_gap(h: Household, year: int) -> str:
    """A poor household above the income line still fails something: its house, a child, insurance."""
    if h.grade in ("C", "D") and not (h.renovation_year and h.renovation_year <= year):
        return "housing"
    if any(7 <= p.age(year) <= 15 and p.member_in(year) for p in h.members):  # 6–15 by any exact-age rule
        return "school"
    return "insurance"
