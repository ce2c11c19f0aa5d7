"""A small import's file as rows of cells: the first sheet of an .xlsx, or a .csv (UTF-8, or GB 18030 as Excel on a
Chinese Windows saves it). The file is guarded (size, type by content, zip bombs, XML entities) before a parser
sees it; the caller finds its header and checks the rows' count and width (`guard`). For department lists of a
few thousand rows (aid payments, rosters); the registry's national file has its own streaming reader.
`read_book` gives every sheet, for a workbook whose repeat groups sit on sheets of their own (KoboToolbox's
export of field forms)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tuopin.common.spreadsheet import cell_text

from . import guard
from .guard import UnreadableFile, check_file

HEADER_SEARCH_ROWS = 10  # a title, a unit or a date may sit above a department's header row


def table(file: str, grid: list[list[Any]], *, header: Callable[[Any], str], key: str
          ) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header — the first of the top rows with a cell `key` once each cell is read by `header` (the caller's
    spelling and aliases), else the first row — and the rows under it as (the row number a spreadsheet shows,
    {header: cell}); empty rows skipped; the guard's limits of width and rows."""
    header_at, headers = 0, [header(c) for c in (grid[0] if grid else [])]
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        cells = [header(c) for c in row]
        if key in cells:
            header_at, headers = i, cells
            break
    guard.check_width(file, len(headers))
    if len(grid) - header_at - 1 > guard.max_rows():
        guard.refuse_rows(file, guard.max_rows())
    rows = []
    for i in range(header_at + 1, len(grid)):
        cells = list(grid[i]) + [None] * (len(headers) - len(grid[i]))
        if all(cell_text(c) == "" for c in cells):
            continue
        rows.append((i + 1, {h: cells[j] for j, h in enumerate(headers) if h}))
    return headers, rows


def read_grid(path: Path) -> list[list[Any]]:
    """The file's first sheet (or the csv) as rows of cells; UnreadableFile for a file that must not or cannot be
    read."""
    check_file(path)  # size, type by content, zip bomb, XML entities: before any parser sees the file
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):  # Excel on a Chinese Windows saves "CSV" as GBK
            try:
                text = codecs.decode(raw, encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UnreadableFile(_("%(file)s: neither UTF-8 nor GB 18030 text") % {"file": path.name})
        try:
            return [list(r) for r in csv.reader(io.StringIO(text))]
        except csv.Error as exc:
            raise UnreadableFile(_("%(file)s: not readable as CSV (%(error)s)")
                                 % {"file": path.name, "error": exc}) from None
    if suffix not in (".xlsx", ".xlsm"):
        raise UnreadableFile(_("%(file)s: not a workbook (.xlsx) or .csv file") % {"file": path.name})
    return next(iter(_sheets(path, first=True).values()))


def read_book(path: Path) -> dict[str, list[list[Any]]]:
    """{sheet name: rows of cells} of an .xlsx, every sheet in order; guarded as `read_grid`."""
    check_file(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UnreadableFile(_("%(file)s: not a workbook (.xlsx) or .csv file") % {"file": path.name})
    return _sheets(path, first=False)


def _sheets(path: Path, *, first: bool) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        if not book.sheet_names:
            raise UnreadableFile(_("%(file)s: the workbook has no sheets") % {"file": path.name})
        names = book.sheet_names[:1] if first else book.sheet_names
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in names}
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise UnreadableFile(_("%(file)s: cannot be read as a workbook (%(error)s)")
                             % {"file": path.name, "error": exc}) from None
