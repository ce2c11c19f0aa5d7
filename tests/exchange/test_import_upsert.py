"""A valid import creates, then upserts; persons missing from the file are reported, never deleted."""

from django.core.management import call_command

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear, StatusEvent

from .helpers import HEADERS, household_rows, read_report, write_xlsx

YEAR_EXTENSION = ["工资性收入(元)", "生产经营性收入(元)", "其他财产性收入(元)", "资产收益扶贫分红收入(元)", "低保金(元)",
                  "特困供养金(元)", "养老保险金(元)", "计划生育金(元)", "生态补偿金(元)", "其他转移性收入(元)",
                  "未分项纯收入(元)", "生产经营性支出(元)", "住房安全等级"]


def run_import(path, tmp_path, *extra):
    call_command("import", str(path), "--year", "2018", "--as", "county_admin", "--report",
                 str(tmp_path / "report.csv"), *extra)
    return read_report(tmp_path / "report.csv")


def test_valid_import_creates_the_records(county, tmp_path):
    run_import(write_xlsx(tmp_path / "new.xlsx", household_rows(3)), tmp_path)
    hh = Household.objects.get(number="T000001")
    assert hh.village == county["villages"][0] and hh.township == county["townships"][0]
    assert (hh.status, hh.is_registered, hh.attribute, hh.primary_cause, hh.identified_year) == (
        c.PovertyStatus.POOR, True, c.HouseholdAttribute.GENERAL, c.Cause.ILLNESS, 2018)
    assert hh.phone == "13800000010"  # the head's 联系电话, as no 户联系电话 column was given
    year = HouseholdYear.objects.get(household=hh, year=2018)
    # Only 人均纯收入 in the file: it lands un-itemised, per head × members (decision 0201).
    assert (year.members, year.unitemised_income_fen, year.wage_income_fen) == (2, 720_100, 0)
    assert year.per_capita_net_income_fen == 360_050
    spouse = Person.objects.get(number="T00000101")
    assert (spouse.sex, spouse.relation, spouse.chronic_illness, spouse.disabled, spouse.serious_illness) == (
        "F", c.Relation.SPOUSE, True, True, False)
    assert PersonYear.objects.get(person=spouse, year=2018).serious_illness_insurance is True
    event = StatusEvent.objects.get(household=hh)
    assert (event.kind, event.stage, event.year, event.persons) == (c.EventKind.IDENTIFIED, c.Stage.ANNOUNCED, 2018, 2)


def test_reimport_upserts_and_reports_missing_persons(county, tmp_path):
    rows = household_rows(3)
    run_import(write_xlsx(tmp_path / "first.xlsx", rows), tmp_path)
    for r in rows[:2]:
        r["人均纯收入"] = "5000"
        r["脱贫属性"] = "已脱贫"
    rows[2]["姓名"] = "改名"
    del rows[5]  # T000002's spouse left the file
    for r in rows[4:5]:
        r["人数"] = 1
    report = run_import(write_xlsx(tmp_path / "second.xlsx", rows), tmp_path)
    assert Person.objects.filter(number="T00000201").exists()  # missing, kept
    assert Person.objects.get(number="T00000100").name == "改名"
    assert Person.objects.get(number="T00000100").version == 2
    missing = [r for r in report if r["column"] == "人编号"]
    assert "T00000201" in {r["value"] for r in missing}
    assert all("予以保留，不删除" in r["reason"] and r["row"] == "" for r in missing)
    exited = Household.objects.get(number="T000000")
    assert (exited.status, exited.exit_year) == (c.PovertyStatus.EXITED, 2018)
    assert list(exited.events.values_list("kind", flat=True)) == ["identified", "exited"]
    assert HouseholdYear.objects.get(household=exited, year=2018).per_capita_net_income_fen == 500_000
    assert Household.objects.get(number="T000002").years.get(year=2018).members == 1
    batch = AuditEvent.objects.filter(action="import").first()
    counts = batch.batch["counts"]
    assert (counts["households_updated"], counts["persons_updated"], counts["household_years_written"]) == (1, 1, 2)
    assert "T00000201" in batch.batch["missing_persons"]
    assert batch.batch["written"]["persons"]["updated"]["T00000100"]["name"] == ["测试1-0", "改名"]
    assert len(batch.batch["sha256"]) == 64 and batch.source == "import" and batch.actor_name == "county_admin"


def test_unchanged_reimport_writes_nothing_new(county, tmp_path):
    path = write_xlsx(tmp_path / "same.xlsx", household_rows(2))
    run_import(path, tmp_path)
    run_import(path, tmp_path)
    counts = AuditEvent.objects.filter(action="import").first().batch["counts"]
    assert (counts["households_unchanged"], counts["persons_unchanged"], counts["status_events"]) == (2, 4, 0)
    assert set(Household.objects.filter(number__startswith="T").values_list("version", flat=True)) == {1}


def test_dry_run_writes_nothing(county, tmp_path):
    before = AuditEvent.objects.count()
    run_import(write_xlsx(tmp_path / "dry.xlsx", household_rows(2)), tmp_path, "--dry-run")
    assert not Household.objects.filter(number__startswith="T").exists()
    assert AuditEvent.objects.count() == before


def test_existing_household_from_fixture_is_updated_in_place(county, tmp_path):
    h1 = county["households"][0]
    rows = household_rows(1, members=2)
    for r, p in zip(rows, h1.members.order_by("number")):
        r.update({"户编号": h1.number, "人编号": p.number, "证件号码": p.id_number, "人均纯收入": "5000.00",
                  "脱贫属性": "未脱贫"})
    run_import(write_xlsx(tmp_path / "h1.xlsx", rows), tmp_path)
    year = HouseholdYear.objects.get(household=h1, year=2018)
    # 5,000 per head is what the wage line already gives: the itemised lines are kept.
    assert (year.wage_income_fen, year.unitemised_income_fen) == (1_000_000, 0)
    assert Household.objects.filter(number__startswith="T").count() == 0
    assert h1.events.count() == 1  # no status change, no new event


def test_itemised_income_columns_and_housing_grade(county, tmp_path):
    rows = household_rows(1)
    for r in rows:
        r.update({h: 0 for h in YEAR_EXTENSION[:-1]})
        r.update({"工资性收入(元)": "8000", "生产经营性支出(元)": "1000", "人均纯收入": "3500",
                  "住房安全等级": "D级(整幢危房)", "危房户": "是"})
    run_import(write_xlsx(tmp_path / "ext.xlsx", rows, HEADERS + YEAR_EXTENSION), tmp_path)
    year = HouseholdYear.objects.get(household__number="T000000", year=2018)
    assert (year.wage_income_fen, year.production_cost_fen, year.net_income_fen, year.housing_grade) == (
        800_000, 100_000, 700_000, "D")


def test_dangerous_flag_without_grade_and_water_flags(county, tmp_path):
    rows = household_rows(1)
    for r in rows:
        r.update({"危房户": "是", "饮水安全": "否", "饮水困难": "是"})
    run_import(write_xlsx(tmp_path / "flags.xlsx", rows), tmp_path)
    year = HouseholdYear.objects.get(household__number="T000000", year=2018)
    assert (year.housing_grade, year.water_quality_ok, year.water_minutes) == ("C", False, 30)


def test_exited_household_cannot_go_back_to_not_exited(county, tmp_path):
    rows = household_rows(1, status="已脱贫")
    run_import(write_xlsx(tmp_path / "a.xlsx", rows), tmp_path)
    for r in rows:
        r["脱贫属性"] = "未脱贫"
    call = ["import", str(write_xlsx(tmp_path / "b.xlsx", rows)), "--year", "2019", "--as", "county_admin",
            "--report", str(tmp_path / "r.csv")]
    from tuopin.cli import main
    assert main(call) == 3
    assert "返贫" in read_report(tmp_path / "r.csv")[0]["reason"]


def test_a_pairing_cadre_does_not_import(county, tmp_path):
    # Decision 1101: an import writes yearly records (income, housing, water), which the village, the township and
    # the county office record; a cadre's own household included.
    h1 = county["households"][0]
    rows = household_rows(1, members=2)
    for r, p in zip(rows, h1.members.order_by("number")):
        r.update({"户编号": h1.number, "人编号": p.number, "证件号码": p.id_number, "人均纯收入": "5000"})
    from tuopin.cli import main
    before = Person.objects.get(number=rows[0]["人编号"]).work_months
    assert main(["import", str(write_xlsx(tmp_path / "mine.xlsx", rows)), "--year", "2018", "--as", "cadre"]) == 3
    assert Person.objects.get(number=rows[0]["人编号"]).work_months == before
    new = write_xlsx(tmp_path / "new.xlsx", household_rows(1))
    assert main(["import", str(new), "--year", "2018", "--as", "cadre"]) == 3
