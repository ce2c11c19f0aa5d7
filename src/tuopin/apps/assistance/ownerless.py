"""Gaps with no owner, for the organisation's page of what is missing (decision 1225): an open gap whose route
names a paired unit, a work team, a township government or a department that is not there, so the sync could
not give it to anyone of that kind (decision 0703)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry.models import Household

from . import config
from .models import Task, TaskStatus
from .sync import Owners


@dataclass(frozen=True)
class OwnerlessGap:
    household_id: int
    household_number: str
    village: Region
    indicator: str
    label: str
    owner: str  # the routing table's owner kind nobody answers for


def gaps_without_owner(township_id: int | None, on: dt.date | None = None) -> list[OwnerlessGap]:
    """Open gap tasks' (household, indicator) whose route names an owner kind nobody holds on `on`."""
    on = on or timezone.localdate()
    tasks = Task.objects.filter(kind="gap", status=TaskStatus.OPEN, household__isnull=False)
    if township_id:
        tasks = tasks.filter(Q(village__parent_id=township_id))
    gaps = sorted(set(tasks.values_list("household_id", "village_id", "indicator")))
    if not gaps:
        return []
    county = Region.objects.filter(level=Level.COUNTY).order_by("code").first()
    owners = Owners(county, on)
    routes = config.routing(county.code)
    numbers = dict(Household.objects.filter(pk__in={g[0] for g in gaps}).values_list("pk", "number"))
    regions = Region.objects.in_bulk({g[1] for g in gaps})
    out = []
    for household_id, village_id, indicator in gaps:
        route = routes.get(indicator)
        if route is None:
            continue
        for owner in route.owners:
            if owner != "cadre" and not owners.resolve(owner, household_id, village_id):
                out.append(OwnerlessGap(household_id, numbers.get(household_id, ""), regions[village_id],
                                        indicator, route.label, owner))
    return out
