"""A large one-sheet workbook read in parts, so the reader's memory stays bounded (decision 1211).

python-calamine reads a whole sheet into memory before giving the first row: for a county file (170,000 rows
of 64 columns, 335 MB of sheet XML) that is about 760 MB. Here the sheet's XML is cut, between rows, into parts
of PART_BYTES; each part is written as a workbook of its own (the same shared strings, styles and workbook
parts) and read by calamine in turn. calamine still parses every cell (types, dates, shared and inline
strings); this module only cuts the text after a row's closing tag, and keeps every row's own number (`r`).

Only workbooks whose sheet XML passes SPLIT_FROM and that hold one worksheet are cut; a row without its `r`
attribute (allowed, rare) means the file is read whole, since a part would number its rows from 1 again.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Iterator

PART_BYTES = 64 << 20
SPLIT_FROM = 96 << 20
_BLOCK = 8 << 20
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml$")
_SHEET_DATA = re.compile(rb"<((?:\w+:)?)sheetData\b[^>]*?(/?)>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
_FIRST_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")


def sheet_member(path: Path) -> str | None:
    """The one worksheet part of a workbook worth cutting, else None."""
    with zipfile.ZipFile(path) as book:
        sheets = [m for m in book.infolist() if _SHEET.match(m.filename)]
        if len(sheets) != 1 or sheets[0].file_size < SPLIT_FROM:
            return None
        return sheets[0].filename


def parts(path: Path, member: str) -> Iterator[Path] | None:
    """Workbooks of the sheet's rows in order (each removed once the next is asked for), or None when the
    sheet cannot be cut safely (then the caller reads the whole file)."""
    with zipfile.ZipFile(path) as book, book.open(member) as fh:
        start = fh.read(1 << 16)
        found = _SHEET_DATA.search(start)
        if found is None or found.group(2):  # no rows, or the header of the sheet is unusually long
            return None
        row = _FIRST_ROW.search(start, found.end())
        if row is not None and b" r=" not in row.group(1):
            return None
    return _parts(path, member)


def _parts(path: Path, member: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tuopin-import-") as folder, zipfile.ZipFile(path) as book:
        others = [m for m in book.infolist() if m.filename != member]
        with book.open(member) as fh:
            buffer = fh.read(1 << 16)
            found = _SHEET_DATA.search(buffer)
            prefix = found.group(1)
            head = _DIMENSION.sub(b"", buffer[:found.end()])
            close_row = b"</" + prefix + b"row>"
            tail = b"</" + prefix + b"sheetData></" + prefix + b"worksheet>"
            buffer = buffer[found.end():]
            number = 0
            while True:
                block = fh.read(_BLOCK)
                buffer += block
                while block and len(buffer) >= PART_BYTES:
                    cut = _cut(buffer, close_row)
                    if cut is None:
                        break  # one row longer than a part: read on until it closes
                    number += 1
                    yield _part(folder, number, book, others, member, head + buffer[:cut] + tail)
                    buffer = buffer[cut:]
                if not block:  # the rest, up to </sheetData> (what follows it is not rows)
                    number += 1
                    yield _part(folder, number, book, others, member,
                                head + buffer[:_end_of_rows(buffer, prefix)] + tail)
                    return


def _cut(buffer: bytes, close_row: bytes) -> int | None:
    """Just after the last row that closes within PART_BYTES (or the first that closes at all)."""
    end = buffer.rfind(close_row, 0, PART_BYTES)
    if end < 0:
        end = buffer.find(close_row)
    return None if end < 0 else end + len(close_row)


def _part(folder: str, number: int, book: zipfile.ZipFile, others, member: str, sheet: bytes) -> Path:
    part = Path(folder) / f"part-{number}.xlsx"
    for old in Path(folder).glob("part-*.xlsx"):  # the part before has been read
        old.unlink()
    _write_part(part, book, others, member, sheet)
    return part


def _end_of_rows(text: bytes, prefix: bytes) -> int:
    """Where the rows end in the last part: before </sheetData> (what follows it is not rows)."""
    end = text.rfind(b"</" + prefix + b"sheetData>")
    return end if end >= 0 else len(text)


def _write_part(part: Path, book: zipfile.ZipFile, others, member: str, sheet: bytes) -> None:
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # personal data: the owner only
    with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as out:
        for info in others:
            out.writestr(info.filename, book.read(info))
        out.writestr(member, sheet)
