"""Checks a file must pass before any parser sees it (hostile imports; decision 0953).

- size: larger than settings.IMPORT_MAX_MB → refused unopened;
- type by content, not by name: .xlsx/.xlsm/.ods must be a zip (PK\\x03\\x04), .xls an OLE2 file, .csv text
  (no NUL byte, not a zip or OLE2 file renamed);
- zip bombs: every member of a workbook is inflated here, in a bounded stream, before calamine opens it;
  refused when the total passes 20× the size limit, when a large member inflates more than 200-fold, when
  a member holds more than its header declares, or when there are absurdly many members;
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

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
UNZIPPED_FACTOR = 20  # the total inflated size allowed, as a multiple of the file size limit
MAX_RATIO = 200  # spreadsheet XML inflates 5–30×; a bomb thousands of times
RATIO_FROM = 1 << 20  # small parts may compress as well as they like
MAX_MEMBERS = 10_000
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 << 20


class UnreadableFile(Exception):
    """The file cannot be read as a workbook or CSV at all (or must not be)."""


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_MB", 50)) * 1024 * 1024


def check_file(path: Path) -> None:
    name = path.name
    size = path.stat().st_size
    limit = max_bytes()
    if size > limit:
        raise UnreadableFile(f"{name}: {size / 1048576:.1f} MB is larger than the {limit // 1048576} MB an import "
                             "accepts; split the file by township")
    if size == 0:
        raise UnreadableFile(f"{name}: the file is empty")
    with path.open("rb") as fh:
        head = fh.read(8192)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if head.startswith((ZIP_MAGIC, OLE2_MAGIC)):
            raise UnreadableFile(f"{name}: named .csv but it is a workbook; save it as .xlsx or as real CSV text")
        if b"\0" in head:
            raise UnreadableFile(f"{name}: named .csv but it is not text (binary content)")
        return
    if suffix == ".xls":
        if not head.startswith(OLE2_MAGIC):
            raise UnreadableFile(f"{name}: named .xls but it is not an Excel 97–2003 workbook")
        return
    if suffix in ZIP_SUFFIXES:
        if not head.startswith(ZIP_MAGIC):
            raise UnreadableFile(f"{name}: named {suffix} but it is not a workbook (no zip signature)")
        _check_zip(path, limit * UNZIPPED_FACTOR)


def _check_zip(path: Path, total_limit: int) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnreadableFile(f"{name}: {len(members)} parts inside the workbook; refused as a zip bomb")
            declared = sum(m.file_size for m in members)
            if declared > total_limit:
                raise UnreadableFile(f"{name}: would inflate to {declared / 1048576:.0f} MB (limit "
                                     f"{total_limit // 1048576} MB); refused as a zip bomb")
            total = 0
            for m in members:
                if m.is_dir():
                    continue
                if m.file_size > RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                    raise UnreadableFile(f"{name}: part {m.filename} inflates {m.file_size // max(m.compress_size, 1)}"
                                         f"-fold; refused as a zip bomb")
                total += _inflate(z, m, name, xml=m.filename.lower().endswith((".xml", ".rels")))
                if total > total_limit:
                    raise UnreadableFile(f"{name}: inflates past {total_limit // 1048576} MB; refused as a zip bomb")
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"{name}: a damaged workbook ({exc})") from None
    except (zlib.error, NotImplementedError, EOFError) as exc:
        raise UnreadableFile(f"{name}: a damaged workbook ({exc})") from None


def _inflate(z: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, *, xml: bool) -> int:
    """Reads one member to its end (Python stops at the declared size and checks the CRC, so a part
    that holds more than it declares fails here); looks for a DTD in XML parts."""
    count, tail = 0, b""
    with z.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            count += len(chunk)
            if xml and _DTD.search(tail + chunk):
                raise UnreadableFile(f"{name}: part {member.filename} declares XML entities (a DTD); refused — "
                                     "spreadsheet programs never write one")
            tail = chunk[-16:]
    return count
