"""The roster import: accepted whole and matched by ID number, refused whole with each problem named by row and
column, a hostile file refused unread, invalid ID numbers kept and flagged, versions per (kind, year, department),
and a department confined to the kinds its domain owns."""

import datetime as dt
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.policy.models import Roster, RosterEntry
from tuopin.apps.policy.roster_import import roster_import
from tuopin.common import idnumber

from .helpers import person_row, row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _unregistered(seq=7):
    return idnumber.make("220821", dt.date(2008, 3, 1), seq, "M")


def test_an_accepted_roster_is_written_whole_matched_and_audited_once(county, tmp_path):
    p1, p4 = (county["households"][i].members.first() for i in (0, 3))
    path = write_csv(tmp_path, "enrolment", [
        person_row("enrolment", p1, 学校="镇赉县第一中学", 学段="高中"),
        person_row("enrolment", p4, 学校="建平中心学校"),
        row("enrolment", 姓名="无名", 证件号码=_unregistered()),
        row("enrolment", 姓名="无号", 出生日期="2009-01-02"),
    ])
    result = roster_import(path, kind="enrolment", year=2018, by=county["accounts"]["department"])
    assert result.ok, result.problems
    assert result.outcome() == {"rows": 4, "matched_by_id": 2, "matched_by_likeness": 0, "queued_for_review": 0,
                                "unmatched": 2, "refused": 0}
    roster = Roster.objects.get()
    assert roster.department == county["unit"] and roster.current and len(roster.sha256) == 64
    entries = {e.row: e for e in roster.entries.all()}
    assert (entries[2].person, entries[2].how, entries[2].extra) == (p1, "id", {"学校": "镇赉县第一中学", "学段": "高中"})
    assert entries[2].agreement["name"] is True
    assert entries[2].sex == p1.sex and entries[2].birth_date == p1.birth_date  # from the ID number
    assert (entries[4].person, entries[4].how, entries[4].id_valid) == (None, "none", True)
    assert (entries[5].id_number, entries[5].id_valid, entries[5].how) == ("", False, "none")
    event = AuditEvent.objects.get(action="roster:import")
    assert event.batch["rows"] == 4 and event.batch["matched_by_id"] == 2


def test_one_bad_row_writes_nothing_and_each_problem_names_row_and_column_in_chinese(county, tmp_path):
    p1, p2 = county["households"][0].members.first(), county["households"][1].members.first()
    wrong_sex = "女" if p1.sex == "M" else "男"
    path = write_csv(tmp_path, "death", [
        person_row("death", p2, 死亡日期="2018-03-01"),            # row 2: good
        person_row("death", p1, 死亡日期=""),                      # row 3: required
        person_row("death", p2, 死亡日期="2018-02-30"),            # row 4: no such date
        person_row("death", p1, 死亡日期="2018-01-01", 性别=wrong_sex, 出生日期="1950-01-01"),  # row 5: disagree
        row("death", 姓名="=HYPERLINK(\"x\")", 死亡日期="2018-01-01"),  # row 6: a formula
    ], name="死亡名单.csv")
    result = roster_import(path, kind="death", year=2018, by=county["accounts"]["county_admin"])
    assert not result.ok and result.outcome()["refused"] == len(result.problems)
    assert not Roster.objects.exists() and not RosterEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="roster:import").exists()
    where = {(p.row, p.column) for p in result.problems}
    assert where == {(3, "死亡日期"), (4, "死亡日期"), (5, "性别"), (5, "出生日期"), (6, "姓名")}
    reasons = {(p.row, p.column): p.reason for p in result.problems}
    assert "必填" in reasons[(3, "死亡日期")] and "日期" in reasons[(4, "死亡日期")]
    assert "公式" in reasons[(6, "姓名")]


def test_a_number_on_two_rows_is_refused_naming_both_unless_the_kind_repeats(county, tmp_path):
    p1 = county["households"][0].members.first()
    path = write_csv(tmp_path, "death", [person_row("death", p1, 死亡日期="2018-03-01")] * 2)
    result = roster_import(path, kind="death", year=2018, by=county["accounts"]["county_admin"])
    assert [(p.row, p.column) for p in result.problems] == [(3, "证件号码")]
    assert "2" in result.problems[0].reason
    cars = write_csv(tmp_path, "vehicle", [person_row("vehicle", p1, 号牌号码="吉G12345"),
                                           person_row("vehicle", p1, 号牌号码="吉G54321")])
    accepted = roster_import(cars, kind="vehicle", year=2018, by=county["accounts"]["county_admin"])
    assert accepted.ok and accepted.outcome()["matched_by_id"] == 2


def test_a_wrong_check_digit_is_kept_flagged_and_not_matched(county, tmp_path):
    p1 = county["households"][0].members.first()
    bad = p1.id_number[:17] + ("0" if p1.id_number[17] != "0" else "1")
    path = write_csv(tmp_path, "dibao", [row("dibao", 姓名=p1.name, 证件号码=bad.lower(), 保障金额="1,200.50")])
    result = roster_import(path, kind="dibao", year=2018, by=county["accounts"]["county_admin"])
    assert result.ok
    entry = RosterEntry.objects.get()
    assert (entry.id_number, entry.id_valid, entry.id_given, entry.person, entry.how) == ("", False, bad, None, "none")
    assert entry.extra == {"保障金额": 120_050}
    good = write_csv(tmp_path, "dibao", [row("dibao", 姓名=p1.name, 证件号码=p1.id_number.lower())], name="b.csv")
    roster_import(good, kind="dibao", year=2018, by=county["accounts"]["county_admin"])
    assert RosterEntry.objects.get(roster__current=True).person == p1


def test_an_id_number_excel_turned_into_a_figure_is_refused(county, tmp_path):
    p1 = county["households"][0].members.first()
    path = write_xlsx(tmp_path, "medical", [[p1.name, float(p1.id_number[:17]), "", "", "", "", "", "城乡居民"]],
                      title="2018年参保名单")
    result = roster_import(path, kind="medical", year=2018, by=county["accounts"]["county_admin"])
    assert [(p.row, p.column) for p in result.problems] == [(3, "证件号码")]
    assert "文本" in result.problems[0].reason


def test_an_xlsx_with_a_title_row_is_read(county, tmp_path):
    p1 = county["households"][0].members.first()
    path = write_xlsx(tmp_path, "pension", [person_row("pension", p1, 缴费档次="100", 代缴="是")], title="养老保险")
    result = roster_import(path, kind="pension", year=2018, by=county["accounts"]["county_admin"])
    assert result.ok and RosterEntry.objects.get().extra == {"缴费档次": 10_000, "代缴": True}
    assert RosterEntry.objects.get().row == 3


def test_hostile_files_are_refused_unread(county, tmp_path):
    fake = tmp_path / "roster.xlsx"
    fake.write_bytes(b"not a zip at all")
    result = roster_import(fake, kind="death", year=2018, by=county["accounts"]["county_admin"])
    assert not result.ok and result.problems[0].row is None
    entities = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(entities, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Types/>')
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert not roster_import(entities, kind="death", year=2018, by=county["accounts"]["county_admin"]).ok
    binary = tmp_path / "roster.csv"
    binary.write_bytes(b"\x00\x01PK\x03\x04")
    assert not roster_import(binary, kind="death", year=2018, by=county["accounts"]["county_admin"]).ok
    assert not Roster.objects.exists()


def test_a_file_without_the_columns_is_refused(county, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("姓名,备注\n张三,x\n", encoding="utf-8")
    result = roster_import(path, kind="death", year=2018, by=county["accounts"]["county_admin"])
    assert len(result.problems) == 1 and "证件号码" in result.problems[0].reason


def test_a_new_upload_becomes_current_and_the_earlier_stays(county, tmp_path):
    p1, p2 = county["households"][0].members.first(), county["households"][1].members.first()
    by = county["accounts"]["department"]
    first = roster_import(write_csv(tmp_path, "enrolment", [person_row("enrolment", p1)]), kind="enrolment",
                          year=2018, by=by).roster
    second = roster_import(write_csv(tmp_path, "enrolment", [person_row("enrolment", p1),
                                                             person_row("enrolment", p2)], name="v2.csv"),
                           kind="enrolment", year=2018, by=by).roster
    other_year = roster_import(write_csv(tmp_path, "enrolment", [person_row("enrolment", p1)], name="y.csv"),
                               kind="enrolment", year=2017, by=by).roster
    first.refresh_from_db()
    assert not first.current and second.current and other_year.current
    assert first.entries.count() == 1 and second.entries.count() == 2
    assert AuditEvent.objects.filter(action="roster:import").last().batch["replaced"] == []
    assert AuditEvent.objects.filter(action="roster:import").order_by("pk")[1].batch["replaced"] == [first.pk]


def test_a_department_uploads_only_the_kinds_its_domain_owns(county, tmp_path):
    p1 = county["households"][0].members.first()
    path = write_csv(tmp_path, "death", [person_row("death", p1, 死亡日期="2018-03-01")])
    with pytest.raises(PermissionDenied):
        roster_import(path, kind="death", year=2018, by=county["accounts"]["department"])
    with pytest.raises(PermissionDenied):
        roster_import(path, kind="death", year=2018, by=county["accounts"]["commander"])
    result = roster_import(path, kind="death", year=2018, by=county["accounts"]["county_admin"],
                           department=county["unit"])  # the education bureau keeps no death list
    assert not result.ok and "县教育局" in result.problems[0].value
    assert not Roster.objects.exists()


def test_a_roster_longer_than_a_query_is_matched_in_chunks(county, tmp_path):
    p1 = county["households"][0].members.first()
    others = [row("medical", 姓名="外人", 证件号码=idnumber.make("220821", dt.date(1960, 1, 1) + dt.timedelta(days=i), 3, "F"))
              for i in range(1200)]
    path = write_csv(tmp_path, "medical", [*others, person_row("medical", p1, 参保类别="城乡居民")])
    result = roster_import(path, kind="medical", year=2018, by=county["accounts"]["county_admin"])
    assert result.outcome()["rows"] == 1201 and result.outcome()["matched_by_id"] == 1
    assert RosterEntry.objects.get(person=p1).row == 1202


def test_rows_without_a_valid_number_are_linked_by_likeness_and_explained(county, tmp_path):
    # decision 1544: name, sex, birth date and village through the linker; the village's township from the registry
    from tests.factories import person

    h2 = county["households"][1]
    p1 = person(h2, name="覃金凤", sex="F", birth=dt.date(1956, 8, 19), relation="99")
    p2 = person(h2, name="刘宝山", sex="M", birth=dt.date(1988, 2, 7), relation="99")
    rows = [row("dibao", 姓名="覃金凤", 性别="女", 出生日期="1956-08-19", 行政村=h2.village.name),
            row("dibao", 姓名="刘宝善", 性别="男", 出生日期="1988-02-07", 行政村=h2.village.name),
            row("dibao", 姓名="查无此人", 出生日期="1960-01-01", 行政村=h2.village.name)]
    result = roster_import(write_csv(tmp_path, "dibao", rows), kind="dibao", year=2018,
                           by=county["accounts"]["county_admin"])
    assert result.ok
    same, typed, nobody = RosterEntry.objects.order_by("row")
    assert (same.person, same.how) == (p1, "likeness") and same.weight > 0
    assert same.agreement == {"name": True, "sex": True, "birth_date": True, "village": True}
    assert typed.person == p2 and typed.how in ("likeness", "review") and typed.agreement["name"] == "close"
    assert (nobody.person, nobody.how) == (None, "none")
    roster = Roster.objects.get()
    assert roster.matched_by_likeness + roster.queued_for_review == 2 and roster.unmatched == 1
