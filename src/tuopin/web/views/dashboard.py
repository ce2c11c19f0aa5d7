"""What the county and township dashboards show: the engine's figures for a year, its trend, its charts.

Every number comes from `assessment.figures` (the engine, cached) or, for monitoring's cases and returns,
`monitoring.figures` (`tuopin monitor`'s figures); this module only arranges them for the template
and for ECharts (chart data travels through `json_script`, decision 0300).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.assessment import figures
from tuopin.apps.geo import selectors as geo
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.monitoring.figures import area_watch
from tuopin.apps.policy import coverage
from tuopin.apps.policy.figures import area_coverage

from .. import labels



@dataclass
class ChildFigures:  # one row of the drill-down table
    region: Region | None  # None when the account may not open it (its name is still shown)
    name: str
    figures: dict  # the engine's dict for the township or village


def _children(user, place: Region, summary: dict) -> list[ChildFigures]:
    rows = summary["townships"] if place.level == Level.COUNTY else summary["villages"]
    visible = {r.code: r for r in geo.child_regions(user, place)}
    return [ChildFigures(visible.get(row["code"]), row["name"], row) for row in rows]


def trend_charts(place: Region, summary: dict, history: list[dict]) -> dict:
    """Chart data over the years: incidence (line), households out of poverty by child area (stacked bars)."""
    key = "townships" if place.level == Level.COUNTY else "villages"
    years = [s["year"] for s in history]
    names = [row["name"] for row in summary[key]]
    exits = {name: [] for name in names}
    for s in history:
        by_name = {row["name"]: row["households_exited"] for row in s[key]}
        for name in names:
            exits[name].append(by_name.get(name, 0))
    return {
        "incidence": {
            "kind": "line", "percent": True, "categories": [str(y) for y in years],
            "series": [{"name": _("Poverty incidence"), "data": [round(s["incidence"] * 100, 4) for s in history]}],
        },
        "exits": {
            "kind": "stacked", "categories": [str(y) for y in years],
            "series": [{"name": name, "data": data} for name, data in exits.items()],
        },
    }


def gap_chart(summary: dict) -> dict:
    charts = {
        "gaps": {
            "kind": "hbars", "categories": [str(labels.INDICATOR_LABELS[k]) for k in figures.INDICATORS],
            "series": [{"name": _("Poor households with the gap"),
                        "data": [summary["gaps"].get(k, 0) for k in figures.INDICATORS]}],
        },
    }
    if "mpi" in summary:  # each indicator's share of M0 (Alkire–Foster), in percent
        charts["mpi"] = {
            "kind": "hbars", "percent": True,
            "categories": [str(labels.INDICATOR_LABELS[k]) for k in figures.INDICATORS],
            "series": [{"name": _("Contribution to M0"),
                        "data": [round(summary["mpi"]["contribution"].get(k, 0.0) * 100, 2)
                                 for k in figures.INDICATORS]}],
        }
    return charts


def context(user, place: Region, year: int | None, years: list[int]) -> dict:
    if year is None:
        return {"summary": None}
    found = figures.area_figures(place, year)
    if not found:
        return {"summary": None}
    summary = found["summary"]
    # The trend costs one assessment per year not yet cached: after a write the page shows the chosen year at
    # once and fetches the trend apart (decision 0600); once cached, it is drawn in the page itself.
    history = figures.cached_trend(place, years)
    charts = gap_chart(summary)
    if history is not None:
        charts.update(trend_charts(place, summary, history))
    # Poor villages not yet meeting the exit standard, each with the checks it fails.
    lagging = [v for v in found["villages"] if v["is_poor_village"] and not v["meets_exit_standard"]]
    villages = {r.code: r for r in regions_visible_to(user).filter(code__in=[v["code"] for v in lagging])}
    return {
        "summary": summary,
        "children": _children(user, place, summary),
        "charts": charts,
        "trend_deferred": history is None,
        "lagging": [(villages.get(v["code"]), v, [k for k, ok in v["checks"].items() if not ok]) for v in lagging],
        "gap_rows": [(k, summary["gaps"].get(k, 0)) for k in figures.INDICATORS],
        "mpi_rows": [(k, summary["mpi"]["censored_headcount"][k], summary["mpi"]["contribution"][k])
                     for k in figures.INDICATORS] if "mpi" in summary else [],
        "watch": area_watch(place, year),
        "coverage": _coverage(user, place, year),
    }


def _coverage(user, place: Region, year: int) -> dict | None:
    """倒查正推 on the county's dashboard: per policy the account sees, covered of eligible in each township and the
    county (apps.policy.figures, cached per write like the figures above); None elsewhere."""
    if place.level != Level.COUNTY or not may(user, Action.SEE_COVERAGE):
        return None
    found = area_coverage(place, year)
    if not found:
        return None
    shown = coverage.policies_for(user)
    townships = {r.code: r.name for r in geo.child_regions(user, place)}
    return {"townships": [townships.get(code, code) for code in found["children"]],
            "rows": [(p, [by[p["code"]] for by in found["children"].values()])
                     for p in found["summary"]["policies"] if p["code"] in shown]}


def trend_context(place: Region, year: int, years: list[int]) -> dict | None:
    found = figures.area_figures(place, year)
    if not found:
        return None
    return {"charts": trend_charts(place, found["summary"], figures.trend(place, years))}
