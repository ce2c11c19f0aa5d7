"""Reading a person-level file (xlsx with python-calamine, csv with the csv module) into columns.

Row numbers are the ones Excel shows (1-based, counting every row above the header too), so an
error report points at the cell a clerk will open. A title row or two above the header (the national
system writes one) is skipped: the header is the first row naming both 人编号 and 证件号码.

The file is streamed row by row into one list per column (decision 1211): a county file is 170,000 rows of
60 columns, and a list per row of separate cell objects cost more than a gigabyte. Within a column equal cells
share one object (labels repeat on every row), so a column costs a pointer a row. The limits of the guard
(rows, columns, characters in a cell) are checked while reading.
"""

from __future__ import annotations

import codecs
import csv
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from django.utils.translation import gettext as _

from tuopin.apps.files import guard, xlsx_parts
from tuopin.apps.files.guard import UnreadableFile, check_file
from .layout import canonical_header

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_HEADER_SCAN = 10
_BATCH = 4096  # rows transposed into the columns at once
__all__ = ["UnreadableFile", "Sheet", "read"]


@dataclass
class Sheet:
    file: str  # the file name as given, for the report
    name: str  # the worksheet ("" for csv)
    header_row: int
    headers: list[str]  # canonical header names, in file order
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (Excel row number, cells): small sheets
    excel_rows: list[int] | None = None  # the reader's form: Excel row numbers …
    columns: list[list[Any]] | None = None  # … and one list of cells per header position

    def table(self) -> tuple[list[int], list[list[Any]]]:
        """(Excel row numbers, one list per header position), from whichever form the sheet was made in."""
        if self.columns is None:
            width = len(self.headers)
            self.excel_rows = [n for n, _ in self.rows]
            padded = [list(cells[:width]) + [None] * (width - len(cells)) for _, cells in self.rows]
            self.columns = [list(col) for col in zip(*padded)] if padded else [[] for _ in range(width)]
        return self.excel_rows, self.columns

    @property
    def row_count(self) -> int:
        return len(self.excel_rows) if self.excel_rows is not None else len(self.rows)


def read(path: Path) -> Sheet:
    suffix = path.suffix.lower()
    if suffix == ".csv" or suffix in WORKBOOK_SUFFIXES:
        check_file(path)  # size, type by content, zip bomb, XML entities: before any parser sees the file
    if suffix == ".csv":
        return _collect(path.name, "", _csv_rows(path))
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path)
    raise UnreadableFile(_("%(file)s: not a workbook (.xlsx) or .csv file") % {"file": path.name})


def _open_book(path: Path, name: str):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise UnreadableFile(_("%(file)s: cannot be read as a workbook (%(error)s)")
                             % {"file": name, "error": exc}) from None


def _read_workbook(path: Path) -> Sheet:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        member = xlsx_parts.sheet_member(path)
        pieces = xlsx_parts.parts(path, member) if member else None
        if pieces is not None:
            return _read_in_parts(path.name, pieces)
    book = _open_book(path, path.name)
    first = None
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception as exc:
            raise UnreadableFile(_("%(file)s: cannot be read as a workbook (%(error)s)")
                                 % {"file": path.name, "error": exc}) from None
        found = _collect(path.name, name, _sheet_rows(sheet))
        del sheet  # calamine's copy of the sheet goes before the next one is read
        if "人编号" in found.headers and "证件号码" in found.headers:
            return found
        first = first or found
    if first is None:
        raise UnreadableFile(_("%(file)s: the workbook has no sheets") % {"file": path.name})
    return first


def _read_in_parts(file: str, pieces: Iterator[Path]) -> Sheet:
    """One large sheet, read part by part (xlsx_parts.py): calamine holds one part at a time."""
    names = []

    def rows():
        for part in pieces:
            book = _open_book(part, file)
            if not book.sheet_names:
                continue
            names.append(book.sheet_names[0])
            try:
                sheet = book.get_sheet_by_index(0)
            except Exception as exc:
                raise UnreadableFile(_("%(file)s: cannot be read as a workbook (%(error)s)")
                                     % {"file": file, "error": exc}) from None
            # The part's own rows only: iter_rows gives every row above them again, empty.
            first = (sheet.start or (0, 0))[0]
            yield from itertools.islice(_sheet_rows(sheet), first, None)
            del sheet, book

    found = _collect(file, "", rows())
    found.name = names[0] if names else ""
    return found


def _sheet_rows(sheet) -> Iterator[tuple[int, list[Any]]]:
    """(Excel row number, cells from column A), whatever empty rows and columns the sheet starts with: calamine's
    iter_rows starts at row 1 but at the first column that holds anything."""
    start = sheet.start or (0, 0)
    pad = [None] * start[1]
    for i, row in enumerate(sheet.iter_rows(), start=1):
        yield i, pad + row if pad else row


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    encoding = _csv_encoding(path)
    try:
        with path.open(encoding=encoding, newline="") as fh:
            yield from enumerate(csv.reader(fh), start=1)
    except csv.Error as exc:  # e.g. a field past the csv module's own limit (131,072 characters)
        raise UnreadableFile(_("%(file)s: not readable as CSV (%(error)s)") % {"file": path.name, "error": exc}) from None


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB 18030: Excel on a Chinese Windows saves "CSV" in the ANSI code
    page (GBK), of which GB 18030 is the superset. Decided by decoding the whole file once, in blocks."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while block := fh.read(1 << 22):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("%(file)s: neither UTF-8 nor GB 18030 text") % {"file": path.name})


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _blank_row(cells: list[Any]) -> bool:
    for cell in cells:  # returns at the first filled cell: once per row in a real file
        if cell is None or (type(cell) is str and not cell.strip()):
            continue
        return False
    return True


def _collect(file: str, name: str, rows: Iterable[tuple[int, list[Any]]]) -> Sheet:
    rows = iter(rows)
    header_row, header, after = _find_header(rows)
    header = list(header)
    while header and _blank(header[-1]):  # a stray cell far to the right widens every row, not the header
        header.pop()
    headers = [canonical_header(c) for c in header]
    guard.check_width(file, len(headers))
    columns = _Columns(file, headers)
    for number, cells in itertools.chain(after, rows):
        columns.add(number, cells)
    return Sheet(file=file, name=name, header_row=header_row or 1, headers=headers,
                 excel_rows=columns.excel_rows, columns=columns.finish())


def _find_header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[Any], list]:
    """(row number, cells) of the header among the first rows, and the rows read past it. If no row names
    人编号 and 证件号码, the first non-empty row, and the checks name what is missing. (0, [], []) when empty."""
    seen = []
    for number, cells in rows:
        names = {canonical_header(c) for c in cells}
        if "人编号" in names and "证件号码" in names:
            return number, cells, []
        seen.append((number, cells))
        if len(seen) >= _HEADER_SCAN:
            break
    for i, (number, cells) in enumerate(seen):
        if not all(_blank(c) for c in cells):
            return number, cells, seen[i + 1:]
    return 0, [], []


class _Columns:
    """Rows in, one list per header position out; equal cells of a column share one object."""

    def __init__(self, file: str, headers: list[str]):
        self.file, self.width = file, len(headers)
        self.headers = headers
        self.excel_rows: list[int] = []
        self.columns: list[list[Any]] = [[] for _ in range(self.width)]
        self.memo: list[dict] = [{} for _ in range(self.width)]
        self.batch: list[list[Any]] = []
        self.max_rows = guard.max_rows()

    def add(self, number: int, cells: list[Any]) -> None:
        if _blank_row(cells):
            return
        width = self.width
        if len(cells) != width:
            cells = list(cells[:width]) + [None] * (width - len(cells))
        self.excel_rows.append(number)
        if len(self.excel_rows) > self.max_rows:
            guard.refuse_rows(self.file, self.max_rows)
        self.batch.append(cells)
        if len(self.batch) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self.batch:
            return
        rows = len(self.excel_rows)
        for position, cells in enumerate(zip(*self.batch)):
            column, memo = self.columns[position], self.memo[position]
            if memo is None:  # a column of distinct values (人编号, 姓名, 证件号码 …): nothing to share
                column.extend(cells)
                continue
            # Keyed with the type: 1, 1.0 and True are equal keys but different cells.
            column.extend(map(memo.setdefault, zip(map(type, cells), cells), cells))
            if len(memo) > rows // 4 > 256:
                self._check_lengths(position, memo.values())
                self.memo[position] = None
        self.batch.clear()

    def _check_lengths(self, position: int, values) -> None:
        # A cell longer than any field of the layout is a hostile file, not a typo.
        for value in values:
            if type(value) is str and len(value) > guard.MAX_CELL_CHARS:
                row = self.excel_rows[self.columns[position].index(value)]
                guard.refuse_cell(self.file, row, self.headers[position], len(value))

    def finish(self) -> list[list[Any]]:
        self._flush()
        for position, memo in enumerate(self.memo):  # each distinct text once; a column of distinct ones whole
            self._check_lengths(position, self.columns[position] if memo is None else memo.values())
        self.memo.clear()
        return self.columns
