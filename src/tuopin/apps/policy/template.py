"""A roster kind's workbook: its header row (required columns marked *, every cell formatted as text so that Excel
keeps the ID numbers' digits) and a sheet 说明 with each column's type."""

from __future__ import annotations

import io

from tuopin.standards.rosters import ID, layout

TYPE_NOTES = {"date": "日期，如 2018-06-30", "money": "金额（元），可带两位小数", "text": "文本",
              "integer": "整数", "number": "数字", "bool": "是 / 否"}


def template_bytes(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lay = layout(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = lay.label[:31]
    sheet.append([c.name + ("*" if c.required else "") for c in lay.columns])
    for i, cell in enumerate(sheet[1]):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 22 if lay.columns[i].name == ID else 14
        for row in range(2, 1002):  # text cells: an 18-digit number typed in stays text
            sheet.cell(row=row, column=i + 1).number_format = "@"
    explain = book.create_sheet("说明")
    explain.append(["列", "必填", "类型"])
    for c in lay.columns:
        explain.append([c.name, "是" if c.required else "", TYPE_NOTES[c.type]])
    explain.append([])
    explain.append(["证件号码可空（按姓名、出生日期再匹配）。文件全部检查通过才写入，有任何一处错误则一行也不写入。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
