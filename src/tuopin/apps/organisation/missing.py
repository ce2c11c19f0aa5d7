"""What the organisation is missing (decision 1225): poor villages without a work team, registered poor households
without a pairing cadre, townships without their two commanders (gaps with no owner: assistance.ownerless).
Each is scoped to a township for a commander."""

from __future__ import annotations

import datetime as dt

from tuopin.apps.geo.models import Level, Region

from .models import WarZone
from .selectors import poor_households_without_cadre, poor_villages_without_team

SHOWN = 200  # rows shown per list; the count says how many there are


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
