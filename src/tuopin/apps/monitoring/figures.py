"""The monitoring figures of an area and a year, as `tuopin monitor --json` and the pages give them: the rules'
candidates (the engine, through the assessment's cached figures), the cases (the procedure's records), and the
announced returns to poverty (the status events). docs/data-formats.md §6 lists the keys, §7 defines them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum

from tuopin.apps.assessment.figures import monitoring_figures
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry import choices as rc
from tuopin.apps.registry.models import StatusEvent

from .choices import CaseKind
from .selectors import case_counts

CASE_KEYS = ("monitored_households", "cases_open", "cases_overdue", "risk_removed")
CHILDREN = {Level.COUNTY: "townships", Level.TOWNSHIP: "villages"}


def _returns(region: Region, year: int, by: str) -> dict[str, tuple[int, int]]:
    """{area code: (households, persons)} of the returns announced in the year, by township or village code."""
    field = {"township": "household__township__code", "village": "household__village__code"}[by]
    area = {Level.COUNTY: "household__township__parent", Level.TOWNSHIP: "household__township",
            Level.VILLAGE: "household__village"}[region.level]
    rows = (StatusEvent.objects.filter(kind=rc.EventKind.RETURNED, stage=rc.Stage.ANNOUNCED,
                                       effective_on__year=year, **{area: region})
            .values(field).annotate(households=Count("household", distinct=True), persons=Sum("persons")))
    return {r[field]: (r["households"], r["persons"] or 0) for r in rows}


def monitoring_summary(region: Region, year: int, on: dt.date | None = None) -> dict:
    """{"year", "scope", "candidates", "monitored_households" {kind: n}, "cases_open", "cases_overdue",
    "risk_removed", "returned_households", "returned_persons", and "townships" (a county) or "villages"
    (a township) with the same keys}."""
    engine = monitoring_figures(region, year) or {"candidates": 0, "children": []}
    candidates = {c["code"]: c["candidates"] for c in engine.get("children", [])}
    cases = case_counts(region, year, on, by="village" if region.level == Level.TOWNSHIP else "township")
    child_level = "township" if region.level == Level.COUNTY else "village"
    returns = _returns(region, year, child_level)
    out = {"year": year, "scope": {"code": region.code, "name": region.name, "level": region.level},
           "candidates": engine["candidates"], **{k: cases[k] for k in CASE_KEYS},
           "returned_households": sum(h for h, _ in returns.values()),
           "returned_persons": sum(p for _, p in returns.values())}
    key = CHILDREN.get(region.level)
    if key is None:
        return out
    children = Region.objects.filter(parent=region).order_by("code")
    counted_children = cases.get(key, {})
    out[key] = []
    for child in children:
        counted = counted_children.get(child.code)
        h, p = returns.get(child.code, (0, 0))
        out[key].append({"code": child.code, "name": child.name, "candidates": candidates.get(child.code, 0),
                         **({k: counted[k] for k in CASE_KEYS} if counted else _none()),
                         "returned_households": h, "returned_persons": p})
    return out


def _none() -> dict:
    return {"monitored_households": dict.fromkeys(CaseKind.values, 0), "cases_open": 0, "cases_overdue": 0,
            "risk_removed": 0}


FIRST_MONITORING_YEAR = 2020  # the 2020 guidance on monitoring; the national monitoring line from 2021


def area_watch(place: Region, year: int) -> dict | None:
    """Monitoring after exit next to the exit figures (the dashboard, the wall screen): the cases and returns of
    the area and of each child area (`tuopin monitor`'s figures) with each row's monitored households summed, from
    the first year monitoring counts cases; None before it and below a township."""
    if year < FIRST_MONITORING_YEAR or place.level not in (Level.COUNTY, Level.TOWNSHIP):
        return None
    found = monitoring_summary(place, year)
    found["children"] = found.get("townships", found.get("villages", []))
    for row in [found, *found["children"]]:
        row["monitored"] = sum(row["monitored_households"].values())
    return found
