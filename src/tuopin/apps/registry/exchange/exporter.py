"""The export service: national layout (xlsx, csv) or the snapshot layout (parquet), scoped and audited.

    registry_export(user=…, fmt="xlsx", out=Path(…), year=2018, unmasked=False, region="220821100") -> ExportResult
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyarrow as pa

from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may, refusal
from tuopin.apps.audit.context import reading
from tuopin.apps.audit.services import audit_event, read_batch
from tuopin.common.steps import Progress

from . import export as national
from .importer import no_cyclic_gc
from .region import RegionRefused, export_region
from .snapshot_export import write_parquet

FORMATS = ("xlsx", "csv", "parquet")
Optional = Callable[[dict[str, pa.Table]], dict[str, pa.Table]]


class ExportRefused(Exception):
    """The account may not have what it asked for (unmasked ID numbers, a region outside its area)."""


@dataclass
class ExportResult:
    fmt: str
    out: Path
    year: int | None
    rows: int
    masked: bool
    region: str = ""  # "镇赉镇 (220821100000)" when --region narrowed the export


def registry_export(*, user, fmt: str, out: Path, year: int | None = None, unmasked: bool = False,
                    region: str | None = None, progress: Progress | None = None,
                    optional: Optional | None = None) -> ExportResult:
    """`progress(done, total)` hears the persons written to an xlsx or csv file. `optional` (parquet only): the
    snapshot's optional tables from an app above this one, given the tables written (the policy app's
    roster_matches, decision 1553), read within the export's audit event."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    reason = refusal(user, Action.EXPORT_REGISTRY)
    if reason:
        raise ExportRefused(_("account %(account)s: %(reason)s") % {"account": user.get_username(), "reason": reason})
    if unmasked and not may(user, Action.EXPORT_UNMASKED):
        raise ExportRefused(_("account %(account)s (%(role)s) may not see full ID and phone numbers; export without "
                              "--unmasked") % {"account": user.get_username(), "role": user.get_role_display()})
    try:
        area = export_region(user, region) if region else None
    except RegionRefused as exc:
        raise ExportRefused(str(exc)) from None
    out = Path(out)
    # The households and persons written into the file go into the export's own event (decision 1152).
    with no_cyclic_gc(), reading() as read:
        rows, year = _write(user=user, fmt=fmt, out=out, year=year, unmasked=unmasked, region=area,
                            progress=progress, optional=optional)
    where = f" region {area.code}" if area else ""
    with transaction.atomic():
        audit_event(actor=user, action="export", source="cli", entity="registry.person",
                    summary=f"export {fmt} {out.name} year {year or 'all'}{where}: {rows} persons, "
                            f"{'unmasked' if unmasked else 'masked'} ID and phone numbers",
                    batch=read_batch(read))
    return ExportResult(fmt=fmt, out=out, year=year, rows=rows, masked=not unmasked,
                        region=f"{area.name} ({area.code})" if area else "")


def _write(*, user, fmt: str, out: Path, year: int | None, unmasked: bool, region,
           progress: Progress | None, optional: Optional | None) -> tuple[int, int | None]:
    if fmt == "parquet":
        manifest = write_parquet(user=user, out=out, year=year, unmasked=unmasked, region=region, optional=optional)
        rows = manifest["tables"]["persons"]["rows"]
    else:
        year = year or national.default_year(user, region) or dt.date.today().year
        rows_iter = national.export_rows(user=user, year=year, unmasked=unmasked, region=region, progress=progress)
        rows = (national.write_xlsx if fmt == "xlsx" else national.write_csv)(out, rows_iter)
    return rows, year
