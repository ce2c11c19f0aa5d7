"""A roster's rows checked one by one into unsaved entries (decision 1540). Each problem names the row, the column, the
value and the reason; the caller writes nothing when there is one.

An ID number that is not a valid one (length, shape, date, check digit) is kept with `id_valid=False` and what the
file held: the department's record stands as it is, and the linker or a reviewer reads the row by its name and birth
date. A number Excel stored as a figure (its last digits lost) is refused — the whole column is then broken, and the
fix is to format it as text. A valid number whose birth date or sex contradicts the row's own 出生日期 or 性别 is
refused: the row says two things of one person. Where one person may fill one row only (rosters.toml `repeats`), a
number on two rows is refused, naming both."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from tuopin.apps.files.report import Problem
from tuopin.apps.registry.validation import Refused, id_number_agreement, parse_id_number
from tuopin.common import idnumber
from tuopin.common.spreadsheet import cell_text
from tuopin.standards.rosters import BIRTH, COUNTY, ID, NAME, SEX, TOWNSHIP, VILLAGE, Layout

from . import cells
from .models import RosterEntry

FIELD_COLUMNS = {"sex": SEX, "birth_date": BIRTH}


def check_rows(lay: Layout, rows: list[tuple[int, dict[str, Any]]], problems: list[Problem], *,
               today: dt.date) -> list[RosterEntry]:
    entries, seen = [], {}
    for line, row in rows:
        entry = _check_row(lay, line, row, problems, today)
        if entry is None:
            continue
        if entry.id_valid and not lay.repeats:
            if entry.id_number in seen:
                problems.append(Problem(line, ID, entry.id_number, _("the same ID number is on row %(row)s too")
                                        % {"row": seen[entry.id_number]}))
                continue
            seen[entry.id_number] = line
        entries.append(entry)
    return entries


def _check_row(lay: Layout, line: int, row: dict[str, Any], problems: list[Problem], today: dt.date
               ) -> RosterEntry | None:
    before = len(problems)

    def problem(column: str, reason: str) -> None:
        problems.append(Problem(line, column, cell_text(row.get(column))[:64], reason))

    for column in lay.columns:
        if column.required and not cell_text(row.get(column.name)):
            problem(column.name, _("required"))
    values: dict[str, Any] = {}
    for column in lay.columns:
        if column.name == ID or not cell_text(row.get(column.name)):
            continue
        parse = {SEX: cells.sex, BIRTH: cells.date}.get(column.name, cells.PARSERS[column.type])
        try:
            values[column.name] = parse(row.get(column.name))
        except ValueError as exc:
            problem(column.name, str(exc))
    entry = RosterEntry(row=line, name=values.get(NAME, "")[:64], sex=values.get(SEX, ""),
                        birth_date=values.get(BIRTH), county=values.get(COUNTY, "")[:64],
                        township=values.get(TOWNSHIP, "")[:64], village=values.get(VILLAGE, "")[:64],
                        extra={c.name: values[c.name] for c in lay.own if c.name in values})
    _id_number(entry, row.get(ID), problem, today)
    if len(problems) > before:
        return None
    return entry


def _id_number(entry: RosterEntry, raw: Any, problem, today: dt.date) -> None:
    given = cell_text(raw)
    if not given and not isinstance(raw, float):
        return
    try:
        parsed = idnumber.parse(raw, today=today)
    except idnumber.IDNumberError as why:
        if why.code != "excel":
            entry.id_given = idnumber.normalise(given)[:32]
            return
        try:
            parse_id_number(raw, today=today)
        except Refused as exc:  # the same reason, in the account's language
            problem(ID, str(exc))
        return
    entry.id_number, entry.id_valid = parsed.value, True
    for key, reason in id_number_agreement(parsed, sex=entry.sex or None, birth=entry.birth_date).items():
        problem(FIELD_COLUMNS[key], reason)
    entry.sex = entry.sex or parsed.sex
    entry.birth_date = entry.birth_date or parsed.birth_date
