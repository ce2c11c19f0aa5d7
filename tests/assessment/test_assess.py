import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.assessment import services
from tuopin.apps.assessment.models import AssessmentRun
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services as registry
from tuopin.apps.registry.models import HouseholdYear, Person, PersonYear, StatusEvent
from tuopin.cli import main


def test_county_figures_follow_the_definitions(county):
    summary, result = services.assess(year=2018)
    # poor at end of 2018: h1 (2 persons), h2 (4), h4 (2); rural population 6 + 4 + 4
    assert summary["scope"] == {"code": "220821000000", "name": "镇赉县", "level": "county"}
    assert summary["rural_population"] == 14 and summary["poor_persons"] == 8
    assert summary["incidence"] == pytest.approx(8 / 14)
    assert summary["households_eligible"] == 2  # h1 and h4 meet every indicator; h2's income is below the line
    assert summary["villages_total"] == 3 and summary["poor_villages"] == 2
    assert summary["gaps"]["income"] == 1
    assert [t["name"] for t in summary["townships"]] == ["镇赉镇", "建平乡"]
    assert summary["townships"][0]["poor_persons"] == 6
    # FGT: h2's four persons have per-capita 2000 against 3535
    gap = 1 - 2000 / 3535
    assert summary["fgt"]["p0"] == pytest.approx(4 / 14)
    assert summary["fgt"]["p1"] == pytest.approx(4 * gap / 14)
    assert summary["fgt"]["p2"] == pytest.approx(4 * gap * gap / 14)


def test_a_household_fixed_in_the_data_flips_to_eligible_and_its_explanation_changes(county):
    h2 = county["households"][1]
    admin = county["accounts"]["county_admin"]
    before = services.explain_household(household_id=h2.pk, year=2018, region_code="220821000000")
    assert [(g["indicator"], g["reason"]) for g in before] == [("income", "人均纯收入2000元，未超过扶贫标准3535元")]
    record = HouseholdYear.objects.get(household=h2, year=2018)
    registry.household_year_update(record=record, version=record.version, by=admin, wage_income_fen=4 * 360_000)
    assert services.explain_household(household_id=h2.pk, year=2018, region_code="220821000000") == []
    summary, result = services.assess(year=2018)
    assert summary["households_eligible"] == 3
    row = next(r for r in result.household_result.to_pylist() if r["household_id"] == h2.pk)
    assert row["eligible"] and row["meets_standard"]


def test_each_indicator_names_its_reason(county):
    h1 = county["households"][0]
    record = HouseholdYear.objects.get(household=h1, year=2018)
    HouseholdYear.objects.filter(pk=record.pk).update(housing_grade="D", food_clothing_secure=False)
    child = Person.objects.create(household=h1, number="X1", id_number="110105201001010011", name="孩子",
                                  sex="M", birth_date=dt.date(2010, 1, 1), relation=c.Relation.SON,
                                  labour_ability=c.LabourAbility.NONE)
    PersonYear.objects.create(person=child, year=2018, school_status=c.SchoolStatus.DROPPED_OUT,
                              basic_medical=True, serious_illness_insurance=False)
    gaps = {g["indicator"]: g["reason"] for g in
            services.explain_household(household_id=h1.pk, year=2018, region_code="220821000000")}
    assert gaps == {
        "food_clothing": "吃穿未得到保障",
        "education": "1名6至15岁儿童未在校（义务教育未保障）",
        "medical": "1人未参加基本医疗保险或大病保险（基本医疗未保障）",
        "housing": "住房为D级危房，尚未改造（住房安全未保障）",
    }
    HouseholdYear.objects.filter(pk=record.pk).update(renovation=c.Renovation.REINFORCE)
    PersonYear.objects.filter(person=child).update(school_status=c.SchoolStatus.SENT_HOME,
                                                   serious_illness_insurance=True)
    gaps = {g["indicator"]: g["reason"] for g in services.explain_household(household_id=h1.pk, year=2018,
                                                                            region_code="220821000000")}
    assert gaps == {"food_clothing": "吃穿未得到保障",  # a renovation counts once finished (decision 1252)
                    "housing": "住房为D级危房，改造未填竣工年度（住房安全未保障）"}
    HouseholdYear.objects.filter(pk=record.pk).update(renovation_year=2018)
    gaps = {g["indicator"]: g["reason"] for g in services.explain_household(household_id=h1.pk, year=2018,
                                                                            region_code="220821000000")}
    assert gaps["housing"] == "住房为D级危房，改造后未重新鉴定（住房安全未保障）"  # decision 1520
    HouseholdYear.objects.filter(pk=record.pk).update(renovation_grade="B")
    gaps = {g["indicator"] for g in services.explain_household(household_id=h1.pk, year=2018,
                                                               region_code="220821000000")}
    assert gaps == {"food_clothing"}


def test_water_counts_only_from_2019(county):
    h1 = county["households"][0]
    HouseholdYear.objects.filter(household=h1, year=2018).update(water_litres_per_day=30)
    assert services.explain_household(household_id=h1.pk, year=2018, region_code="220821000000") == []
    record = HouseholdYear.objects.get(household=h1, year=2018)
    record.pk, record.year = None, 2019
    record.save()
    for p in h1.members.all():
        PersonYear.objects.create(person=p, year=2019, basic_medical=True, serious_illness_insurance=True)
    gaps = services.explain_household(household_id=h1.pk, year=2019, region_code="220821000000")
    assert [(g["indicator"], g["reason"]) for g in gaps] == [("water", "人均日供水30升，不足标准（饮水安全未保障）")]


def test_exits_are_counted_in_the_year_of_their_announcement(county):
    h1 = county["households"][0]
    registry.status_event_record(household=h1, kind=c.EventKind.EXITED, year=2018,
                                 effective_on=dt.date(2018, 12, 20), by=None)
    summary, _ = services.assess(year=2018)
    assert (summary["households_exited"], summary["persons_exited"], summary["poor_persons"]) == (1, 2, 6)
    # an exit proposed but not announced does not count
    StatusEvent.objects.create(household=county["households"][3], kind=c.EventKind.EXITED, year=2018,
                               stage=c.Stage.COUNTY_APPROVAL)
    assert services.assess(year=2018)[0]["households_exited"] == 1
    with pytest.raises(ValidationError, match="没有 2017 年的村人口数据"):
        services.assess(year=2017)


def test_village_exit_needs_low_incidence_and_every_fact(county):
    summary, _ = services.assess(year=2018, region=county["townships"][0])
    villages = {v["name"]: v for v in summary["villages"]}
    assert set(villages) == {"西岗村", "东岗村"}
    assert villages["西岗村"]["checks"]["incidence_ok"] is False  # 6 poor of 6
    assert villages["西岗村"]["checks"]["collective_income_ok"] is False  # Zhenlai's override: 50,000 yuan


def test_saved_assessment_is_immutable(county, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    run = services.assessment_save(year=2018, by=county["accounts"]["county_admin"])
    assert run.summary["poor_persons"] == 8 and len(run.sha256) == 64
    from pathlib import Path

    assert services.folder_digest(Path(run.folder)) == run.sha256
    run.summary["poor_persons"] = 0
    with pytest.raises(ValidationError, match="cannot be changed"):
        run.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        run.delete()
    assert AssessmentRun.objects.get(pk=run.pk).summary["poor_persons"] == 8


def test_assess_command_prints_the_contract_json(county, capsys):
    assert main(["assess", "--year", "2018", "--json", "--as", "county_admin"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"year", "scope", "rural_population", "poor_persons", "incidence", "households_exited",
                        "persons_exited", "households_eligible", "villages_total", "poor_villages",
                        "poor_villages_meeting_exit", "fgt", "townships"}
    assert main(["assess", "--year", "2018", "--json", "--as", "commander", "--county", "220821200000"]) == 2
    assert main(["assess", "--year", "2018", "--as", "cadre"]) == 2


def test_assess_command_prints_the_figures_for_a_person(county, capsys):
    """Without --json: the same figures as the JSON, in lines a person reads, the multidimensional measure too."""
    assert main(["assess", "--year", "2018", "--json", "--as", "county_admin"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert main(["assess", "--year", "2018", "--as", "county_admin"]) == 0
    out = capsys.readouterr().out
    assert f"poor persons {figures['poor_persons']:,}, incidence {figures['incidence']:.4%}" in out
    assert f"M0 {figures['mpi']['M0']:.4f}" in out and "Alkire–Foster" in out
