"""Importing the 帮扶责任人 list from xlsx: all or nothing, every problem reported, scoped to the account."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.organisation.importer import org_import
from tuopin.apps.organisation.models import Cadre, CadreHouseholdPairing, Unit
from tuopin.apps.organisation.selectors import responsible_cadres

HEADER = ["户编号", "帮扶责任人姓名", "帮扶单位", "职务", "联系电话", "帮扶开始时间", "帮扶结束时间"]


def workbook(tmp_path, rows, name="帮扶责任人.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.title = "帮扶责任人"
    sheet.append(["镇赉县建档立卡贫困户帮扶责任人名单"])  # a title row above the header, as counties keep it
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_units_cadres_and_pairings_are_created_and_handed_over(org, tmp_path):
    h1, h2, h3, h4 = org["households"]
    path = workbook(tmp_path, [
        [h1.number, "王干部", "县教育局", "副科长", "13800001111", dt.datetime(2016, 1, 1), None],
        [h2.number, "钱干部", "县审计局", "科员", "13800002222", "2019年7月1日", None],
        [h4.number, "吴干部", "县审计局", "科员", "", "2016/3/1", "2018-12-31"],
    ])
    result = org_import(path=path, by=org["accounts"]["county_admin"])
    assert result.ok, [p.line() for p in result.problems]
    assert result.counts == {"units_created": 1, "cadres_created": 2, "cadres_updated": 1, "pairings_created": 2,
                             "pairings_updated": 0, "pairings_handed_over": 2}
    assert Unit.objects.get(name="县审计局").kind == "party_gov"
    assert Cadre.objects.get(name="王干部").post == "副科长"  # the existing cadre, updated
    # h2: 赵干部's open pairing ends the day before 钱干部 takes over.
    assert [c.name for c in responsible_cadres(h2, dt.date(2019, 6, 30))] == ["赵干部"]
    assert [c.name for c in responsible_cadres(h2, dt.date(2019, 7, 1))] == ["钱干部"]
    # h4: 李干部 hands over to 吴干部, whose own pairing ended with 2018.
    assert [c.name for c in responsible_cadres(h4, dt.date(2016, 2, 29))] == ["李干部"]
    assert [c.name for c in responsible_cadres(h4, dt.date(2016, 3, 1))] == ["吴干部"]
    assert responsible_cadres(h4, dt.date(2019, 1, 1)) == []
    assert AuditEvent.objects.get(action="org_import").batch["counts"] == result.counts
    # Importing the same file again changes nothing.
    again = org_import(path=path, by=org["accounts"]["county_admin"])
    assert again.counts["pairings_created"] == 0 and again.counts["units_created"] == 0
    assert CadreHouseholdPairing.objects.count() == 5


def test_every_problem_is_reported_and_nothing_is_written(org, tmp_path):
    h1, h2, h3, h4 = org["households"]
    before = (Unit.objects.count(), Cadre.objects.count(), CadreHouseholdPairing.objects.count())
    path = workbook(tmp_path, [
        [h1.number, "钱干部", "县审计局", "科员", "13800002222", "2019-07-01", None],   # fine on its own
        ["220821999999001", "孙干部", "县审计局", "", "", "2019-07-01", None],       # no such household
        [h2.number, "", "县审计局", "", "12345", "2019-13-01", None],                 # name, phone, date
        [h4.number, "吴干部", "县审计局", "", "", "2019-01-01", "2018-01-01"],        # ends before it starts
    ])
    report = tmp_path / "report.csv"
    result = org_import(path=path, by=org["accounts"]["county_admin"], report=report)
    assert not result.ok
    lines = list(csv.DictReader(report.open(encoding="utf-8-sig")))
    assert set(lines[0]) == {"file", "sheet", "row", "column", "value", "reason"}
    got = {(line["row"], line["column"]) for line in lines}
    assert got == {("4", "户编号"), ("5", "帮扶责任人姓名"), ("5", "联系电话"), ("5", "帮扶开始时间"),
                   ("6", "帮扶结束时间")}
    assert all(line["file"] == path.name and line["sheet"] == "帮扶责任人" for line in lines)
    assert (Unit.objects.count(), Cadre.objects.count(), CadreHouseholdPairing.objects.count()) == before


def test_households_outside_the_accounts_scope_are_not_found(org, tmp_path):
    h4 = org["households"][3]  # in 建平乡, outside the commander's zone
    path = workbook(tmp_path, [[h4.number, "钱干部", "县审计局", "", "", "2019-07-01", None]])
    result = org_import(path=path, by=org["accounts"]["commander"])
    assert [p.reason for p in result.problems] == ["您的范围内没有这个户"]


def test_the_command_exits_3_on_refusal_and_names_the_report(org, tmp_path, capsys):
    path = workbook(tmp_path, [["nope", "钱干部", "县审计局", "", "", "2019-07-01", None]])
    with pytest.raises(CommandError) as exc:
        call_command("org", "import", str(path), "--as", "county_admin", "--report", str(tmp_path / "r.csv"))
    assert exc.value.returncode == 3 and "r.csv" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("org", "import", str(path), "--as", "cadre")
    assert exc.value.returncode == 3
