"""A streaming xlsx writer for one plain sheet: text, numbers, blanks — nothing else (decision 0207).

openpyxl's write_only mode costs about 20 µs a cell here (a county export is 11 million cells: minutes);
this writes the same SpreadsheetML parts directly, a few µs a cell, with a shared-string table (labels
repeat on every row, so files stay small). Excel, WPS, LibreOffice, openpyxl and python-calamine read it.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<styleSheet xmlns="{_NS}"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}


def _text(value: str) -> str:
    value = _ILLEGAL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _letters(n: int) -> list[str]:
    out = []
    for i in range(n):
        name, k = "", i + 1
        while k:
            k, rem = divmod(k - 1, 26)
            name = chr(65 + rem) + name
        out.append(name)
    return out


def write_xlsx(path: Path, sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write one sheet (header row + rows); returns the number of data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    letters = _letters(len(headers))
    strings: dict[str, int] = {}
    count = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, xml in _PARTS.items():
            book.writestr(name, xml)
        book.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{_text(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_NS}">'
                      '<sheetData>'.encode())
            buffer: list[str] = []
            for n, row in enumerate(_with_header(headers, rows), start=1):
                cells = []
                for letter, value in zip(letters, row):
                    if value is None or value == "":
                        continue
                    kind = type(value)
                    if kind is str:
                        index = strings.get(value)
                        if index is None:
                            index = strings[value] = len(strings)
                        cells.append(f'<c r="{letter}{n}" t="s"><v>{index}</v></c>')
                    elif kind is bool:
                        cells.append(f'<c r="{letter}{n}" t="b"><v>{int(value)}</v></c>')
                    elif kind in (int, float, Decimal):
                        cells.append(f'<c r="{letter}{n}"><v>{value}</v></c>')
                    else:
                        index = strings.setdefault(str(value), len(strings))
                        cells.append(f'<c r="{letter}{n}" t="s"><v>{index}</v></c>')
                buffer.append(f'<row r="{n}">{"".join(cells)}</row>')
                if len(buffer) >= 2000:
                    out.write("".join(buffer).encode())
                    buffer.clear()
                count = n - 1
            out.write(("".join(buffer) + "</sheetData></worksheet>").encode())
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{_NS}" '
                      f'count="{len(strings)}" uniqueCount="{len(strings)}">'.encode())
            chunk: list[str] = []
            for value in strings:  # dicts keep insertion order: the index order
                chunk.append(f'<si><t xml:space="preserve">{_text(value)}</t></si>')
                if len(chunk) >= 5000:
                    out.write("".join(chunk).encode())
                    chunk.clear()
            out.write(("".join(chunk) + "</sst>").encode())
    return count


def _with_header(headers, rows):
    yield list(headers)
    yield from rows
