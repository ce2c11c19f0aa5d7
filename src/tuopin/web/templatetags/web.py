"""Template filters for the registry pages: labels in the reader's language, yuan, masking."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import pgettext

from tuopin.apps.accounts.permissions import Action, may
from tuopin.common.masking import mask_birth_date, mask_id, mask_phone
from tuopin.common.money import fen_to_yuan

from .. import labels

register = template.Library()


@register.filter
def choice(value, enum: str) -> str:
    """{{ household.status|choice:"PovertyStatus" }} → 未脱贫 / not yet out of poverty."""
    return labels.label(enum, value)


@register.filter
def causes(codes: str) -> str:
    """The comma-separated cause codes of Household.other_causes as labels."""
    separator = str(pgettext("list separator", ", "))
    return separator.join(labels.label("Cause", code.strip()) for code in (codes or "").split(",") if code.strip())


@register.filter
def yuan(fen) -> str:
    """Integer fen as yuan with two decimals and thousands separators: 123456 → 1,234.56."""
    if fen is None or fen == "":
        return ""
    return f"{fen_to_yuan(int(fen)):,.2f}"


@register.filter
def id_for(value: str, user) -> str:
    """An ID number as this account may see it: whole for roles that verify identities, masked otherwise."""
    return value if getattr(user, "may_see_id_numbers", False) else mask_id(value)


@register.filter
def phone_for(value: str, user) -> str:
    """Phone numbers follow the same rule as ID numbers (docs/security.md, masking)."""
    return value if getattr(user, "may_see_id_numbers", False) else mask_phone(value)


@register.filter
def birth_for(value, user) -> str:
    """A birth date follows the ID number's rule: its month and day are the masked number's hidden digits."""
    if not value:
        return ""
    return value.isoformat() if getattr(user, "may_see_id_numbers", False) else mask_birth_date(value)


@register.filter
def age_this_year(value) -> str:
    """The age a person reaches this calendar year: the year of birth says no more, and the figure does not
    change on the birthday (a daily change would give the birth date away to anyone who looks daily)."""
    return str(timezone.localdate().year - value.year) if value else ""


@register.filter
def money_label(field: str) -> str:
    return str(labels.MONEY_LABELS.get(field, field))


@register.filter
def administrator(user) -> bool:
    """System, security and audit administrators: no household pages, no search."""
    from ..access import is_administrator

    return bool(getattr(user, "is_authenticated", False)) and is_administrator(user)


@register.filter
def indicator(name: str) -> str:
    """An engine indicator (income, food_clothing, …) in the reader's language."""
    return str(labels.INDICATOR_LABELS.get(name, name))


@register.filter
def check_label(name: str) -> str:
    """A village exit check (incidence_ok, clinic_ok, …) in the reader's language."""
    return str(labels.CHECK_LABELS.get(name, name))


@register.filter
def percent(fraction, places: int = 2) -> str:
    """An unrounded fraction from the engine as a percentage: 0.000603 → 0.06%."""
    if fraction is None or fraction == "":
        return "—"
    return f"{float(fraction) * 100:.{int(places)}f}%"


@register.filter
def ratio(value, places: int = 4) -> str:
    """FGT indices are shown as plain numbers with a few decimals."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.{int(places)}f}"


@register.filter
def text_for(value: str, user) -> str:
    """Free text (notes, objections) with any ID or mobile number in it masked for roles that may not see them."""
    from tuopin.common.masking import mask_text

    value = value or ""
    return value if getattr(user, "may_see_id_numbers", False) else mask_text(value)


@register.filter
def works_procedures(user) -> bool:
    """Roles that propose exits and record their stages: the county office, commanders, first secretaries."""
    return may(user, Action.PROPOSE_EXIT)


@register.filter
def task_status(value: str) -> str:
    return str(labels.TASK_STATUS_LABELS.get(value, value))


@register.filter
def task_event(value: str) -> str:
    return str(labels.TASK_EVENT_LABELS.get(value, value))


@register.filter
def result_label(value: str) -> str:
    return str(labels.RESULT_LABELS.get(value, value or "—"))


@register.filter
def works_tasks(user) -> bool:
    """Roles with a task list: the county office, commanders, first secretaries, cadres, departments."""
    return may(user, Action.WORK_ON_TASKS)


@register.filter
def commands_zone(user) -> bool:
    from ..accountability import zone_of

    return bool(getattr(user, "is_authenticated", False)) and zone_of(user) is not None


@register.filter
def county_office(user) -> bool:
    return may(user, Action.COUNTY_BOARD)


@register.filter
def lacks_standard(code: str, year) -> bool:
    """{% if region.code|lacks_standard:year %}: the standards in force hold no poverty line for the year."""
    from ..params import standard_missing

    return bool(year) and standard_missing(str(code), int(year))


@register.inclusion_tag("web/_no_standard.html")
def no_standard(code: str, year) -> dict:
    """{% no_standard region.code year %}: says no line is stored for the year and how the county office adds it."""
    from ..params import no_standard_message

    message, hint = no_standard_message(str(code), int(year))
    return {"message": message, "hint": hint}


@register.filter
def sees_evaluation(user) -> bool:
    """The county office and the evaluator: the evaluation rounds of their county."""
    return may(user, Action.SEE_EVALUATION)


@register.filter
def manages_rectification(user) -> bool:
    """The county office and commanders: rectification items by hand, from checks, reopened."""
    return may(user, Action.MANAGE_RECTIFICATION)
