"""The demo county's funds and projects (资金和项目), 2016–2025, framework-free and deterministic per seed.

What the county secretary's account says was built and paid for, and what follows from it:

- the city construction paused, the agricultural funds pooled (统筹整合): 250 million yuan for drinking water
  (安全饮水, one works per township, 2016–2018) and 600 million yuan for rural roads (one road programme per township
  and year, 2017–2019), every yuan of the pooled line of those years allocated to them;
- one 500 kW photovoltaic station in each of the 82 poor villages (2016–2017, about 7 yuan a watt, paid by the
  central, provincial and county lines), and two large livestock bases for the 59 other villages (2017, with
  social and paired support, 社会帮扶、东西部协作);
- the central, provincial and county lines growing to 2019 as a poverty county's do, with room beyond these
  projects (housing, education and the rest are paid from them too), and, after the exit, every line kept up —
  about level, never cut (资金投入不减) — with a consolidation project of each kind a year (巩固提升).

Projects of years before the last are completed, checked and handed over to their villages; the last year's are
under way, about half spent. Amounts in fen; `villages` are dicts with `code`, `name`, `township_code`,
`township_name`, `is_poor_village` (the geography's).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from .distributions import allocate

FUND_YEARS = tuple(range(2016, 2026))
YUAN = 100  # fen
WAN = 10_000 * YUAN
WATER_TOTAL = 250_000_000 * YUAN
ROAD_TOTAL = 600_000_000 * YUAN
WATER_YEARS, ROAD_YEARS = (2016, 2017, 2018), (2017, 2018, 2019)
PV_KW, PV_YUAN_PER_W = 500, 7
PV_SHARES = {"central": 5, "provincial": 2, "county": 3}  # of a station's cost, in tenths
LIVESTOCK = (("镇赉县肉牛养殖扶贫基地", 3_200), ("镇赉县生猪养殖扶贫基地", 2_600))  # (name, cost in 10,000 yuan)
LIVESTOCK_SHARES = {"social": 6, "county": 4}
CHECKED_BY = "县发展和改革局、县财政局、县扶贫办联合验收组"
# (source, name until 2020, name from 2021, 2016 amount in 10,000 yuan, growth a year to 2019)
LINES = (
    ("central", "中央财政专项扶贫资金", "中央财政衔接推进乡村振兴补助资金", 9_800, 0.12),
    ("provincial", "省级财政专项扶贫资金", "省级财政衔接推进乡村振兴补助资金", 3_600, 0.10),
    ("county", "县级财政专项扶贫资金", "县级财政衔接推进乡村振兴资金", 5_400, 0.08),
    ("social", "社会帮扶和东西部协作资金", "社会帮扶和东西部协作资金", 800, 0.10),
)
POOLED_NAME = "统筹整合使用财政涉农资金"
AFTER_GROWTH = 0.02  # a year, after the exit: kept about level


@dataclass
class Plan:
    funds: list[dict] = field(default_factory=list)  # key, name, year, source, amount_fen, document
    projects: list[dict] = field(default_factory=list)
    allocations: list[dict] = field(default_factory=list)  # fund, project (keys), amount_fen, on
    spendings: list[dict] = field(default_factory=list)

    def total(self, kind: str, years=FUND_YEARS) -> int:
        kinds = {p["key"]: p["kind"] for p in self.projects}
        fund_year = {f["key"]: f["year"] for f in self.funds}
        return sum(a["amount_fen"] for a in self.allocations
                   if kinds[a["project"]] == kind and fund_year[a["fund"]] in years)


def _project(plan: Plan, *, kind: str, name: str, year: int, villages: list[str], budget: dict[str, int],
             last_year: int, rng: random.Random, capacity_kw: int | None = None, scale=None, unit: str = "",
             built_in: int = 200) -> dict:
    started = dt.date(year, 4, 1) + dt.timedelta(days=rng.randint(0, 45))
    completed = started + dt.timedelta(days=built_in + rng.randint(-30, 30))
    done = year < last_year
    project = {"key": f"{kind}-{len(plan.projects) + 1}", "kind": kind, "name": name, "year": year,
               "code": f"ZL{year}{kind[:2].upper()}{len(plan.projects) + 1:03d}", "villages": villages,
               "capacity_kw": capacity_kw, "scale": scale, "scale_unit": unit, "budget": budget,
               "started_on": started, "completed_on": completed if done else None,
               "handed_over_on": completed + dt.timedelta(days=20) if done else None,
               "status": "handed_over" if done else "under_way", "checked_by": CHECKED_BY}
    plan.projects.append(project)
    return project


def _pay(plan: Plan, funds: dict, project: dict, *, spent_share: float) -> None:
    """Allocate the project's budget from its year's lines; spend it (all of it once completed)."""
    for source, amount in project["budget"].items():
        fund = funds[(project["year"], source)]
        fund["_allocated"] += amount
        plan.allocations.append({"fund": fund["key"], "project": project["key"], "amount_fen": amount,
                                 "on": dt.date(project["year"], 3, 15)})
        paid = amount if project["completed_on"] else int(amount * spent_share)
        if paid:
            plan.spendings.append({"fund": fund["key"], "project": project["key"], "amount_fen": paid,
                                   "on": project["completed_on"] or project["started_on"] + dt.timedelta(days=60)})


def county_plan(seed: int, villages: list[dict], *, last_year: int = FUND_YEARS[-1]) -> Plan:
    """The funds, projects, allocations and spendings of the demo county, the same for the same seed."""
    rng = random.Random(f"{seed}:funds")
    plan = Plan()
    townships: dict[str, list[dict]] = defaultdict(list)
    for v in sorted(villages, key=lambda v: v["code"]):
        townships[v["township_code"]].append(v)
    codes = sorted(townships)
    funds = {(year, source): {"key": f"{source}-{year}", "year": year, "source": source, "_allocated": 0}
             for year in FUND_YEARS for source in ("central", "provincial", "county", "pooled", "social")}

    # Drinking water: a works per township, in the township's year; roads: a programme per township and year.
    water = allocate(WATER_TOTAL // WAN, [len(townships[t]) for t in codes])
    for i, (t, amount) in enumerate(zip(codes, water, strict=True)):
        vs = townships[t]
        _project(plan, kind="water", name=f"{vs[0]['township_name']}农村安全饮水工程", year=WATER_YEARS[i % 3],
                 villages=[v["code"] for v in vs], budget={"pooled": amount * WAN}, last_year=last_year, rng=rng,
                 scale=sum(rng.randint(900, 1600) for _ in vs), unit="人")
    weights = [len(townships[t]) * (1.0 + 0.1 * (i % 3)) for t in codes for i in range(3)]
    roads = allocate(ROAD_TOTAL // WAN, weights)
    for i, amount in enumerate(roads):
        t, year = codes[i // 3], ROAD_YEARS[i % 3]
        vs = townships[t]
        _project(plan, kind="road", name=f"{vs[0]['township_name']}{year}年农村道路建设", year=year,
                 villages=[v["code"] for v in vs], budget={"pooled": amount * WAN}, last_year=last_year, rng=rng,
                 scale=round(amount * WAN / (1_400_000 * YUAN), 1), unit="公里")

    # A 500 kW station in each poor village, half built in 2016, half in 2017.
    cost = PV_KW * 1000 * PV_YUAN_PER_W * YUAN
    poor = [v for t in codes for v in townships[t] if v["is_poor_village"]]
    for i, v in enumerate(poor):
        parts = allocate(cost, [PV_SHARES[s] for s in PV_SHARES])
        _project(plan, kind="pv", name=f"{v['name']}500千瓦光伏扶贫电站", year=2016 + (i % 2), villages=[v["code"]],
                 budget=dict(zip(PV_SHARES, parts, strict=True)), last_year=last_year, rng=rng,
                 capacity_kw=PV_KW, built_in=150)
    others = [v for t in codes for v in townships[t] if not v["is_poor_village"]]
    half = (len(others) + 1) // 2
    for (name, wan), served in zip(LIVESTOCK, (others[:half], others[half:]), strict=True):
        parts = allocate(wan * WAN, [LIVESTOCK_SHARES[s] for s in LIVESTOCK_SHARES])
        _project(plan, kind="livestock", name=name, year=2017, villages=[v["code"] for v in served],
                 budget=dict(zip(LIVESTOCK_SHARES, parts, strict=True)), last_year=last_year, rng=rng,
                 scale=rng.choice((3000, 5000)), unit="头")

    # After the exit: a consolidation project of each kind a year, two townships' villages at a time.
    for k, year in enumerate(range(2020, FUND_YEARS[-1] + 1)):
        for j, (kind, what, source, wan) in enumerate((
                ("water", "安全饮水巩固提升工程", "pooled", 9_000), ("road", "农村道路巩固提升工程", "pooled", 14_000),
                ("industry", "特色产业提质增效项目", "central", 6_000))):
            codes_served = [v["code"] for t in (codes[(2 * k + j) % len(codes)], codes[(2 * k + j + 1) % len(codes)])
                      for v in townships[t]]
            amount = round(wan * (1 + AFTER_GROWTH) ** k * rng.uniform(0.97, 1.03)) * WAN
            _project(plan, kind=kind, name=f"{year}年{what}", year=year, villages=codes_served,
                     budget={source: amount}, last_year=last_year, rng=rng)

    for project in plan.projects:
        _pay(plan, funds, project, spent_share=0.5)
    plan.funds = _lines(funds, rng)
    return plan


def _lines(funds: dict, rng: random.Random) -> list[dict]:
    """Each year's line of each source: what its projects were allocated and room beyond them, growing to 2019
    and kept about level after (never cut). The pooled line of 2016–2019 is what water and roads took."""
    rows = []
    for source, old_name, new_name, base, growth in LINES:
        amount = float(base)
        for year in FUND_YEARS:
            if year > FUND_YEARS[0]:
                amount *= 1 + (growth if year <= 2019 else AFTER_GROWTH)
            fund = funds[(year, source)]
            held = max(round(amount * rng.uniform(0.98, 1.02)) * WAN, fund["_allocated"] * 10 // 9)
            rows.append({"key": fund["key"], "year": year, "source": source, "amount_fen": held,
                         "name": old_name if year <= 2020 else new_name,
                         "document": f"镇财农〔{year}〕{rng.randint(10, 99)}号"})
    pooled_before = 0
    for year in FUND_YEARS:
        fund = funds[(year, "pooled")]
        held = fund["_allocated"] if year <= 2019 else max(fund["_allocated"] * 10 // 9, pooled_before)
        pooled_before = held if year >= 2019 else pooled_before
        rows.append({"key": fund["key"], "year": year, "source": "pooled", "amount_fen": held, "name": POOLED_NAME,
                     "document": f"镇政发〔{year}〕{rng.randint(10, 99)}号"})
    return sorted((r for r in rows if r["amount_fen"]), key=lambda r: (r["year"], r["source"]))
