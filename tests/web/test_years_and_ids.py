"""Years and ids in URLs, query strings and forms (decision 1140): every year from 2014 to this year works or
says in Chinese why it cannot; standards that hold no poverty line for a year (a county that turned carrying off,
decision 1250) make the pages say so and how the county office adds one; odd years and ids are a 400 or 404,
never a server error."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.web.conftest import url
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import VillageYear
from tuopin.apps.registry.models import HouseholdYear
from tuopin.common.params import FIRST_YEAR, MAX_ID, BadId, BadYear, parse_id, parse_year

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
NO_STANDARD = "未存储"  # 未存储 …年的贫困线 / 未存储该年的扶贫标准
HOW_TO_ADD = "standards/data/overrides/220821.toml"


def test_parse_year_and_id():
    assert parse_year("2014", last=2026) == FIRST_YEAR and parse_year(" 2026 ", last=2026) == 2026
    for raw in ("abc", "0", "-1", "99999", "99999999999999999999", "2018.5", "２０１８", "", None):
        with pytest.raises(BadYear) as refused:
            parse_year(raw, last=2026)
        assert refused.value.malformed
    for raw in ("2013", "2027", "9999"):
        with pytest.raises(BadYear) as refused:
            parse_year(raw, last=2026)
        assert not refused.value.malformed
    assert parse_id("1") == 1 and parse_id(str(MAX_ID)) == MAX_ID
    for raw in ("abc", "0", "-1", str(MAX_ID + 1), "99999999999999999999", "²", "1.0", ""):
        with pytest.raises(BadId):
            parse_id(raw)


def test_the_procedures_page_opens_on_the_latest_recorded_year(login, county):
    """The main menu's link: no year in the URL. Today is after the standards file; the page shows the latest
    year the area has records for (2018 in the small county), not a server error."""
    for role in ("county_admin", "commander", "first_secretary"):
        page = login(county["accounts"][role]).get(url("procedures"))
        assert page.status_code == 200, role
        assert page.context["year"] == 2018


@pytest.mark.parametrize("year", range(FIRST_YEAR, THIS_YEAR + 1))
def test_every_year_of_the_registry_works_or_says_why(login, county, download, year):
    client = login(county["accounts"]["county_admin"])
    page = client.get(url("procedures") + f"?year={year}")
    assert page.status_code == 200 and page.context["year"] == year
    assert NO_STANDARD not in page.content.decode()  # every year up to today has a line, carried if need be
    township = county["townships"][0]
    report = download(client, url("area_report_xlsx", township.pk, year))
    if year == 2018:
        assert report.status_code == 200
    else:
        assert report.status_code == 404  # a year without village records: nothing to report
    assert client.get(url("region", township.pk) + f"?year={year}").status_code == 200


@pytest.mark.parametrize("raw,status,words", [
    ("abc", 400, "不是有效的年份"), ("0", 400, "不是有效的年份"), ("99999", 400, "不是有效的年份"),
    ("99999999999999999999", 400, "不是有效的年份"), ("2013", 404, "没有 2013 年的记录"),
    ("2030", 404, "没有 2030 年的记录"),
])
def test_an_odd_year_is_a_page_in_chinese(login, county, raw, status, words):
    client = login(county["accounts"]["commander"])
    for path in (url("procedures"), url("region", county["townships"][0].pk), url("household",
                 county["households"][0].pk), url("zone_board", county["townships"][0].pk)):
        page = client.get(f"{path}?year={raw}")
        assert page.status_code == status, path
        html = page.content.decode()
        assert words in html and f"{FIRST_YEAR} 年至 {THIS_YEAR} 年" in html, path


def test_document_years_outside_the_registry_are_not_found(login, county):
    client = login(county["accounts"]["county_admin"])
    township, village = county["townships"][0], county["villages"][0]
    for path in (f"/regions/{township.pk}/report-2030.pdf", f"/regions/{township.pk}/report-2013.xlsx",
                 f"/regions/{village.pk}/notice-list-2030.pdf"):
        page = client.get(path)
        assert page.status_code == 404 and "没有 20" in page.content.decode(), path
    for path in (f"/regions/{township.pk}/report-0.xlsx", f"/regions/{township.pk}/report-99999.pdf",
                 f"/regions/{township.pk}/report-99999999999999999999.pdf"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/regions/{village.pk}/notice-list-2021.pdf").status_code == 200  # no line needed


@pytest.fixture
def standards_ending_2020(tmp_path, monkeypatch):
    """Standards whose lines stop at 2020 and are not carried on: a county that turned `[carry_forward]` off."""
    import re
    import shutil

    from tuopin.standards import loader

    data = tmp_path / "standards"
    shutil.copytree(loader.DATA, data)
    national = (data / "national.toml").read_text(encoding="utf-8")
    national = re.sub(r"\[poverty_line\.202[1-9]\]\n(?:[a-z_]+ = .*\n)+", "", national)
    national = national.replace("[carry_forward]\npoverty_line = true", "[carry_forward]\npoverty_line = false")
    (data / "national.toml").write_text(national, encoding="utf-8")
    monkeypatch.setattr(loader, "DATA", data)
    loader.cache_clear()
    assert max(loader.load("220821").years()) == 2020
    yield
    loader.cache_clear()


def test_a_year_without_a_line_says_no_standard_is_stored(login, county, download, standards_ending_2020):
    """The registry may hold records for 2021 while the standards hold no line for it: the pages show the records
    and say that no poverty line is stored, instead of failing in the engine."""
    h1 = county["households"][0]
    for village in county["villages"]:
        VillageYear.objects.create(village=village, year=2021, population=6, households=2)
    record = HouseholdYear(household=h1, year=2021, members=2, wage_income_fen=1_000_000)
    record.compute_income()
    record.save()
    client = login(county["accounts"]["county_admin"])
    township = county["townships"][0]
    dashboard = client.get(url("region", township.pk))
    assert dashboard.status_code == 200 and dashboard.context["year"] == 2021
    assert NO_STANDARD in dashboard.content.decode() and HOW_TO_ADD in dashboard.content.decode()
    household = client.get(url("household", h1.pk) + "?year=2021")
    assert household.status_code == 200 and household.context["indicators"] is None
    assert NO_STANDARD in household.content.decode()
    assert client.get(url("household", h1.pk) + "?year=2018").context["indicators"]
    village = client.get(url("region", county["villages"][0].pk))
    assert village.status_code == 200 and NO_STANDARD in village.content.decode()
    zone = login(county["accounts"]["commander"]).get(url("zone_board", township.pk))
    assert zone.status_code == 200 and NO_STANDARD in zone.content.decode()
    assert download(client, url("household_file_pdf", h1.pk)).status_code == 200
    assert client.get(url("region_trend", township.pk) + "?year=2018").status_code == 200
    # The 2018 figures are still there.
    assert client.get(url("region", township.pk) + "?year=2018").context["summary"]["year"] == 2018


def test_odd_ids_in_paths_are_not_found(login, county):
    client = login(county["accounts"]["county_admin"])
    for path in ("/households/0/", "/households/99999999999999999999/", "/households/9223372036854775808/",
                 "/households/abc/", "/households/-1/", "/regions/0/report-2018.xlsx",
                 "/procedures/99999999999999999999/objections/1/resolve/"):
        assert client.get(path).status_code == 404, path


def test_posted_ids_that_are_not_ids_are_refused_and_audited(login, county):
    client = login(county["accounts"]["county_admin"])
    refused = AuditEvent.objects.filter(action="access_refused").count()
    for value in ("abc", "0", "99999999999999999999", "²"):
        response = client.post(url("procedure_propose"), {"year": 2018, "on": "2018-10-08", "household": [value]})
        assert response.status_code == 404, value
        response = client.post(url("procedure_advance"), {"year": 2018, "on": "2018-10-10", "stage": "county_approval",
                                                          "event": [value]})
        assert response.status_code == 404, value
    assert AuditEvent.objects.filter(action="access_refused").count() == refused + 8


def test_the_propose_form_refuses_a_year_outside_the_registry(login, county):
    client = login(county["accounts"]["county_admin"])
    h1 = county["households"][0]
    for year in (2030, 2013):
        response = client.post(url("procedure_propose"), {"year": year, "on": "2018-10-08", "household": [h1.pk]})
        assert response.status_code == 404  # the form refuses it; the page it would return to says why
    assert not h1.events.filter(kind="exited").exists()
    response = client.post(url("procedure_propose"), {"year": 2018, "on": dt.date(2018, 10, 8), "household": [h1.pk]})
    assert response.status_code == 302 and h1.events.filter(kind="exited").exists()


@pytest.mark.parametrize("query,field", [
    ("/api/persons/?household=99999999999999999999", "household"), ("/api/persons/?household=0", "household"),
    ("/api/tasks/?owner_unit=abc", "owner_unit"), ("/api/tasks/?owner_cadre=-1", "owner_cadre"),
    ("/api/visits/?cadre=²", "cadre"), ("/api/household-years/?year=2030", "year"),
    ("/api/household-years/?year=abc", "year"), ("/api/person-years/?year=2013", "year"),
    ("/api/households/?exit_year=99999", "exit_year"),
])
def test_api_filters_refuse_odd_values_with_400(client, county, query, field):
    client.force_login(county["accounts"]["county_admin"])
    response = client.get(query)
    assert response.status_code == 400 and field in response.json(), query


def test_api_details_with_odd_ids_are_not_found(client, county):
    client.force_login(county["accounts"]["county_admin"])
    for path in ("/api/households/0/", "/api/households/99999999999999999999/",
                 "/api/households/9223372036854775808/", "/api/persons/abc/", "/api/tasks/-1/",
                 "/api/households/1/events.json/"):
        assert client.get(path).status_code in (404, 200), path
    assert client.get("/api/households/0/").status_code == 404
    assert client.get("/api/households/9223372036854775808/").status_code == 404
    response = client.post("/api/visits/", {"household": "99999999999999999999", "found": "x"},
                           content_type="application/json")
    assert response.status_code in (400, 403, 404)
