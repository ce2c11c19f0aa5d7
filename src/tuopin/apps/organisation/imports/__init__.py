"""Importing the organisation from one workbook, a sheet per kind of record (decision 1222): units, cadres, the
leading group and special groups, war zones, unit ↔ village pairings, work teams, 1×5 groups, their shared
trips, responsibility lists. Any subset of the sheets may be given; they are applied in that order.

All or nothing: every row goes through the services inside one transaction (each row in a savepoint, so a bad
row does not stop the others being checked); one problem anywhere and the whole transaction is rolled back, and
the report lists every problem with its sheet, row, column, value and reason. Checked and written under the
database's import lock, like the other imports (decision 0907).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, Refused, require
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.files.guard import UnreadableFile
from tuopin.apps.files.import_lock import import_lock
from tuopin.common.spreadsheet import safe_cell as escape
from tuopin.apps.files.report import REPORT_COLUMNS, default_path
from tuopin.common.masking import mask_text

from .kinds import BY_KEY, BY_SHEET, KINDS, Kind
from .reading import Refs, RowError, read_sheets, rows_of, sheet_names


@dataclass(frozen=True)
class SheetProblem:
    sheet: str
    row: int | None
    column: str
    value: str
    reason: str

    def line(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row else _("file")
        value = f" {self.value!r}" if self.value else ""
        return f"{self.sheet or '-'}, {where}, {self.column or '-'}{value}: {self.reason}"


@dataclass
class WorkbookResult:
    file: str
    rows: int = 0
    problems: list[SheetProblem] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # sheet → {"created": n, "updated": n, "unchanged": n}
    report: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def is_organisation_workbook(path: Path) -> bool:
    """Whether the file holds any of the organisation's sheets (else it is a 帮扶责任人 pairing list)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
        return False
    return bool(set(sheet_names(path)) & set(BY_SHEET))


class _Refused(Exception):
    """Raised inside the transaction to roll every row back."""


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {m}" if name != "__all__" else str(m)
                         for name, errors in exc.message_dict.items() for m in errors)
    return "; ".join(str(m) for m in exc.messages)


def _apply(kind: Kind, sheet, refs: Refs, by, source: str, out: WorkbookResult) -> None:
    missing = [c.header for c in kind.columns if c.required and c.header not in sheet.headers]
    if missing:
        out.problems.append(SheetProblem(kind.sheet, None, "、".join(missing), "", _("required column(s) missing")))
        return
    counts = out.counts.setdefault(kind.sheet, {"created": 0, "updated": 0, "unchanged": 0})
    for line, row in sheet.rows:
        out.rows += 1
        try:
            with transaction.atomic():
                counts[kind.apply(row, refs, by, source)] += 1
        except RowError as exc:
            out.problems.append(SheetProblem(kind.sheet, line, exc.column, exc.value, exc.reason))
        except Refused as exc:
            out.problems.append(SheetProblem(kind.sheet, line, "", "", _("refused: %(reason)s")
                                             % {"reason": _(exc.reason)}))
        except ValidationError as exc:
            out.problems.append(SheetProblem(kind.sheet, line, "", "", _messages(exc)))


def organisation_import(*, path: Path, by, report: Path | None = None, source: str = "cli") -> WorkbookResult:
    require(by, Action.EDIT_ORGANISATION)
    with import_lock(what=f"{path.name} by {by.get_username()}"):
        return _import(path=path, by=by, report=report, source=source)


def _import(*, path: Path, by, report: Path | None, source: str) -> WorkbookResult:
    out = WorkbookResult(file=path.name)
    try:
        sheets = read_sheets(path)
    except UnreadableFile as exc:
        out.problems.append(SheetProblem("", None, "", "", str(exc)))
        return _reported(out, report)
    present = [k for k in KINDS if k.sheet in sheets]
    if not present:
        out.problems.append(SheetProblem("", None, "", "", _("no organisation sheet in the file (sheets are named "
                                                             "%(names)s)") % {"names": "、".join(BY_SHEET)}))
        return _reported(out, report)
    refs = Refs(by)
    try:
        with transaction.atomic():
            for kind in present:
                _apply(kind, rows_of(kind.sheet, sheets[kind.sheet], kind.first_column), refs, by, source, out)
            if not out.problems and not out.rows:
                out.problems.append(SheetProblem("", None, "", "", _("the file holds no rows")))
            if out.problems:
                raise _Refused
            audit_batch(actor=by, action="org_import", entity="organisation", source=source,
                        summary=f"{path.name}: " + ", ".join(f"{s} {c['created']}+{c['updated']}"
                                                             for s, c in out.counts.items()),
                        batch={"file": path.name, "counts": out.counts})
    except _Refused:
        out.counts = {}
        return _reported(out, report)
    return out


def _reported(out: WorkbookResult, report: Path | None) -> WorkbookResult:
    out.problems.sort(key=lambda p: ([k.sheet for k in KINDS].index(p.sheet) if p.sheet in BY_SHEET else -1,
                                     p.row or 0, p.column))
    path = report or default_path(out.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM: Excel opens the Chinese correctly
        writer = csv.writer(fh)
        writer.writerow(REPORT_COLUMNS)
        for p in out.problems:
            writer.writerow((escape(out.file), escape(p.sheet), p.row or "", escape(p.column),
                             escape(mask_text(p.value)), p.reason))
    out.report = path
    return out


__all__ = ["BY_KEY", "KINDS", "WorkbookResult", "is_organisation_workbook", "organisation_import"]
