"""Checks that need only the file: headers, every cell, uniqueness, household rows that agree.

Works column by column (one memoised parser per column: a county file repeats a few dozen labels
170,000 times), collects every problem and never stops at the first. Nothing here touches the
database; `plan.py` does the checks against the registry.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tuopin.common import idnumber

from .. import validation as V
from . import layout as L
from .readers import Sheet
from tuopin.apps.files.report import Problem

HOUSEHOLD_LEVELS = (L.GEO, L.HOUSEHOLD, L.HOUSEHOLD_YEAR)


class HouseholdValues:
    """A household's value of each household-level column: its first row's cell unless the rows disagreed or
    that cell was blank (then what `_agree` found). Read from the columns, not copied: a county file has 70,000
    households of 35 such columns (decision 1211)."""

    __slots__ = ("cols", "first", "headers", "found")

    def __init__(self, cols: dict[str, list[Any]], first: int, headers: frozenset[str]):
        self.cols, self.first, self.headers, self.found = cols, first, headers, None

    def __getitem__(self, header: str) -> Any:
        if self.found is not None and header in self.found:
            return self.found[header]
        if header not in self.headers:
            raise KeyError(header)
        return self.cols[header][self.first]

    def get(self, header: str, default: Any = None) -> Any:
        try:
            return self[header]
        except KeyError:
            return default

    def __setitem__(self, header: str, value: Any) -> None:
        if self.found is None:
            self.found = {}
        self.found[header] = value


class FileHousehold:
    __slots__ = ("number", "rows", "values")

    def __init__(self, number: str, rows: list[int]):
        self.number = number
        self.rows = rows  # indices into ParsedFile.excel_rows, in file order
        self.values: HouseholdValues | None = None  # household-level header → value (None: blank)


@dataclass
class ParsedFile:
    sheet: Sheet
    present: set[str]
    cols: dict[str, list[Any]]  # header → parsed value per row (None: blank or invalid)
    raw: dict[str, list[Any]]  # header → the cell as read, for reports
    excel_rows: list[int]
    ids: list[idnumber.IDNumber | None]
    households: dict[str, FileHousehold]
    problems: list[Problem]
    ignored: list[str]
    bad_rows: set[int] = field(default_factory=set)  # indices of rows with a problem

    def has(self, header: str) -> bool:
        return header in self.present

    def problem(self, i: int, header: str, reason: str) -> None:
        raw = self.raw.get(header)
        value = L.cell_text(raw[i]) if raw is not None else ""
        self.problems.append(Problem(self.excel_rows[i], header, value, reason))
        self.bad_rows.add(i)


def parse_sheet(sheet: Sheet) -> ParsedFile:
    problems: list[Problem] = []
    index: dict[str, int] = {}
    ignored = []
    for pos, header in enumerate(sheet.headers):
        if not header:
            continue
        if header in index:
            problems.append(Problem(sheet.header_row, header, header, _("this column appears twice")))
        elif header in L.BY_HEADER:
            index[header] = pos
        else:
            ignored.append(header)
    for header in L.REQUIRED_HEADERS:
        if header not in index:
            problems.append(Problem(sheet.header_row, header, "", _("required column is missing from the header row")))
    given_income = [h for h in L.INCOME_HEADERS if h in index]
    if given_income:
        for header in L.INCOME_HEADERS:
            if header not in index:
                problems.append(Problem(sheet.header_row, header, "", _("the income columns come as a set: "
                                          "give all of them or none (this one is missing)")))

    excel_rows, columns = sheet.table()
    raw = {h: columns[pos] for h, pos in index.items()}
    parsed = ParsedFile(sheet=sheet, present=set(index), cols={}, raw=raw, excel_rows=excel_rows, ids=[],
                        households={}, problems=problems, ignored=ignored)
    if not excel_rows:
        problems.append(Problem(None, "", "", _("the file holds no data rows")))
    for header in index:
        column = L.BY_HEADER[header]
        if header == "证件号码":
            continue
        parsed.cols[header] = _parse_column(parsed, column)
    _parse_ids(parsed)
    _unique(parsed, "人编号")
    _unique_ids(parsed)
    if "户编号" in index:
        _group_households(parsed)
    return parsed


class _Failed(str):
    """A cell that did not parse; the string is the reason."""


def _parse_one(column: L.Column, raw: Any) -> Any:
    if not L.cell_text(raw):
        return None
    try:
        return column.parse(raw)
    except ValueError as exc:
        return _Failed(str(exc))


def _parse_column(parsed: ParsedFile, column: L.Column) -> list[Any]:
    """Parse every cell of one column; a blank is None (an error where the cell is required per row).

    Each distinct cell value is parsed once; the column is then mapped through that table at C speed.
    """
    raws = parsed.raw[column.header]
    memo = {raw: _parse_one(column, raw) for raw in set(raws)}
    out = list(map(memo.__getitem__, raws))
    per_row_required = (column.required and column.level not in HOUSEHOLD_LEVELS) or column.header == "户编号"
    failed = any(type(v) is _Failed for v in memo.values())
    blank = per_row_required and None in memo.values()
    if failed or blank:
        for i, value in enumerate(out):
            if value is None and blank:
                parsed.problem(i, column.header, str(V.EMPTY))
            elif type(value) is _Failed:
                parsed.problem(i, column.header, str(value))
                out[i] = None
    return out


def _parse_ids(parsed: ParsedFile) -> None:
    raws = parsed.raw.get("证件号码")
    if raws is None:
        parsed.ids = [None] * len(parsed.excel_rows)
        return
    sexes, births = parsed.cols.get("性别"), parsed.cols.get("出生日期")
    ids = []
    today = dt.date.today()
    for i, raw in enumerate(raws):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            parsed.problem(i, "证件号码", str(V.EMPTY))
            ids.append(None)
            continue
        try:
            # Any number from a workbook cell went through a float: its last digits are gone.
            pid = V.parse_id_number(float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else raw,
                                    today=today)
        except V.Refused as exc:
            parsed.problem(i, "证件号码", str(exc))
            ids.append(None)
            continue
        disagree = V.id_number_agreement(pid, sex=sexes[i] if sexes is not None else None,
                                         birth=births[i] if births is not None else None)
        for name, reason in disagree.items():
            parsed.problem(i, "性别" if name == "sex" else "出生日期", str(reason))
        ids.append(pid)
    parsed.ids = ids


def _unique(parsed: ParsedFile, header: str) -> None:
    values = parsed.cols.get(header)
    if values is None:
        return
    counts = Counter(v for v in values if v is not None)
    first: dict[Any, int] = {}
    for i, value in enumerate(values):
        if value is None or counts[value] < 2:
            continue
        if value in first:
            parsed.problem(i, header, _("appears twice in the file: also row %(row)s")
                           % {"row": parsed.excel_rows[first[value]]})
        else:
            first[value] = i


def _unique_ids(parsed: ParsedFile) -> None:
    first: dict[str, int] = {}
    for i, pid in enumerate(parsed.ids):
        if pid is None:
            continue
        j = first.setdefault(pid.value, i)
        if j != i:
            parsed.problem(i, "证件号码", _("the same ID number is on row %(row)s")
                           % {"row": parsed.excel_rows[j]})


def _agree(parsed: ParsedFile, hh: FileHousehold, header: str, values: list[Any]) -> None:
    value, source = None, None
    for i in hh.rows:
        cell = values[i]
        if cell is None:
            continue
        if source is None:
            value, source = cell, i
        elif cell != value:
            parsed.problem(i, header, _("differs from row %(row)s of the same household %(household)s "
                                        "(%(value)s)") % {"row": parsed.excel_rows[source], "household": hh.number,
                                                          "value": repr(L.cell_text(parsed.raw[header][source]))})
    if value is None and L.BY_HEADER[header].required and not any(L.cell_text(parsed.raw[header][i]) for i in hh.rows):
        parsed.problem(hh.rows[0], header, str(V.EMPTY))
    hh.values[header] = value


def _group_households(parsed: ParsedFile) -> None:
    """Rows by 户编号; household columns must agree between the rows of one household.

    A blank cell on a member row takes the household's value: files with merged household cells read
    that way (decision 0202). Two different non-blank values are an error naming both rows.
    """
    households: dict[str, FileHousehold] = {}
    numbers = parsed.cols["户编号"]
    for i, number in enumerate(numbers):
        if number is not None:
            hh = households.get(number)
            if hh is None:
                hh = households[number] = FileHousehold(number, [])
            hh.rows.append(i)
    rows = [(i, households[n].rows[0]) for i, n in enumerate(numbers) if n is not None]
    headers = [h for h in parsed.cols if L.BY_HEADER[h].level in HOUSEHOLD_LEVELS and h != "户编号"]
    known = frozenset(headers)
    for hh in households.values():
        hh.values = HouseholdValues(parsed.cols, hh.rows[0], known)
    for header in headers:
        values = parsed.cols[header]
        # Fast path: most households repeat the first row's value; look closer only at the others.
        closer = {numbers[i] for i, first in rows if values[i] != values[first]}
        if L.BY_HEADER[header].required:
            closer |= {n for n, hh in households.items() if values[hh.rows[0]] is None}
        for number in closer:
            _agree(parsed, households[number], header, values)
    relations = parsed.cols.get("与户主关系")
    if relations is not None:
        for hh in households.values():
            heads = [i for i in hh.rows if relations[i] == "01"]
            for i in heads[1:]:
                parsed.problem(i, "与户主关系", _("household %(household)s has a second head (户主) besides "
                                                "row %(row)s") % {"household": hh.number,
                                                                  "row": parsed.excel_rows[heads[0]]})
    parsed.households = households
