"""The template of each kind: a workbook with the kind's sheet (its header, required columns marked *) and a sheet
说明 that explains each column with an example. `all` gives every sheet in one workbook."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .kinds import KINDS, Kind

NOTES_SHEET = "说明"


def template_kinds(key: str) -> list[Kind]:
    if key == "all":
        return list(KINDS)
    return [k for k in KINDS if k.key == key]


def template_bytes(kinds: list[Kind]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for kind in kinds:
        sheet = book.create_sheet(kind.sheet)
        sheet.append([c.header + ("*" if c.required else "") for c in kind.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i, column in enumerate(kind.columns):
            sheet.column_dimensions[chr(65 + i)].width = max(12, 2 * len(column.header) + 4)
    notes = book.create_sheet(NOTES_SHEET)
    notes.append(["工作表", "列", "必填", "示例", "说明"])
    for kind in kinds:
        for column in kind.columns:
            notes.append([kind.sheet, column.header, "是" if column.required else "", column.example, column.note])
    notes.append([])
    notes.append(["带 * 的列必填。文件全部检查通过才写入，有任何一处错误则一行也不写入，并给出问题清单。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
