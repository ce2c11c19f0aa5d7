"""`tuopin import` refuses a file with any problem, writes nothing, and reports every problem by Excel row."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.apps.files.report import REPORT_COLUMNS
from tuopin.apps.registry.models import Household, HouseholdYear, Person
from tuopin.cli import main
from tuopin.common import idnumber

from .helpers import HEADERS, VILLAGES, household_rows, read_report, write_csv, write_xlsx


def refused(path, tmp_path, *extra, user="county_admin"):
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError) as exc:
        call_command("import", str(path), "--year", "2018", "--as", user, "--report", str(report), *extra)
    assert exc.value.returncode == 3
    return read_report(report)


def test_one_bad_row_among_two_thousand_writes_nothing(county, tmp_path):
    rows = household_rows(1000)
    rows[1500]["劳动技能"] = "超人"
    before = (Household.objects.count(), Person.objects.count(), HouseholdYear.objects.count())
    report = refused(write_xlsx(tmp_path / "big.xlsx", rows), tmp_path)
    assert (Household.objects.count(), Person.objects.count(), HouseholdYear.objects.count()) == before
    assert list(report[0]) == list(REPORT_COLUMNS)
    assert len(report) == 1
    (line,) = report
    assert line["file"] == "big.xlsx" and line["sheet"] == "人员信息"
    assert line["row"] == "1502"  # header is row 1, data row i is Excel row i + 2
    assert line["column"] == "劳动技能" and line["value"] == "超人"
    assert line["reason"].startswith("不是允许的劳动技能（允许：")


def test_every_error_is_listed_with_its_row(county, tmp_path):
    rows = household_rows(5)
    rows[1]["证件号码"] = "360426199101010072"  # bad check digit
    rows[3]["民族"] = "外星人"
    rows[4]["姓名"] = ""
    rows[5]["人编号"] = rows[0]["人编号"]
    rows[7]["人均纯收入"] = "9999"  # same household as rows[6], which says 3600.50
    rows[8]["务工时间(月)"] = "十三"
    report = refused(write_xlsx(tmp_path / "many.xlsx", rows), tmp_path)
    found = {(r["row"], r["column"]) for r in report}
    assert {("3", "证件号码"), ("5", "民族"), ("6", "姓名"), ("7", "人编号"), ("9", "人均纯收入"),
            ("10", "务工时间(月)")} <= found
    by_key = {(r["row"], r["column"]): r["reason"] for r in report}
    assert "第 2 行" in by_key[("7", "人编号")]  # the duplicate names the first row
    assert "第 8 行" in by_key[("9", "人均纯收入")] and "T000003" in by_key[("9", "人均纯收入")]
    assert "校验码" in by_key[("3", "证件号码")]  # the validation layer's words (Chinese by default)


def test_missing_column_is_named(county, tmp_path):
    headers = [h for h in HEADERS if h != "劳动技能"]
    report = refused(write_xlsx(tmp_path / "cols.xlsx", household_rows(1), headers), tmp_path)
    assert any(r["column"] == "劳动技能" and r["reason"] == "表头缺少必填列" and r["row"] == "1" for r in report)


def _one_person_file(tmp_path, id_value, name="ids.xlsx"):
    rows = household_rows(1, members=1)
    rows[0]["证件号码"] = id_value
    return write_xlsx(tmp_path / name, rows)


@pytest.mark.parametrize("value", ["360426199101010071", "120103198806018241", " 120103198806018241 "])
def test_valid_id_numbers_are_accepted(county, tmp_path, value):
    call_command("import", str(_one_person_file(tmp_path, value)), "--year", "2018", "--as", "county_admin")
    assert Person.objects.filter(id_number=value.strip()).exists()


def test_lower_case_x_is_normalised(county, tmp_path):
    value = next(v for v in (idnumber.make("220821", dt.date(1991, 1, d), 7, "M") for d in range(1, 29))
                 if v.endswith("X"))
    call_command("import", str(_one_person_file(tmp_path, value.lower())), "--year", "2018", "--as", "county_admin")
    assert Person.objects.filter(id_number=value).exists()


@pytest.mark.parametrize("value,reason", [
    ("360426199101010072", "校验码是 2，应为 1"),
    ("360426199102300070", "出生日期不存在"),  # 30 February
    ("360426910101007", "15位旧身份证号码"),
    (360426199101010071, "被 Excel 存成了数字"),
])
def test_bad_id_numbers_are_reported(county, tmp_path, value, reason):
    report = refused(_one_person_file(tmp_path, value), tmp_path)
    (line,) = [r for r in report if r["column"] == "证件号码"]
    assert line["row"] == "2" and reason in line["reason"]


def test_excel_float_in_csv_is_reported(county, tmp_path):
    rows = household_rows(1, members=1)
    rows[0]["证件号码"] = "3.60426E+17"
    report = refused(write_csv(tmp_path / "f.csv", rows), tmp_path)
    assert report[0]["sheet"] == "" and "被 Excel 存成了数字" in report[0]["reason"]


def test_id_already_in_another_household_names_both(county, tmp_path):
    other = county["households"][1].members.first()
    rows = household_rows(1, members=1)
    rows[0]["证件号码"] = other.id_number
    report = refused(write_xlsx(tmp_path / "clash.xlsx", rows), tmp_path)
    (line,) = [r for r in report if r["column"] == "证件号码"]
    assert "220821100201002" in line["reason"] and "T000000" in line["reason"]
    assert "*" not in line["value"]  # the county administrator may see ID numbers


def test_sex_column_must_match_the_id_number(county, tmp_path):
    rows = household_rows(1, members=1)
    rows[0]["性别"] = "女"
    report = refused(write_xlsx(tmp_path / "sex.xlsx", rows, HEADERS + ["性别"]), tmp_path)
    assert [r["column"] for r in report] == ["性别"]


def test_new_household_count_and_head(county, tmp_path):
    rows = household_rows(2)
    for r in rows[:2]:
        r["人数"] = 3
    rows[3]["与户主关系"] = "户主"  # household T000001 now has two heads
    report = refused(write_xlsx(tmp_path / "count.xlsx", rows), tmp_path)
    reasons = {(r["row"], r["column"]): r["reason"] for r in report}
    assert "列出 2 人" in reasons[("2", "人数")]
    assert "第二个户主" in reasons[("5", "与户主关系")]


def test_geography_must_be_in_the_division_data(county, tmp_path):
    rows = household_rows(1, village=("镇赉镇", "不存在村"))
    report = refused(write_xlsx(tmp_path / "geo.xlsx", rows), tmp_path)
    assert [(r["row"], r["column"]) for r in report] == [("2", "行政村")]
    assert "不存在村" in report[0]["reason"]


def test_rows_outside_the_commanders_zone_are_errors(county, tmp_path):
    rows = household_rows(1) + household_rows(1, start=1, village=VILLAGES[2])  # 建平乡 is another zone
    report = refused(write_xlsx(tmp_path / "zone.xlsx", rows), tmp_path, user="commander")
    assert [(r["row"], r["column"]) for r in report] == [("4", "行政村")]
    assert "无权在" in report[0]["reason"] and "登记农户" in report[0]["reason"]
    assert report[0]["value"] == "建平村"


def test_a_department_account_may_not_import(county, tmp_path):
    report = refused(write_xlsx(tmp_path / "dept.xlsx", household_rows(1)), tmp_path, user="department")
    assert report[0]["reason"] == "账号 department（行业部门）无权修改建档立卡信息"


def test_exit_codes(county, tmp_path, capsys):
    path = write_xlsx(tmp_path / "ok.xlsx", household_rows(1))
    assert main(["import", str(path), "--as", "county_admin"]) == 2  # --year missing
    assert main(["import", str(tmp_path / "nope.xlsx"), "--year", "2018", "--as", "county_admin"]) == 2
    bad = household_rows(1)
    bad[0]["民族"] = "外星人"
    bad_path = write_xlsx(tmp_path / "bad.xlsx", bad)
    assert main(["import", str(bad_path), "--year", "2018", "--as", "county_admin"]) == 3
    err = capsys.readouterr().err
    assert "第 2 行, 民族 '外星人'" in err and "未写入任何数据" in err
    assert main(["import", str(path), "--year", "2018", "--as", "county_admin"]) == 0


def test_title_rows_above_the_header_keep_excel_row_numbers(county, tmp_path):
    rows = household_rows(1)
    rows[1]["健康状况"] = "健康、残疾"
    report = refused(write_xlsx(tmp_path / "title.xlsx", rows, title_rows=2), tmp_path)
    assert [(r["row"], r["column"]) for r in report] == [("5", "健康状况")]


def test_gbk_csv_is_read(county, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", household_rows(1), encoding="gb18030")
    call_command("import", str(path), "--year", "2018", "--as", "county_admin")
    assert Household.objects.filter(number="T000000").exists()
