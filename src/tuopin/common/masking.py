"""The one masking function for ID and phone numbers: every page, export and log line uses it."""

from __future__ import annotations

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


_ID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1\d{2})(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask every ID and mobile number inside free text (log lines, error messages)."""
    text = _ID_IN_TEXT.sub(lambda m: m.group(1) + "********" + m.group(3)[-4:], text)
    return _PHONE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(3), text)
