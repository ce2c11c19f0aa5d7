"""Importing the 帮扶责任人 list counties keep: one row per cadre ↔ household pairing, with the cadre's unit.

Columns: 户编号, 帮扶责任人姓名, 帮扶单位, 职务, 联系电话, 帮扶开始时间, 帮扶结束时间 (and optionally 单位类型).
Units and cadres missing from the organisation are created; a cadre is found by unit and name (and phone,
when two share a name). Pairings are upserted on (cadre, household, start): a row repeats or ends one. When a
row gives a household a new cadre while another's pairing is still open, that pairing ends the day before
(换人: responsibility is handed over, never left empty).

All or nothing: every row is checked first; one problem anywhere and nothing is written, and the report
(file, sheet, row, column, value, reason — the registry import's writer) lists every problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.accounts.scoping import households_visible_to
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.files.import_lock import import_lock
from tuopin.apps.files.report import Problem, default_path, write_report

from .models import Cadre, CadreHouseholdPairing, Unit, UnitKind

HOUSEHOLD, NAME, UNIT, POST, PHONE, START, END, KIND = ("户编号", "帮扶责任人姓名", "帮扶单位", "职务", "联系电话",
                                                       "帮扶开始时间", "帮扶结束时间", "单位类型")
REQUIRED = (HOUSEHOLD, NAME, UNIT, START)
KIND_LABELS = {label: value for value, label in UnitKind.choices} | {"企业": UnitKind.ENTERPRISE,
                                                                    "事业单位": UnitKind.ENTERPRISE}
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class UnreadableFile(Exception):
    pass


@dataclass
class Row:
    line: int
    household_id: int
    name: str
    unit: str
    post: str
    phone: str
    start: dt.date
    end: dt.date | None
    kind: str


@dataclass
class OrgImportResult:
    file: str
    sheet: str = ""
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    report: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


# ---- reading ------------------------------------------------------------------------------------------

def _grid(path: Path) -> list[tuple[str, list[list[Any]]]]:
    from tuopin.apps.files.guard import UnreadableFile as Refused, check_file

    try:
        check_file(path)  # hostile files are refused before any parser sees them (decision 0953)
    except Refused as exc:
        raise UnreadableFile(str(exc)) from None
    if path.suffix.lower() == ".csv":
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return [("", list(csv.reader(io.StringIO(data.decode(encoding), newline=""))))]
            except UnicodeDecodeError:
                continue
        raise UnreadableFile(_("%(file)s: neither UTF-8 nor GB 18030 text") % {"file": path.name})
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        return [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise UnreadableFile(_("%(file)s: cannot be read as a workbook (%(error)s)")
                             % {"file": path.name, "error": exc}) from None


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_date(cell: Any) -> dt.date | None:
    """A date cell as Excel, WPS or a clerk writes it; None for an empty cell; ValueError otherwise."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell)
    if re.fullmatch(r"\d{8}", text):
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    m = _DATE.match(text)
    if not m:
        raise ValueError(_("not a date (write it as 2016-01-01)"))
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _find_header(sheets) -> tuple[str, int, list[str], list[list[Any]]]:
    for name, grid in sheets:
        for i, row in enumerate(grid[:10]):
            headers = [_text(c).replace(" ", "") for c in row]
            if HOUSEHOLD in headers and NAME in headers:
                return name, i, headers, grid
    name, grid = sheets[0] if sheets else ("", [])
    return name, 0, [_text(c) for c in (grid[0] if grid else [])], grid


# ---- checking -----------------------------------------------------------------------------------------

def _check_rows(path: Path, by, out: OrgImportResult) -> list[Row]:
    sheet, header_index, headers, grid = _find_header(_grid(path))
    out.sheet = sheet
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        out.problems.append(Problem(None, ", ".join(missing), "", _("required column(s) missing")))
        return []
    col = {h: i for i, h in enumerate(headers) if h}
    visible = dict(households_visible_to(by).values_list("number", "pk"))
    rows = []
    for i in range(header_index + 1, len(grid)):
        cells = list(grid[i]) + [None] * (len(headers) - len(grid[i]))
        if all(_text(c) == "" for c in cells):
            continue
        line = i + 1
        out.rows += 1
        get = {h: cells[j] for h, j in col.items()}
        before = len(out.problems)
        for c in REQUIRED:
            if _text(get.get(c)) == "":
                out.problems.append(Problem(line, c, "", _("required")))
        number = _text(get.get(HOUSEHOLD))
        household_id = visible.get(number)
        if number and household_id is None:
            out.problems.append(Problem(line, HOUSEHOLD, number, _("no such household in your scope")))
        dates = {}
        for c in (START, END):
            try:
                dates[c] = parse_date(get.get(c))
            except ValueError as exc:
                out.problems.append(Problem(line, c, _text(get.get(c)), str(exc)))
        if dates.get(START) and dates.get(END) and dates[END] < dates[START]:
            out.problems.append(Problem(line, END, _text(get.get(END)), _("ends before the pairing starts")))
        phone = _text(get.get(PHONE)).replace(" ", "")
        if phone and not _PHONE.match(phone):
            out.problems.append(Problem(line, PHONE, phone, _("not a phone number")))
        kind = _text(get.get(KIND))
        if kind and kind not in KIND_LABELS:
            out.problems.append(Problem(line, KIND, kind, _("unit type is one of %(kinds)s")
                                        % {"kinds": "、".join(KIND_LABELS)}))
        for c, limit in ((NAME, 32), (UNIT, 80), (POST, 40)):
            if len(_text(get.get(c))) > limit:
                out.problems.append(Problem(line, c, _text(get.get(c)),
                                            _("longer than %(limit)s characters") % {"limit": limit}))
        if len(out.problems) == before:
            rows.append(Row(line, household_id, _text(get.get(NAME)), _text(get.get(UNIT)), _text(get.get(POST)),
                            phone, dates[START], dates.get(END), KIND_LABELS.get(kind, "")))
    _check_together(rows, out)
    return rows


def _check_together(rows: list[Row], out: OrgImportResult) -> None:
    seen, open_rows = {}, defaultdict(list)
    for r in rows:
        key = (r.household_id, r.unit, r.name, r.start)
        if key in seen:
            out.problems.append(Problem(r.line, START, r.start.isoformat(),
                                        _("the same pairing as row %(row)s") % {"row": seen[key]}))
        seen.setdefault(key, r.line)
        if r.end is None:
            open_rows[r.household_id].append(r)
    for household_rows in open_rows.values():
        cadres = {(r.unit, r.name) for r in household_rows}
        if len(cadres) > 1:
            first = min(household_rows, key=lambda r: r.line)
            for r in household_rows:
                if r is not first:
                    out.problems.append(Problem(r.line, END, "", _("the household already has an open pairing in "
                                                                   "row %(row)s: give the earlier one its end date")
                                                                 % {"row": first.line}))


def _resolve_cadres(rows: list[Row], out: OrgImportResult) -> dict[tuple[str, str], Cadre | None]:
    """(unit, name) → an existing cadre, or None for one to create; ambiguous names are problems."""
    existing = defaultdict(list)
    for cadre in Cadre.objects.filter(unit__name__in={r.unit for r in rows}).select_related("unit"):
        existing[(cadre.unit.name, cadre.name)].append(cadre)
    found = {}
    for r in rows:
        key = (r.unit, r.name)
        matches = existing.get(key, [])
        if len(matches) > 1:
            by_phone = [c for c in matches if r.phone and c.phone == r.phone]
            if len(by_phone) != 1:
                out.problems.append(Problem(r.line, NAME, r.name, _("%(n)s cadres of %(unit)s have this name: "
                                                                    "give the phone number to tell them apart")
                                                                  % {"n": len(matches), "unit": r.unit}))
                continue
            matches = by_phone
        found[key] = matches[0] if matches else None
    return found


# ---- writing ------------------------------------------------------------------------------------------

def org_import(*, path: Path, by, report: Path | None = None, source: str = "cli") -> OrgImportResult:
    require(by, Action.IMPORT_ORGANISATION)
    # Checked and written under the database's import lock, like the registry import (decision 0907).
    with import_lock(what=f"{path.name} by {by.get_username()}"):
        return _org_import(path=path, by=by, report=report, source=source)


def _org_import(*, path: Path, by, report: Path | None, source: str) -> OrgImportResult:
    out = OrgImportResult(file=path.name)
    try:
        rows = _check_rows(path, by, out)
    except UnreadableFile as exc:
        out.problems.append(Problem(None, "", "", str(exc)))
        rows = []
    cadres = _resolve_cadres(rows, out) if rows else {}
    if not out.problems and not rows:
        out.problems.append(Problem(None, "", "", _("the file holds no pairing rows")))
    if out.problems:
        out.problems.sort(key=lambda p: (p.row or 0, p.column))
        out.report = write_report(report or default_path(path.name), file=path.name, sheet=out.sheet,
                                  problems=[p.masked(by.may_see_id_numbers) for p in out.problems])
        return out
    out.counts = _write(rows, cadres, by=by, source=source, file=path.name)
    return out


def _save_end(pairing: CadreHouseholdPairing, by) -> None:
    # F(): the row was read without a lock; a web edit saved in between still sees its version moved on.
    CadreHouseholdPairing.objects.filter(pk=pairing.pk).update(end=pairing.end, version=F("version") + 1,
                                                                updated_by=by, updated_at=timezone.now())


@transaction.atomic
def _write(rows: list[Row], cadres: dict, *, by, source: str, file: str) -> dict:
    counts = dict.fromkeys(("units_created", "cadres_created", "cadres_updated", "pairings_created",
                            "pairings_updated", "pairings_handed_over"), 0)
    units = {u.name: u for u in Unit.objects.filter(name__in={r.unit for r in rows})}
    for r in rows:
        if r.unit not in units:
            # A unit the organisation does not know yet; 党政机关 unless the file says otherwise (decision 0704).
            units[r.unit] = Unit.objects.create(name=r.unit, kind=r.kind or UnitKind.PARTY_GOV)
            counts["units_created"] += 1
    for r in rows:
        cadre = cadres.get((r.unit, r.name))
        if cadre is None:
            cadre = cadres[(r.unit, r.name)] = Cadre.objects.create(name=r.name, unit=units[r.unit], post=r.post,
                                                                    phone=r.phone)
            counts["cadres_created"] += 1
        elif (r.post and cadre.post != r.post) or (r.phone and cadre.phone != r.phone):
            cadre.post, cadre.phone = r.post or cadre.post, r.phone or cadre.phone
            cadre.save(update_fields=["post", "phone"])
            counts["cadres_updated"] += 1
    existing = {(p.cadre_id, p.household_id, p.start): p for p in
                CadreHouseholdPairing.objects.filter(household_id__in={r.household_id for r in rows})}
    open_by_household = defaultdict(list)
    for p in existing.values():
        if p.end is None:
            open_by_household[p.household_id].append(p)
    new, written = [], []
    for r in sorted(rows, key=lambda r: r.start):
        cadre = cadres[(r.unit, r.name)]
        pairing = existing.get((cadre.pk, r.household_id, r.start))
        if pairing is None:
            for other in open_by_household[r.household_id]:
                if other.cadre_id != cadre.pk and other.start < r.start and other.end is None:
                    other.end = r.start - dt.timedelta(days=1)
                    _save_end(other, by)
                    counts["pairings_handed_over"] += 1
                    written.append(("ended", other.pk, other.end.isoformat()))
            new.append(CadreHouseholdPairing(cadre=cadre, household_id=r.household_id, start=r.start, end=r.end))
        elif pairing.end != r.end:
            pairing.end = r.end
            _save_end(pairing, by)
            counts["pairings_updated"] += 1
            written.append(("updated", pairing.pk, r.end.isoformat() if r.end else None))
    created = CadreHouseholdPairing.objects.bulk_create(new, batch_size=2_000)
    counts["pairings_created"] = len(created)
    written += [("created", p.pk, p.cadre_id, p.household_id, p.start.isoformat()) for p in created]
    audit_batch(actor=by, action="org_import", entity="organisation.cadrehouseholdpairing", source=source,
                summary=f"{file}: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
                batch={"file": file, "counts": counts, "rows": written})
    return counts
