"""Edits of organisation records people keep on pages and in imports: a unit, a cadre, a group, a 1×5 group, a
shared trip, a work team or a period's end. Each edit names the version it read (a stale one is refused with
StaleEdit: who saved it and when), is checked by the permission layer, validated, written and audited with the
old and new values. Creating the records lives in services.py; this module changes them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.geo.models import Level, Region
from tuopin.common.versioning import locked, stamp

from .models import Cadre, MutualGroup, SharedTrip, SpecialGroup
from .services import _check_group_members

# The fields a page or an import may change, per record kind; the rest (ids, periods' starts) stay as made.
EDITABLE = {
    "unit": ("name", "kind", "domain", "region"),
    "cadre": ("name", "unit", "post", "phone", "is_county_leader"),
    "workteam": ("unit", "end"),
    "workteammember": ("is_first_secretary", "end"),
    "unitvillagepairing": ("end",),
}


def _m2m(values) -> list[int]:
    return sorted(v.pk for v in values)


@transaction.atomic
def record_update(*, instance, by, version: int | None, source: str = "web", **fields):
    """Change the named fields of a unit, cadre, work team, member or pairing; nothing happens when nothing
    changed (no new version, no audit event)."""
    allowed = EDITABLE[instance._meta.model_name]
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    instance = locked(type(instance), instance.pk, version)
    require(by, Action.EDIT_ORGANISATION, instance)
    before = snapshot(instance, fields)
    for name, value in fields.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    if "end" in fields and fields["end"] is not None and fields["end"] < instance.start:
        raise ValidationError({"end": _("The period ends before it starts (%(start)s).") % {"start": instance.start}})
    # A field left empty on purpose (a team's sending unit, an open end) is allowed where the column is nullable.
    instance.full_clean(exclude=[name for name, value in fields.items() if value is None],
                        validate_unique=True, validate_constraints=False)
    changes = diff(before, snapshot(instance, fields))
    if not changes:
        return instance
    instance.save(update_fields=[*fields, *stamp(instance, by)])
    audit_change(actor=by, action="update", instance=instance, changes=changes, source=source,
                 summary=f"{instance._meta.verbose_name} {instance}")
    return instance


def _check_group(name: str, leader: Cadre | None, deputy: Cadre | None) -> None:
    if not name.strip():
        raise ValidationError({"name": _("Give the group a name.")})
    if leader and deputy and leader.pk == deputy.pk:
        raise ValidationError({"deputy": _("The leader and the deputy are two different people.")})


@transaction.atomic
def special_group_save(*, group: SpecialGroup | None, name: str, by, leader: Cadre | None = None,
                       deputy: Cadre | None = None, member_units=(), remit: str = "", is_leading_group: bool = False,
                       version: int | None = None, source: str = "web") -> SpecialGroup:
    """The leading group (领导小组) or a special group (专项小组): made when `group` is None, else changed."""
    _check_group(name, leader, deputy)
    fields = ("name", "remit", "leader", "deputy", "is_leading_group")
    if group is None:
        group = SpecialGroup(name=name.strip())
        require(by, Action.EDIT_ORGANISATION, group)
        before, units_before, created = {}, None, True
    else:
        group = locked(SpecialGroup, group.pk, version)
        require(by, Action.EDIT_ORGANISATION, group)
        before, units_before, created = snapshot(group, fields), _m2m(group.member_units.all()), False
    if is_leading_group and SpecialGroup.objects.filter(is_leading_group=True).exclude(pk=group.pk).exists():
        raise ValidationError({"is_leading_group": _("The county has one leading group already.")})
    group.name, group.remit, group.leader, group.deputy = name.strip(), remit.strip(), leader, deputy
    group.is_leading_group = is_leading_group
    group.full_clean(exclude=["leader", "deputy"], validate_constraints=False)
    changes = diff(before, snapshot(group, fields))
    units_after = _m2m(member_units)
    if units_before != units_after:
        changes["member_units"] = [units_before, units_after]
    if not changes:
        return group
    if not created:
        stamp(group, by)
    group.save()
    group.member_units.set(member_units)
    audit_change(actor=by, action="create" if created else "update", instance=group, changes=changes, source=source,
                 summary=f"group {group.name}")
    return group


@transaction.atomic
def mutual_group_update(*, group: MutualGroup, by, name: str, vehicle: str, township: Region | None, members,
                        version: int | None, source: str = "web") -> MutualGroup:
    """A 1×5 group's name, vehicle, township and five members, in one edit."""
    group = locked(MutualGroup, group.pk, version)
    require(by, Action.EDIT_ORGANISATION, group)
    moved = MutualGroup(name=name, township=township)
    require(by, Action.EDIT_ORGANISATION, moved)  # a commander cannot move a group out of its zone
    _check_group_members(list(members))
    if not name.strip():
        raise ValidationError({"name": _("Give the group a name.")})
    fields = ("name", "vehicle", "township")
    before, members_before = snapshot(group, fields), _m2m(group.members.all())
    group.name, group.vehicle, group.township = name.strip(), vehicle.strip(), township
    changes = diff(before, snapshot(group, fields))
    if members_before != _m2m(members):
        changes["members"] = [members_before, _m2m(members)]
    if not changes:
        return group
    group.save(update_fields=[*fields, *stamp(group, by)])
    group.members.set(members)
    audit_change(actor=by, action="update", instance=group, changes=changes, source=source,
                 summary=f"mutual group {group.name}")
    return group


def _check_trip(group: MutualGroup, on: dt.date, villages, households) -> None:
    for village in villages:
        if village.level != Level.VILLAGE:
            raise ValidationError({"villages": _("%(name)s is not a village.") % {"name": village.name}})
        if group.township_id and village.parent_id != group.township_id:
            raise ValidationError({"villages": _("%(name)s lies outside the group's township.")
                                                % {"name": village.name}})
    if group.township_id:
        for household in households:
            if household.village.parent_id != group.township_id:
                raise ValidationError({"households": _("Household %(number)s lies outside the group's township.")
                                       % {"number": household.number}})
    if not villages and not households:
        raise ValidationError({"villages": _("Name the villages or households the trip visited.")})


@transaction.atomic
def shared_trip_save(*, trip: SharedTrip | None, group: MutualGroup, on: dt.date, by, villages=(), households=(),
                     note: str = "", version: int | None = None, source: str = "web") -> SharedTrip:
    """一次联合走访: the 1×5 group out together on a day, the villages and households it visited."""
    villages, households = list(villages), list(households)
    _check_trip(group, on, villages, households)
    created = trip is None
    if created:
        trip = SharedTrip(group=group, on=on)
        before = {}
        visited_before = None
    else:
        trip = locked(SharedTrip, trip.pk, version)
        before = snapshot(trip, ("on", "note"))
        visited_before = [_m2m(trip.villages.all()), _m2m(trip.households.all())]
    require(by, Action.EDIT_ORGANISATION, SharedTrip(group=group, on=on))
    if SharedTrip.objects.filter(group=group, on=on).exclude(pk=trip.pk).exists():
        raise ValidationError({"on": _("The group already has a trip on %(on)s.") % {"on": on}})
    trip.on, trip.note = on, note.strip()
    changes = diff(before, snapshot(trip, ("on", "note")))
    visited = [_m2m(villages), _m2m(households)]
    if visited != visited_before:
        changes["visited"] = [visited_before, visited]
    if not changes:
        return trip
    if not created:
        stamp(trip, by)
    trip.save()
    trip.villages.set(villages)
    trip.households.set(households)
    audit_change(actor=by, action="create" if created else "update", instance=trip, changes=changes, source=source,
                 summary=f"shared trip of {group.name} on {on}")
    return trip


