"""Importing funds and projects from one workbook (decision 1505): sheets 资金 (the year's fund lines), 项目
(projects, found again by their 项目编号), 资金分配 (allocations) and 资金支出 (spendings), applied in that order, so
a sheet may name what an earlier one made. Any subset of the sheets may be given.

All or nothing: every row goes through the services (permission, validation, the ledger's invariant, audit) inside
one transaction, each in a savepoint so that every row is checked; one problem anywhere and everything is rolled
back, and the report lists each problem with its sheet, row, column, value and reason (the organisation import's
report). A row that finds its record as it is changes nothing: importing a file twice writes it once. Checked and
written under the database's import lock, like the other imports.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, Refused, require
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.files.guard import UnreadableFile, check_file
from tuopin.apps.files.import_lock import import_lock
from tuopin.apps.files.report import REPORT_COLUMNS, default_path
from tuopin.apps.geo.models import Region
from tuopin.common.money import yuan_to_fen
from tuopin.common.spreadsheet import safe_cell as escape
from tuopin.common.spreadsheet import cell_text as text

from . import funds as fs
from . import services as ps
from .choices import KIND_WORDS, SOURCE_WORDS, FundSource, ProjectKind
from .models import Allocation, Fund, Project, Spending
from .sheets import BUDGET_COLUMNS, SHEETS, Sheet

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LIST = re.compile(r"[、,，;；\n]+")


class RowError(Exception):
    def __init__(self, column: str, value: Any, reason: str):
        super().__init__(reason)
        self.column, self.value, self.reason = column, text(value), reason


@dataclass(frozen=True)
class SheetProblem:
    sheet: str
    row: int | None
    column: str
    value: str
    reason: str


@dataclass
class ProjectsImportResult:
    file: str
    rows: int = 0
    problems: list[SheetProblem] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # sheet → {"created": n, "unchanged": n}
    report: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


# ---- cells ---------------------------------------------------------------------------------------------------

def _required(row: dict, column: str) -> str:
    value = text(row.get(column))
    if not value:
        raise RowError(column, "", _("required"))
    return value


def _date(row: dict, column: str) -> dt.date:
    cell = row.get(column)
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    value = _required(row, column)
    m = _DATE.match(value) or (re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value))
    try:
        if not m:
            raise ValueError
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise RowError(column, value, _("not a date (write it as 2016-01-01)")) from None


def _fen(row: dict, column: str, *, needed: bool = True) -> int:
    value = text(row.get(column))
    if not value and not needed:
        return 0
    try:
        fen = yuan_to_fen(value)
    except ValueError:
        raise RowError(column, value, _("not an amount in yuan")) from None
    if fen < 0 or (needed and fen == 0):
        raise RowError(column, value, _("the amount must be more than zero"))
    return fen


def _year(row: dict, column: str) -> int:
    value = _required(row, column)
    if not re.fullmatch(r"\d{4}", value):
        raise RowError(column, value, _("not a year"))
    return int(value)


def _choice(row: dict, column: str, words: dict, values: list[str]) -> str:
    value = _required(row, column)
    code = words.get(value, value)
    if code not in values:
        raise RowError(column, value, _("write one of %(words)s") % {"words": "、".join(words)})
    return code


# ---- references ----------------------------------------------------------------------------------------------

def _fund(row: dict, by) -> Fund:
    year, name = _year(row, "资金年度"), _required(row, "资金名称")
    found = list(Fund.objects.filter(year=year, name=name)
                 .filter(Q(county__isnull=True) | Q(county_id=by.region_id))[:2])
    if len(found) != 1:
        raise RowError("资金名称", name, _("no such fund of %(year)s: add it on the sheet 资金 first") % {"year": year}
                       if not found else _("several funds of the year have this name"))
    return found[0]


def _project(row: dict, by) -> Project:
    from tuopin.apps.accounts.scoping import projects_visible_to

    code = _required(row, "项目编号")
    project = projects_visible_to(by).filter(code=code).first()
    if project is None:
        raise RowError("项目编号", code, _("no such project in your area: add it on the sheet 项目 first"))
    return project


def _villages(row: dict, by) -> list[Region]:
    from tuopin.apps.accounts.scoping import regions_visible_to

    township_name = text(row.get("乡镇"))
    villages = []
    for part in (p.strip() for p in _LIST.split(text(row.get("受益村"))) if p.strip()):
        qs = regions_visible_to(by).filter(level="village")
        qs = qs.filter(code=part) if part.isascii() and part.isdigit() else qs.filter(name=part)
        if township_name and not part.isdigit():
            qs = qs.filter(parent__name=township_name)
        found = list(qs[:2])
        if len(found) != 1:
            raise RowError("受益村", part, _("no such village in your area") if not found else
                           _("several villages have this name: give the township or the code"))
        villages.append(found[0])
    return villages


# ---- rows ----------------------------------------------------------------------------------------------------

def fund_row(row: dict, by, origin: str) -> str:
    year, name = _year(row, "年度"), _required(row, "资金名称")
    source = _choice(row, "资金来源", SOURCE_WORDS, FundSource.values)
    amount = _fen(row, "金额（元）")
    county = Region.objects.filter(pk=by.region_id).first()
    existing = Fund.objects.filter(year=year, name=name, county=county).first()
    if existing is None:
        fs.fund_record(by=by, year=year, source=source, name=name, amount_fen=amount, county=county,
                       document=text(row.get("文号")), origin=origin)
        return "created"
    if existing.source != source:
        raise RowError("资金来源", text(row.get("资金来源")), _("the fund is recorded with another source"))
    if existing.amount_fen == amount:
        return "unchanged"
    fs.fund_change(fund=existing, by=by, version=None, amount_fen=amount, origin=origin)
    return "updated"


def project_row(row: dict, by, origin: str) -> str:
    code, name = _required(row, "项目编号"), _required(row, "项目名称")
    kind = _choice(row, "类别", KIND_WORDS, ProjectKind.values)
    villages = _villages(row, by)
    budget = {source: _fen(row, column, needed=False) for source, column in BUDGET_COLUMNS.items()}
    budget = {s: a for s, a in budget.items() if a}
    capacity = text(row.get("装机容量（千瓦）"))
    try:
        capacity_kw = Decimal(capacity) if capacity else None
    except InvalidOperation:
        raise RowError("装机容量（千瓦）", capacity, _("not a number")) from None
    year = _year(row, "年度") if text(row.get("年度")) else None
    from tuopin.apps.accounts.scoping import projects_visible_to

    existing = projects_visible_to(by).filter(code=code).first()
    if existing is None:
        if Project.objects.filter(code=code).exists():
            raise RowError("项目编号", code, _("the project is outside your area"))
        ps.project_create(by=by, kind=kind, name=name, code=code, villages=villages, budget=budget,
                          capacity_kw=capacity_kw, year=year, note=text(row.get("备注")), origin=origin)
        return "created"
    if existing.kind != kind:
        raise RowError("类别", text(row.get("类别")), _("the project is recorded as another kind"))
    before = existing.version
    project = ps.project_change(project=existing, by=by, version=None, villages=villages, budget=budget, name=name,
                                year=year)
    return "unchanged" if project.version == before else "updated"


def _entry_row(model, service: Callable, document_column: str) -> Callable:
    def apply(row: dict, by, origin: str) -> str:
        project, fund = _project(row, by), _fund(row, by)
        amount, on, document = _fen(row, "金额（元）"), _date(row, "日期"), text(row.get(document_column))
        if model.objects.filter(fund=fund, project=project, amount_fen=amount, on=on, document=document).exists():
            return "unchanged"
        try:
            service(by=by, fund=fund, project=project, amount_fen=amount, on=on, document=document, origin=origin)
        except ValidationError as exc:
            raise RowError("金额（元）", text(row.get("金额（元）")), _messages(exc)) from None
        return "created"
    return apply


APPLY = {"funds": fund_row, "projects": project_row,
         "allocations": _entry_row(Allocation, fs.allocate, "文号"),
         "spendings": _entry_row(Spending, fs.spend, "凭证号")}


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(str(m) for errors in exc.message_dict.values() for m in errors)
    return "; ".join(str(m) for m in exc.messages)


# ---- the workbook --------------------------------------------------------------------------------------------

def _read(path: Path) -> dict[str, list[list[Any]]]:
    check_file(path)  # hostile files are refused before any parser sees them (decision 0953)
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
        raise UnreadableFile(_("%(file)s: the funds and projects workbook is an .xlsx file") % {"file": path.name})
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        return {name.strip(): book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names}
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise UnreadableFile(_("%(file)s: cannot be read as a workbook (%(error)s)")
                             % {"file": path.name, "error": exc}) from None


def _rows(sheet: Sheet, grid: list[list[Any]]) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header (the first of the top ten rows holding the sheet's first column) and the rows under it."""
    first = sheet.columns[0].header
    header_at, headers = 0, []
    for i, row in enumerate(grid[:10]):
        cells = [text(c).replace(" ", "").rstrip("*") for c in row]
        if first in cells:
            header_at, headers = i, cells
            break
    rows = []
    for i in range(header_at + 1, len(grid)):
        cells = list(grid[i]) + [None] * (len(headers) - len(grid[i]))
        if any(text(c) for c in cells):
            rows.append((i + 1, {h: cells[j] for j, h in enumerate(headers) if h}))
    return headers, rows


class _Refused(Exception):
    """Raised inside the transaction to roll every row back."""


def projects_import(*, path: Path, by, report: Path | None = None, origin: str = "cli") -> ProjectsImportResult:
    require(by, Action.RECORD_FUNDS)
    require(by, Action.RECORD_PROJECTS)
    with import_lock(what=f"{path.name} by {by.get_username()}"):
        return _import(path, by, report, origin)


def _import(path: Path, by, report: Path | None, origin: str) -> ProjectsImportResult:
    out = ProjectsImportResult(file=path.name)
    try:
        grids = _read(path)
    except UnreadableFile as exc:
        out.problems.append(SheetProblem("", None, "", "", str(exc)))
        return _reported(out, report)
    present = [s for s in SHEETS if s.name in grids]
    if not present:
        out.problems.append(SheetProblem("", None, "", "", _("no funds or projects sheet in the file (sheets are "
                                                             "named %(names)s)") % {"names": "、".join(s.name for s in SHEETS)}))
        return _reported(out, report)
    try:
        with transaction.atomic():
            for sheet in present:
                _apply(sheet, grids[sheet.name], by, origin, out)
            if not out.problems and not out.rows:
                out.problems.append(SheetProblem("", None, "", "", _("the file holds no rows")))
            if out.problems:
                raise _Refused
            audit_batch(actor=by, action="projects_import", entity="projects", source=origin,
                        batch={"file": path.name, "counts": out.counts},
                        summary=f"{path.name}: " + ", ".join(f"{s} {c}" for s, c in out.counts.items()))
    except _Refused:
        out.counts = {}
        return _reported(out, report)
    return out


def _apply(sheet: Sheet, grid, by, origin: str, out: ProjectsImportResult) -> None:
    headers, rows = _rows(sheet, grid)
    missing = [c.header for c in sheet.columns if c.required and c.header not in headers]
    if missing:
        out.problems.append(SheetProblem(sheet.name, None, "、".join(missing), "", _("required column(s) missing")))
        return
    counts = out.counts.setdefault(sheet.name, {"created": 0, "updated": 0, "unchanged": 0})
    for line, row in rows:
        out.rows += 1
        try:
            with transaction.atomic():
                counts[APPLY[sheet.key](row, by, origin)] += 1
        except RowError as exc:
            out.problems.append(SheetProblem(sheet.name, line, exc.column, exc.value, exc.reason))
        except Refused as exc:
            out.problems.append(SheetProblem(sheet.name, line, "", "", _("refused: %(reason)s")
                                             % {"reason": exc.reason}))
        except ValidationError as exc:
            out.problems.append(SheetProblem(sheet.name, line, "", "", _messages(exc)))


def _reported(out: ProjectsImportResult, report: Path | None) -> ProjectsImportResult:
    path = report or default_path(out.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM: Excel opens the Chinese correctly
        writer = csv.writer(fh)
        writer.writerow(REPORT_COLUMNS)
        for p in out.problems:
            writer.writerow((escape(out.file), escape(p.sheet), p.row or "", escape(p.column), escape(p.value),
                             p.reason))
    out.report = path
    return out
