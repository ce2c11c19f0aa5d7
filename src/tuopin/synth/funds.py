"""The demo county's funds (资金) year by year, 2016–2025: what the four-not-removes check reads for 不摘政策.

Four lines a year — central, provincial, the county's own budget and the agricultural funds it integrates
(统筹整合使用财政涉农资金) — growing through the campaign to 2019, the year the county exits. In 2020 the county's
own budget and the integrated funds fall by half (the county's revenue hit that year), the total by about a
quarter, which the check flags: a cut of more than its threshold after the exit. From 2021 the central and provincial lines are
renamed 衔接推进乡村振兴补助资金 (the transition period) and stay about level. Amounts are synthetic, of the
order of a national poverty county's (a few hundred million yuan a year), in fen, and deterministic per seed.
"""

from __future__ import annotations

import random

FUND_YEARS = tuple(range(2016, 2026))
CUT_YEAR = 2020
# (name until 2020, name from 2021, source, 2016 amount in 10,000 yuan, yearly growth to 2019)
LINES = (
    ("中央财政专项扶贫资金", "中央财政衔接推进乡村振兴补助资金", "中央", 9_800, 0.12),
    ("省级财政专项扶贫资金", "省级财政衔接推进乡村振兴补助资金", "省级", 3_600, 0.10),
    ("县级财政专项扶贫资金", "县级财政衔接推进乡村振兴资金", "县级", 2_400, 0.08),
    ("统筹整合使用财政涉农资金", "统筹整合使用财政涉农资金", "县级", 11_500, 0.09),
)
CUT_LINES = ("县级", "统筹整合使用财政涉农资金")  # what falls in CUT_YEAR: the county's own money
CUT = 0.5  # that year's fall of those lines: the total falls by about a quarter


def county_funds(seed: int) -> list[tuple[str, int, str, int]]:
    """(name, year, source, amount in fen) for every line and year, the same for the same seed."""
    rng = random.Random(f"{seed}:funds")
    rows = []
    for old_name, new_name, source, base, growth in LINES:
        amount = float(base)
        cut = source in CUT_LINES or old_name in CUT_LINES
        for year in FUND_YEARS:
            if year > FUND_YEARS[0]:
                if year <= 2019:
                    amount *= 1 + growth
                elif year == CUT_YEAR and cut:
                    amount *= 1 - CUT
                elif year > CUT_YEAR:
                    amount *= 1 + 0.02  # the transition period: kept about level
            wobble = 1 + rng.uniform(-0.02, 0.02)
            rows.append((old_name if year <= 2020 else new_name, year, source,
                         round(amount * wobble) * 10_000 * 100))
    return rows
