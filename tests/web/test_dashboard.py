"""The county and township dashboards, a village's exit readiness and a household's indicators: every figure
is the engine's (`assessment.services.assess` / `explain_household`), cached until the next write."""

import json
import re

import pytest

from tests.web.conftest import url
from tuopin.apps.assessment import increments
from tuopin.apps.assessment import services as assessment
from tuopin.apps.geo.models import VillageYear
from tuopin.apps.registry import services

pytestmark = pytest.mark.django_db


def chart(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def raise_income(county, household_index=1, yuan_per_person=5000):
    """Household 220821100201002 (4 members, 2,000 yuan each in 2018) gets an income above the line."""
    record = county["households"][household_index].years.get(year=2018)
    return services.household_year_update(record=record, version=record.version, by=county["accounts"]["county_admin"],
                                          wage_income_fen=yuan_per_person * 100 * record.members)


def test_county_dashboard_shows_the_engines_figures(login, county):
    expected, _ = assessment.assess(year=2018, region=county["county"])
    response = login(county["accounts"]["county_admin"]).get(url("region", county["county"].pk))
    assert response.context["summary"] == expected
    html = response.content.decode()
    assert f'data-figure="incidence">{expected["incidence"] * 100:.2f}%' in html  # 57.14%
    assert f'data-figure="poor_persons">{expected["poor_persons"]}<small> / {expected["rural_population"]}' in html
    assert f'data-figure="p1">{expected["fgt"]["p1"]:.4f}' in html
    assert 'data-figure="poor_villages_meeting_exit">0<small> / 2' in html
    incidence = chart(html, "chart-incidence")
    assert incidence["kind"] == "line" and incidence["series"][0]["data"] == [round(expected["incidence"] * 100, 4)]
    exits = chart(html, "chart-exits")
    assert exits["kind"] == "stacked" and [s["name"] for s in exits["series"]] == ["镇赉镇", "建平乡"]
    gaps = chart(html, "chart-gaps")
    assert gaps["categories"][0] == "收入" and gaps["series"][0]["data"] == [1, 0, 0, 0, 0, 0]
    # Poor villages that fail a check are listed with it: none has the collective income Zhenlai asks for.
    assert [row.figures["code"] for row in response.context["children"]] == ["220821100000", "220821200000"]
    assert {v["name"] for _, v, failing in response.context["lagging"] if "collective_income_ok" in failing} == {
        "西岗村", "建平村"}


def test_commander_gets_the_same_dashboard_for_their_township(login, county):
    t1 = county["townships"][0]
    expected, _ = assessment.assess(year=2018, region=t1)
    response = login(county["accounts"]["commander"]).get(url("region", t1.pk))
    assert response.templates[0].name == "web/dashboard.html"
    assert response.context["summary"] == expected
    assert [row.name for row in response.context["children"]] == ["西岗村", "东岗村"]
    assert chart(response.content.decode(), "chart-exits")["series"][0]["name"] == "西岗村"


def test_figures_are_cached_until_a_write(login, county, monkeypatch):
    client = login(county["accounts"]["county_admin"])
    page = url("region", county["county"].pk)
    assert client.get(page).context["summary"]["gaps"]["income"] == 1
    calls = []
    real = increments.assess
    monkeypatch.setattr(increments, "assess", lambda *args: calls.append(args) or real(*args))
    assert client.get(page).context["summary"]["gaps"]["income"] == 1
    assert calls == []  # served from the cache
    client.get(url("notice_list_pdf", county["villages"][0].pk, 2018))  # an export is audited but writes nothing
    client.get(page)
    assert calls == []
    raise_income(county)  # a write through the service leaves an audit event: a new key
    summary = client.get(page).context["summary"]
    assert len(calls) == 1
    assert summary["gaps"]["income"] == 0 and summary["households_eligible"] == 3


def test_year_picker_defaults_to_the_latest_year_with_village_records(login, county):
    for village in county["villages"]:
        VillageYear.objects.create(village=village, year=2017, population=5, households=2)
    client = login(county["accounts"]["county_admin"])
    response = client.get(url("region", county["county"].pk))
    assert (response.context["year"], response.context["years"]) == (2018, [2017, 2018])
    earlier = client.get(url("region", county["county"].pk) + "?year=2017")
    assert earlier.context["year"] == 2017 and earlier.context["summary"]["rural_population"] == 15
    # A year the registry holds but the area has no records for: that year, saying so (decision 1251); one it
    # cannot hold: 404 (decision 1140).
    none = client.get(url("region", county["county"].pk) + "?year=2016")
    assert none.context["year"] == 2016 and none.context["summary"] is None
    assert "本地区没有 2016 年的年度记录" in none.content.decode() and "2017–2018" in none.content.decode()
    assert client.get(url("region", county["county"].pk) + "?year=1999").status_code == 404
    # Both years are cached now: the line runs over both, each from its own assessment, in the page itself.
    again = client.get(url("region", county["county"].pk))
    assert not again.context["trend_deferred"]
    assert chart(again.content.decode(), "chart-incidence")["categories"] == ["2017", "2018"]


def test_trend_comes_apart_while_other_years_are_not_assessed(login, county):
    for village in county["villages"]:
        VillageYear.objects.create(village=village, year=2017, population=5, households=2)
    client = login(county["accounts"]["county_admin"])
    page = client.get(url("region", county["county"].pk))
    assert page.context["trend_deferred"] and "chart-incidence" not in page.content.decode()
    trend_url = url("region_trend", county["county"].pk) + "?year=2018"
    assert f'data-fragment="{trend_url}"'.replace("&", "&amp;") in page.content.decode()
    fragment = client.get(trend_url, headers={"X-Requested-With": "fetch"})
    assert fragment.templates[0].name == "web/_trend.html" and "<html" not in fragment.content.decode()
    incidence = chart(fragment.content.decode(), "chart-incidence")
    expected = [round(assessment.assess(year=y, region=county["county"])[0]["incidence"] * 100, 4) for y in (2017, 2018)]
    assert incidence["categories"] == ["2017", "2018"] and incidence["series"][0]["data"] == expected
    assert client.get(trend_url).templates[0].name == "web/trend.html"  # without JavaScript: a page of its own
    assert login(county["accounts"]["cadre"]).get(trend_url).status_code == 404


def test_village_readiness_shows_each_check_with_its_figure(login, county):
    village = county["villages"][0]
    record = VillageYear.objects.get(village=village, year=2018)
    record.has_qualified_doctor = False
    record.collective_income_fen = 1_200_000
    record.save()
    response = login(county["accounts"]["first_secretary"]).get(url("region", village.pk))
    readiness = response.context["readiness"]
    assert not readiness.meets
    assert {check.name for check in readiness.failing} == {"incidence_ok", "clinic_ok", "collective_income_ok"}
    html = response.content.decode()
    assert '<tr data-check="road_ok" class="passed">' in html and '<tr data-check="clinic_ok" class="failed">' in html
    assert "100.00%" in html and "低于 2.00%" in html  # 6 poor of 6 against the 2 % line
    assert "12,000.00 元" in html and "不少于 50,000.00 元" in html  # Zhenlai's collective income line
    # The gap list: household 2's income, with the rule text's reason.
    gaps = [(g.household.number, g.indicator, g.reason) for g in readiness.gaps]
    assert gaps == [("220821100201002", "income", "人均纯收入2000元，未超过扶贫标准3535元")]
    assert "220821100201002户主" in html


def test_village_gap_list_is_scoped_to_the_account(login, county):
    """The commander sees the village's gap list; a cadre paired in the village sees neither figures nor gaps."""
    village = county["villages"][0]
    response = login(county["accounts"]["commander"]).get(url("region", village.pk))
    assert [g.household.number for g in response.context["readiness"].gaps] == ["220821100201002"]
    cadre = login(county["accounts"]["cadre"]).get(url("region", village.pk))
    assert "readiness" not in cadre.context and "人均纯收入2000元" not in cadre.content.decode()


def test_household_page_shows_the_income_gap_and_then_none(login, county):
    household = county["households"][1]
    client = login(county["accounts"]["county_admin"])
    response = client.get(url("household", household.pk))
    rows = {row.indicator: row for row in response.context["indicators"]}
    assert response.context["year"] == 2018
    assert not rows["income"].passed and rows["income"].reasons == ["人均纯收入2000元，未超过扶贫标准3535元"]
    assert rows["housing"].passed and rows["education"].passed
    assert not rows["water"].applies  # safe drinking water joins the standard in 2019
    html = response.content.decode()
    assert '<tr data-indicator="income" class="failed">' in html and "未超过扶贫标准3535元" in html
    raise_income(county)
    rows = {row.indicator: row for row in client.get(url("household", household.pk)).context["indicators"]}
    assert rows["income"].passed and rows["income"].reasons == []
    assert all(row.passed for row in rows.values())
