"""Rebuilding masked ID numbers from what else an account is shown — the attack the masking must withstand.

A masked number 220821********0013 hides exactly the birth date (GB 11643: division, YYYYMMDD, sequence,
check character). Every date that fits the check character is a candidate; anything else an account is shown
about the person narrows the dates down. The sex adds nothing: it is the parity of the sequence digit, which
the mask keeps.

Facts are read from records (a table row, a JSON object, a spreadsheet row, a whole page) as plain text,
{field name: value}:
- a full date anywhere (2018-10-12, 2018/10/12, 2018年10月12日, 20181012): it may be the birth date;
- a masked birth date 1970-**-**: the year;
- a range written `1970-01-01..1970-09-01` (the tests write a masked snapshot's birth date so, as the layout
  documents it);
- a bare year under a field named for the birth (birth_year, 出生…), a bare number under one named for the age
  (age, 年龄, 岁, 满): an age is read both as "reached this year" and as "on the day".
A reading is one of these facts, or two of them at once; it rebuilds a number when exactly one candidate fits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import cache
from html.parser import HTMLParser

from tuopin.common.idnumber import check_char

Window = tuple[dt.date, dt.date]  # the birth date lies in [first, last]

MASKED_ID = re.compile(r"(?<![\dA-Za-z*])\d{6}\*{8}\d{3}[\dX](?![\dA-Za-z*])")
_RANGE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.\.(\d{4})-(\d{2})-(\d{2})")
_DATE = re.compile(r"(?<![\d*])(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?![\d*])")
_MASKED_DATE = re.compile(r"(?<!\d)(\d{4})-\*\*-\*\*")
_BARE = re.compile(r"^\s*(\d{1,4})\s*$")
_BIRTH_FIELD = re.compile(r"birth|出生", re.I)
_AGE_FIELD = re.compile(r"\bage\b|年龄|岁|满", re.I)
FIRST = dt.date(1880, 1, 1)


def _date(y, m, d) -> dt.date | None:
    try:
        found = dt.date(int(y), int(m), int(d))
    except ValueError:
        return None
    return found if found >= FIRST else None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _year(y: int) -> Window:
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def facts(record: Mapping[str, object], *, today: dt.date) -> set[Window]:
    """The windows a record's values put the birth date in."""
    windows: set[Window] = set()
    for field, raw in record.items():
        text = "" if raw is None else str(raw)
        for m in _RANGE.finditer(text):
            first, last = _date(*m.groups()[:3]), _date(*m.groups()[3:])
            if first and last:
                windows.add((first, last))
        text = _RANGE.sub(" ", text)
        for m in _DATE.finditer(text):
            y, m1, d1, m2, d2 = m.groups()
            found = _date(y, m1 or m2, d1 or d2)
            if found and found <= today:
                windows.add((found, found))
        for m in _MASKED_DATE.finditer(text):
            windows.add(_year(int(m.group(1))))
        bare = _BARE.match(text)
        if bare and _BIRTH_FIELD.search(str(field)) and FIRST.year <= int(bare.group(1)) <= today.year:
            windows.add(_year(int(bare.group(1))))
        if bare and _AGE_FIELD.search(str(field)) and int(bare.group(1)) <= 130:
            age = int(bare.group(1))
            windows.add(_year(today.year - age))  # the age reached this year
            windows.add((_years_before(today, age + 1) + dt.timedelta(days=1), _years_before(today, age)))  # on the day
    return windows


@cache
def candidates(masked: str, first: dt.date, last: dt.date) -> tuple[str, ...]:
    """Every full number the mask allows with a birth date in [first, last]."""
    division, tail = masked[:6], masked[-4:]
    found, day = [], max(first, FIRST)
    while day <= last:
        first17 = f"{division}{day:%Y%m%d}{tail[:3]}"
        if check_char(first17) == tail[3]:
            found.append(first17 + tail[3])
        day += dt.timedelta(days=1)
    return tuple(found)


def rebuilt(masked: str, windows: Iterable[Window]) -> set[str]:
    """The numbers some reading of the facts narrows the masked number to, one candidate each."""
    windows = sorted(set(windows))
    readings = set(windows)
    for i, (a_first, a_last) in enumerate(windows):
        for b_first, b_last in windows[i + 1:]:
            both = (max(a_first, b_first), min(a_last, b_last))
            if both[0] <= both[1]:
                readings.add(both)
    found = set()
    for first, last in readings:
        fitting = candidates(masked, first, last)
        if len(fitting) == 1:
            found.add(fitting[0])
    return found


def masked_ids(record: Mapping[str, object]) -> set[str]:
    return {m.group(0) for value in record.values() for m in MASKED_ID.finditer("" if value is None else str(value))}


class _Html(HTMLParser):
    """Each table row as {column header: cell text}, and the whole page as one record (text, input values)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, str]] = []
        self.text: list[str] = []
        self._head, self._headers, self._row, self._cell = False, [], None, None

    def handle_starttag(self, tag, attrs):
        values = [v for k, v in attrs if v and k in ("value", "title", "placeholder", "aria-label", "alt")]
        self.text.extend(values)
        if self._cell is not None:
            self._cell.extend(values)
        if tag == "thead":
            self._head, self._headers = True, []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._head:
                self._headers = self._row
            else:
                names = self._headers + [f"column {i}" for i in range(len(self._headers), len(self._row))]
                self.rows.append(dict(zip(names, self._row)))
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def html_records(html: str) -> list[dict[str, str]]:
    parser = _Html()
    parser.feed(html)
    return [*parser.rows, {"page": " ".join(parser.text)}]


def json_records(data) -> list[dict[str, object]]:
    """Every object as its scalar fields, and the whole document flattened as one record."""
    records, flat = [], {}

    def walk(value, path):
        if isinstance(value, dict):
            records.append({k: v for k, v in value.items() if not isinstance(v, (dict, list))})
            for k, v in value.items():
                walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        else:
            flat[path] = value

    walk(data, "")
    return [*records, flat]


def table_records(header: list[str], rows: Iterable[Iterable[object]]) -> list[dict[str, object]]:
    """A spreadsheet or snapshot table: one record per row, and the whole table as one."""
    records = [dict(zip(header, row)) for row in rows]
    whole = {f"{i}.{k}": v for i, r in enumerate(records) for k, v in r.items()}
    return [*records, whole]
