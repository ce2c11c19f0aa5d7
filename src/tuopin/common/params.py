"""Numbers that arrive in URLs, query strings and form bodies: record ids and years (no Django).

Every page, API filter and document reads them through these two functions, so that a non-number, 0, a negative
number, a number beyond the database's 64-bit integers or a year the registry cannot hold is refused with a
reason instead of reaching a query (decision 1140). The delivery layers turn the refusal into their answer:
a 400 or 404 page in the reader's language (`tuopin.web.params`), a 400 with `{field: [reason]}` in the API.
"""

from __future__ import annotations

import re

# 建档立卡: the registry begins with the 2014 identification of poor households; no record is older.
FIRST_YEAR = 2014
MAX_ID = 2**63 - 1  # the largest primary key SQLite and PostgreSQL (bigint) hold
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: "²" and "١٢" are digits to str.isdigit()
_YEAR = re.compile(r"[0-9]{4}")


class BadNumber(ValueError):
    """A parameter that is not what it should be; `str()` says why, in English (the API's language)."""


class BadId(BadNumber):
    pass


class BadYear(BadNumber):
    """`malformed`: not a four-digit year (400); otherwise a year outside first..last (404: no data)."""

    def __init__(self, message: str, *, value: str, malformed: bool, first: int, last: int):
        super().__init__(message)
        self.value, self.malformed, self.first, self.last = value, malformed, first, last


def parse_id(raw) -> int:
    """A record id: a whole number from 1 to MAX_ID, written in ASCII digits."""
    text = str(raw).strip() if raw is not None else ""
    if not _DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_ID:
        raise BadId(f"expected the id of a record: a whole number from 1 to {MAX_ID}")
    return int(text)


def parse_year(raw, *, last: int, first: int = FIRST_YEAR) -> int:
    """A year the registry can hold: four ASCII digits, from `first` (2014) to `last` (this year)."""
    text = str(raw).strip() if raw is not None else ""
    if not _YEAR.fullmatch(text):
        raise BadYear(f"expected a year of four digits, from {first} to {last}", value=text[:20], malformed=True,
                      first=first, last=last)
    year = int(text)
    if not first <= year <= last:
        raise BadYear(f"no records for {year}: the registry holds the years {first} to {last}", value=text,
                      malformed=False, first=first, last=last)
    return year
