"""Reading an organisation workbook: the hostile-file guard first (decision 0953), then the sheets as rows of
{header: cell}, and the cell readers every kind shares — dates, yes/no, lists, and references to units,
cadres, townships, villages and households by the names a county office writes. A cell that cannot be read
raises RowError, which the importer reports with the file, sheet, row and column."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tuopin.apps.geo.models import Level, Region
from tuopin.apps.files.guard import UnreadableFile, check_file
from tuopin.common.spreadsheet import cell_text as text

from ..importer import parse_date
from ..models import Cadre, MutualGroup, Unit

HEADER_SEARCH_ROWS = 10
_LIST = re.compile(r"[、,，;；\n]+")
_CADRE = re.compile(r"^(.+?)\s*[（(]\s*(.+?)\s*[)）]$")
YES = {"是", "√", "Y", "y", "yes", "1", "true", "TRUE", "是的"}
NO = {"否", "", "N", "n", "no", "0", "false", "FALSE", "×"}


class RowError(Exception):
    def __init__(self, column: str, value: Any, reason: str):
        super().__init__(reason)
        self.column, self.value, self.reason = column, text(value), reason


@dataclass
class SheetRows:
    name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (the row number Excel shows, {header: cell})


def read_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """{sheet name: grid}; UnreadableFile for a file that must not or cannot be opened."""
    check_file(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
        raise UnreadableFile(_("%(file)s: the organisation workbook is an .xlsx file") % {"file": path.name})
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        return {name.strip(): book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names}
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise UnreadableFile(_("%(file)s: cannot be read as a workbook (%(error)s)")
                             % {"file": path.name, "error": exc}) from None


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names, without reading its cells ([] for a file that cannot be opened)."""
    from python_calamine import CalamineWorkbook

    try:
        check_file(path)
        return [name.strip() for name in CalamineWorkbook.from_path(str(path)).sheet_names]
    except Exception:  # unreadable or refused: the import that follows reports why
        return []


def rows_of(name: str, grid: list[list[Any]], first_column: str) -> SheetRows:
    """The sheet's rows under its header (the first of the top rows holding `first_column`: counties put title
    rows above it); empty rows are skipped."""
    header_at, headers = 0, [text(c).replace(" ", "").rstrip("*") for c in (grid[0] if grid else [])]
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        cells = [text(c).replace(" ", "").rstrip("*") for c in row]
        if first_column in cells:
            header_at, headers = i, cells
            break
    rows = []
    for i in range(header_at + 1, len(grid)):
        cells = list(grid[i]) + [None] * (len(headers) - len(grid[i]))
        if all(text(c) == "" for c in cells):
            continue
        rows.append((i + 1, {h: cells[j] for j, h in enumerate(headers) if h}))
    return SheetRows(name, headers, rows)


# ---- cells --------------------------------------------------------------------------------------------

def required(row: dict, column: str) -> str:
    value = text(row.get(column))
    if not value:
        raise RowError(column, "", _("required"))
    return value


def optional(row: dict, column: str, limit: int | None = None) -> str:
    value = text(row.get(column))
    if limit and len(value) > limit:
        raise RowError(column, value, _("longer than %(limit)s characters") % {"limit": limit})
    return value


def date(row: dict, column: str, *, needed: bool = False) -> dt.date | None:
    try:
        value = parse_date(row.get(column))
    except ValueError:
        raise RowError(column, row.get(column), _("not a date (write it as 2016-01-01)")) from None
    if value is None and needed:
        raise RowError(column, "", _("required"))
    return value


def yes_no(row: dict, column: str) -> bool:
    value = text(row.get(column))
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(column, value, _("write 是 or 否"))


def items(row: dict, column: str) -> list[str]:
    return [part.strip() for part in _LIST.split(text(row.get(column))) if part.strip()]


# ---- references ---------------------------------------------------------------------------------------

def _is_code(value: str) -> bool:
    return value.isascii() and value.isdigit()  # "²" is a digit to str.isdigit


class Refs:
    """Finds what a row names, among the records already there and those the import has made so far."""

    def __init__(self, by):
        self.by = by

    def unit(self, column: str, name: str) -> Unit:
        unit = Unit.objects.filter(name=name).first()
        if unit is None:
            raise RowError(column, name, _("no such unit: add it on the sheet 单位 first"))
        return unit

    def cadre(self, column: str, value: str) -> Cadre:
        """A cadre written as 姓名 or 姓名（单位） — the unit is needed when two cadres share the name."""
        m = _CADRE.match(value)
        name, unit = (m.group(1), m.group(2)) if m else (value, None)
        found = Cadre.objects.filter(name=name)
        if unit:
            found = found.filter(unit__name=unit)
        found = list(found[:2])
        if not found:
            raise RowError(column, value, _("no such cadre: add them on the sheet 干部 first"))
        if len(found) > 1:
            raise RowError(column, value, _("several cadres have this name: write it as 姓名（单位）"))
        return found[0]

    def township(self, column: str, value: str) -> Region:
        qs = Region.objects.filter(level=Level.TOWNSHIP)
        found = list((qs.filter(code=value.ljust(12, "0")) if _is_code(value) else qs.filter(name=value))[:2])
        if len(found) != 1:
            raise RowError(column, value, _("no such township in the county"))
        return found[0]

    def village(self, column: str, value: str, township: Region | None) -> Region:
        qs = Region.objects.filter(level=Level.VILLAGE)
        if _is_code(value):
            qs = qs.filter(code=value)
        else:
            qs = qs.filter(name=value)
            if township is not None:
                qs = qs.filter(parent=township)
        found = list(qs[:2])
        if not found:
            raise RowError(column, value, _("no such village in that township"))
        if len(found) > 1:
            raise RowError(column, value, _("several villages have this name: give the township or the code"))
        return found[0]

    def household(self, column: str, number: str):
        from tuopin.apps.accounts.scoping import households_visible_to

        household = households_visible_to(self.by).filter(number=number).select_related("village").first()
        if household is None:
            raise RowError(column, number, _("no such household in your scope"))
        return household

    def mutual_group(self, column: str, name: str) -> MutualGroup:
        found = list(MutualGroup.objects.filter(name=name)[:2])
        if len(found) != 1:
            raise RowError(column, name, _("no such 1×5 group: add it on the sheet 1×5互助组 first") if not found
                           else _("several 1×5 groups have this name"))
        return found[0]
