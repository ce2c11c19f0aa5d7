"""The renovation figures of an area and a year: renovations by stage, their costs and subsidies, in total and
per township (a county) or village (a township). A renovation belongs to the year of its inspection (鉴定).
Money in fen; the list page shows them in yuan."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum

from tuopin.apps.geo.models import Level, Region

from .choices import ORDER, Stage
from .models import HouseRenovation
from .selectors import overdue_q

MONEY = ("estimated_cost_fen", "cost_fen", "subsidy_fen")


def area_filter(region: Region) -> Q:
    return {Level.COUNTY: Q(household__township__parent=region), Level.TOWNSHIP: Q(household__township=region),
            Level.VILLAGE: Q(household__village=region)}[Level(region.level)]


def summary(region: Region, year: int | None, *, today: dt.date) -> dict:
    """{"year", "total": {stage: n, …, "renovations", "overdue", and the MONEY sums}, "children": [{"code",
    "name", the same keys}]} — children are a county's townships or a township's villages."""
    qs = HouseRenovation.objects.filter(area_filter(region))
    if year is not None:
        qs = qs.filter(inspected_on__year=year)
    code = region.code[:6]
    counts = {s: Count("pk", filter=Q(stage=s)) for s in ORDER}
    aggregates = dict(counts, renovations=Count("pk"), overdue=Count("pk", filter=overdue_q(today, code=code)),
                      # the cost of works accepted; the subsidy of renovations approved or later
                      estimated_cost_fen=Sum("estimated_cost_fen"),
                      cost_fen=Sum("cost_fen", filter=Q(stage__in=(Stage.ACCEPTED, Stage.SAFE))),
                      subsidy_fen=Sum("subsidy_fen", filter=~Q(stage__in=(Stage.INSPECTED, Stage.OPTION_CHOSEN))))
    total = {k: v or 0 for k, v in qs.aggregate(**aggregates).items()}
    out = {"year": year, "total": total, "children": []}
    child = {Level.COUNTY: "household__township", Level.TOWNSHIP: "household__village"}.get(Level(region.level))
    if child is None:
        return out
    rows = {r[child]: r for r in qs.values(child).annotate(**aggregates)}
    for area in Region.objects.filter(parent=region).order_by("code"):
        row = rows.get(area.pk, {})
        out["children"].append({"code": area.code, "name": area.name, "pk": area.pk,
                                **{k: row.get(k) or 0 for k in aggregates}})
    return out
