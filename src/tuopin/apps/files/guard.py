"""Checks a file must pass before any parser sees it (hostile imports; decisions 0953, 1211).

- size: larger than settings.IMPORT_MAX_MB → refused unopened;
- type by content, not by name: .xlsx/.xlsm/.ods must be a zip (PK\\x03\\x04), .xls an OLE2 file, .csv text
  (no NUL byte, not a zip or OLE2 file renamed);
- zip bombs: every member of a workbook is inflated here, in a bounded stream, before calamine opens it;
  refused when the total passes settings.IMPORT_MAX_INFLATED_MB, when a large member inflates more than
  200-fold, when a member holds more than its header declares, or when there are absurdly many members;
- shape, checked while the reader streams the rows: at most settings.IMPORT_MAX_ROWS data rows, MAX_COLUMNS
  header columns, MAX_CELL_CHARS characters in a cell (the layout's longest field is 128);
- XML entities: a workbook part with a DTD (<!DOCTYPE / <!ENTITY) is refused. Excel, WPS and LibreOffice
  never write one; a DTD is how XXE and "billion laughs" attacks start. (calamine also never expands
  one: tests/exchange/test_hostile_files.py shows it.)
Each refusal is an UnreadableFile whose text names the file and the reason, for the clerk's report.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
MAX_RATIO = 200  # spreadsheet XML inflates 5–30×; a bomb thousands of times
RATIO_FROM = 1 << 20  # small parts may compress as well as they like
MAX_MEMBERS = 10_000
MAX_COLUMNS = 512  # the layout has 64; a national file a few more of its own
MAX_CELL_CHARS = 4096  # the longest field of the layout holds 128 characters
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 << 20


class UnreadableFile(Exception):
    """The file cannot be read as a workbook or CSV at all (or must not be)."""


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_MB", 200)) * 1024 * 1024


def max_inflated_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_INFLATED_MB", 2048)) * 1024 * 1024


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 1_000_000))


def check_width(name: str, columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise UnreadableFile(_("%(file)s: %(n)s columns in the header row (at most %(limit)s); refused")
                             % {"file": name, "n": columns, "limit": MAX_COLUMNS})


def refuse_rows(name: str, limit: int) -> None:
    raise UnreadableFile(_("%(file)s: more than %(limit)s data rows; refused — split the file by township")
                         % {"file": name, "limit": f"{limit:,}"})


def refuse_cell(name: str, row: int, column: str, length: int) -> None:
    raise UnreadableFile(_("%(file)s: row %(row)s, column %(column)s holds %(n)s characters (at most %(limit)s); "
                           "refused") % {"file": name, "row": row, "column": column or "?", "n": f"{length:,}",
                                         "limit": f"{MAX_CELL_CHARS:,}"})


def check_file(path: Path) -> None:
    name = path.name
    size = path.stat().st_size
    limit = max_bytes()
    if size > limit:
        raise UnreadableFile(_("%(file)s: %(size)s MB is larger than the %(limit)s MB an import accepts; split the "
                               "file by township") % {"file": name, "size": f"{size / 1048576:.1f}",
                                                      "limit": limit // 1048576})
    if size == 0:
        raise UnreadableFile(_("%(file)s: the file is empty") % {"file": name})
    with path.open("rb") as fh:
        head = fh.read(8192)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if head.startswith((ZIP_MAGIC, OLE2_MAGIC)):
            raise UnreadableFile(_("%(file)s: named .csv but it is a workbook; save it as .xlsx or as real CSV text")
                                 % {"file": name})
        if b"\0" in head:
            raise UnreadableFile(_("%(file)s: named .csv but it is not text (binary content)") % {"file": name})
        return
    if suffix == ".xls":
        if not head.startswith(OLE2_MAGIC):
            raise UnreadableFile(_("%(file)s: named .xls but it is not an Excel 97–2003 workbook") % {"file": name})
        return
    if suffix in ZIP_SUFFIXES:
        if not head.startswith(ZIP_MAGIC):
            raise UnreadableFile(_("%(file)s: named %(suffix)s but it is not a workbook (no zip signature)")
                                 % {"file": name, "suffix": suffix})
        _check_zip(path, max_inflated_bytes())


def _check_zip(path: Path, total_limit: int) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnreadableFile(_("%(file)s: %(n)s parts inside the workbook; refused as a zip bomb")
                                     % {"file": name, "n": len(members)})
            declared = sum(m.file_size for m in members)
            if declared > total_limit:
                raise UnreadableFile(_("%(file)s: would inflate to %(size)s MB (limit %(limit)s MB); refused as a zip "
                                       "bomb") % {"file": name, "size": f"{declared / 1048576:.0f}",
                                                  "limit": total_limit // 1048576})
            total = 0
            for m in members:
                if m.is_dir():
                    continue
                if m.file_size > RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                    raise UnreadableFile(_("%(file)s: part %(part)s inflates %(ratio)s-fold; refused as a zip bomb")
                                         % {"file": name, "part": m.filename,
                                            "ratio": m.file_size // max(m.compress_size, 1)})
                total += _inflate(z, m, name, xml=m.filename.lower().endswith((".xml", ".rels")))
                if total > total_limit:
                    raise UnreadableFile(_("%(file)s: inflates past %(limit)s MB; refused as a zip bomb")
                                         % {"file": name, "limit": total_limit // 1048576})
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError) as exc:
        raise UnreadableFile(_("%(file)s: a damaged workbook (%(error)s)") % {"file": name, "error": exc}) from None


def _inflate(z: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, *, xml: bool) -> int:
    """Reads one member to its end (Python stops at the declared size and checks the CRC, so a part
    that holds more than it declares fails here); looks for a DTD in XML parts."""
    count, tail = 0, b""
    with z.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            count += len(chunk)
            if xml and _DTD.search(tail + chunk):
                raise UnreadableFile(_("%(file)s: part %(part)s declares XML entities (a DTD); refused — spreadsheet "
                                       "programs never write one") % {"file": name, "part": member.filename})
            tail = chunk[-16:]
    return count
