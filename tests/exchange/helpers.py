"""Small person-level files for import tests, built with openpyxl / csv in tmp_path."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from tuopin.apps.registry.exchange.layout import NATIONAL
from tuopin.common import idnumber

HEADERS = [c.header for c in NATIONAL]
# Villages of the `county` fixture: (乡, 行政村)
VILLAGES = [("镇赉镇", "西岗村"), ("镇赉镇", "东岗村"), ("建平乡", "建平村")]


def person_id(i: int, sex: str = "M") -> str:
    # Birth dates from 1990 on: the fixture's own persons were born in 1970 and 1972.
    return idnumber.make("220821", dt.date(1990, 1, 1) + dt.timedelta(days=i), i % 90, sex)


def household_rows(n_households: int, *, members: int = 2, start: int = 0, status: str = "未脱贫",
                   income: str = "3600.50", village: tuple[str, str] = VILLAGES[0]) -> list[dict]:
    """Rows for n new households of `members` persons each (head first), all in one village."""
    rows = []
    for h in range(start, start + n_households):
        number = f"T{h:06d}"
        for m in range(members):
            k = h * 10 + m
            rows.append({
                "县": "镇赉县", "乡": village[0], "行政村": village[1], "自然村": "", "户编号": number,
                "人编号": f"{number}{m:02d}", "姓名": f"测试{h}-{m}", "证件号码": person_id(k, "M" if m == 0 else "F"),
                "人数": members, "与户主关系": "户主" if m == 0 else "配偶", "民族": "汉族", "文化程度": "初中",
                "在校生状况": "非在校生", "健康状况": "健康" if m == 0 else "长期慢性病、残疾",
                "劳动技能": "普通劳动力", "务工状况": "县内务工", "务工时间(月)": 6, "参加大病医疗": "是",
                "脱贫属性": status, "贫困户属性": "一般贫困户", "主要致贫原因": "因病", "危房户": "否",
                "饮水安全": "是", "饮水困难": "否", "人均纯收入": income, "联系电话": f"138{k:08d}",
            })
    return rows


def write_xlsx(path: Path, rows: list[dict], headers: list[str] | None = None, *, title_rows: int = 0) -> Path:
    headers = headers or HEADERS
    book = Workbook()
    sheet = book.active
    sheet.title = "人员信息"
    for t in range(title_rows):
        sheet.append([f"全国扶贫开发信息系统 人员信息 {t}"])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    book.save(path)
    return path


def write_csv(path: Path, rows: list[dict], headers: list[str] | None = None, encoding: str = "utf-8-sig") -> Path:
    headers = headers or HEADERS
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh)
        out.writerow(headers)
        for row in rows:
            out.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return path


def read_report(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_xlsx(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def read_csv(path: Path) -> list[list[str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))
