"""A roster's cells read by their column's type (rosters.toml): date, money, integer, number, bool, text. Each parser
returns the value to keep in an entry's `extra` (a date as its ISO text, money in fen, a number as its decimal text)
or raises ValueError with the reason, in the account's language."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tuopin.common.money import yuan_to_fen
from tuopin.common.spreadsheet import cell_text, formula_like

# 2016-01-01, 2016/1/1, 2016.1.1, 2016年1月1日, 20160101
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$|^(\d{4})(\d{2})(\d{2})$")
YES, NO = ("是", "有", "Y", "YES", "1", "TRUE"), ("否", "无", "N", "NO", "0", "FALSE")
SEXES = {"男": "M", "女": "F", "M": "M", "F": "F"}


def text(cell: Any) -> str:
    value = cell_text(cell)
    if formula_like(value):
        raise ValueError(_("looks like a spreadsheet formula; write the value itself"))
    return value


def date(cell: Any) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    m = _YMD.match(cell_text(cell))
    if m:
        y, mo, d = (int(g) for g in (m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)))
        try:
            return dt.date(y, mo, d)
        except ValueError:
            pass
    raise ValueError(_("not a date (write it as 2016-01-01)"))


def money(cell: Any) -> int:
    try:
        fen = yuan_to_fen(cell_text(cell))
    except ValueError:
        raise ValueError(_("not an amount of money in yuan")) from None
    if fen < 0:
        raise ValueError(_("an amount cannot be negative"))
    return fen


def integer(cell: Any) -> int:
    value = cell_text(cell)
    if not re.fullmatch(r"-?\d+", value):
        raise ValueError(_("not a whole number"))
    return int(value)


def number(cell: Any) -> str:
    try:
        d = Decimal(cell_text(cell).replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("not a number")) from None
    if not d.is_finite():
        raise ValueError(_("not a number"))
    return str(d)


def boolean(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    value = cell_text(cell).upper()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(_("write 是 or 否"))


def sex(cell: Any) -> str:
    value = cell_text(cell).upper()
    if value not in SEXES:
        raise ValueError(_("write 男 or 女"))
    return SEXES[value]


PARSERS = {"date": lambda c: date(c).isoformat(), "money": money, "integer": integer, "number": number,
           "bool": boolean, "text": text}
