"""Importing the organisation workbook (a sheet per kind): every kind is made, a second import changes nothing,
and for each kind one bad row refuses the whole file, named by sheet, row and column in Chinese."""

import csv
import datetime as dt

import pytest
from openpyxl import Workbook

from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.assistance.models import ResponsibilityItem
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.organisation.imports import organisation_import
from tuopin.apps.organisation.imports.kinds import BY_SHEET, KINDS
from tuopin.apps.organisation.imports.template import template_bytes, template_kinds
from tuopin.apps.organisation.models import (Cadre, MutualGroup, SharedTrip, SpecialGroup, Unit, UnitVillagePairing,
                                             WarZone, WorkTeam, WorkTeamMember)

MEMBERS = ["甲干部", "乙干部", "丙干部", "丁干部", "戊干部"]


def sheets(org):
    h1 = org["households"][0]
    return {
        "单位": [["县审计局", "县直部门", "审计", ""], ["镇赉镇人民政府", "乡镇", "", "镇赉镇"]],
        "干部": [["钱县长", "县审计局", "副县长", "13800001111", "是"], ["吴书记", "镇赉镇人民政府", "党委书记", "", "否"]]
               + [[n, "县审计局", "科员", "", ""] for n in MEMBERS],
        "领导小组和专项小组": [["镇赉县脱贫攻坚领导小组", "领导小组", "钱县长", "吴书记", "县审计局、县财政局", "统筹"],
                         ["产业扶贫专项小组", "", "钱县长", "", "县审计局", ""]],
        "战区": [["镇赉镇", "钱县长", "吴书记"]],
        "单位包村": [["县审计局", "镇赉镇", "西岗村", "2017-01-01", ""]],
        "驻村工作队": [["镇赉镇", "东岗村", "县审计局", "2017-03-01", "", "甲干部", "是", "", ""],
                  ["镇赉镇", "东岗村", "县审计局", "2017-03-01", "", "乙干部", "否", "2017-06-01", ""]],
        "1×5互助组": [["镇赉镇第1互助组", "镇赉镇", "吉G12345", "、".join(MEMBERS)]],
        "联合走访": [["镇赉镇第1互助组", "2018-05-12", "西岗村", h1.number, "入户核实收入"]],
        "责任清单": [["包保部门", "镇赉镇", "西岗村", "县审计局", "", "落实产业项目到户", "2018-12-31"],
                 ["包乡领导", "镇赉镇", "", "", "钱县长", "督导战区脱贫攻坚", ""]],
    }


def workbook(tmp_path, data, name="组织.xlsx"):
    book = Workbook()
    book.remove(book.active)
    for sheet_name, rows in data.items():
        sheet = book.create_sheet(sheet_name)
        sheet.append([c.header for c in BY_SHEET[sheet_name].columns])
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_every_kind_is_imported_and_a_second_import_changes_nothing(org, tmp_path):
    admin = org["accounts"]["county_admin"]
    path = workbook(tmp_path, sheets(org))
    result = organisation_import(path=path, by=admin, report=tmp_path / "report.csv")
    assert result.ok, [p.line() for p in result.problems]
    assert result.counts["单位"] == {"created": 1, "updated": 0, "unchanged": 1}  # 镇赉镇人民政府 is there already
    assert Unit.objects.get(name="县审计局").domain == "audit" or Unit.objects.get(name="县审计局").domain == "审计"
    assert Cadre.objects.get(name="钱县长").is_county_leader
    leading = SpecialGroup.objects.get(is_leading_group=True)
    assert (leading.name, leading.leader.name, leading.deputy.name) == ("镇赉县脱贫攻坚领导小组", "钱县长", "吴书记")
    assert sorted(leading.member_units.values_list("name", flat=True)) == ["县审计局", "县财政局"]
    zone = WarZone.objects.get(township=org["townships"][0])
    assert (zone.county_leader.name, zone.party_secretary.name) == ("钱县长", "吴书记")
    assert UnitVillagePairing.objects.filter(unit__name="县审计局", village=org["villages"][0]).count() == 1
    team = WorkTeam.objects.get(village=org["villages"][1])
    assert [(m.cadre.name, m.is_first_secretary, m.start) for m in team.members.order_by("start")] == [
        ("甲干部", True, dt.date(2017, 3, 1)), ("乙干部", False, dt.date(2017, 6, 1))]
    group = MutualGroup.objects.get(name="镇赉镇第1互助组")
    assert (group.vehicle, group.members.count(), group.township) == ("吉G12345", 5, org["townships"][0])
    trip = SharedTrip.objects.get(group=group)
    assert list(trip.households.all()) == [org["households"][0]]
    assert ResponsibilityItem.objects.filter(owner_unit__name="县审计局").count() == 1
    # Every record made has its own audit event, for its history.
    assert AuditEvent.objects.filter(entity="organisation.warzone", entity_id=str(zone.pk)).exists()
    assert AuditEvent.objects.filter(action="org_import", entity="organisation").count() == 1

    again = organisation_import(path=path, by=admin, report=tmp_path / "report.csv")
    assert again.ok
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.counts.values()), again.counts
    assert WorkTeamMember.objects.filter(team=team).count() == 2


# One bad row per kind: (sheet, row index to spoil, column, bad value, words the reason holds)
BAD = [
    ("单位", 0, 1, "合作社", "单位类型"),
    ("干部", 0, 1, "县不存在局", "没有这个单位"),
    ("领导小组和专项小组", 1, 2, "无名氏", "没有这名干部"),
    ("战区", 0, 1, "吴书记", "县级领导"),
    ("单位包村", 0, 3, "去年春天", "日期"),
    ("驻村工作队", 1, 7, "2016-01-01", ""),
    ("1×5互助组", 0, 3, "甲干部、乙干部", "五名"),
    ("联合走访", 0, 3, "999999", "户"),
    ("责任清单", 0, 0, "包村领导", "层级"),
]


@pytest.mark.parametrize("sheet,index,column,value,words", BAD, ids=[b[0] for b in BAD])
def test_one_bad_row_refuses_the_whole_workbook(org, tmp_path, sheet, index, column, value, words):
    data = sheets(org)
    data[sheet][index][column] = value
    before = (Unit.objects.count(), Cadre.objects.count(), AuditEvent.objects.count())
    result = organisation_import(path=workbook(tmp_path, data), by=org["accounts"]["county_admin"],
                                 report=tmp_path / "report.csv")
    assert not result.ok
    problem = result.problems[0]
    assert (problem.sheet, problem.row) == (sheet, index + 2), [p.line() for p in result.problems]
    assert words in problem.reason, problem.reason
    assert (Unit.objects.count(), Cadre.objects.count(), AuditEvent.objects.count()) == before
    assert not SharedTrip.objects.exists() and not MutualGroup.objects.exists()
    with result.report.open(encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["file", "sheet", "row", "column", "value", "reason"]
    assert lines[1][:3] == ["组织.xlsx", sheet, str(index + 2)]


def test_a_missing_column_and_a_hostile_file_are_refused(org, tmp_path):
    admin = org["accounts"]["county_admin"]
    book = Workbook()
    book.active.title = "战区"
    book.active.append(["乡镇", "包乡县级领导"])
    book.active.append(["镇赉镇", "陈县长"])
    book.save(tmp_path / "zones.xlsx")
    result = organisation_import(path=tmp_path / "zones.xlsx", by=admin, report=tmp_path / "report.csv")
    assert [(p.sheet, p.column) for p in result.problems] == [("战区", "乡镇党委书记")]
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"<html>not a workbook</html>")
    result = organisation_import(path=fake, by=admin, report=tmp_path / "report.csv")
    assert not result.ok and "fake.xlsx" in result.problems[0].reason


def test_a_commander_imports_its_zone_only(org, tmp_path):
    data = sheets(org)
    commander = org["accounts"]["commander"]
    with pytest.raises(Refused):
        organisation_import(path=workbook(tmp_path, {"单位": data["单位"]}), by=org["accounts"]["cadre"])
    refused = organisation_import(path=workbook(tmp_path, {"单位": data["单位"]}), by=commander,
                                  report=tmp_path / "report.csv")
    assert not refused.ok and "县" in refused.problems[0].reason
    pairing = [["县教育局", "镇赉镇", "东岗村", "2019-01-01", ""], ["县财政局", "建平乡", "建平村", "2019-01-01", ""]]
    result = organisation_import(path=workbook(tmp_path, {"单位包村": pairing}), by=commander,
                                 report=tmp_path / "report.csv")
    assert [p.row for p in result.problems] == [3]  # 建平村 lies in another zone
    assert not UnitVillagePairing.objects.filter(start=dt.date(2019, 1, 1)).exists()


@pytest.mark.parametrize("kind", [k.key for k in KINDS] + ["all"])
def test_each_template_is_a_workbook_the_import_reads_back(org, tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(template_bytes(template_kinds(kind)))
    result = organisation_import(path=path, by=org["accounts"]["county_admin"], report=tmp_path / "report.csv")
    # An empty template holds no rows: refused as empty, not as unreadable or with missing columns.
    assert [p.reason for p in result.problems] == ["文件中没有数据行"]


def test_the_command_writes_a_template_and_imports_a_workbook(org, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("org", "template", "zones", "--out", str(tmp_path / "zones.xlsx"))
    assert (tmp_path / "zones.xlsx").read_bytes().startswith(b"PK")
    with pytest.raises(CommandError) as unknown:
        call_command("org", "template", "nonsense")
    assert unknown.value.returncode == 2
    path = workbook(tmp_path, {"战区": [["建平乡", "陈县长", "周书记"]]})
    call_command("org", "import", str(path), "--as", "county_admin")
    assert "战区: created 1" in capsys.readouterr().out
    assert WarZone.objects.get(township=org["townships"][1]).county_leader.name == "陈县长"
    bad = workbook(tmp_path, {"战区": [["建平乡", "周书记", "陈县长"]]}, name="bad.xlsx")
    with pytest.raises(CommandError) as refused:
        call_command("org", "import", str(bad), "--as", "county_admin", "--report", str(tmp_path / "r.csv"))
    assert refused.value.returncode == 3 and "r.csv" in str(refused.value)
    assert "第 2 行" in capsys.readouterr().err
