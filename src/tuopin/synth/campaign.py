"""The 653 hundred-day campaign (653百日攻坚行动) of the demo county, April–July 2018 (decision 1536), framework-free.

Its targets per poor village follow the demo's 2018 record: the houses renovated in 2018 (the registered
households' 2018 records with `renovation_year` 2018), the households whose 2017 record failed income, housing,
water or food and clothing and whose 2018 record meets them (gaps closed), and a visit to every household still
poor on the campaign's first day. What each village achieved by the last day is its target for most villages and
70–95 % of it for about one in six (the villages the board shows behind); the daily logs, on days drawn from the
campaign's hundred, sum exactly to what was achieved.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from .distributions import POVERTY_LINE_YUAN, allocate

NAME = "653百日攻坚行动"
START, END = dt.date(2018, 4, 10), dt.date(2018, 7, 18)  # a hundred days, both counted
DESCRIPTION = ("2018年4月至7月百日攻坚：危房改造竣工验收、贫困户问题整改销号、贫困户遍访，"
               "以村为单位倒排工期、每日调度。")
BEHIND_SHARE = 1 / 6
KINDS = ("houses_finished", "gaps_closed", "visits_made")


def _index(columns) -> dict:
    return {c: i for i, c in enumerate(columns)}


def _fails(r, i, year) -> bool:
    """The 2017 record fails what a campaign's work fixes: income, housing, water, food and clothing."""
    unsafe_house = r[i["housing_grade"]] in ("C", "D") and not r[i["renovation"]]
    return (r[i["per_capita_net_income_fen"]] < POVERTY_LINE_YUAN[year] * 100 or unsafe_house
            or not r[i["water_quality_ok"]] or not r[i["food_clothing_secure"]])


def targets(tables, poor_villages: set) -> dict:
    """{(village id, kind): count} for the poor villages, from the registry's 2017 and 2018 records."""
    hcols, hrows = tables["household"]
    hi = _index(hcols)
    village_of = {r[hi["id"]]: r[hi["village_id"]] for r in hrows
                  if r[hi["is_registered"]] and r[hi["village_id"]] in poor_villages}
    poor_on_start = Counter(
        r[hi["village_id"]] for r in hrows if r[hi["id"]] in village_of
        and (r[hi["identified_year"]] or 2014) <= 2017 and (r[hi["exit_year"]] is None or r[hi["exit_year"]] >= 2018))
    ycols, yrows = tables["householdyear"]
    yi = _index(ycols)
    renovated: Counter = Counter()
    failed_2017: set = set()
    met_2018: set = set()
    for r in yrows:
        household, year = r[yi["household_id"]], r[yi["year"]]
        if household not in village_of:
            continue
        if year == 2018 and r[yi["renovation_year"]] == 2018:
            renovated[village_of[household]] += 1
        if year == 2017 and _fails(r, yi, 2017):
            failed_2017.add(household)
        if year == 2018 and not _fails(r, yi, 2018):
            met_2018.add(household)
    closed = Counter(village_of[h] for h in failed_2017 & met_2018)
    out = {}
    for kind, counts in (("houses_finished", renovated), ("gaps_closed", closed), ("visits_made", poor_on_start)):
        for village, n in counts.items():
            if n:
                out[(village, kind)] = n
    return out


def campaign_653(tables, poor_villages: set, *, seed: int) -> dict:
    """{"targets": {(village, kind): n}, "achieved": {(village, kind): n}, "logs": [(village, day, kind, n)]}."""
    rng = random.Random(f"{seed}:campaign-653")
    goal = targets(tables, poor_villages)
    villages = sorted({v for v, _ in goal})
    behind = {v for v in villages if rng.random() < BEHIND_SHARE}
    days = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]
    achieved, logs = {}, []
    for (village, kind), n in sorted(goal.items()):
        done = int(n * rng.uniform(0.70, 0.95)) if village in behind else n
        achieved[(village, kind)] = done
        if done <= 0:
            continue
        # Some days of work; a lagging village's work bunches late.
        k = min(done, rng.randint(3, 12))
        chosen = sorted(rng.sample(days[len(days) // 3:] if village in behind else days, k))
        for day, part in zip(chosen, allocate(done, [rng.random() + 0.2 for _ in chosen])):
            if part:
                logs.append((village, day, kind, part))
    return {"targets": goal, "achieved": achieved, "logs": logs}
