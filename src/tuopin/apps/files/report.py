"""The import report: one CSV line per problem, `file, sheet, row, column, value, reason` (docs/data-formats.md).

`row` is the row number Excel shows (the header is row 1 unless title rows sit above it). Persons in
the registry but missing from the file are listed too (row left empty): they are kept, never deleted.
ID and phone numbers in `value` are masked unless the importing account may see them.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from tuopin.common.masking import mask_id, mask_phone, mask_text

from tuopin.common.spreadsheet import safe_cell as escape

REPORT_COLUMNS = ("file", "sheet", "row", "column", "value", "reason")


_MASKERS = {"证件号码": mask_id, "联系电话": mask_phone, "户联系电话": mask_phone}


@dataclass(frozen=True)
class Problem:
    row: int | None  # Excel row number; None for a whole-file problem or a missing person
    column: str
    value: str
    reason: str

    def masked(self, unmasked: bool) -> Problem:
        if unmasked:
            return self
        masker = _MASKERS.get(self.column)
        value = masker(self.value) if masker else mask_text(self.value)
        return Problem(self.row, self.column, value, mask_text(self.reason))

    def line(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row else _("file")
        value = f" {self.value!r}" if self.value else ""
        return f"{where}, {self.column or '-'}{value}: {self.reason}"


def default_path(file_name: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "import-reports" / f"{stamp}-{Path(file_name).stem}.csv"


def write_report(path: Path, *, file: str, sheet: str, problems: list[Problem]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # utf-8-sig: Excel opens the Chinese text correctly only with the BOM.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(REPORT_COLUMNS)
        for p in problems:
            # A cell copied from the file may hold a formula; the guard keeps Excel from running it.
            out.writerow((escape(file), escape(sheet), p.row or "", escape(p.column), escape(p.value), p.reason))
    return path
