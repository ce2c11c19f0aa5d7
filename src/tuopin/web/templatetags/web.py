"""Template filters for the registry pages: labels in the reader's language, yuan, masking."""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext

from tuopin.common.masking import mask_id, mask_phone
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
    """Phone numbers follow the same rule as ID numbers (CONTRACTS.md, masking)."""
    return value if getattr(user, "may_see_id_numbers", False) else mask_phone(value)


@register.filter
def money_label(field: str) -> str:
    return str(labels.MONEY_LABELS.get(field, field))


@register.filter
def administrator(user) -> bool:
    """System, security and audit administrators: no household pages, no search."""
    from ..access import is_administrator

    return bool(getattr(user, "is_authenticated", False)) and is_administrator(user)
