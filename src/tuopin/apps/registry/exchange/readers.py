"""Reading a person-level file (xlsx with python-calamine, csv with the csv module) into rows.

Row numbers are the ones Excel shows (1-based, counting every row above the header too), so an
error report points at the cell a clerk will open. A title row or two above the header (the national
system writes one) is skipped: the header is the first row naming both 人编号 and 证件号码.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .guard import UnreadableFile, check_file
from .layout import canonical_header

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_HEADER_SCAN = 10
__all__ = ["UnreadableFile", "Sheet", "read"]


@dataclass
class Sheet:
    file: str  # the file name as given, for the report
    name: str  # the worksheet ("" for csv)
    header_row: int
    headers: list[str]  # canonical header names, in file order
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (Excel row number, cells)


def read(path: Path) -> Sheet:
    suffix = path.suffix.lower()
    if suffix == ".csv" or suffix in WORKBOOK_SUFFIXES:
        check_file(path)  # size, type by content, zip bomb, XML entities: before any parser sees the file
    if suffix == ".csv":
        return _from_grid(path.name, "", _csv_grid(path))
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path)
    raise UnreadableFile(f"{path.name}: not a workbook (.xlsx) or .csv file")


def _read_workbook(path: Path) -> Sheet:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise UnreadableFile(f"{path.name}: cannot be read as a workbook ({exc})") from None
    first = None
    for name in book.sheet_names:
        # skip_empty_area=False keeps row numbers equal to Excel's even when the sheet starts lower down.
        grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheet = _from_grid(path.name, name, grid)
        if "人编号" in sheet.headers and "证件号码" in sheet.headers:
            return sheet
        first = first or sheet
    if first is None:
        raise UnreadableFile(f"{path.name}: the workbook has no sheets")
    return first


def _csv_grid(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on a Chinese Windows saves "CSV" in the ANSI code page (GBK); GB 18030 is its superset.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise UnreadableFile(f"{path.name}: neither UTF-8 nor GB 18030 text") from None
    return list(csv.reader(io.StringIO(text, newline="")))


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _blank_row(cells: list[Any]) -> bool:
    for cell in cells:  # returns at the first filled cell: once per row in a real file
        if cell is None or (type(cell) is str and not cell.strip()):
            continue
        return False
    return True


def _from_grid(file: str, name: str, grid: list[list[Any]]) -> Sheet:
    header_index = None
    for i, row in enumerate(grid[:_HEADER_SCAN]):
        names = {canonical_header(c) for c in row}
        if "人编号" in names and "证件号码" in names:
            header_index = i
            break
    if header_index is None:  # no recognisable header: take the first non-empty row and let checks name what is missing
        header_index = next((i for i, row in enumerate(grid) if not all(_blank(c) for c in row)), 0)
    headers = [canonical_header(c) for c in grid[header_index]] if grid else []
    width = len(headers)
    rows = []
    for i in range(header_index + 1, len(grid)):
        cells = grid[i]
        if _blank_row(cells):
            continue
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        rows.append((i + 1, cells))
    return Sheet(file=file, name=name, header_row=header_index + 1, headers=headers, rows=rows)
