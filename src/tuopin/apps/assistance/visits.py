"""Visits ("1+1", 结对帮扶走访): who visited which household when, what was found, what was done, and the
follow-up tasks; a 1×5 mutual group's shared trip records a visit for each household its members visited."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.models import Role
from tuopin.apps.accounts.permissions import Action, may, require
from tuopin.apps.accounts.scoping import households_visible_to
from tuopin.apps.audit.services import audit_batch, audit_change
from tuopin.apps.organisation.models import Cadre, CadreHouseholdPairing, MutualGroup
from tuopin.apps.organisation.selectors import in_force
from tuopin.apps.registry.models import Household

from .models import Visit
from .tasks import task_create

@dataclass(frozen=True)
class FollowUp:  # a follow-up task made with the visit, owned by the visiting cadre
    title: str
    due: dt.date | None = None


def _check_visitor(*, by, cadre: Cadre, household: Household, on: dt.date) -> None:
    require(by, Action.RECORD_VISIT, household)
    if by is not None and by.role == Role.CADRE and by.cadre_id != cadre.pk:
        raise PermissionDenied("a cadre records their own visits")
    if on > timezone.localdate():
        raise ValidationError({"on": _("a visit cannot be recorded for a future date")})
    if not CadreHouseholdPairing.objects.filter(in_force(on), cadre=cadre, household=household).exists():
        raise ValidationError(_("%(cadre)s was not paired with household %(number)s on %(on)s")
                              % {"cadre": cadre.name, "number": household.number, "on": on})


@transaction.atomic
def visit_record(*, household: Household, cadre: Cadre, on: dt.date, by, found: str = "", done: str = "",
                 follow_ups: list[FollowUp] = (), source: str = "web", trip: str = "",
                 mutual_group: MutualGroup | None = None, client_id: uuid.UUID | None = None,
                 answers: list[dict] | None = None) -> Visit:
    """A visit; a structured one (fieldwork, decision 1560) brings its idempotency key and checklist answers."""
    _check_visitor(by=by, cadre=cadre, household=household, on=on)
    visit = Visit.objects.create(household=household, cadre=cadre, on=on, found=found.strip(), done=done.strip(),
                                 trip=trip, mutual_group=mutual_group, created_by=by, client_id=client_id,
                                 answers=answers or [], source=source[:10])
    tasks = [task_create(kind="visit_followup", title=f.title, due=f.due, household=household, owner_cadre=cadre,
                         by=by, source=source, detail=f"走访 {on}：{found.strip()}"[:1000])
             for f in follow_ups]
    audit_change(actor=by, action="create", instance=visit, source=source,
                 summary=f"visit to household {household.number} on {on}",
                 changes={"household": [None, household.pk], "cadre": [None, cadre.pk], "on": [None, on.isoformat()],
                          "follow_up_tasks": [None, [t.pk for t in tasks]]})
    return visit


@transaction.atomic
def mutual_group_trip_record(*, group: MutualGroup, on: dt.date, households: list[Household], by,
                             notes: dict[int, tuple[str, str]] | None = None, source: str = "web") -> list[Visit]:
    """One shared trip of a 1×5 group (one vehicle): a visit for each household visited, by the member paired
    with it on that day. Refused as a whole if a household is paired with none of the group's members.

    A member of the group records the trip for all of it; another role only within its own scope."""
    if not households:
        raise ValidationError(_("name the households visited on the trip"))
    if on > timezone.localdate():
        raise ValidationError({"on": _("a trip cannot be recorded for a future date")})
    members = set(group.members.values_list("pk", flat=True))
    if by.role == Role.CADRE:
        if by.cadre_id not in members:
            raise PermissionDenied("only a member of the group records its trips")
    elif not may(by, Action.RECORD_VISIT) or (households_visible_to(by).filter(pk__in=[h.pk for h in households]).count()
                                        != len({h.pk for h in households})):
        raise PermissionDenied("a household of the trip is not in your scope")
    paired: dict[int, int] = {}
    for household_id, cadre_id in (CadreHouseholdPairing.objects.filter(in_force(on), cadre_id__in=members,
                                                                        household__in=households)
                                   .order_by("start", "pk").values_list("household_id", "cadre_id")):
        paired.setdefault(household_id, cadre_id)
    missing = [h.number for h in households if h.pk not in paired]
    if missing:
        raise ValidationError(_("not paired with a member of %(group)s on %(on)s: %(households)s")
                              % {"group": group.name, "on": on, "households": ", ".join(missing)})
    trip = f"{group.pk}-{on:%Y%m%d}-{uuid.uuid4().hex[:6]}"
    notes = notes or {}
    visits = [Visit.objects.create(household=h, cadre_id=paired[h.pk], on=on, found=notes.get(h.pk, ("", ""))[0],
                                   done=notes.get(h.pk, ("", ""))[1], trip=trip, mutual_group=group, created_by=by)
              for h in households]
    audit_batch(actor=by, action="mutual_group_trip", entity="assistance.visit", source=source,
                summary=f"{group.name} trip on {on}: {len(visits)} households",
                batch={"trip": trip, "group": group.pk, "visits": [v.pk for v in visits]})
    return visits
