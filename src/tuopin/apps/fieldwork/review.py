"""The first secretary's review of proposed changes: accepted, a change is written through the registry's services
(their permission, validation, audit and optimistic lock); refused when the registry no longer holds the value the
proposal was made against — the reviewer rejects it, or the cadre proposes again (decision 1561)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.registry.models import HouseholdYear, PersonYear
from tuopin.apps.registry.services import household_year_update, person_year_update
from tuopin.common.versioning import locked, stamp

from .models import ChangeStatus, ProposedChange

PERSON_YEAR_FIELDS = {"person_year.school_status": "school_status", "person_year.basic_medical": "basic_medical"}
RENOVATION = "household_year.renovation"
REVIEW_FIELDS = ("status", "reviewed_by", "reviewed_at", "note")


def _value(record, field: str):
    if record is None:
        return None
    if field == RENOVATION:
        return {"renovation": record.renovation, "renovation_year": record.renovation_year}
    return getattr(record, PERSON_YEAR_FIELDS[field])


def registry_values(changes) -> dict[int, object]:
    """{change id: the registry's value of its field now} for many changes in two queries (the review list)."""
    changes = list(changes)
    people = Q(pk__in=[])
    homes = Q(pk__in=[])
    for c in changes:
        if c.field in PERSON_YEAR_FIELDS and c.person_id:
            people |= Q(person_id=c.person_id, year=c.year)
        elif c.field == RENOVATION:
            homes |= Q(household_id=c.household_id, year=c.year)
    person_years = {(r.person_id, r.year): r for r in PersonYear.objects.filter(people)} if changes else {}
    records = {(r.household_id, r.year): r for r in HouseholdYear.objects.filter(homes)} if changes else {}
    return {c.pk: _value(person_years.get((c.person_id, c.year)) if c.field in PERSON_YEAR_FIELDS
                         else records.get((c.household_id, c.year)), c.field) for c in changes}


def _record(change: ProposedChange):
    if change.field in PERSON_YEAR_FIELDS:
        return PersonYear.objects.filter(person_id=change.person_id, year=change.year).first()
    if change.field == RENOVATION:
        return HouseholdYear.objects.filter(household_id=change.household_id, year=change.year).first()
    raise ValidationError(_("changes of %(field)s cannot be applied here") % {"field": change.field})


def _reviewed(change: ProposedChange, *, by, status: str, note: str, source: str) -> ProposedChange:
    before = snapshot(change, REVIEW_FIELDS)
    change.status, change.reviewed_by, change.reviewed_at, change.note = status, by, timezone.now(), note.strip()
    change.save(update_fields=[*REVIEW_FIELDS, *stamp(change, by)])
    audit_change(actor=by, action=f"change:{status}", instance=change, source=source,
                 changes=diff(before, snapshot(change, REVIEW_FIELDS)),
                 summary=f"household {change.household.number}: {change.field} {status}")
    return change


def _pending(change: ProposedChange, version, by) -> ProposedChange:
    change = locked(ProposedChange, change.pk, version)
    require(by, Action.REVIEW_PROPOSED_CHANGE, change)
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("the change is %(status)s, not pending") % {"status": change.get_status_display()})
    return change


@transaction.atomic
def change_accept(*, change: ProposedChange, version: int, by, note: str = "", source: str = "web") -> ProposedChange:
    change = _pending(change, version, by)
    record = _record(change)
    if record is None:
        raise ValidationError(_("the registry has no yearly record of %(year)s to change; record the year first")
                              % {"year": change.year})
    now = _value(record, change.field)
    if now != change.current:
        raise ValidationError(_("the registry has changed since this was proposed (it was %(then)s, it is now "
                                "%(now)s): reject it, or ask the cadre to propose it again")
                              % {"then": change.current, "now": now})
    if change.field == RENOVATION:
        household_year_update(record=record, version=record.version, by=by, source=source, **change.proposed)
    else:
        person_year_update(record=record, version=record.version, by=by, source=source,
                           **{PERSON_YEAR_FIELDS[change.field]: change.proposed})
    return _reviewed(change, by=by, status=ChangeStatus.ACCEPTED, note=note, source=source)


@transaction.atomic
def change_reject(*, change: ProposedChange, version: int, by, note: str, source: str = "web") -> ProposedChange:
    change = _pending(change, version, by)
    if not (note or "").strip():
        raise ValidationError({"note": [_("say why the change is rejected")]})
    return _reviewed(change, by=by, status=ChangeStatus.REJECTED, note=note, source=source)
