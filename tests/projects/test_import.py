"""The funds and projects workbook: a good file writes everything once; a file with bad rows writes nothing and
names each row, column and reason in Chinese; only the county office imports."""

import pytest
from openpyxl import Workbook, load_workbook

from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.projects.imports import projects_import
from tuopin.apps.projects.ledger import ledger
from tuopin.apps.projects.models import Allocation, Fund, Project, Spending
from tuopin.apps.projects.sheets import SHEETS, template_bytes

pytestmark = pytest.mark.django_db

FUNDS = [["年度", "资金来源", "资金名称", "金额（元）", "文号"],
         [2018, "统筹整合", "统筹整合使用财政涉农资金", 1000000, "镇政发〔2018〕12号"],
         [2018, "中央", "中央财政专项扶贫资金", "500000.50", ""]]
PROJECTS = [["项目编号", "项目名称", "类别", "年度", "乡镇", "受益村", "装机容量（千瓦）", "统筹整合预算（元）"],
            ["W1", "西岗村饮水工程", "饮水", 2018, "镇赉镇", "西岗村、东岗村", "", 600000],
            ["P1", "建平村光伏电站", "光伏", 2018, "", "220821200201", 500, ""]]
ALLOCATIONS = [["项目编号", "资金年度", "资金名称", "金额（元）", "日期", "文号"],
               ["W1", 2018, "统筹整合使用财政涉农资金", 600000, "2018-03-15", ""],
               ["P1", 2018, "中央财政专项扶贫资金", 400000, "2018/3/20", ""]]
SPENDINGS = [["项目编号", "资金年度", "资金名称", "金额（元）", "日期", "凭证号"],
             ["W1", 2018, "统筹整合使用财政涉农资金", 450000, "2018年10月20日", "记-18"]]


def _book(tmp_path, sheets: dict, name="funds.xlsx"):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _good(tmp_path):
    return _book(tmp_path, {"资金": FUNDS, "项目": PROJECTS, "资金分配": ALLOCATIONS, "资金支出": SPENDINGS})


def test_a_good_file_is_written_once(county, tmp_path):
    admin = county["accounts"]["county_admin"]
    result = projects_import(path=_good(tmp_path), by=admin, report=tmp_path / "r.csv")
    assert result.ok, result.problems
    assert Fund.objects.count() == 2 and Project.objects.count() == 2
    water = Project.objects.get(code="W1")
    assert water.villages.count() == 2 and water.budget_fen == 600_000_00 and water.spent_fen == 450_000_00
    assert Project.objects.get(code="P1").capacity_kw == 500
    book = ledger(2018)
    assert (book.allocated_fen, book.spent_fen, book.balance_fen) == (1_000_000_00, 450_000_00, 550_000_00)
    assert Fund.objects.get(source="central").amount_fen == 500_000_50
    assert AuditEvent.objects.filter(action="projects_import").count() == 1
    again = projects_import(path=_good(tmp_path), by=admin, report=tmp_path / "r2.csv")
    assert again.ok and Allocation.objects.count() == 2 and Spending.objects.count() == 1
    assert all(c["created"] == 0 for c in again.counts.values())


def test_bad_rows_write_nothing_and_are_named(county, tmp_path):
    admin = county["accounts"]["county_admin"]
    bad_projects = PROJECTS + [["W2", "某工程", "桥梁", 2018, "", "西岗村", "", ""],
                               ["W3", "某村工程", "道路", 2018, "", "无此村", "", ""]]
    bad_spendings = SPENDINGS + [["W1", 2018, "统筹整合使用财政涉农资金", 200000, "2018-11-01", ""],
                                 ["P1", 2018, "中央财政专项扶贫资金", "abc", "2018-11-01", ""]]
    path = _book(tmp_path, {"资金": FUNDS, "项目": bad_projects, "资金分配": ALLOCATIONS, "资金支出": bad_spendings})
    result = projects_import(path=path, by=admin, report=tmp_path / "r.csv")
    assert not result.ok
    where = {(p.sheet, p.row, p.column) for p in result.problems}
    assert where == {("项目", 4, "类别"), ("项目", 5, "受益村"), ("资金支出", 3, "金额（元）"), ("资金支出", 4, "金额（元）")}
    over = next(p for p in result.problems if p.sheet == "资金支出" and p.row == 3)
    assert "150,000.00" in over.reason  # what is left to spend, in the message
    assert not Fund.objects.exists() and not Project.objects.exists() and not Allocation.objects.exists()
    report = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "资金支出" in report and "桥梁" in report


def test_missing_columns_and_the_template(county, tmp_path):
    admin = county["accounts"]["county_admin"]
    result = projects_import(path=_book(tmp_path, {"资金": [["年度", "资金名称"], [2018, "x"]]}), by=admin,
                             report=tmp_path / "r.csv")
    assert [(p.sheet, p.column) for p in result.problems] == [("资金", "资金来源、金额（元）")]
    template = tmp_path / "template.xlsx"
    template.write_bytes(template_bytes())
    assert load_workbook(template).sheetnames == [s.name for s in SHEETS] + ["说明"]


def test_only_the_county_office_imports(county, tmp_path):
    with pytest.raises(Refused):
        projects_import(path=_good(tmp_path), by=county["accounts"]["commander"])


def test_the_command(county, tmp_path, capsys):
    from tuopin.cli import main

    assert main(["funds", "import", str(_good(tmp_path)), "--as", "county_admin",
                 "--report", str(tmp_path / "r.csv")]) == 0
    assert main(["funds", "ledger", "--year", "2018", "--json", "--as", "county_admin"]) == 0
    out = capsys.readouterr().out.strip().splitlines()[-1]
    import json

    figures = json.loads(out)
    assert (figures["allocated"], figures["spent"]) == (1_000_000_00, 450_000_00)
    bad = _book(tmp_path, {"资金支出": SPENDINGS + [["W9", 2018, "x", 1, "2018-01-01", ""]]}, name="bad.xlsx")
    assert main(["funds", "import", str(bad), "--as", "county_admin", "--report", str(tmp_path / "b.csv")]) == 3
    assert main(["funds", "ledger", "--as", "first_secretary"]) == 3
    assert main(["funds", "template", "--out", str(tmp_path / "t.xlsx")]) == 0 and (tmp_path / "t.xlsx").exists()
