"""The ledger's figures from the standards (decision 1511): the tariff, the plan's limits, the demo's generation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tuopin import standards


def _section(code: str) -> dict:
    return standards.load(code).data.get("asset_income", {})


def tariff(code: str) -> Decimal:
    """Yuan per kWh for the county of `code`: its resource area's benchmark tariff of its stations' year."""
    s = _section(code)
    table = s["tariff_yuan_per_kwh"]
    return Decimal(table[str(s.get("tariff_year", max(table)))][s.get("resource_area", "II")])


def revenue_fen(kwh: int, rate: Decimal) -> int:
    return int((Decimal(kwh) * rate * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def plan_limits(code: str) -> dict:
    return dict(_section(code).get("plan", {}))


def generation(code: str) -> tuple[int, list[int]]:
    """(kWh per kW in a year, the months' shares per mille)."""
    s = _section(code)
    return int(s["kwh_per_kw_year"]), [int(x) for x in s["month_share_per_mille"]]
