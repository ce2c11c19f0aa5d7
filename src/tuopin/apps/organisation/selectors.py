"""Reads of the organisation: who answered for what on a date, the counts of `tuopin org --json`, war zones.

A pairing, a work team or a membership is *in force* on a date when it started on or before it and has not
ended before it (`end` empty, or on or after the date): ending one keeps it as history.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, StatusEvent

from .models import (Cadre, CadreHouseholdPairing, MutualGroup, SpecialGroup, Unit, UnitKind, UnitVillagePairing,
                     WarZone, WorkTeam, WorkTeamMember)


def in_force(on: dt.date | None = None, prefix: str = "") -> Q:
    """Q for periods (start/end) in force on `on` (default today); `prefix` reaches a related period."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on}))


def code_prefix(region: Region) -> str:
    """The significant digits of a region's code: every code below it starts with them (220821 for a county,
    220821100 for a township, the whole code for a village)."""
    keep = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9}.get(region.level, 12)
    return region.code[:keep]


def responsible_cadres(household: Household, on: dt.date | None = None) -> list[Cadre]:
    """The household's pairing cadres (帮扶责任人) on a date — more than one while a handover overlaps."""
    pairings = (CadreHouseholdPairing.objects.filter(in_force(on), household=household)
                .select_related("cadre__unit").order_by("start", "id"))
    return [p.cadre for p in pairings]


def household_pairing_history(household: Household) -> QuerySet[CadreHouseholdPairing]:
    return household.cadre_pairings.select_related("cadre__unit").order_by("start", "id")


def village_units(village: Region, on: dt.date | None = None) -> list[Unit]:
    """The units paired with a village on a date, the one paired first (牵头单位) first."""
    return [p.unit for p in UnitVillagePairing.objects.filter(in_force(on), village=village)
            .select_related("unit").order_by("start", "id")]


def war_zone_of(region: Region) -> WarZone | None:
    """The war zone (战区) a township, village or natural village lies in."""
    node = region
    while node is not None and node.level != Level.TOWNSHIP:
        node = node.parent
    if node is None:
        return None
    return WarZone.objects.filter(township=node).select_related("county_leader", "party_secretary").first()


def zone_townships_commanded_by(user) -> list[int]:
    """Township ids whose war zone the account commands: by its commander role and region, or as the cadre
    named commander (the county leader in charge or the Party secretary) of the zone."""
    ids = set()
    if getattr(user, "role", None) == "commander" and user.region_id:
        ids.add(user.region_id)
    if getattr(user, "cadre_id", None):
        ids.update(WarZone.objects.filter(Q(county_leader_id=user.cadre_id) | Q(party_secretary_id=user.cadre_id))
                   .values_list("township_id", flat=True))
    return sorted(ids)


def township_id_of(record) -> int | None:
    """The township a zone-local record lies in (its village's township), or None for a county-wide record
    (a unit, a cadre, a group, a war zone) — what a commander may edit (permissions: EDIT_ORGANISATION).
    Any other record placed at a region (assistance's responsibility items) lies where its region does."""
    from .models import SharedTrip

    if isinstance(record, Region):
        return record.pk if record.level == Level.TOWNSHIP else record.parent_id if record.level == Level.VILLAGE \
            else None
    if isinstance(record, (UnitVillagePairing, WorkTeam)):
        return record.village.parent_id
    if isinstance(record, CadreHouseholdPairing):
        return record.household.village.parent_id
    if isinstance(record, WorkTeamMember):
        return record.team.village.parent_id
    if isinstance(record, MutualGroup):
        return record.township_id
    if isinstance(record, SharedTrip):
        return record.group.township_id
    # A unit is county-wide even when it is a township government answering for a region.
    if not isinstance(record, Unit) and isinstance(getattr(record, "region", None), Region):
        return township_id_of(record.region)
    return None


def units_paired_in_townships(township_ids: list[int], on: dt.date | None = None) -> QuerySet[Unit]:
    pairings = UnitVillagePairing.objects.filter(in_force(on), village__parent_id__in=township_ids)
    return Unit.objects.filter(pk__in=pairings.values("unit_id"))


# ---- counts for `tuopin org --json` ---------------------------------------------------------------------

# 建档立卡贫困户 on a date: poor, returned or exited (an exited household keeps its cadre: 四个不摘).
PAIRED_STATUSES = (c.PovertyStatus.POOR, c.PovertyStatus.RETURNED, c.PovertyStatus.EXITED,
                   c.PovertyStatus.EXITED_NO_POLICY)


def registered_households_on(on: dt.date) -> set[int]:
    """Household ids whose status on `on` (their latest announced status event by then) is a registered one."""
    status: dict[int, str] = {}
    events = (StatusEvent.objects.filter(stage=c.Stage.ANNOUNCED, effective_on__lte=on,
                                         kind__in=list(c.STATUS_AFTER_EVENT))
              .order_by("household_id", "effective_on", "id").values_list("household_id", "kind"))
    for household_id, kind in events.iterator(chunk_size=20_000):
        status[household_id] = c.STATUS_AFTER_EVENT[kind]
    return {h for h, s in status.items() if s in PAIRED_STATUSES}


def org_counts(on: dt.date | None = None) -> dict:
    """The organisation as of `on` (default today), keys as docs/data-formats.md names them; `tuopin org` adds
    the tasks' counts (assistance's)."""
    on = on or timezone.localdate()
    members = WorkTeamMember.objects.filter(in_force(on), team__in=WorkTeam.objects.filter(in_force(on)))
    paired = set(CadreHouseholdPairing.objects.filter(in_force(on)).values_list("household_id", flat=True))
    registered = registered_households_on(on)
    teams_villages = set(WorkTeam.objects.filter(in_force(on)).values_list("village_id", flat=True))
    poor_villages = set(Region.objects.filter(level=Level.VILLAGE, is_poor_village=True).values_list("pk", flat=True))
    return {
        "on": on.isoformat(),
        "units": Unit.objects.count(),
        "departments": Unit.objects.filter(kind=UnitKind.DEPARTMENT).count(),
        "cadres": Cadre.objects.count(),
        "pairing_cadres": CadreHouseholdPairing.objects.filter(in_force(on)).values("cadre_id").distinct().count(),
        "special_groups": SpecialGroup.objects.count(),
        "work_teams": WorkTeam.objects.filter(in_force(on)).count(),
        "first_secretaries": members.filter(is_first_secretary=True).values("cadre_id").distinct().count(),
        "work_team_members": members.filter(is_first_secretary=False).values("cadre_id").distinct().count(),
        "unit_village_pairings": UnitVillagePairing.objects.filter(in_force(on)).count(),
        "cadre_household_pairings": CadreHouseholdPairing.objects.filter(in_force(on)).count(),
        "mutual_groups": MutualGroup.objects.count(),
        "poor_households_without_cadre": len(registered - paired),
        "poor_villages_without_team": len(poor_villages - teams_villages),
    }


def poor_households_without_cadre(on: dt.date | None = None) -> QuerySet[Household]:
    on = on or timezone.localdate()
    paired = set(CadreHouseholdPairing.objects.filter(in_force(on)).values_list("household_id", flat=True))
    return Household.objects.filter(pk__in=sorted(registered_households_on(on) - paired))


def poor_villages_without_team(on: dt.date | None = None) -> QuerySet[Region]:
    return (Region.objects.filter(level=Level.VILLAGE, is_poor_village=True)
            .exclude(pk__in=WorkTeam.objects.filter(in_force(on)).values("village_id")))
