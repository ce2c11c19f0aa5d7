"""Cells written to spreadsheets: text that a spreadsheet would run as a formula is neutralised.

OWASP's CSV/formula injection (ASVS 1.2.10): a cell whose text starts with = + - @ (or a tab or carriage
return, which some programs skip before looking) is prefixed with an apostrophe, so Excel, WPS and
LibreOffice show it as text. Numbers, dates and booleans pass through unchanged: -5 stays a number.
Every xlsx the web app writes goes through `safe_cell` (or `safe_row`).

Cells read from spreadsheets: `cell_text` is how every import reads a cell as text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula: it starts with = + - @, also after blanks.

    The registry refuses such text as a name, an address or a phone number (tuopin.apps.registry.validation);
    `safe_cell` neutralises it in every spreadsheet written, for text stored before that rule."""
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START)


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def cell_text(cell: Any) -> str:
    """A cell read from a workbook as the text a person typed: empty for no value, 12 (not 12.0) for a whole
    number the reader gave as a float, the ISO date for a date, else the text stripped."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.datetime, dt.date)):
        return cell.isoformat()[:10]
    return str(cell).strip()
