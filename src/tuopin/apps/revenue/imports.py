"""Importing PV stations' monthly generation (发电量) from a workbook or csv, all or nothing (decision 1612).

One row a station's month: 项目编号 (the project's number; or, left empty, 电站名称 finds the station by its name),
电站名称, 年度, 月份, 发电量（千瓦时）, 备注. Rows are read from the sheet 发电量 (the template's; else the first sheet,
or the csv). Every row goes through `services.income_record` — the permission on the station, the month, the
tariff of the standards in force, the ledger's invariant, the audit — inside one transaction, each in a savepoint
so that every row is checked; one problem anywhere and everything is rolled back. A problem names the file, the
sheet, the row Excel shows, the column, the value and the reason. A month entered already with the same kWh is left
as it is (importing a file twice writes it once); with other kWh it is corrected — the audit trail keeps the figure
it replaces and the result lists each month corrected. Checked and written under the database's import lock.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.files.grid import read_book, read_grid, table
from tuopin.apps.files.guard import UnreadableFile
from tuopin.apps.files.import_lock import import_lock
from tuopin.apps.files.report import Problem
from tuopin.apps.projects.models import Project
from tuopin.common.spreadsheet import cell_text as _text
from tuopin.common.versioning import StaleEdit

from . import selectors, services
from .models import Income

SHEET = "发电量"
CODE, NAME, YEAR, MONTH, KWH, NOTE = "项目编号", "电站名称", "年度", "月份", "发电量（千瓦时）", "备注"
COLUMNS = (CODE, NAME, YEAR, MONTH, KWH, NOTE)
REQUIRED = (YEAR, MONTH, KWH)  # and 项目编号 or 电站名称
ALIASES = {"发电量": KWH, "发电量(千瓦时)": KWH, "发电量（kWh）": KWH, "发电量(kWh)": KWH, "kWh": KWH,
           "电站": NAME, "项目名称": NAME, "年份": YEAR, "月": MONTH}
FIRST_YEAR = 2014  # the first stations of the programme (光伏扶贫, 2014); an earlier year is a typing error
MAX_KWH = 10**9    # a village station of a few hundred kW makes well under a million kWh a month


@dataclass
class GenerationImportResult:
    file: str
    sheet: str = ""
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    corrected: list[str] = field(default_factory=list)  # "station year-month: old → new kWh"
    kwh: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def where(self, problem: Problem) -> str:
        """The problem with its file and sheet: `file, sheet 发电量, row 4, 月份 '13': reason`."""
        sheet = _("sheet %(sheet)s") % {"sheet": self.sheet} if self.sheet else ""
        return ", ".join(p for p in (self.file, sheet, problem.line()) if p)


class _RowError(Exception):
    def __init__(self, column: str, value: Any, reason: str):
        super().__init__(reason)
        self.column, self.value, self.reason = column, _text(value), reason


def _header(cell: Any) -> str:
    name = _text(cell).replace(" ", "").rstrip("*")
    return ALIASES.get(name, name)


def _grid(path: Path) -> tuple[str, list[list[Any]]]:
    if path.suffix.lower() == ".csv":
        return "", read_grid(path)
    book = read_book(path)
    for name, grid in book.items():
        if name.strip() == SHEET:
            return name.strip(), grid
    name = next(iter(book))
    return name, book[name]


def _whole(row: dict, column: str, low: int, high: int, reason: str) -> int:
    value = _text(row.get(column))
    if not value:
        raise _RowError(column, "", _("required"))
    if not re.fullmatch(r"\d+", value.replace(",", "")) or not low <= int(value.replace(",", "")) <= high:
        raise _RowError(column, value, reason)
    return int(value.replace(",", ""))


def _station(row: dict, stations) -> Any:
    code, name = _text(row.get(CODE)), _text(row.get(NAME))
    if not code and not name:
        raise _RowError(CODE, "", _("give the station's project number (or its name)"))
    if code:
        found = [p for p in stations if p.code == code]
        if not found:
            raise _RowError(CODE, code, _("no PV station with this project number in your area"))
        if name and found[0].name != name:
            raise _RowError(NAME, name, _("project %(code)s is the station %(name)s") % {"code": code,
                                                                                         "name": found[0].name})
        return found[0]
    found = [p for p in stations if p.name == name]
    if len(found) != 1:
        raise _RowError(NAME, name, _("no PV station of this name in your area") if not found else
                        _("several stations have this name: give the project number"))
    return found[0]


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    """(column, reason) of the service's refusal: its fields named by the file's columns."""
    columns = {"kwh": KWH, "month": MONTH, "year": YEAR}
    if hasattr(exc, "error_dict"):
        return [(columns.get(k, ""), m) for k, errors in exc.message_dict.items() for m in errors]
    return [("", m) for m in exc.messages]


def generation_import(path: Path, *, by, source: str = "web", name: str | None = None) -> GenerationImportResult:
    """Check and write every row in one transaction, or nothing."""
    require(by, Action.RECORD_ASSET_INCOME)
    file = name or path.name
    result = GenerationImportResult(file=file)
    try:
        result.sheet, grid = _grid(path)
        headers, rows = table(file, grid, header=_header, key=MONTH)
    except UnreadableFile as exc:
        result.problems.append(Problem(None, "", "", str(exc)))
        return result
    missing = [c for c in REQUIRED if c not in headers] + \
        ([f"{CODE}/{NAME}"] if CODE not in headers and NAME not in headers else [])
    if missing:
        result.problems.append(Problem(None, "", "", _("the header row lacks the columns %(columns)s")
                                       % {"columns": "、".join(missing)}))
        return result
    if not rows:
        result.problems.append(Problem(None, "", "", _("the file holds no rows")))
        return result
    result.rows = len(rows)
    reach = selectors.projects_visible_to(by) if by is not None else Project.objects.all()
    stations = list(reach.filter(kind=services.PV).order_by("pk"))
    with import_lock(what=f"PV generation from {file}"):
        with transaction.atomic():
            _apply(rows, by=by, source=source, stations=stations, result=result)
            if result.problems:
                transaction.set_rollback(True)
                result.created = result.unchanged = result.kwh = 0
                result.corrected = []
                result.problems.sort(key=lambda p: p.row or 0)
                return result
            audit_batch(actor=by, action="revenue:generation_import", entity="revenue.income", source=source,
                        batch={"file": file, "sheet": result.sheet, "rows": result.rows, "created": result.created,
                               "unchanged": result.unchanged, "corrected": len(result.corrected),
                               "kwh": result.kwh},
                        summary=f"PV generation from {file}: {result.created} months, "
                                f"{len(result.corrected)} corrected")
    return result


def _apply(rows, *, by, source: str, stations, result: GenerationImportResult) -> None:
    seen: dict[tuple, int] = {}
    for line, row in rows:
        try:
            station = _station(row, stations)
            year = _whole(row, YEAR, FIRST_YEAR, 2100, _("not a year"))
            month = _whole(row, MONTH, 1, 12, _("a month is 1 to 12"))
            kwh = _whole(row, KWH, 0, MAX_KWH, _("the generation is a whole number of kWh, 0 or more"))
        except _RowError as exc:
            result.problems.append(Problem(line, exc.column, exc.value, exc.reason))
            continue
        key = (station.pk, year, month)
        if key in seen:
            result.problems.append(Problem(line, MONTH, str(month), _("the station's month is on row %(row)s too")
                                           % {"row": seen[key]}))
            continue
        seen[key] = line
        existing = Income.objects.filter(project=station, year=year, month=month).first()
        if existing is not None and existing.kwh == kwh:
            result.unchanged += 1
            continue
        try:
            with transaction.atomic():
                services.income_record(project=station, year=year, month=month, kwh=kwh, by=by, source=source,
                                       version=existing.version if existing else None)
        except PermissionDenied as exc:
            result.problems.append(Problem(line, CODE, station.code or station.name, str(exc)))
            continue
        except StaleEdit as exc:
            result.problems.append(Problem(line, KWH, str(kwh), str(exc)))
            continue
        except ValidationError as exc:
            for column, reason in _messages(exc):
                result.problems.append(Problem(line, column or KWH, _text(row.get(column or KWH)), reason))
            continue
        result.kwh += kwh
        if existing is None:
            result.created += 1
        else:
            result.corrected.append(f"{station.name} {year}-{month:02d}: {existing.kwh:,} → {kwh:,} kWh")


RULES = ("项目编号与电站名称至少填一项。收益 = 发电量 × 标准中的上网电价。同一电站同一月份已录入且电量相同的行不重复写入；"
         "电量不同的行更正原数（审计记录保留原数）。文件全部检查通过才写入，有任何一处错误则一行也不写入，并给出问题清单。")


def template_bytes() -> bytes:
    """The import's workbook: the sheet 发电量 with its header (required columns marked *) and a sheet 说明."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    examples = {CODE: "GF-2017-001", NAME: "西岗村光伏电站", YEAR: "2018", MONTH: "6", KWH: "100000", NOTE: ""}
    notes = {CODE: "电站所属项目的项目编号；留空时按电站名称查找", NAME: "与系统中电站名称一致；填了项目编号时用于核对",
             YEAR: "发电所属年度", MONTH: "1–12", KWH: "当月上网电量，千瓦时，整数", NOTE: ""}
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([c + ("*" if c in REQUIRED else "") for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    for i, column in enumerate(COLUMNS):
        sheet.column_dimensions[chr(65 + i)].width = max(12, 2 * len(column) + 6)
    explain = book.create_sheet("说明")
    explain.append(["列", "必填", "示例", "说明"])
    for column in COLUMNS:
        explain.append([column, "是" if column in REQUIRED else "", examples[column], notes[column]])
    explain.append([])
    explain.append([RULES])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
