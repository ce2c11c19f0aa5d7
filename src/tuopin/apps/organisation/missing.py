"""What the organisation is missing (decision 1225): poor villages without a work team, registered poor households
without a pairing cadre, townships without their two commanders, and gaps with no owner — an open gap whose
route names a paired unit, a work team, a township government or a department that is not there, so the
sync could not give it to anyone of that kind (decision 0703). Each is scoped to a township for a commander."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry.models import Household

from .models import WarZone
from .selectors import poor_households_without_cadre, poor_villages_without_team

SHOWN = 200  # rows shown per list; the count says how many there are


@dataclass(frozen=True)
class OwnerlessGap:
    household_id: int
    household_number: str
    village: Region
    indicator: str
    label: str
    owner: str  # the routing table's owner kind nobody answers for


def _in_township(qs, township_id: int | None, field: str):
    return qs.filter(**{field: township_id}) if township_id else qs


def villages_without_team(township_id: int | None, on: dt.date | None = None):
    return _in_township(poor_villages_without_team(on), township_id, "parent_id").select_related("parent") \
        .order_by("code")


def households_without_cadre(township_id: int | None, on: dt.date | None = None):
    return _in_township(poor_households_without_cadre(on), township_id, "village__parent_id") \
        .select_related("village__parent").order_by("number")


def townships_without_commanders(township_id: int | None):
    complete = WarZone.objects.filter(county_leader__isnull=False, party_secretary__isnull=False)
    qs = Region.objects.filter(level=Level.TOWNSHIP).exclude(pk__in=complete.values("township_id"))
    return (qs.filter(pk=township_id) if township_id else qs).order_by("code")


def gaps_without_owner(township_id: int | None, on: dt.date | None = None) -> list[OwnerlessGap]:
    """Open gap tasks' (household, indicator) whose route names an owner kind nobody holds on `on`."""
    from tuopin.apps.assistance import config
    from tuopin.apps.assistance.models import Task, TaskStatus
    from tuopin.apps.assistance.sync import Owners

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
