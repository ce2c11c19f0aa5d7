"""The wall screen (大屏) of the command centre: one full-screen page that redraws itself from /wall/data.json.

Every number is one the dashboards show, taken from the same functions (decision 1583): the county dashboard's
charts (`dashboard.trend_charts`, `gap_chart`; `monitoring.figures.area_watch`), the coverage figures
(`policy.figures.area_coverage`), the PV figures of `tuopin assess --json` (`revenue.figures.pv`), overdue tasks by
owner from the county board (`accountability.county_board`) or, for a zone, the zone board
(`assistance.selectors.overdue_by_owner`). Counts only: a village with fewer persons than `small_cell_persons`
(web/data/wall.toml) is not named — its counts join "Others" — and the cadres owning overdue tasks are one row, not
names.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.assessment import figures
from tuopin.apps.assistance import accountability as acc
from tuopin.apps.assistance.selectors import overdue_by_owner
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.monitoring.figures import area_watch
from tuopin.apps.policy import coverage
from tuopin.apps.policy.figures import area_coverage
from tuopin.apps.revenue.figures import pv

from ..access import forbidden, sees_area_figures
from ..params import asked_area, asked_year
from . import dashboard

DATA = Path(__file__).resolve().parents[1] / "data" / "wall.toml"


@lru_cache(maxsize=1)
def settings() -> dict:
    """{"refresh_seconds", "small_cell_persons"} from web/data/wall.toml."""
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


def _area(request) -> Region:
    if not sees_area_figures(request.user):
        raise forbidden(request, entity="geo.region")
    return asked_area(request, request.user)  # the account's county or zone, or ?region= within it (404 outside)


@login_required
def wall(request):
    place = _area(request)
    every = settings()["refresh_seconds"]
    return render(request, "web/wall.html", {"region": place, "refresh_seconds": every,
                                             "query": request.GET.urlencode()})


@login_required
def wall_data(request):
    place = _area(request)
    year, years = figures.chosen_year(place, asked_year(request))
    return JsonResponse(wall_figures(request.user, place, year, years), json_dumps_params={"ensure_ascii": False})


def _small(summary: dict, place: Region) -> set[str]:
    """Names of the villages too small to be named (a township's wall; a county's lists townships)."""
    if place.level != Level.TOWNSHIP:
        return set()
    least = settings()["small_cell_persons"]
    return {v["name"] for v in summary.get("villages", []) if v["rural_population"] < least}


def _merge_small(chart: dict, small: set[str]) -> dict:
    """A stacked chart whose series are child areas: the small ones summed into one "Others" series."""
    kept = [s for s in chart["series"] if s["name"] not in small]
    merged = [s["data"] for s in chart["series"] if s["name"] in small]
    if merged:
        kept.append({"name": _("Others"), "data": [sum(col) for col in zip(*merged, strict=True)]})
    return {**chart, "series": kept}


def _monitoring(place: Region, year: int, small: set[str]) -> tuple[dict | None, dict | None]:
    watch = area_watch(place, year)
    if watch is None:
        return None, None
    rows: dict[str, list[int]] = {}
    for row in watch["children"]:
        name = _("Others") if row["name"] in small else row["name"]
        counts = rows.setdefault(name, [0, 0])
        counts[0] += row["monitored"]
        counts[1] += row["cases_overdue"]
    chart = {"kind": "bars", "categories": list(rows),
             "series": [{"name": _("Monitored households"), "data": [c[0] for c in rows.values()]},
                        {"name": _("Cases overdue"), "data": [c[1] for c in rows.values()]}]}
    return {"monitored": watch["monitored"], "cases_overdue": watch["cases_overdue"]}, chart


def _coverage(user, place: Region, year: int) -> dict | None:
    if not may(user, Action.SEE_COVERAGE):
        return None
    found = area_coverage(place, year)
    if not found:
        return None
    shown = coverage.policies_for(user)
    # A policy the year's data cannot check (no roster, no registry column: basis "none") is left off, not drawn as 0 %.
    rows = [p for p in found["summary"]["policies"]
            if p["code"] in shown and p["eligible"] and found["bases"].get(p["code"]) != "none"]
    return {"kind": "hbars", "percent": True, "categories": [p["name"] for p in rows],
            "series": [{"name": _("Eligible persons covered"),
                        "data": [round(p["covered"] / p["eligible"] * 100, 2) for p in rows]}]}


def _pv(user, place: Region, year: int) -> dict | None:
    if not may(user, Action.SEE_ASSET_INCOME):
        return None
    found = pv(place, year)
    return {"figures": found, "chart": {
        "kind": "hbars", "categories": [_("Revenue"), _("Paid to posts"), _("Paid as dividends"), _("Balance")],
        "series": [{"name": _("Yuan"), "data": [round(found[k] / 100) for k in (
            "revenue_fen", "paid_to_posts_fen", "paid_as_dividends_fen", "balance_fen")]}]}}


def _overdue(user, place: Region) -> dict | None:
    """Overdue tasks by owner as the boards count them: units by name, the cadres (persons) as one row."""
    if place.level == Level.COUNTY and may(user, Action.COUNTY_BOARD):
        rows = acc.county_board(acc.chosen_period(None)).overdue_by_owner()
    elif place.level == Level.TOWNSHIP and acc.may_open_zone(user, place):
        rows = overdue_by_owner(user, place)
    else:
        return None
    units = [r for r in rows if r["key"].startswith("u")]
    cadres = sum(r["overdue"] for r in rows if r["key"].startswith("c"))
    pairs = [(r["owner"], r["overdue"]) for r in units] + ([(_("Pairing cadres"), cadres)] if cadres else [])
    pairs.sort(key=lambda p: -p[1])
    return {"kind": "hbars", "categories": [p[0] for p in pairs[:12]],
            "series": [{"name": _("Tasks overdue"), "data": [p[1] for p in pairs[:12]]}]}


def wall_figures(user, place: Region, year: int | None, years: list[int]) -> dict:
    """What /wall/data.json answers: the headline counts and the charts' data, for the area and year."""
    out: dict = {"scope": {"name": place.name, "level": place.level}, "year": year,
                 "updated": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"), "headline": {}, "charts": {}}
    found = figures.area_figures(place, year) if year else None
    if not found:
        return out
    summary = found["summary"]
    small = _small(found, place)
    charts = out["charts"]
    trend = dashboard.trend_charts(place, summary, figures.trend(place, years))
    charts["incidence"] = trend["incidence"]
    charts["exits"] = _merge_small(trend["exits"], small)
    charts["gaps"] = dashboard.gap_chart(summary)["gaps"]
    out["headline"] = {"incidence": round(summary["incidence"] * 100, 2), "poor_households": summary["poor_households"],
                       "poor_persons": summary["poor_persons"], "open_gaps": sum(summary["gaps"].values())}
    watched, charts["monitoring"] = _monitoring(place, year, small)
    if watched:
        out["headline"].update(watched)
    charts["coverage"] = _coverage(user, place, year)
    found_pv = _pv(user, place, year)
    if found_pv:
        out["headline"]["pv_revenue_yuan"] = round(found_pv["figures"]["revenue_fen"] / 100)
        charts["pv"] = found_pv["chart"]
    charts["overdue"] = _overdue(user, place)
    return out
