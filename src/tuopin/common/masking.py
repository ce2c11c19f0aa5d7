"""The one masking function for ID and phone numbers: every page, export and log line uses it."""

from __future__ import annotations

import datetime as dt
import re

_PHONE = re.compile(r"^1\d{10}$")


def mask_id(value: str | None) -> str:
    """220821********1234: the first six (division) and the last four characters stay."""
    if not value:
        return ""
    v = str(value)
    if len(v) <= 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678 for mobile numbers; other numbers keep only their last four characters."""
    if not value:
        return ""
    v = str(value).strip()
    if _PHONE.match(v):
        return v[:3] + "****" + v[-4:]
    if len(v) <= 4:
        return "*" * len(v)
    return "*" * (len(v) - 4) + v[-4:]


def mask_birth_date(value: dt.date | None) -> str:
    """1970-**-**: only the year stays, wherever a masked ID number may be beside it (decision 1110).

    The eight characters mask_id hides are exactly the birth date (GB 11643), and the check character it
    keeps tells the right date from ten in eleven wrong ones: month and day beside a masked number give the
    number back. The year alone leaves about 33 dates that fit the check character."""
    if not value:
        return ""
    return f"{value.year:04d}-**-**"


def birth_date_for_rules(value: dt.date | None, *, school_age_on: tuple[int, int]) -> dt.date | None:
    """The birth date a masked snapshot holds: the last day of its part of the year either side of the day the
    school age is counted on (09-01 → 1970-09-01 or 1970-12-31), so the school-age rule gives the same answer
    as on the real date. One fact beyond the year, the one that rule needs; about 11 to 22 dates still fit
    the check character (decision 1110)."""
    if value is None:
        return None
    day = dt.date(value.year, *school_age_on)
    return day if value <= day else dt.date(value.year, 12, 31)


_ID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1\d{2})(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask every ID and mobile number inside free text (log lines, error messages)."""
    text = _ID_IN_TEXT.sub(lambda m: m.group(1) + "********" + m.group(3)[-4:], text)
    return _PHONE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(3), text)
