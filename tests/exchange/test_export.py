"""`tuopin export` in the national layout: scoped, masked unless allowed, and lossless through an import."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.models import CadreHouseholdPairing
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.exchange.layout import EXPORT_HEADERS
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear, StatusEvent
from tuopin.cli import main

from .helpers import read_csv, read_report, read_xlsx

FULL_ID = re.compile(r"^\d{17}[\dX]$")


def export(tmp_path, fmt, name, *extra, user="county_admin"):
    out = tmp_path / name
    call_command("export", "--format", fmt, "--out", str(out), "--year", "2018", "--as", user, *extra)
    return out


def enrich(county):
    """Give the fixture the values only the extension columns carry."""
    h1, h2, h3, h4 = county["households"]
    natural = Region.objects.create(code="220821100299", name="前屯", level=Level.NATURAL_VILLAGE,
                                    parent=county["villages"][0])
    Household.objects.filter(pk=h1.pk).update(phone="13912345678", address="西岗村三组", other_causes="2,7",
                                              cultivated_land_mu=Decimal("12.50"), housing_area_m2=Decimal("48"))
    Household.objects.filter(pk=h2.pk).update(natural_village=natural, attribute=c.HouseholdAttribute.DIBAO,
                                              primary_cause=c.Cause.DISABILITY)
    Household.objects.filter(pk=h4.pk).update(status=c.PovertyStatus.EXITED, exit_year=2017)
    HouseholdYear.objects.filter(household=h1).update(
        dibao_fen=120_000, production_cost_fen=30_000, housing_grade="C", renovation="repair",
        renovation_year=2018, renovation_cost_fen=500_000, water_minutes=25, water_quality_ok=False)
    year = HouseholdYear.objects.get(household=h1)
    year.compute_income()
    year.save()
    head = h1.members.order_by("number").first()
    Person.objects.filter(pk=head.pk).update(disabled=True, disability_grade=2, education=c.Education.PRIMARY,
                                             work_status=c.WorkStatus.OUT_PROVINCE, work_months=9,
                                             phone="13712345678", ethnicity=c.Ethnicity.MONGOL)
    PersonYear.objects.filter(person=head).update(dibao=True, pension_insurance=True)
    child = h2.members.order_by("number").last()
    Person.objects.filter(pk=child.pk).update(relation=c.Relation.SON, school_status=c.SchoolStatus.JUNIOR,
                                              education=c.Education.PRIMARY, labour_ability=c.LabourAbility.NONE)


def empty_registry():
    CadreHouseholdPairing.objects.all().delete()
    for model in (StatusEvent, PersonYear, HouseholdYear, Person, Household):
        model.objects.all().delete()


@pytest.mark.parametrize("fmt,reader", [("xlsx", read_xlsx), ("csv", read_csv)])
def test_round_trip_is_lossless(county, tmp_path, fmt, reader):
    enrich(county)
    first = export(tmp_path, fmt, f"first.{fmt}", "--unmasked")
    empty_registry()
    call_command("import", str(first), "--year", "2018", "--as", "county_admin")
    second = export(tmp_path, fmt, f"second.{fmt}", "--unmasked")
    a, b = reader(first), reader(second)
    assert a[0] == list(EXPORT_HEADERS)
    assert len(a) == 11  # header + the fixture's 10 persons
    assert a == b
    head = dict(zip(a[0], a[1]))
    assert (head["自然村"], head["户联系电话"], head["住房安全等级"], head["危房户"], head["饮水困难"]) == (
        "", "13912345678", "C级(局部危房)", "是", "是")
    assert Household.objects.get(number="220821200201001").events.count() == 2  # identified, exited


def test_export_masks_ids_and_phones_by_default(county, tmp_path):
    Person.objects.update(phone="13812345678")
    rows = read_csv(export(tmp_path, "csv", "masked.csv"))
    ids = [dict(zip(rows[0], r))["证件号码"] for r in rows[1:]]
    assert ids and all(re.fullmatch(r"220821\*{8}\d{3}[\dX]", v) for v in ids)
    assert {dict(zip(rows[0], r))["联系电话"] for r in rows[1:]} == {"138****5678"}
    event = AuditEvent.objects.filter(action="export").first()
    assert "masked" in event.summary and "10 persons" in event.summary and "csv" in event.summary


def test_unmasked_export_by_county_admin(county, tmp_path):
    rows = read_xlsx(export(tmp_path, "xlsx", "full.xlsx", "--unmasked"))
    assert all(FULL_ID.match(dict(zip(rows[0], r))["证件号码"]) for r in rows[1:])
    assert "unmasked" in AuditEvent.objects.filter(action="export").first().summary


def test_unmasked_refused_for_a_commander(county, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "--format", "csv", "--out", str(out), "--unmasked", "--as", "commander"]) == 3
    assert "无权查看完整的证件号码和电话号码" in capsys.readouterr().err
    assert not out.exists()


def test_cadre_exports_only_own_households(county, tmp_path):
    rows = read_csv(export(tmp_path, "csv", "cadre.csv", user="cadre"))
    assert {dict(zip(rows[0], r))["户编号"] for r in rows[1:]} == {"220821100201001"}
    assert len(rows) == 3


def test_export_usage_errors(county, tmp_path):
    assert main(["export", "--format", "pdf", "--out", str(tmp_path / "x.pdf"), "--as", "county_admin"]) == 2
    assert main(["export", "--format", "xlsx", "--out", str(tmp_path / "x.csv"), "--as", "county_admin"]) == 2


def test_formula_like_text_is_guarded_on_export_and_refused_on_import(county, tmp_path):
    # A name stored before the validation layer refused formula-like text (decision 1120): the export still
    # guards it, and the import, which undoes the guard, refuses to store it again.
    head = county["households"][0].members.order_by("number").first()
    Person.objects.filter(pk=head.pk).update(name="=HYPERLINK(1)")
    first = export(tmp_path, "csv", "f.csv", "--unmasked")
    assert "'=HYPERLINK(1)" in first.read_text(encoding="utf-8-sig")
    empty_registry()
    report = tmp_path / "refused.csv"
    with pytest.raises(CommandError):
        call_command("import", str(first), "--year", "2018", "--as", "county_admin", "--report", str(report))
    (line,) = [r for r in read_report(report) if r["column"] == "姓名"]
    assert line["reason"] == "不能以 =、+、-、@ 开头（电子表格会把它当作公式执行）"
    assert not Person.objects.filter(number=head.number).exists()


def test_xlsx_opens_in_openpyxl_too(county, tmp_path):
    from openpyxl import load_workbook

    path = export(tmp_path, "xlsx", "check.xlsx")
    sheet = load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "人员信息" and list(rows[0]) == list(EXPORT_HEADERS) and len(rows) == 11
    head = dict(zip(rows[0], rows[1]))
    assert head["人数"] == 2 and head["人均纯收入"] == 5000 and head["自然村"] is None and head["姓名"].endswith("户主")
