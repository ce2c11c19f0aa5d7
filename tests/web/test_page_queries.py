"""What the three busiest pages cost in queries (as in benchmarks/load.py): a household's file, a village, a
township dashboard. The counts do not grow with the rows on the page, and a household's indicators come from the
cached run of its township while that run is as new as the latest write."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import person
from tests.web.conftest import url
from tests.web.yearly import county_over_years
from tuopin.apps.assessment import figures
from tuopin.apps.assessment import services as assessment
from tuopin.apps.assistance.models import Task, Visit
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services
from tuopin.apps.registry.models import HouseholdYear, ProcedureStep, StatusEvent

pytestmark = pytest.mark.django_db

# Session, account, its region, the household (with its village's ancestors), members, yearly records, events,
# their steps, pairings, breadcrumbs, the write marker, open tasks, visits, monitoring cases, the members' aid
# payments (decision 1530), the year's asset-income payments (decision 1512), renovations (危房改造, decision 1521);
# the INSERT of the request's `read` audit event (decision 1152: one per request, whatever the page read).
HOUSEHOLD_QUERIES = 18
# … and the villages and five input tables the rules read when no run of the township is cached, with the year
# before's household rows the monitoring rules read (decision 1434): one read for the gaps and the warnings.
HOUSEHOLD_QUERIES_UNCACHED = HOUSEHOLD_QUERIES + 7
# Session, account, its region, the village (with its ancestors), breadcrumbs, years, counts, list count,
# the write marker, the village's yearly record, the list page; the gap list's households and heads; the INSERT of
# the request's `read` audit event (decision 1152); with monitoring candidates, which of them have an open case
# (decision 1443); the village's PV stations and bases (decision 1513); the projects serving the village (decision 1501).
VILLAGE_QUERIES = 17
# Session, account, its region, the township (with its ancestors), breadcrumbs, years, the write marker (twice:
# figures, trend), the child regions (the lagging villages' regions too when there are any; not in 2020); from
# 2020 the monitoring panel: the write marker for the cached warnings, the area's cases in one query, the child
# areas they are counted by, the returns by area, the child regions listed.
DASHBOARD_QUERIES = 14


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _thicken(county, household):
    """More of everything the household page lists: members, yearly records, events with steps, tasks, visits."""
    for i in range(4):
        person(household, name=f"子女{i}", relation=c.Relation.SON, birth=dt.date(2005 + i, 1, 1))
    for year in (2015, 2016, 2017):
        record = HouseholdYear(household=household, year=year, members=2, wage_income_fen=300000)
        record.compute_income()
        record.save()
    event = StatusEvent.objects.create(household=household, kind=c.EventKind.EXITED, year=2018,
                                       stage=c.Stage.TOWNSHIP_REVIEW, persons=2)
    for stage, day in ((c.Stage.DEMOCRATIC_REVIEW, 1), (c.Stage.PUBLIC_NOTICE, 5)):
        ProcedureStep.objects.create(event=event, stage=stage, on=dt.date(2018, 10, day), by_name="西岗村")
    for i in range(3):
        Task.objects.create(kind="gap", household=household, village=household.village, indicator="income",
                            year=2018, owner_unit=county["unit"], title=f"任务{i}", due=dt.date(2019, 1, 1))
        Visit.objects.create(household=household, cadre=county["cadre"], on=dt.date(2018, 5, 1 + i), found="走访")


def test_household_page_queries_do_not_grow_with_its_file(login, county):
    client = login(county["accounts"]["commander"])
    household = county["households"][0]
    client.get(url("region", county["townships"][0].pk))  # the township's run, cached
    thin = _count(client, url("household", household.pk))
    _thicken(county, household)
    client.get(url("region", county["townships"][0].pk))  # the writes above are no audited edits: same marker
    thick = _count(client, url("household", household.pk))
    assert thin <= HOUSEHOLD_QUERIES and thick <= HOUSEHOLD_QUERIES


def test_household_page_without_a_cached_run_reads_the_household_alone(login, county):
    client = login(county["accounts"]["commander"])
    assert _count(client, url("household", county["households"][0].pk)) <= HOUSEHOLD_QUERIES_UNCACHED


def test_village_page_queries_do_not_grow_with_its_households(login, county):
    client = login(county["accounts"]["commander"])
    village = county["villages"][0]
    client.get(url("region", village.pk))  # the township's run, cached
    few = _count(client, url("region", village.pk))
    county_over_years(county)  # eight more households per village, six years of records
    client.get(url("region", village.pk))
    many = _count(client, url("region", village.pk))
    assert few <= VILLAGE_QUERIES and many <= VILLAGE_QUERIES


def test_dashboard_queries_do_not_grow_with_its_villages(login, county):
    county_over_years(county)
    client = login(county["accounts"]["commander"])
    township = county["townships"][0]
    client.get(url("region", township.pk))
    for year in range(2015, 2021):  # every year cached: the trend is drawn in the page
        figures.area_figures(township, year)
    assert _count(client, url("region", township.pk)) <= DASHBOARD_QUERIES


def test_indicators_from_the_cached_run_are_those_of_the_household_alone(county, monkeypatch):
    """For every household and year: the gap rows taken from the township's cached run are exactly what the rules
    give on the household's rows alone (the rules judge each household on its own rows)."""
    county_over_years(county)
    households = [hh for hh in county["households"][0].village.households.all()] + \
        list(county["townships"][1].households.all())
    expected = {}
    for year in range(2015, 2021):
        for hh in households:
            expected[hh.pk, year] = sorted(
                (g["indicator"], g["reason"]) for g in assessment.explain_household(
                    household_id=hh.pk, year=year, region_code=hh.village.code))
    assert any(expected.values()), "the county must have gaps for the comparison to mean anything"
    for year in range(2015, 2021):
        for township in county["townships"]:
            figures.area_figures(township, year)

    def refuse(**kwargs):
        raise AssertionError("the rules ran again although the township's run was cached")

    monkeypatch.setattr(assessment, "explain_household", refuse)
    monkeypatch.setattr(assessment, "explain_household_checks", refuse)
    for (pk, year), gaps in expected.items():
        hh = next(h for h in households if h.pk == pk)
        rows = figures.household_indicators(hh, year)
        assert sorted((row.indicator, reason) for row in rows for reason in row.reasons) == gaps, (hh.number, year)
        assert all(row.passed == (row.indicator not in {g[0] for g in gaps}) for row in rows)


def test_a_write_after_the_cached_run_shows_on_the_household_page(login, county):
    client = login(county["accounts"]["commander"])
    household = county["households"][1]  # 2,000 yuan a person in 2018: below the line
    client.get(url("region", county["townships"][0].pk))  # the township's run, cached
    rows = {row.indicator: row for row in client.get(url("household", household.pk)).context["indicators"]}
    assert not rows["income"].passed
    record = household.years.get(year=2018)
    services.household_year_update(record=record, version=record.version, by=county["accounts"]["county_admin"],
                                   wage_income_fen=5000 * 100 * record.members)
    rows = {row.indicator: row for row in client.get(url("household", household.pk)).context["indicators"]}
    assert rows["income"].passed and rows["income"].reasons == []
