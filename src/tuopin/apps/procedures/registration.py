"""A family not yet in the registry applies to be identified as poor (建档立卡 新识别): the village office or the
county office enters it — head and members, the year's income and the facts the identification looks at — and its
application opens the identification procedure (decision 1235).

All or nothing: every field of the household, the year's record and every member is checked first, each refusal
keyed to its field (`household.phone`, `year.wage_income_fen`, `members.2.id_number`) in the validation layer's
words; then the household, its members and its year are written, audited, and the application recorded through
`procedure.identification_apply`. An ID number already registered is refused as everywhere else (decision 1103):
named only to an account that sees ID numbers and reaches its holder, counted for the others.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, snapshot
from tuopin.apps.geo.models import Level, Region

from tuopin.apps.registry import choices as c
from tuopin.apps.registry import id_refusals, validation
from tuopin.apps.registry.models import Household, HouseholdYear, Person, StatusEvent
from tuopin.apps.registry.services import check_id_number

from .procedure import identification_apply

HOUSEHOLD_FIELDS = ("primary_cause", "other_causes", "phone", "address", "cultivated_land_mu", "housing_area_m2")
YEAR_FIELDS = (
    "wage_income_fen", "business_income_fen", "property_income_fen", "dividend_income_fen", "dibao_fen", "tekun_fen",
    "pension_fen", "family_planning_fen", "eco_compensation_fen", "other_transfer_fen", "production_cost_fen",
    "housing_grade", "water_litres_per_day", "water_quality_ok", "water_minutes", "water_cut_days",
    "water_short_area", "food_clothing_secure", "income_expected_stable",
)
# Sex and birth date are not asked for: the ID number carries them (GB 11643).
MEMBER_FIELDS = ("name", "id_number", "relation", "ethnicity", "education", "school_status", "chronic_illness",
                 "serious_illness", "disabled", "disability_grade", "labour_ability", "work_status", "work_months",
                 "phone")

NO_MEMBERS = _("a household needs at least one member: its head")
ONE_HEAD = _("a household has exactly one head (户主); this family lists %(n)s")
TOO_MANY = _("a household has at most %(limit)s members")
SAME_ID_TWICE = _("this ID number is given for another member of this family too")
NOT_YOUR_VILLAGE = _("choose an administrative village of your area")
OTHER_YEAR = _("an application of %(year)s is recorded in %(year)s")
NOT_YET = _("is in the future")
NUMBERS_USED_UP = _("the village has no free household number left; ask the county office")


class RegistrationRefused(ValidationError):
    """Every refusal of the form, keyed to its field; `id_refusals` counts the ID numbers refused as registered
    elsewhere (written to the audit trail once the transaction has rolled back)."""

    def __init__(self, errors: dict[str, list], id_refusals: int = 0):
        super().__init__(errors)
        self.id_refusals = id_refusals


@dataclass
class Registered:
    household: Household
    event: StatusEvent  # the identification procedure, at its first stage (农户申请)


def household_register(*, village: Region, year: int, on: dt.date, by, household: dict[str, Any],
                       year_record: dict[str, Any], members: list[dict[str, Any]], by_name: str = "",
                       note: str = "", source: str = "web") -> Registered:
    """Enter an applying family and record its application; raises RegistrationRefused (nothing written)."""
    try:
        return _register(village=village, year=year, on=on, by=by, household=household, year_record=year_record,
                         members=members, by_name=by_name, note=note, source=source)
    except RegistrationRefused as exc:
        if exc.id_refusals:
            id_refusals.record(by, how_many=exc.id_refusals, source=source)  # after the rollback, so it stays
        raise


@transaction.atomic
def _register(*, village, year, on, by, household, year_record, members, by_name, note, source) -> Registered:
    require(by, Action.REGISTER_HOUSEHOLD)
    require(by, Action.PROPOSE_IDENTIFICATION)
    from tuopin.apps.accounts.scoping import regions_visible_to

    errors: dict[str, list] = {}
    if village is None or village.level != Level.VILLAGE or \
            not regions_visible_to(by).filter(pk=village.pk).exists():
        errors["village"] = [NOT_YOUR_VILLAGE]
    if on > timezone.localdate():
        errors["on"] = [NOT_YET]
    elif on.year != year:
        errors["on"] = [validation.say(OTHER_YEAR, {"year": year})]
    household_values = _clean("household", validation.HOUSEHOLD, _only(household, HOUSEHOLD_FIELDS), errors)
    year_values = _clean("year", validation.HOUSEHOLD_YEAR, _only(year_record, YEAR_FIELDS), errors)
    people, refused_ids = _members(members, by, errors)
    if errors:
        raise RegistrationRefused(errors, refused_ids)

    # The village row locked: two offices registering families in one village at once take numbers in turn.
    list(Region.objects.select_for_update().filter(pk=village.pk).values_list("pk", flat=True))
    number = _next_number(village)
    hh = Household.objects.create(number=number, village=village, township=village.parent, is_registered=False,
                                  status=c.PovertyStatus.NOT_REGISTERED, updated_by=by, **household_values)
    created = []
    taken = set(Person.objects.filter(number__startswith=number).values_list("number", flat=True))  # left by a
    # household of that number that was since renumbered or merged: never reused
    free = (n for n in (f"{number}{i:03d}" for i in range(1, 1000)) if n not in taken)
    for values in people:
        person = Person(household=hh, number=next(free), updated_by=by, **values)
        person.full_clean(validate_unique=False)
        person.save()
        created.append(person)
    record = HouseholdYear(household=hh, year=year, members=len(created), updated_by=by, **year_values)
    record.compute_income()
    record.save()
    audit_change(actor=by, action="register", instance=hh, source=source,
                 changes={**{k: [None, v] for k, v in snapshot(hh, ("number", "village", *household_values)).items()},
                          "members": [None, [p.number for p in created]],
                          "year": [None, {"year": year, **snapshot(record, ("members", "per_capita_net_income_fen",
                                                                               *year_values))}]},
                 summary=f"household {number} registered with {len(created)} members to apply for identification")
    for person in created:
        audit_change(actor=by, action="create", instance=person, source=source,
                     changes={k: [None, v] for k, v in snapshot(person, ("name", "id_number", "sex", "birth_date",
                                                                          "relation")).items()},
                     summary=f"person {person.number} joins household {number}")
    result = identification_apply(household_ids=[hh.pk], year=year, by=by, on=on, by_name=by_name, note=note,
                                  source=source)
    if not result.created:  # cannot happen for a household just entered; never leave it without its application
        raise ValidationError(list(result.refused.values()) or ["the application was not recorded"])
    return Registered(hh, result.created[0])


def _only(values: dict, names: tuple[str, ...]) -> dict:
    return {k: v for k, v in values.items() if k in names}


def _clean(prefix: str, rules: dict, values: dict, errors: dict) -> dict:
    """The values that pass their rules; each refusal goes into `errors` under `prefix.field`."""
    out = {}
    for name, value in values.items():
        try:
            out.update(validation.clean(rules, {name: value}))
        except ValidationError as exc:
            errors[f"{prefix}.{name}"] = exc.message_dict[name]
    return out


def _members(members: list[dict], by, errors: dict) -> tuple[list[dict], int]:
    """The members' values, ready to save (sex and birth date from the ID number), and how many ID numbers were
    refused as registered elsewhere."""
    if not members:
        errors["members"] = [NO_MEMBERS]
        return [], 0
    if len(members) > validation.MEMBERS_MAX:
        errors["members"] = [validation.say(TOO_MANY, {"limit": validation.MEMBERS_MAX})]
    heads = sum(1 for m in members if m.get("relation") == c.Relation.HEAD)
    if heads != 1:
        errors.setdefault("members", []).append(validation.say(ONE_HEAD, {"n": heads}))
    out, seen, refused = [], {}, 0
    for index, given in enumerate(members):
        prefix = f"members.{index}"
        values = _clean(prefix, validation.PERSON, _only(given, MEMBER_FIELDS), errors)
        if "id_number" not in values:
            continue  # refused by its own rule (empty, or not a number at all)
        problems = validation.disability_agreement(disabled=bool(values.get("disabled")),
                                                   grade=values.get("disability_grade"))
        try:
            parsed = validation.parse_id_number(values["id_number"])
        except validation.Refused as exc:
            problems["id_number"] = exc.message
        else:
            values.update(sex=parsed.sex, birth_date=parsed.birth_date)
            if parsed.value in seen:
                problems["id_number"] = SAME_ID_TWICE
            else:
                seen[parsed.value] = index
                try:
                    values["id_number"] = check_id_number(raw=parsed.value, viewer=by)
                except id_refusals.IdNumberRefused as exc:
                    refused += 1
                    problems["id_number"] = exc.message_dict["id_number"][0]
                except ValidationError as exc:
                    problems["id_number"] = exc.message_dict["id_number"][0]
        errors.update((f"{prefix}.{name}", [reason]) for name, reason in problems.items())
        out.append(values)
    return out, refused


def _next_number(village: Region) -> str:
    """户编号: the village's 12-digit code and a 3-digit sequence, the next after the highest in use (decision 1235)."""
    used = Household.objects.filter(number__startswith=village.code).values_list("number", flat=True)
    width = len(village.code) + 3
    highest = max((int(n[-3:]) for n in used if len(n) == width and n[-3:].isdigit()), default=0)
    if highest >= 999:
        raise ValidationError({"village": [NUMBERS_USED_UP]})
    return f"{village.code}{highest + 1:03d}"
