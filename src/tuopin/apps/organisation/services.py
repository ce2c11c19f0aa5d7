"""Writes to the organisation: units, cadres, pairings with their periods, work teams, 1×5 groups, war zones.

Ending a pairing or a membership sets its `end`; nothing is deleted, so "who was responsible on a date" can
always be answered (selectors.responsible_cadres). Each service validates, writes in one transaction, audits.
Edits of an existing record take the `version` the caller read: a stale one is refused with StaleEdit, naming
who saved the record last and when (decision 0906); `version=None` for callers with no earlier read.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.geo.models import Level, Region
from tuopin.common.versioning import locked, stamp

from .models import (Cadre, CadreHouseholdPairing, MutualGroup, Unit, UnitKind, UnitVillagePairing, WarZone, WorkTeam,
                     WorkTeamMember)

MUTUAL_GROUP_SIZE = 5  # "1×5": five cadres, one vehicle


def _created(instance, fields, *, by, source, summary):
    audit_change(actor=by, action="create", instance=instance, source=source, summary=summary,
                 changes={k: [None, v] for k, v in snapshot(instance, fields).items()})
    return instance


def _check_period(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError({"end": _("the period ends (%(end)s) before it starts (%(start)s)")
                                      % {"end": end, "start": start}})


def _overlaps(qs, start: dt.date, end: dt.date | None):
    """Rows of `qs` whose period shares at least one day with [start, end]."""
    qs = qs.filter(Q(end__isnull=True) | Q(end__gte=start))
    return qs if end is None else qs.filter(start__lte=end)


@transaction.atomic
def unit_create(*, name: str, kind: str, by, domain: str = "", region: Region | None = None,
                source: str = "web") -> Unit:
    if kind not in UnitKind.values:
        raise ValidationError({"kind": _("unknown unit kind %(kind)r") % {"kind": kind}})
    unit = Unit(name=name.strip(), kind=kind, domain=domain, region=region)
    require(by, Action.EDIT_ORGANISATION, unit)
    unit.full_clean()
    unit.save()
    return _created(unit, ("name", "kind", "domain", "region"), by=by, source=source, summary=f"unit {unit.name}")


@transaction.atomic
def cadre_create(*, name: str, unit: Unit, by, post: str = "", phone: str = "", is_county_leader: bool = False,
                 source: str = "web") -> Cadre:
    cadre = Cadre(name=name.strip(), unit=unit, post=post, phone=phone, is_county_leader=is_county_leader)
    require(by, Action.EDIT_ORGANISATION, cadre)
    cadre.full_clean()
    cadre.save()
    return _created(cadre, ("name", "unit", "post", "phone", "is_county_leader"), by=by, source=source,
                    summary=f"cadre {cadre.name} of {unit.name}")


# ---- pairings ---------------------------------------------------------------------------------------

@transaction.atomic
def cadre_household_pairing_create(*, cadre: Cadre, household, start: dt.date, by, end: dt.date | None = None,
                                   source: str = "web") -> CadreHouseholdPairing:
    """干部包户: the cadre answers for the household from `start` (to `end`, or until ended)."""
    require(by, Action.EDIT_ORGANISATION, CadreHouseholdPairing(cadre=cadre, household=household, start=start))
    _check_period(start, end)
    if _overlaps(CadreHouseholdPairing.objects.filter(cadre=cadre, household=household), start, end).exists():
        raise ValidationError(_("%(cadre)s is already paired with household %(number)s in that period")
                              % {"cadre": cadre.name, "number": household.number})
    pairing = CadreHouseholdPairing.objects.create(cadre=cadre, household=household, start=start, end=end)
    return _created(pairing, ("cadre", "household", "start", "end"), by=by, source=source,
                    summary=f"{cadre.name} pairs with household {household.number} from {start}")


@transaction.atomic
def unit_village_pairing_create(*, unit: Unit, village: Region, start: dt.date, by, end: dt.date | None = None,
                                source: str = "web") -> UnitVillagePairing:
    """单位包村: the unit answers for the village from `start`."""
    require(by, Action.EDIT_ORGANISATION, UnitVillagePairing(unit=unit, village=village, start=start))
    _check_period(start, end)
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("%(village)s is not an administrative village")
                                          % {"village": village.name}})
    if _overlaps(UnitVillagePairing.objects.filter(unit=unit, village=village), start, end).exists():
        raise ValidationError(_("%(unit)s is already paired with %(village)s in that period")
                              % {"unit": unit.name, "village": village.name})
    pairing = UnitVillagePairing.objects.create(unit=unit, village=village, start=start, end=end)
    return _created(pairing, ("unit", "village", "start", "end"), by=by, source=source,
                    summary=f"{unit.name} pairs with {village.name} from {start}")


@transaction.atomic
def period_end(*, instance, end: dt.date, by, version: int | None = None, reason: str = "", source: str = "web"):
    """End a pairing, a work team or a membership on `end` (inclusive). It stays on file as history."""
    instance = locked(type(instance), instance.pk, version)
    require(by, Action.EDIT_ORGANISATION, instance)
    if instance.end is not None and instance.end <= end:
        raise ValidationError(_("already ended on %(end)s") % {"end": instance.end})
    _check_period(instance.start, end)
    before = snapshot(instance, ("end",))
    instance.end = end
    instance.save(update_fields=["end", *stamp(instance, by)])
    audit_change(actor=by, action="end", instance=instance, changes=diff(before, snapshot(instance, ("end",))),
                 source=source, summary=reason or f"ended on {end}")
    return instance


# Named for what they do, one home for the rule.
pairing_end = period_end


@transaction.atomic
def cadre_household_handover(*, household, to: Cadre, on: dt.date, by, reason: str = "",
                             source: str = "web") -> CadreHouseholdPairing:
    """换人: the household's pairings in force end the day before `on`, and `to` takes over from `on` —
    responsibility passes from hand to hand, never left empty."""
    for pairing in CadreHouseholdPairing.objects.filter(household=household, start__lt=on).filter(
            Q(end__isnull=True) | Q(end__gte=on)).exclude(cadre=to):
        period_end(instance=pairing, end=on - dt.timedelta(days=1), by=by, source=source,
                   reason=reason or f"handed over to {to.name}")
    return cadre_household_pairing_create(cadre=to, household=household, start=on, by=by, source=source)


# ---- work teams (驻村工作队) and first secretaries ----------------------------------------------------------

@transaction.atomic
def work_team_create(*, village: Region, unit: Unit | None, start: dt.date, by, end: dt.date | None = None,
                     source: str = "web") -> WorkTeam:
    require(by, Action.EDIT_ORGANISATION, WorkTeam(village=village, unit=unit, start=start))
    _check_period(start, end)
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("%(village)s is not an administrative village")
                                          % {"village": village.name}})
    if _overlaps(WorkTeam.objects.filter(village=village), start, end).exists():
        raise ValidationError(_("%(village)s already has a work team in that period") % {"village": village.name})
    team = WorkTeam.objects.create(village=village, unit=unit, start=start, end=end)
    return _created(team, ("village", "unit", "start", "end"), by=by, source=source,
                    summary=f"work team for {village.name} from {start}")


@transaction.atomic
def work_team_member_add(*, team: WorkTeam, cadre: Cadre, start: dt.date, by, end: dt.date | None = None,
                         first_secretary: bool = False, source: str = "web") -> WorkTeamMember:
    """Dispatch (选派) a cadre to the team for a period; a team has one first secretary at a time."""
    require(by, Action.EDIT_ORGANISATION, team)
    _check_period(start, end)
    if start < team.start or (team.end and (end is None or end > team.end)):
        raise ValidationError(_("the dispatch period must lie within the team's period (%(start)s – %(end)s)")
                              % {"start": team.start, "end": team.end or _("open")})
    if _overlaps(WorkTeamMember.objects.filter(cadre=cadre), start, end).exists():
        raise ValidationError(_("%(cadre)s is already dispatched to a work team in that period")
                              % {"cadre": cadre.name})
    if first_secretary and _overlaps(team.members.filter(is_first_secretary=True), start, end).exists():
        raise ValidationError(_("the team of %(village)s already has a first secretary in that period")
                              % {"village": team.village.name})
    member = WorkTeamMember.objects.create(team=team, cadre=cadre, start=start, end=end,
                                           is_first_secretary=first_secretary)
    return _created(member, ("team", "cadre", "start", "end", "is_first_secretary"), by=by, source=source,
                    summary=f"{cadre.name} dispatched to {team.village.name}"
                            + (" as first secretary" if first_secretary else ""))


# ---- 1×5 mutual groups --------------------------------------------------------------------------------

def _check_group_members(cadres: list[Cadre]) -> None:
    ids = {c.pk for c in cadres}
    if len(ids) != MUTUAL_GROUP_SIZE:
        raise ValidationError({"members": _("a 1×5 mutual group has exactly %(size)s different cadres, not %(n)s")
                                          % {"size": MUTUAL_GROUP_SIZE, "n": len(ids)}})


@transaction.atomic
def mutual_group_create(*, name: str, members: list[Cadre], by, township: Region | None = None, vehicle: str = "",
                        source: str = "web") -> MutualGroup:
    require(by, Action.EDIT_ORGANISATION, MutualGroup(name=name, township=township))
    _check_group_members(members)
    group = MutualGroup.objects.create(name=name, township=township, vehicle=vehicle)
    group.members.set(members)
    audit_change(actor=by, action="create", instance=group, source=source, summary=f"mutual group {name}",
                 changes={"name": [None, name], "vehicle": [None, vehicle],
                          "members": [None, sorted(c.pk for c in members)]})
    return group


@transaction.atomic
def mutual_group_set_members(*, group: MutualGroup, members: list[Cadre], by, version: int | None = None,
                             source: str = "web") -> MutualGroup:
    group = locked(MutualGroup, group.pk, version)
    require(by, Action.EDIT_ORGANISATION, group)
    _check_group_members(members)
    before = sorted(group.members.values_list("pk", flat=True))
    group.members.set(members)
    group.save(update_fields=stamp(group, by))
    audit_change(actor=by, action="update", instance=group, source=source, summary=f"mutual group {group.name}",
                 changes={"members": [before, sorted(c.pk for c in members)]})
    return group


# ---- war zones (战区) ------------------------------------------------------------------------------------

@transaction.atomic
def war_zone_set_commanders(*, township: Region, county_leader: Cadre, party_secretary: Cadre, by,
                            version: int | None = None, source: str = "web") -> WarZone:
    """The zone's two jointly responsible commanders (捆绑同责): the county leader in charge and the
    township's Party secretary. The county office names them (decision 1220)."""
    require(by, Action.EDIT_ORGANISATION, WarZone(township=township))
    if township.level != Level.TOWNSHIP:
        raise ValidationError({"township": _("%(region)s is not a township: each war zone is one township")
                                           % {"region": township.name}})
    if not county_leader.is_county_leader:
        raise ValidationError({"county_leader": _("%(name)s is not a county leader (县级领导)")
                                                % {"name": county_leader.name}})
    if county_leader.pk == party_secretary.pk:
        raise ValidationError(_("the two commanders are two different people"))
    zone, created = WarZone.objects.select_for_update().get_or_create(township=township)
    if not created:
        zone = locked(WarZone, zone.pk, version)
    fields = ("county_leader", "party_secretary")
    before = {} if created else snapshot(zone, fields)
    zone.county_leader, zone.party_secretary = county_leader, party_secretary
    if not created:
        stamp(zone, by)
    zone.save()
    audit_change(actor=by, action="create" if created else "update", instance=zone, source=source,
                 changes=diff(before, snapshot(zone, fields)), summary=f"war zone {township.name}")
    return zone
