"""Resident ID numbers (居民身份证号码) under GB 11643-1999.

Eighteen characters: a 6-digit division code, an 8-digit birth date, a 3-digit sequence
(odd for men, even for women) and a check character computed from the first seventeen.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# ASCII digits only: \d would also take full-width (０-９) and other scripts' digits, and such a number would
# be stored as a second, different string for the same person.
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
_EXCEL = "ID number was stored as a number by Excel and its last digits are lost; format the column as text"


class IDNumberError(ValueError):
    """The value is not a valid 18-character resident ID number; the message says why.

    `code` names the reason and `params` its values, so that a translated message can be built from them
    (tuopin.apps.registry.validation); the English message stays for the framework-free callers."""

    def __init__(self, message: str, code: str = "invalid", **params):
        super().__init__(message)
        self.code, self.params = code, params


@dataclass(frozen=True)
class IDNumber:
    value: str
    birth_date: dt.date
    sex: str  # "M" or "F", from the parity of the sequence digit

    @property
    def division(self) -> str:
        return self.value[:6]


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def normalise(raw: object) -> str:
    """Trim surrounding spaces and upper-case the check character; no validation."""
    if raw is None:
        return ""
    return str(raw).strip().upper()


def parse(raw: object, *, today: dt.date | None = None) -> IDNumber:
    """Validate and decode an ID number, or raise IDNumberError with a reason a clerk understands."""
    if isinstance(raw, float):
        # Excel stores long digit strings as floating-point numbers and loses the last digits.
        raise IDNumberError(_EXCEL, "excel")
    value = normalise(raw)
    if not value:
        raise IDNumberError("ID number is empty", "empty")
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?[Ee]\+?[0-9]+", value):
        raise IDNumberError(_EXCEL, "excel")
    if len(value) == 15 and value.isascii() and value.isdigit():
        raise IDNumberError("15-digit legacy ID numbers are not accepted; enter the 18-digit number", "legacy")
    if len(value) != 18:
        raise IDNumberError(f"ID number must have 18 characters, not {len(value)}", "length", length=len(value))
    if not _SHAPE.match(value):
        raise IDNumberError("ID number must be 17 digits followed by a digit or X", "shape")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IDNumberError(f"ID number contains a birth date that does not exist: {value[6:14]}", "no_such_date",
                             digits=value[6:14]) from None
    today = today or dt.date.today()
    if birth > today:
        raise IDNumberError(f"ID number contains a birth date in the future: {birth.isoformat()}", "future",
                            date=birth.isoformat())
    if birth.year < 1880:
        raise IDNumberError(f"ID number contains an implausible birth year: {birth.year}", "too_old", year=birth.year)
    expected = check_char(value[:17])
    if value[17] != expected:
        raise IDNumberError(f"ID number check digit is {value[17]}, expected {expected}", "check_digit",
                            given=value[17], expected=expected)
    sex = "M" if int(value[16]) % 2 else "F"
    return IDNumber(value=value, birth_date=birth, sex=sex)


def make(division: str, birth: dt.date, sequence: int, sex: str) -> str:
    """Compose a valid ID number (for synthetic data): sequence 0-99, sex sets the parity digit."""
    seq = f"{sequence % 100:02d}"
    parity = (sequence // 100) % 5 * 2 + (1 if sex == "M" else 0)
    first17 = f"{division}{birth:%Y%m%d}{seq}{parity}"
    return first17 + check_char(first17)
