"""监测预警 on the pages, the moment data is saved: an exited household's 2021 income edited down shows on its
village page as a candidate with the rules' reasons (no longer "all is well"), on its own page, and in the county's
figures. (That the edit is judged again for its household alone is tests/assessment/test_monitoring_increments.py:
rows are kept only outside a transaction.)"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import person
from tests.web.conftest import url
from tests.web.test_edit import year_form_data
from tuopin import standards
from tuopin.apps.assessment import figures
from tuopin.apps.geo.models import VillageYear
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, HouseholdYear, PersonYear, StatusEvent

pytestmark = pytest.mark.django_db
YEAR = 2021


@pytest.fixture
def exited(county):
    """An exited household of 西岗村 with records for 2020 and 2021 (8,000 yuan a person), and the villages'
    figures for both years."""
    village = county["villages"][0]
    hh = Household.objects.create(number=f"{village.code}901", village=village, township=village.parent,
                                  is_registered=True, status=c.PovertyStatus.EXITED, identified_year=2015,
                                  exit_year=2019, attribute=c.HouseholdAttribute.GENERAL,
                                  primary_cause=c.Cause.ILLNESS)
    people = [person(hh, name="户主甲"), person(hh, name="配偶甲", sex="F", relation=c.Relation.SPOUSE)]
    for kind, year in ((c.EventKind.IDENTIFIED, 2015), (c.EventKind.EXITED, 2019)):
        StatusEvent.objects.create(household=hh, kind=kind, year=year, stage=c.Stage.ANNOUNCED,
                                   effective_on=dt.date(year, 10, 1), persons=2)
    for year in (YEAR - 1, YEAR):
        record = HouseholdYear(household=hh, year=year, members=2, wage_income_fen=800_000 * 2,
                               water_litres_per_day=60)
        record.compute_income()
        record.save()
        for p in people:
            PersonYear.objects.create(person=p, year=year, basic_medical=True, serious_illness_insurance=True)
    for v in county["villages"]:
        for year in (YEAR - 1, YEAR):
            VillageYear.objects.create(village=v, year=year, population=50, households=20, has_clinic=True,
                                       has_qualified_doctor=True, road_hardened=True, safe_water=True)
    return hh


def _watch_section(page: str) -> str:
    start = page.index('id="monitoring-warnings"')
    return page[start:page.index("</section>", start)]


def test_an_edit_of_a_yearly_record_shows_the_household_as_a_candidate_on_its_village_page(
        login, county, exited):
    admin = county["accounts"]["county_admin"]
    client = login(admin)
    village_url = f"{url('region', county['villages'][0].pk)}?year={YEAR}"
    page = client.get(village_url).content.decode()
    assert exited.number not in _watch_section(page)
    assert 'class="ok-note"' in page  # no gap, no candidate: all is well

    record = exited.years.get(year=YEAR)
    response = client.post(url("household_year_edit", record.pk),
                           year_form_data(record, wage_income_yuan="0", production_cost_yuan="6092"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.per_capita_net_income_fen == -304_600

    page = client.get(village_url).content.decode()
    watch = _watch_section(page)
    line = standards.load(exited.village.code).monitoring_line_yuan(YEAR)
    assert exited.number in watch and 'data-kind="unstable"' in watch
    assert f"人均纯收入-3046元，未超过监测范围{line}元" in watch
    assert "人均纯收入由上年8000元降至-3046元" in watch  # the year before's income, read for this rule
    assert 'id="gaps-but-watch"' in page and 'class="ok-note"' not in page.split('id="monitoring-warnings"')[0]

    household_page = client.get(f"{url('household', exited.pk)}?year={YEAR}").content.decode()
    assert 'id="monitoring-warning"' in household_page and "人均纯收入-3046元" in household_page

    county_page = client.get(f"{url('region', county['county'].pk)}?year={YEAR}").content.decode()
    assert 'data-figure="monitoring_candidates">1<' in county_page


def test_the_household_page_explains_without_a_cached_run(login, county, exited):
    HouseholdYear.objects.filter(household=exited, year=YEAR).update(labourer_lost=True)
    page = login(county["accounts"]["county_admin"]).get(f"{url('household', exited.pk)}?year={YEAR}")
    text = page.content.decode()
    assert 'data-criterion="labourer_lost"' in text and "主要劳动力死亡或失能" in text
    assert figures.household_watch(exited, YEAR)["kind"] == "unstable"


def test_monitoring_figures_by_area(county, exited):
    HouseholdYear.objects.filter(household=exited, year=YEAR).update(business_failed=True)
    found = figures.monitoring_figures(county["county"], YEAR)
    assert (found["candidates"], found["by_kind"]) == (1, {"unstable": 1, "marginal": 0, "sudden": 0})
    assert {c["code"]: c["candidates"] for c in found["children"]} == {
        county["townships"][0].code: 1, county["townships"][1].code: 0}
    province = figures.monitoring_figures(county["county"].parent.parent, YEAR)
    assert province["candidates"] == 1 and [c["code"] for c in province["children"]] == [county["county"].code]
    village = figures.monitoring_figures(county["villages"][0], YEAR)
    assert village["candidates"] == 1 and village["candidate_persons"] == 2
    assert figures.monitoring_figures(county["county"], 1999) is None


def test_the_village_records_its_ticked_candidates_as_clues_at_once(login, county, exited):
    from tuopin.apps.monitoring.models import MonitoringCase

    admin = county["accounts"]["county_admin"]
    client = login(admin)
    record = exited.years.get(year=YEAR)
    client.post(url("household_year_edit", record.pk),
                year_form_data(record, wage_income_yuan="0", production_cost_yuan="6092"))
    village = county["villages"][0]
    village_url = f"{url('region', village.pk)}?year={YEAR}"
    watch = _watch_section(client.get(village_url).content.decode())
    assert f'name="household" value="{exited.pk}"' in watch

    clues_url = url("monitoring_village_clues", village.pk)
    other = county["households"][0]  # not a candidate: refused by name, nothing written
    response = client.post(clues_url, {"year": YEAR, "household": [exited.pk, other.pk]}, follow=True)
    assert f"户 {other.number} 不是 {YEAR} 年的监测预警对象" in response.content.decode()
    assert not MonitoringCase.objects.exists()

    response = client.post(clues_url, {"year": YEAR, "household": [exited.pk]})
    assert response.status_code == 302 and response["Location"].endswith("#monitoring-warnings")
    case = MonitoringCase.objects.get()
    assert (case.household, case.channel, case.kind, case.stage) == (exited, "engine_candidate", "unstable", "clue")
    assert case.note.startswith(f"监测预警（{YEAR}年）：") and "降至-3046元" in case.note
    watch = _watch_section(client.get(village_url).content.decode())
    assert f'name="household" value="{exited.pk}"' not in watch and "案件办理中" in watch
    client.post(clues_url, {"year": YEAR, "household": [exited.pk]})
    assert MonitoringCase.objects.count() == 1  # an open case is not opened twice


def test_an_account_that_records_no_clues_sees_no_ticks_and_is_refused(login, county, exited):
    record = exited.years.get(year=YEAR)
    login(county["accounts"]["county_admin"]).post(
        url("household_year_edit", record.pk), year_form_data(record, wage_income_yuan="0",
                                                              production_cost_yuan="6092"))
    viewer = county["accounts"]["evaluator"]  # sees the village and its figures, records nothing
    client = login(viewer)
    village = county["villages"][0]
    page = client.get(f"{url('region', village.pk)}?year={YEAR}").content.decode()
    assert 'id="monitoring-warnings"' in page and 'id="candidates-to-clues"' not in page
    assert client.post(url("monitoring_village_clues", village.pk),
                       {"year": YEAR, "household": [exited.pk]}).status_code in (403, 404)
