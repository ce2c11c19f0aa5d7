"""The funds and projects workbook: its sheets and columns (required ones marked * in the template) and the
template itself, with a sheet 说明 that explains each column with an example."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    example: str
    note: str = ""


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    columns: tuple[Column, ...]


C = Column
SOURCES_NOTE = "中央 / 省级 / 县级 / 统筹整合 / 社会帮扶"
BUDGET_COLUMNS = {"central": "中央预算（元）", "provincial": "省级预算（元）", "county": "县级预算（元）",
                  "pooled": "统筹整合预算（元）", "social": "社会帮扶预算（元）"}
SHEETS: tuple[Sheet, ...] = (
    Sheet("funds", "资金", (
        C("年度", True, "2018"), C("资金来源", True, "统筹整合", SOURCES_NOTE),
        C("资金名称", True, "统筹整合使用财政涉农资金", "同一年度内不重名"),
        C("金额（元）", True, "250000000", "本年度该笔资金总额；再次导入时可改"), C("文号", False, "镇政发〔2018〕12号"),
    )),
    Sheet("projects", "项目", (
        C("项目编号", True, "ZL2018WA001", "再次导入同一编号即修改该项目"), C("项目名称", True, "镇赉镇农村安全饮水工程"),
        C("类别", True, "饮水", "光伏 / 养殖 / 饮水 / 道路 / 住房 / 产业 / 其他"), C("年度", False, "2018"),
        C("乡镇", False, "镇赉镇", "受益村重名时填写"), C("受益村", False, "三家子屯村、西岗村", "村名或12位区划代码，用顿号分隔"),
        C("装机容量（千瓦）", False, "", "光伏电站填写"),
        *(C(column, False, "", "按资金来源的项目预算") for column in BUDGET_COLUMNS.values()),
        C("备注", False, ""),
    )),
    Sheet("allocations", "资金分配", (
        C("项目编号", True, "ZL2018WA001"), C("资金年度", True, "2018"), C("资金名称", True, "统筹整合使用财政涉农资金"),
        C("金额（元）", True, "20000000", "不得超过该笔资金的未分配余额"), C("日期", True, "2018-03-15"),
        C("文号", False, ""),
    )),
    Sheet("spendings", "资金支出", (
        C("项目编号", True, "ZL2018WA001"), C("资金年度", True, "2018"), C("资金名称", True, "统筹整合使用财政涉农资金"),
        C("金额（元）", True, "15000000", "不得超过该笔资金分配给该项目而未支出的部分"), C("日期", True, "2018-10-20"),
        C("凭证号", False, ""),
    )),
)


def template_bytes() -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        ws.append([c.header + ("*" if c.required else "") for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, column in enumerate(sheet.columns):
            ws.column_dimensions[chr(65 + i)].width = max(12, 2 * len(column.header) + 4)
    notes = book.create_sheet("说明")
    notes.append(["工作表", "列", "必填", "示例", "说明"])
    for sheet in SHEETS:
        for column in sheet.columns:
            notes.append([sheet.name, column.header, "是" if column.required else "", column.example, column.note])
    notes.append([])
    notes.append([("带 * 的列必填。工作表按 资金、项目、资金分配、资金支出 的顺序导入。文件全部检查通过才写入，"
                   "有任何一处错误则一行也不写入，并给出问题清单。")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
