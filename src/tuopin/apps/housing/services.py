"""Writes of a house's renovation (decision 1521). Each stage is recorded only after the one before it, by the
roles that own it (accounts.permissions.HOUSING_STAGE_OWNERS), on the version read, audited in the same
transaction. The last stage — inspected again and graded safe — writes the household's yearly records through
the registry's own service (`household_year_update`: validated, version-checked, audited), so the live figures
follow as after any registry edit (decision 1380) and the rule judges the house as it judges an imported one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin import standards
from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.registry import services as registry
from tuopin.apps.registry.choices import HousingGrade
from tuopin.apps.registry.models import Household, HouseholdYear
from tuopin.common.versioning import StaleEdit, locked, stamp  # noqa: F401  StaleEdit: callers catch it here

from . import options as opt
from .choices import OPTIONS, UNSAFE_GRADES, Stage
from .models import HouseRenovation

NAME_MAX = 64
AREA_MAX_M2 = Decimal("10000")
COST_MAX_FEN = 1_000_000 * 100  # the registry's bound on a renovation's cost (危房改造费用, 0–1,000,000 yuan)


def _county_code(household: Household) -> str:
    return household.township.code[:6]


def _date(on, after: dt.date | None, field: str) -> dt.date:
    if not isinstance(on, dt.date):
        raise ValidationError({field: [_("a date is needed")]})
    if on > timezone.localdate():
        raise ValidationError({field: [_("the date is in the future")]})
    if after is not None and on < after:
        raise ValidationError({field: [_("the date is before the stage before it (%(date)s)") % {
            "date": after.isoformat()}]})
    return on


def _name(value, field: str, *, blank: bool = False) -> str:
    text = str(value or "").strip()
    if not text and not blank:
        raise ValidationError({field: [_("a name is needed")]})
    if len(text) > NAME_MAX:
        raise ValidationError({field: [_("at most %(n)s characters") % {"n": NAME_MAX}]})
    return text


def _at(renovation: HouseRenovation, *stages: str) -> None:
    if renovation.stage not in stages:
        raise ValidationError(_("the renovation is at the stage “%(stage)s”: this stage cannot be recorded now") % {
            "stage": renovation.get_stage_display()})


def _save(instance: HouseRenovation, before: dict, *, by, action: str, source: str) -> HouseRenovation:
    stamp(instance, by)
    instance.full_clean(validate_constraints=False)
    instance.save()
    audit_change(actor=by, action=action, instance=instance, source=source,
                 changes=diff(before, snapshot(instance, before)),
                 summary=f"household {instance.household.number}: {instance.get_stage_display()}")
    return instance


FIELDS = ("stage", "option", "option_on", "estimated_cost_fen", "subsidy_fen", "approved_on", "approved_by_name",
          "works_on", "contractor", "accepted_on", "accepted_by_name", "accepted", "cost_fen", "reinspected_on",
          "reinspector", "reinspection_grade", "note")


@transaction.atomic
def renovation_inspect(*, household: Household, grade: str, on: dt.date, inspector: str, agency: str = "",
                       floor_area_m2, by, source: str = "web") -> HouseRenovation:
    """鉴定: a house graded C or D opens a renovation (one open renovation per household)."""
    require(by, Action.RECORD_HOUSING_STAGE, (Stage.INSPECTED, household))
    household = Household.objects.select_for_update().get(pk=household.pk)
    if grade not in UNSAFE_GRADES:
        raise ValidationError({"grade": [_("a house graded A or B needs no renovation")]})
    try:
        area = Decimal(str(floor_area_m2))
    except InvalidOperation:
        raise ValidationError({"floor_area_m2": [_("a floor area in square metres is needed")]}) from None
    if not Decimal("0") < area <= AREA_MAX_M2:
        raise ValidationError({"floor_area_m2": [_("the floor area must be above 0 and at most 10,000 ㎡")]})
    if HouseRenovation.objects.filter(household=household).exclude(stage=Stage.SAFE).exists():
        raise ValidationError(_("the household's house already has a renovation under way"))
    members = household.members.filter(active=True).count()
    renovation = HouseRenovation(
        household=household, grade=grade, inspected_on=_date(on, None, "on"), members=max(members, 1),
        inspector=_name(inspector, "inspector"), agency=_name(agency, "agency", blank=True)[:100],
        floor_area_m2=area, updated_by=by)
    renovation.full_clean(validate_constraints=False)
    renovation.save()
    audit_change(actor=by, action="create", instance=renovation, source=source,
                 changes={k: [None, v] for k, v in snapshot(renovation, (
                     "household", "grade", "inspected_on", "inspector", "agency", "floor_area_m2",
                     "members")).items()},
                 summary=f"household {household.number}: 鉴定 {grade}")
    return renovation


@transaction.atomic
def renovation_choose(*, renovation: HouseRenovation, version: int, option: str, on: dt.date, by,
                      source: str = "web") -> HouseRenovation:
    """方案选定: an option open to the grade; its reference cost and the grade's subsidy from the standards in force.
    The option may be chosen again until the county approves it."""
    instance = locked(HouseRenovation, renovation.pk, version)
    require(by, Action.RECORD_HOUSING_STAGE, (Stage.OPTION_CHOSEN, instance.household))
    _at(instance, Stage.INSPECTED, Stage.OPTION_CHOSEN)
    code = _county_code(instance.household)
    choices = {o.code: o for o in opt.compare(grade=instance.grade, floor_area_m2=instance.floor_area_m2,
                                               members=instance.members, code=code)}
    if option not in OPTIONS or option not in choices or not choices[option].open:
        raise ValidationError({"option": [_("this option is not open to a house of grade %(grade)s") % {
            "grade": instance.grade}]})
    before = snapshot(instance, FIELDS)
    instance.option, instance.option_on = option, _date(on, instance.inspected_on, "on")
    instance.estimated_cost_fen = choices[option].cost_fen
    instance.subsidy_fen = opt.subsidy_fen(instance.grade, instance.estimated_cost_fen, code=code)
    instance.stage = Stage.OPTION_CHOSEN
    return _save(instance, before, by=by, action="housing:option", source=source)


@transaction.atomic
def renovation_approve(*, renovation: HouseRenovation, version: int, on: dt.date, by, approved_by_name: str = "",
                       source: str = "web") -> HouseRenovation:
    """县级审批: the county office approves the option and its subsidy."""
    instance = locked(HouseRenovation, renovation.pk, version)
    require(by, Action.RECORD_HOUSING_STAGE, (Stage.APPROVED, instance.household))
    _at(instance, Stage.OPTION_CHOSEN)
    before = snapshot(instance, FIELDS)
    instance.approved_on = _date(on, instance.option_on, "on")
    instance.approved_by_name = _name(approved_by_name or (by.get_username() if by else ""), "approved_by_name")
    instance.stage = Stage.APPROVED
    return _save(instance, before, by=by, action="housing:approve", source=source)


@transaction.atomic
def renovation_start(*, renovation: HouseRenovation, version: int, on: dt.date, contractor: str = "", by,
                     source: str = "web") -> HouseRenovation:
    """开工: the works start (the contractor if any: many households build with their own hands)."""
    instance = locked(HouseRenovation, renovation.pk, version)
    require(by, Action.RECORD_HOUSING_STAGE, (Stage.WORKS, instance.household))
    _at(instance, Stage.APPROVED)
    before = snapshot(instance, FIELDS)
    instance.works_on = _date(on, instance.approved_on, "on")
    instance.contractor = str(contractor or "").strip()[:100]
    instance.stage = Stage.WORKS
    return _save(instance, before, by=by, action="housing:works", source=source)


@transaction.atomic
def renovation_accept(*, renovation: HouseRenovation, version: int, on: dt.date, accepted_by_name: str,
                      passed: bool, cost_fen: int, note: str = "", by, source: str = "web") -> HouseRenovation:
    """竣工验收: who checked the finished works, when, whether they passed, what they cost. A failed check is
    recorded and leaves the works open for another."""
    instance = locked(HouseRenovation, renovation.pk, version)
    require(by, Action.RECORD_HOUSING_STAGE, (Stage.ACCEPTED, instance.household))
    _at(instance, Stage.WORKS)
    if isinstance(cost_fen, bool) or not isinstance(cost_fen, int) or not 0 <= cost_fen <= COST_MAX_FEN:
        raise ValidationError({"cost": [_("the cost must be between 0 and 1,000,000 yuan")]})
    if passed and cost_fen == 0:
        raise ValidationError({"cost": [_("accepted works need their cost")]})
    before = snapshot(instance, FIELDS)
    instance.accepted_on = _date(on, instance.works_on, "on")
    instance.accepted_by_name = _name(accepted_by_name, "accepted_by_name")
    instance.accepted, instance.cost_fen = bool(passed), cost_fen
    instance.note = str(note or "").strip()[:200]
    if passed:
        instance.stage = Stage.ACCEPTED
        # The subsidy is the grade's, never more than what the works cost.
        instance.subsidy_fen = opt.subsidy_fen(instance.grade, cost_fen, code=_county_code(instance.household))
    return _save(instance, before, by=by, action="housing:accept" if passed else "housing:accept_failed",
                 source=source)


@transaction.atomic
def renovation_reinspect(*, renovation: HouseRenovation, version: int, on: dt.date, grade: str, inspector: str,
                         by, source: str = "web") -> HouseRenovation:
    """改造后鉴定: the house inspected again. Graded safe, the renovation is done and the household's yearly
    records from that year on say so (renovation, its year, cost and this grade); graded C or D, it stays
    accepted and unsafe until a later inspection."""
    instance = locked(HouseRenovation, renovation.pk, version)
    household = instance.household
    require(by, Action.RECORD_HOUSING_STAGE, (Stage.SAFE, household))
    _at(instance, Stage.ACCEPTED)
    if grade not in HousingGrade.values:
        raise ValidationError({"grade": [_("choose a housing safety grade")]})
    before = snapshot(instance, FIELDS)
    instance.reinspected_on = _date(on, instance.accepted_on, "on")
    instance.reinspector = _name(inspector, "inspector")
    instance.reinspection_grade = grade
    safe = grade in standards.load(_county_code(household)).section("household")["safe_housing_grades"]
    if safe:
        instance.stage = Stage.SAFE
    saved = _save(instance, before, by=by, action="housing:reinspect", source=source)
    if safe:
        _write_registry(saved, by=by, source=source)
    return saved


def _write_registry(renovation: HouseRenovation, *, by, source: str) -> None:
    """The household's yearly records from the year the house was found safe, through the registry's service.
    The year is the re-inspection's: the house counts as safe from the year it was finished and found safe."""
    year = renovation.reinspected_on.year
    records = list(HouseholdYear.objects.filter(household=renovation.household, year__gte=year).order_by("year"))
    if not records:
        raise ValidationError(_("the household has no yearly record for %(year)s or later: add it before the "
                                "renovation can be recorded as done") % {"year": year})
    for record in records:
        registry.household_year_update(
            record=record, version=record.version, by=by, source=source, renovation=renovation.option,
            renovation_year=year, renovation_cost_fen=renovation.cost_fen,
            renovation_grade=renovation.reinspection_grade)
