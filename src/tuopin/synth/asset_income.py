"""The demo county's asset-income ledgers 2017–2025, derived from the registry's rows (decision 1516).

The yearly records already hold each household's dividend line and, in its wage line, a welfare post's wage
(records.py). The ledgers pay exactly those amounts, so the registry — and every figure the seed pins — is
unchanged: a registered household of a poor village without anyone able to work gets its dividend from the
village's PV station (the standards' rule: a station pays no equal hand-outs); every other dividend is the
guaranteed dividend of one of the two livestock bases, which the household joined with its household-level funds;
a welfare post in a poor village is paid by its station (posts elsewhere are paid from other funds, not here).
A station's generation is 500 kW × the county's yield per kW (±7 % a year) spread over the months by the
standards' seasonal shares; its revenue (kWh × tariff) covers what it pays, and the village's plan gives each use
the share it takes (rounded up), public works the rest down to the reserve.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

YEARS = tuple(range(2017, 2026))  # the stations paid from their first full year on, after the exit too (四个不摘)
CAPACITY_KW = 500
POST_MONTHS = 10   # records.py gives a post holder 10 working months from 2017
ABLE = ("1", "2")  # 普通劳动力, 技能劳动力
POSTS = ("保洁员", "护路员", "护林员", "治安巡逻员", "河道巡查员", "养老服务员")
BASES = ("镇赉县肉牛养殖扶贫基地", "镇赉县肉羊养殖扶贫基地")
PUBLIC_WORKS = "村内道路养护、环境整治等小型公益事业"


@dataclass
class Ledgers:
    """Rows keyed by the project's key: ("pv", village code) or ("livestock", base index)."""

    stations: list[str] = field(default_factory=list)           # village codes, one station each
    bases: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, township codes)
    incomes: list[tuple] = field(default_factory=list)    # key, year, month, kwh|None, tariff|None, amount_fen
    plans: list[tuple] = field(default_factory=list)      # key, year, posts, public works, dividends, reserve, approved
    members: list[tuple] = field(default_factory=list)    # key, household id, year, guaranteed_fen
    payments: list[tuple] = field(default_factory=list)   # key, year, kind, household, person, post, months,
    #                                                       monthly_wage_fen, amount_fen, paid_on
    unpaid_posts_fen: int = 0   # post wages outside poor villages: other funds pay them


def _fen(kwh: int, tariff: Decimal) -> int:
    return int((Decimal(kwh) * tariff * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _pct_up(part: int, whole: int) -> int:
    return -(-part * 100 // whole) if part else 0


def build(reg, *, tariff: Decimal, kwh_per_kw: int, month_shares: list[int], floor_pct: int = 80,
          reserve_pct: int = 5) -> Ledgers:
    rng = random.Random(f"{reg.seed}:asset-income")
    out = Ledgers()
    poor = sorted(v["code"] for v in reg.geo.villages if v["is_poor_village"])
    pv = set(poor)
    out.stations = poor
    townships = sorted(t["code"] for t in reg.geo.townships)
    out.bases = [(name, townships[i::len(BASES)]) for i, name in enumerate(BASES)]
    base_of = {t: i for i, (_, ts) in enumerate(out.bases) for t in ts}
    cols, rows = reg.tables["householdyear"]
    hid, yr, div = cols.index("household_id"), cols.index("year"), cols.index("dividend_income_fen")
    dividend = {(r[hid], r[yr]): r[div] for r in rows if r[yr] in YEARS and r[div] > 0}
    by_id = {h.id: h for h in reg.households}
    spent: dict[tuple, dict[str, int]] = {}   # (key, year) → kind → fen

    def pay(key, year, kind, h, person, post, months, monthly, amount, day):
        out.payments.append((key, year, kind, h, person, post, months, monthly, amount, day))
        bucket = spent.setdefault((key, year), {})
        bucket[kind] = bucket.get(kind, 0) + amount

    pv_dividends: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for (h_id, year), amount in sorted(dividend.items()):
        h = by_id[h_id]
        able = any(p.labour in ABLE for p in h.members if p.left_on is None)
        if h.village in pv and not able:
            pv_dividends.setdefault((h.village, year), []).append((h_id, amount))
        else:
            _base_dividend(out, pay, base_of[h.township], h_id, year, amount)
    for (h_id, year), amount in sorted(reg.posts.items()):
        h = by_id[h_id]
        if year not in YEARS:
            continue
        if h.village not in pv:
            out.unpaid_posts_fen += amount
            continue
        holders = [p for p in h.members if p.work_status == "4" and p.member_in(year)]
        for i, p in enumerate(holders):
            share = amount // len(holders) + (amount % len(holders) if i == 0 else 0)
            pay(("pv", h.village), year, "post", h_id, p.id, POSTS[p.id % len(POSTS)], POST_MONTHS,
                share // POST_MONTHS, share, dt.date(year, 12, 20))
    most_dividends = 100 - floor_pct - 1  # percent of what a year may spend, leaving room for the rounding up
    for code in poor:
        key, carried = ("pv", code), 0
        for year in YEARS:
            total = CAPACITY_KW * kwh_per_kw * (0.95 + 0.1 * rng.random())
            weights = [share * (0.9 + 0.2 * rng.random()) for share in month_shares]
            came = 0
            for month, w in enumerate(weights, start=1):
                kwh = int(total * w / sum(weights))
                amount = _fen(kwh, tariff)
                came += amount
                out.incomes.append((key, year, month, kwh, tariff, amount))
            avail = carried + came
            room = avail * most_dividends // 100
            for h_id, amount in pv_dividends.get((code, year), []):
                if amount <= room:  # the station pays while its dividend share lasts; a base pays the rest
                    pay(key, year, "dividend", h_id, None, "", 0, 0, amount, dt.date(year, 12, 25))
                    room -= amount
                else:
                    _base_dividend(out, pay, base_of[by_id[h_id].township], h_id, year, amount)
            got = spent.get((key, year), {})
            posts, dividends = _pct_up(got.get("post", 0), avail), _pct_up(got.get("dividend", 0), avail)
            reserve = min(reserve_pct, 100 - floor_pct - dividends)
            if reserve < 0 or posts + dividends > 100:
                raise ValueError(f"station {code} {year}: revenue {avail} fen does not cover its payments {got}")
            public = 100 - posts - dividends - reserve
            out.plans.append((key, year, posts, public, dividends, reserve, dt.date(year, 3, 15)))
            works = avail * public // 100
            if works:
                pay(key, year, "public_works", None, None, PUBLIC_WORKS, 0, 0, works, dt.date(year, 11, 30))
            carried = avail - sum(spent.get((key, year), {}).values())
    for i in range(len(out.bases)):
        key = ("livestock", i)
        for year in YEARS:
            out.incomes.append((key, year, 0, None, None, spent.get((key, year), {}).get("dividend", 0)))
    return out


def _base_dividend(out: Ledgers, pay, base: int, h_id: int, year: int, amount: int) -> None:
    key = ("livestock", base)
    out.members.append((key, h_id, year, amount))
    pay(key, year, "dividend", h_id, None, "", 0, 0, amount, dt.date(year, 12, 28))
