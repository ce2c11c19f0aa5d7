"""Importing a department roster (xlsx or csv), all or nothing (decision 1540).

The layout is the kind's (tuopin/standards/data/rosters.toml): headers are matched by their Chinese names (title rows
above the header are skipped; columns the layout does not know are ignored). Every row is checked first — the ID
number by GB 11643 (tuopin.common.idnumber), its birth date and sex against 出生日期 and 性别 when given, each typed
column parsed — and one problem anywhere writes nothing; each names the file, row, column and reason. The file is
guarded as every import's is (size, content type, zip bombs, XML entities, formulas) before it is read. A roster
accepted becomes the current version of its (kind, year, department) and is matched to the registry (matching.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.files import guard
from tuopin.apps.files.grid import read_grid
from tuopin.apps.files.guard import UnreadableFile
from tuopin.apps.files.import_lock import import_lock
from tuopin.apps.files.report import Problem
from tuopin.apps.registry.bulk import insert_objects
from tuopin.common.spreadsheet import cell_text
from tuopin.standards import rosters as layouts
from tuopin.standards.rosters import COUNTY, ID, NAME, TOWNSHIP, VILLAGE, Layout

from .matching import Registry, counts, match_by_id, match_by_likeness
from .models import Roster, RosterEntry
from .rows import check_rows

Unit = Roster._meta.get_field("department").related_model  # organisation sits above policy in the apps' order
FIRST_YEAR = 2014  # the registry's first year (建档立卡 2014)
HEADER_SEARCH_ROWS = 10
ALIASES = {"身份证号": ID, "身份证号码": ID, "公民身份号码": ID, "乡镇": TOWNSHIP, "乡（镇）": TOWNSHIP, "村": VILLAGE,
           "县（市、区）": COUNTY, "县区": COUNTY}


@dataclass
class RosterImportResult:
    file: str
    kind: str
    year: int
    rows: int = 0
    roster: Roster | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def outcome(self) -> dict[str, int]:
        """The CLI's contract: these six keys, exactly."""
        r = self.roster
        return {"rows": self.rows, "matched_by_id": r.matched_by_id if r else 0,
                "matched_by_likeness": r.matched_by_likeness if r else 0,
                "queued_for_review": r.queued_for_review if r else 0, "unmatched": r.unmatched if r else 0,
                "refused": len(self.problems)}


def kind_layout(kind: str) -> Layout:
    try:
        return layouts.layout(kind)
    except KeyError:
        raise ValueError(_("unknown kind of roster: %(kind)s") % {"kind": kind}) from None


def _header(cell: Any) -> str:
    name = cell_text(cell).replace(" ", "").replace("\u3000", "").rstrip("*")
    return ALIASES.get(name, name)


def _table(file: str, grid: list[list[Any]]) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """The header (the first of the top rows naming both 姓名 and 证件号码) and the rows under it as (the row number
    a spreadsheet shows, {header: cell}); empty rows skipped; the guard's limits of width, rows and cell size."""
    header_at, headers = 0, [_header(c) for c in (grid[0] if grid else [])]
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        names = [_header(c) for c in row]
        if ID in names and NAME in names:
            header_at, headers = i, names
            break
    guard.check_width(file, len(headers))
    if len(grid) - header_at - 1 > guard.max_rows():
        guard.refuse_rows(file, guard.max_rows())
    rows = []
    for i in range(header_at + 1, len(grid)):
        cells_ = list(grid[i])
        if all(cell_text(c) == "" for c in cells_):
            continue
        row = {}
        for j, h in enumerate(headers):
            value = cells_[j] if j < len(cells_) else None
            if isinstance(value, str) and len(value) > guard.MAX_CELL_CHARS:
                guard.refuse_cell(file, i + 1, h, len(value))
            if h:
                row[h] = value
        rows.append((i + 1, row))
    return headers, rows


def _department(by, lay: Layout, department, problems: list[Problem]):
    """The uploading unit: a department account's own; the county office may name one (it must own the kind) or
    none, uploading as the county office."""
    if by is not None and by.role == "department":
        if department is not None and department.pk != by.department_id:
            problems.append(Problem(None, "", department.name, _("a department uploads its own rosters only")))
        return by.department
    if department is not None and department.domain not in lay.departments:
        problems.append(Problem(None, "", department.name, _("%(unit)s does not keep the roster %(kind)s")
                                % {"unit": department.name, "kind": lay.label}))
    return department


def roster_import(path: Path, *, kind: str, year: int, by, department=None, source: str = "web",
                  name: str | None = None, registry: Registry | None = None) -> RosterImportResult:
    """Check every row, then write the roster and its entries in one transaction, or nothing. `registry`: the
    persons the likeness pass reads (matching.registry_persons()), for a caller importing many rosters at once."""
    lay = kind_layout(kind)
    require(by, Action.IMPORT_ROSTER, lay.departments)
    file = name or path.name
    result = RosterImportResult(file=file, kind=kind, year=year)
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        result.problems.append(Problem(None, "", str(year), _("the year must lie between %(first)s and %(last)s")
                                       % {"first": FIRST_YEAR, "last": today.year}))
    unit = _department(by, lay, department, result.problems)
    try:
        headers, rows = _table(file, read_grid(path))
    except UnreadableFile as exc:
        result.problems.append(Problem(None, "", "", str(exc)))
        return result
    missing = [c.name for c in lay.columns if (c.required or c.name == ID) and c.name not in headers]
    if missing:
        result.problems.append(Problem(None, "", "", _("%(file)s: the header row lacks the columns %(columns)s")
                                       % {"file": file, "columns": "、".join(missing)}))
        return result
    result.rows = len(rows)
    if not rows:
        result.problems.append(Problem(None, "", "", _("%(file)s: the file holds no rows") % {"file": file}))
    entries = check_rows(lay, rows, result.problems, today=today)
    if result.problems:
        result.problems.sort(key=lambda p: (p.row or 0, p.column))
        return result
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with import_lock(what=f"roster {kind} {year} from {file}"):
        result.roster = _write(lay, year, unit, entries, by=by, source=source, file=file, digest=digest,
                               registry=registry)
    return result


@transaction.atomic
def _write(lay: Layout, year: int, unit, entries: list[RosterEntry], *, by, source: str, file: str, digest: str,
           registry: Registry | None = None) -> Roster:
    earlier = Roster.objects.select_for_update().filter(kind=lay.kind, year=year, department=unit, current=True)
    replaced = list(earlier.values_list("pk", flat=True))
    earlier.update(current=False)
    roster = Roster.objects.create(kind=lay.kind, year=year, department=unit, filename=file[:200], sha256=digest,
                                   rows=len(entries), uploaded_by=by, current=True)
    for e in entries:
        e.roster = roster
    match_by_id(entries)
    match_by_likeness(entries, registry)
    for key, n in counts(entries).items():
        setattr(roster, key, n)
    roster.save()
    insert_entries(entries)
    audit_batch(actor=by, action="roster:import", entity="policy.roster", source=source,
                batch={"file": file, "roster": roster.pk, "kind": lay.kind, "year": year,
                       "department": unit.name if unit else "", "sha256": digest, "rows": len(entries),
                       "replaced": replaced, **counts(entries)},
                summary=f"{lay.label} {year}: {len(entries)} rows from {file}")
    return roster


def insert_entries(entries: list[RosterEntry]) -> None:
    """The entries as plain rows (decision 1628): a county's roster is 100,000 rows and more, and Django's
    bulk_create spent more time building its statements than the rest of the import took; the row check made each
    value of its column's type already."""
    insert_objects(RosterEntry, entries)
