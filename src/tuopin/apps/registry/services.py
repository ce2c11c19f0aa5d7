"""Writes to the registry. Each service validates, writes in one transaction and audits.

Naming: <entity>_<action>(*, keyword arguments). Views, API and commands call these and nothing else.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.common import idnumber
from tuopin.common.versioning import StaleEdit, locked, stamp  # noqa: F401  StaleEdit: callers catch it from here

from . import choices as c
from . import id_refusals, validation
from .models import MONEY_FIELDS, SHOCK_FIELDS, Household, HouseholdYear, Person, PersonYear, StatusEvent
from .signals import status_announced


HOUSEHOLD_EDITABLE = ("attribute", "primary_cause", "other_causes", "phone", "address", "cultivated_land_mu",
                      "housing_area_m2")
PERSON_EDITABLE = ("name", "sex", "birth_date", "relation", "ethnicity", "education", "school_status",
                   "chronic_illness", "serious_illness", "disabled", "disability_grade", "labour_ability",
                   "work_status", "work_months", "phone", "id_number")
HOUSEHOLD_YEAR_EDITABLE = tuple(f for f, _ in MONEY_FIELDS) + (
    "members", "production_cost_fen", "housing_grade", "renovation", "renovation_year", "renovation_cost_fen",
    "renovation_grade",
    "water_litres_per_day", "water_quality_ok", "water_minutes", "water_cut_days", "water_short_area",
    "food_clothing_secure", "income_expected_stable", *SHOCK_FIELDS,
)
PERSON_YEAR_EDITABLE = ("school_status", "basic_medical", "serious_illness_insurance", "medical_assistance",
                        "family_doctor", "pension_insurance", "dibao", "tekun", "work_months")


def check_id_number(*, raw: object, sex: str | None = None, birth_date: dt.date | None = None,
                    exclude_person: Person | None = None, viewer=None) -> str:
    """A normalised, valid, unused ID number consistent with the recorded sex and birth date.

    A clash names the other person only to a viewer that may see ID numbers and reaches that person's household,
    so that an edit cannot be used to find out who holds a number (id_refusals.py, decision 1103). The reasons
    are the validation layer's."""
    try:
        parsed = validation.parse_id_number(raw)
    except validation.Refused as exc:
        raise ValidationError({"id_number": [exc.message]}) from None
    # Either date is the hidden middle of an ID number: quoted only to a viewer who may see ID numbers (1110).
    shown = viewer is None or getattr(viewer, "may_see_id_numbers", False)
    errors = validation.id_number_agreement(parsed, sex=sex, birth=birth_date, quote_date=shown)
    unchanged = (exclude_person is not None
                 and Person.objects.filter(pk=exclude_person.pk, id_number=parsed.value).exists())
    if not unchanged and id_refusals.over_limit(viewer):
        raise id_refusals.IdNumberRefused({"id_number": [validation.ID_TAKEN_ELSEWHERE]})
    clash = Person.objects.filter(id_number=parsed.value).select_related("household")
    if exclude_person is not None:
        clash = clash.exclude(pk=exclude_person.pk)
    other = clash.first()
    if other is not None:
        from tuopin.apps.accounts.scoping import households_visible_to

        # Named, the holder's number would be given away to an account that may not see it, and its household to
        # an account outside its area (decision 1103).
        named = not id_refusals.counted(viewer) and (
            viewer is None or households_visible_to(viewer).filter(pk=other.household_id).exists())
        if not named:
            errors["id_number"] = validation.ID_TAKEN_ELSEWHERE
            raise id_refusals.IdNumberRefused({name: [reason] for name, reason in errors.items()})
        errors["id_number"] = validation.say(validation.ID_TAKEN, {"name": other.name,
                                                                   "household": other.household.number})
    if errors:
        raise ValidationError({name: [reason] for name, reason in errors.items()})
    return parsed.value


def _apply(instance, fields: dict, allowed: tuple[str, ...], rules: dict) -> dict:
    """Check the fields against the validation layer's rules and set them (normalised) on the instance."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("these fields cannot be edited here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    fields.update(validation.clean(rules, fields))
    before = snapshot(instance, fields)
    for name, value in fields.items():
        setattr(instance, name, value)
    return before


def _save(instance, before: dict, fields: dict, *, by, source: str, summary: str = ""):
    changes = diff(before, snapshot(instance, fields))
    if not changes:
        return instance
    instance.full_clean(validate_unique=False, validate_constraints=False)
    stamp(instance, by)
    instance.save()
    audit_change(actor=by, action="update", instance=instance, changes=changes, source=source, summary=summary)
    return instance


def _check_person(person: Person) -> None:
    """The rules that look at the whole record (grade and 残疾); sex and birth date against the ID number are
    checked with its uniqueness, in check_id_number."""
    errors = validation.disability_agreement(disabled=person.disabled, grade=person.disability_grade)
    if errors:
        raise ValidationError({name: [reason] for name, reason in errors.items()})


@transaction.atomic
def household_update(*, household: Household, version: int, by, source: str = "web", **fields) -> Household:
    instance = locked(Household, household.pk, version)
    require(by, Action.EDIT_REGISTRY, instance)
    before = _apply(instance, fields, HOUSEHOLD_EDITABLE, validation.HOUSEHOLD)
    return _save(instance, before, fields, by=by, source=source, summary=f"household {instance.number}")


def person_update(*, person: Person, version: int, by, source: str = "web", **fields) -> Person:
    try:
        return _person_update(person=person, version=version, by=by, source=source, **fields)
    except id_refusals.IdNumberRefused:
        id_refusals.record(by, source=source, entity_id=str(person.pk))  # after the rollback, so it stays
        raise


@transaction.atomic
def _person_update(*, person: Person, version: int, by, source: str, **fields) -> Person:
    instance = locked(Person, person.pk, version)
    require(by, Action.EDIT_REGISTRY, instance.household)
    if fields.get("id_number") and "birth_date" not in fields:
        # GB 11643: the number carries the birth date, so a corrected number brings its own. It is the only
        # way an account that may see neither ID numbers nor birth dates corrects a birth date (decision 1110).
        try:
            fields = {**fields, "birth_date": idnumber.parse(fields["id_number"]).birth_date}
        except idnumber.IDNumberError:
            pass  # check_id_number below says why the number is refused
    stored_id_number = instance.id_number
    before = _apply(instance, fields, PERSON_EDITABLE, validation.PERSON)
    # The number is always checked and normalised, so it is always compared: its old value must be in `before`
    # even when the edit did not send it, or the diff would record [None, number] — a change that did not happen.
    before.setdefault("id_number", stored_id_number)
    _check_person(instance)
    instance.id_number = check_id_number(raw=instance.id_number, sex=instance.sex, birth_date=instance.birth_date,
                                         exclude_person=instance, viewer=by)
    fields = {**fields, "id_number": instance.id_number}
    return _save(instance, before, fields, by=by, source=source, summary=f"person {instance.number}")


@transaction.atomic
def household_year_update(*, record: HouseholdYear, version: int, by, source: str = "web",
                          **fields) -> HouseholdYear:
    instance = locked(HouseholdYear, record.pk, version)
    require(by, Action.EDIT_YEARLY_RECORD, instance.household)
    derived = ("net_income_fen", "per_capita_net_income_fen")
    before = snapshot(instance, derived) | _apply(instance, fields, HOUSEHOLD_YEAR_EDITABLE, validation.HOUSEHOLD_YEAR)
    instance.compute_income()
    tracked = {**fields, **dict.fromkeys(derived)}
    return _save(instance, before, tracked, by=by, source=source,
                 summary=f"household {instance.household.number} year {instance.year}")


@transaction.atomic
def person_year_update(*, record: PersonYear, version: int, by, source: str = "web", **fields) -> PersonYear:
    """A person's yearly record (schooling, insurance, social protection): the assessment's inputs, so kept by
    those who may edit yearly records (decision 1101)."""
    instance = locked(PersonYear, record.pk, version)
    require(by, Action.EDIT_YEARLY_RECORD, instance.person.household)
    before = _apply(instance, fields, PERSON_YEAR_EDITABLE, validation.PERSON_YEAR)
    return _save(instance, before, fields, by=by, source=source,
                 summary=f"person {instance.person.number} year {instance.year}")


def person_create(*, household: Household, by, source: str = "web", **fields) -> Person:
    try:
        return _person_create(household=household, by=by, source=source, **fields)
    except id_refusals.IdNumberRefused:
        id_refusals.record(by, source=source)
        raise


@transaction.atomic
def _person_create(*, household: Household, by, source: str, **fields) -> Person:
    require(by, Action.EDIT_REGISTRY, household)
    fields.update(validation.clean(validation.PERSON, fields))
    _check_person(Person(**{k: v for k, v in fields.items() if k in PERSON_EDITABLE}))
    fields["id_number"] = check_id_number(raw=fields.get("id_number"), sex=fields.get("sex"),
                                          birth_date=fields.get("birth_date"), viewer=by)
    person = Person(household=household, updated_by=by, **fields)
    person.full_clean()
    person.save()
    audit_change(actor=by, action="create", instance=person, source=source,
                 changes={k: [None, v] for k, v in snapshot(person, fields).items()},
                 summary=f"person {person.number} joins household {household.number}")
    return person


# The household fields that cache its status events (decision 0005); audited when an event changes them.
CACHED_STATUS_FIELDS = ("status", "closed", "exit_year", "is_registered")


def _apply_announced_status(household: Household, *, kind: str, year: int) -> bool:
    """Set the household's cached status for an announced event of `kind` (in memory, not saved).

    False when the kind changes no status (分户, 并户). Shared with the exit procedure (procedure.py)."""
    new_status = c.STATUS_AFTER_EVENT.get(kind)
    if new_status is None:
        return False
    if kind in (c.EventKind.MONITORING_IN, c.EventKind.RISK_REMOVED):
        # Monitoring is not 建档立卡: a household never registered (边缘易致贫户, 突发严重困难户) stays unregistered
        # while monitored, and leaves monitoring as it came — not as 已脱贫, which it never was.
        household.status = (new_status if kind == c.EventKind.MONITORING_IN or household.is_registered
                            else c.PovertyStatus.NOT_REGISTERED)
        household.closed = False
        return True
    household.status = new_status
    household.closed = kind == c.EventKind.NATURAL_DECREASE
    household.is_registered = new_status != c.PovertyStatus.NOT_REGISTERED
    if kind == c.EventKind.EXITED:
        household.exit_year = year
    if kind == c.EventKind.IDENTIFIED and not household.identified_year:
        household.identified_year = year
    return True


@transaction.atomic
def status_event_record(*, household: Household, kind: str, year: int, effective_on: dt.date, by,
                        reason: str = "", source: str = "web", related: Household | None = None) -> StatusEvent:
    """A status change that needs no procedure (a death, a removal, a split) or an announced outcome."""
    require(by, Action.EDIT_REGISTRY, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    event = StatusEvent.objects.create(
        household=household, kind=kind, year=year, stage=c.Stage.ANNOUNCED, effective_on=effective_on,
        persons=household.members.filter(active=True).count(), reason=reason, related_household=related,
        created_by=by,
    )
    before = snapshot(household, CACHED_STATUS_FIELDS)
    if _apply_announced_status(household, kind=kind, year=year):
        stamp(household, by)
        household.save()
        audit_change(actor=by, action=f"event:{kind}", instance=household, source=source,
                     changes=diff(before, snapshot(household, before)), summary=reason or kind)
        status_announced.send(sender=StatusEvent, household_ids=[household.pk], kind=kind, on=effective_on, by=by,
                              source=source)
    return event


@transaction.atomic
def person_leave(*, person: Person, on: dt.date, reason: str, by, source: str = "web") -> Person:
    """A member leaves the household (死亡, 出嫁, 迁出, 错评): kept on file, inactive.

    When the last member of a registered household leaves, the household is closed (自然减少).
    """
    reason = validation.clean(validation.PERSON, {"left_reason": reason})["left_reason"]
    person = Person.objects.select_for_update().get(pk=person.pk)
    require(by, Action.EDIT_REGISTRY, person.household)
    if not person.active:
        raise ValidationError(_("%(name)s has already left the household") % {"name": person.name})
    before = snapshot(person, ("active", "left_on", "left_reason"))
    person.active, person.left_on, person.left_reason = False, on, reason
    stamp(person, by)
    person.save()
    audit_change(actor=by, action="leave", instance=person, changes=diff(before, snapshot(person, before)),
                 source=source, summary=reason)
    household = person.household
    if household.is_registered and not household.members.filter(active=True).exists():
        status_event_record(household=household, kind=c.EventKind.NATURAL_DECREASE, year=on.year,
                            effective_on=on, by=by, reason=f"last member left: {reason}", source=source)
    return person


@transaction.atomic
def household_split(*, household: Household, persons: list[Person], new_number: str, head: Person, by,
                    on: dt.date, source: str = "web") -> Household:
    """分户: some members form a new household; both keep the registration status."""
    require(by, Action.EDIT_REGISTRY, household)
    validation.clean({"number": validation.HOUSEHOLD_NUMBER}, {"number": new_number})
    if head not in persons:
        raise ValidationError(_("the new household's head must be one of the members who move"))
    if any(p.household_id != household.pk for p in persons):
        raise ValidationError(_("only members of this household can be split off"))
    if household.members.filter(active=True).exclude(pk__in=[p.pk for p in persons]).count() == 0:
        raise ValidationError(_("a split must leave at least one member in the original household"))
    new = Household.objects.create(
        number=new_number, village=household.village, natural_village=household.natural_village,
        township=household.township, is_registered=household.is_registered, attribute=household.attribute,
        status=household.status, identified_year=household.identified_year, primary_cause=household.primary_cause,
        split_from=household, updated_by=by,
    )
    Person.objects.filter(pk__in=[p.pk for p in persons]).update(household=new)
    Person.objects.filter(pk=head.pk).update(relation=c.Relation.HEAD)
    audit_change(actor=by, action="create", instance=new, source=source,
                 changes={"split_from": [None, household.number], "members": [None, [p.number for p in persons]]},
                 summary=f"split from {household.number}")
    status_event_record(household=household, kind=c.EventKind.SPLIT, year=on.year, effective_on=on, by=by,
                        related=new, reason=f"members moved to {new_number}", source=source)
    return new


@transaction.atomic
def household_merge(*, source_household: Household, into: Household, by, on: dt.date,
                    source: str = "web") -> Household:
    """并户: every active member moves into another household; the source is closed."""
    require(by, Action.EDIT_REGISTRY, source_household)
    require(by, Action.EDIT_REGISTRY, into)
    if source_household.pk == into.pk:
        raise ValidationError(_("a household cannot be merged into itself"))
    moved = list(source_household.members.filter(active=True).values_list("number", flat=True))
    source_household.members.filter(active=True).update(household=into, relation=c.Relation.OTHER)
    Household.objects.filter(pk=source_household.pk).update(merged_into=into, closed=True,
                                                            version=source_household.version + 1, updated_by=by,
                                                            updated_at=timezone.now())
    audit_change(actor=by, action="merge", instance=source_household, source=source,
                 changes={"merged_into": [None, into.number], "members": [moved, []]},
                 summary=f"merged into {into.number}")
    status_event_record(household=source_household, kind=c.EventKind.MERGED, year=on.year, effective_on=on,
                        by=by, related=into, reason=f"merged into {into.number}", source=source)
    return into
