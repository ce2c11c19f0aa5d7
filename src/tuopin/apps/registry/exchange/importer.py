"""The import service: read → check everything → write all or nothing → audit → report.

    registry_import(path=…, year=2018, by=user, dry_run=False) -> ImportResult

Nothing is written unless every row is valid; the write is one transaction and one audit batch
(file name, sha256, year, counts, the keys written, source "import").
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import hashlib
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.apps.audit.services import audit_batch
from tuopin.apps.files.import_lock import import_lock
from tuopin.apps.files.report import Problem, default_path, write_report
from tuopin.common.steps import Progress, Steps

from .. import id_refusals
from .parse import parse_sheet
from .plan import build_plan
from .readers import UnreadableFile, read
from .upsert import apply_plan


@dataclass
class ImportResult:
    file: str
    sheet: str
    year: int
    sha256: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)  # errors: any one refuses the whole file
    notices: list[Problem] = field(default_factory=list)  # missing persons, statuses not applied
    counts: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    report: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # read / check / plan / write, for benchmarks

    @property
    def ok(self) -> bool:
        return not self.problems



def missing_reason(household: str) -> str:
    return _("in the registry but not in the file: kept, not deleted (household %(household)s)") % {
        "household": household}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def no_cyclic_gc():
    """A county file keeps millions of small objects alive; the cyclic collector would walk all of them
    again and again (a third of the import's time). Nothing here makes reference cycles worth collecting."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def give_back_freed_memory() -> None:
    """The workbook reader frees several hundred megabytes in many small blocks; glibc keeps them in the
    process unless asked, and the checks that follow would then start from that height (decision 1211)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to ask
        pass


def _crash_drill_pause() -> None:
    """Test-only: tests/durability/test_import_crash.py sets TUOPIN_TEST_IMPORT_PAUSE to a marker path, waits for
    the marker (every row written, nothing committed) and kills the process there."""
    marker = os.environ.get("TUOPIN_TEST_IMPORT_PAUSE")
    if marker:
        Path(marker).touch()
        time.sleep(120)


def registry_import(*, path: Path, year: int, by, dry_run: bool = False, report: Path | None = None,
                    today: dt.date | None = None, progress: Progress | None = None) -> ImportResult:
    """`progress(done, total)` hears each stage as it ends: read, checked against the layout, checked against the
    registry, written (a dry run has no last stage)."""
    steps = Steps(3 if dry_run else 4, progress)
    with no_cyclic_gc():
        if dry_run:  # reads only: no need to wait for a running import
            return _import(path=Path(path), year=year, by=by, dry_run=dry_run, report=report, today=today,
                           steps=steps)
        # Plan and write under the database's import lock: a second import plans from the first one's result.
        with import_lock(what=f"{Path(path).name}, {by.get_username() if by else 'system'}"):
            return _import(path=Path(path), year=year, by=by, dry_run=dry_run, report=report, today=today,
                           steps=steps)


def _import(*, path: Path, year: int, by, dry_run: bool, report: Path | None, today: dt.date | None,
            steps: Steps) -> ImportResult:
    result = ImportResult(file=path.name, sheet="", year=year, sha256=sha256_of(path), dry_run=dry_run)
    unmasked = bool(getattr(by, "may_see_id_numbers", False))
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[name] = round(now - clock, 2)
        clock = now
        steps()

    try:
        sheet = read(path)
    except UnreadableFile as exc:
        result.problems = [Problem(None, "", "", str(exc))]
        result.report = write_report(report or default_path(path.name), file=path.name, sheet="",
                                     problems=result.problems)
        return result
    result.sheet, result.rows = sheet.name, sheet.row_count
    give_back_freed_memory()
    lap("read")
    parsed = parse_sheet(sheet)
    result.ignored_columns = parsed.ignored
    lap("check_file")
    plan = build_plan(parsed, year=year, user=by, today=today)
    id_refusals.record(by, how_many=plan.id_refusals, source="import")
    lap("check_registry")
    result.problems = sorted((p.masked(unmasked) for p in parsed.problems), key=lambda p: (p.row or 0))
    result.counts = plan.counts()
    missing = [Problem(None, "人编号", number, missing_reason(household))
               for number, household in plan.missing]
    result.notices = [p.masked(unmasked) for p in plan.notices] + missing
    if result.ok and not dry_run:
        with transaction.atomic():
            written = apply_plan(plan, by=by, reason=f"import {path.name} ({year})")
            _crash_drill_pause()
            audit_batch(
                actor=by, action="import", entity="registry.household", source="import",
                summary=f"import {path.name} for {year}: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()),
                batch={"file": path.name, "sha256": result.sha256, "year": year, "sheet": sheet.name,
                       "rows": sheet.row_count, "counts": result.counts,
                       "missing_persons": [n for n, _ in plan.missing], "written": written},
            )
        lap("write")
    result.report = write_report(report or default_path(path.name), file=path.name, sheet=sheet.name,
                                 problems=result.problems or result.notices)
    return result
