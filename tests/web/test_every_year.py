"""Every year from the first data year to this year (decision 1250): each page, document, command and API
list answers — with the year's figures when the registry holds records for it, or saying clearly that it holds
none — and never with a server error or a refusal for want of a standard.

The county has records for 2015–2020 (tests/web/yearly.py) and, for the transition period, 2021–2022 for its
exited households; 2023 onwards have no records. The years run to today's year, computed, not written down."""

import io
import json

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.web.conftest import url
from tests.web.yearly import county_over_years
from tuopin.apps.geo.models import VillageYear
from tuopin.apps.registry.models import HouseholdYear, PersonYear
from tuopin.cli import main
from tuopin.common.params import FIRST_YEAR

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
RECORDED = range(2015, 2023)
NO_RECORDS_PAGE = "data-no-records"  # the panel saying the year has no records and which years have
NO_RECORDS_DOCUMENT = "没有"  # a document for a year without records: 404 saying there is nothing for that year


def _extend_into_transition(county):
    """The exited households keep yearly records in 2021 and 2022 (monitoring after exit), copied from 2020."""
    for record in HouseholdYear.objects.filter(year=2020).select_related("household"):
        for year in (2021, 2022):
            record.pk, record.year, record.version = None, year, 1
            record.wage_income_fen += 50_000
            record.compute_income()
            record.save()
    for person_year in PersonYear.objects.filter(year=2020):
        for year in (2021, 2022):
            person_year.pk, person_year.year = None, year
            person_year.save()
    for village_year in VillageYear.objects.filter(year=2020):
        for year in (2021, 2022):
            village_year.pk, village_year.year = None, year
            village_year.save()


@pytest.fixture
def years_county(county):
    county_over_years(county)
    _extend_into_transition(county)
    return county


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("year", range(FIRST_YEAR, THIS_YEAR + 1))
def test_every_page_answers_for_every_year(years_county, download, year):
    county = years_county
    office = _client(county["accounts"]["county_admin"])
    township, village = county["townships"][0], county["villages"][0]
    county_region = township.parent
    household = HouseholdYear.objects.filter(year=2020, household__village=village).first().household
    recorded = year in RECORDED

    procedures = office.get(url("procedures") + f"?year={year}")
    assert procedures.status_code == 200 and procedures.context["year"] == year
    assert (NO_RECORDS_PAGE in procedures.content.decode()) == (not recorded)
    for region in (county_region, township, village):
        page = office.get(url("region", region.pk) + f"?year={year}")
        assert page.status_code == 200 and page.context["year"] == year, region
        html = page.content.decode()
        assert "未存储" not in html, region  # every year up to today has a line (carried when not published)
        if not recorded:
            assert NO_RECORDS_PAGE in html and "2015–2022" in html, region
        elif region.level != "village":  # the dashboard names the line it judged by, and flags a carried one
            assert f"{year} 年扶贫标准" in html, region
            assert ("沿用 2020 年标准（未核实）" in html) == (year > 2020), region
    assert office.get(url("region_trend", township.pk) + f"?year={year}").status_code == 200
    page = office.get(url("household", household.pk) + f"?year={year}")
    assert page.status_code == 200
    if year in RECORDED:
        assert page.context["indicators"], year  # judged by the rules with the year's (possibly carried) line
    else:
        assert page.context["year"] == year and NO_RECORDS_PAGE in page.content.decode()
    board = _client(county["accounts"]["commander"]).get(url("zone_board", township.pk) + f"?year={year}")
    assert board.status_code == 200 and (NO_RECORDS_PAGE in board.content.decode()) == (not recorded)

    for name in ("area_report_xlsx", "area_report_pdf"):
        document = download(office, url(name, township.pk, year))
        if recorded:
            assert document.status_code == 200, name
            if name == "area_report_xlsx":  # the report names the line its figures were judged by
                book = load_workbook(io.BytesIO(b"".join(document.streaming_content) if document.streaming
                                                else document.content))
                cells = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
                assert cells["扶贫标准"].startswith(f"{year} 年扶贫标准"), cells
                assert ("沿用 2020 年标准" in cells["扶贫标准"]) == (year > 2020)
        else:
            assert document.status_code == 404 and NO_RECORDS_DOCUMENT in document.content.decode(), name
    assert download(office, url("notice_list_pdf", village.pk, year)).status_code == 200


@pytest.mark.parametrize("year", range(FIRST_YEAR, THIS_YEAR + 1))
def test_every_command_and_api_list_answers_for_every_year(years_county, capsys, tmp_path, settings, year):
    """`tuopin assess` and `tuopin tasks sync` work on the year, or refuse (exit 3) saying it has no records and
    which years have; `tuopin export --year` writes the year; the API's yearly lists answer, empty for a year
    without records."""
    settings.VAR_DIR = tmp_path
    code = main(["assess", "--year", str(year), "--json", "--as", "county_admin"])
    out = capsys.readouterr()
    if year in RECORDED:
        assert code == 0
        summary = json.loads(out.out)
        assert summary["year"] == year and summary["rural_population"] > 0
    else:
        assert code == 3
        assert f"镇赉县没有 {year} 年的村级年度记录" in out.err and "2015–2022" in out.err
    code = main(["tasks", "sync", "--year", str(year), "--json", "--as", "county_admin"])
    out = capsys.readouterr()
    if year in RECORDED:
        assert code == 0 and json.loads(out.out)["year"] == year
    else:  # not "every gap closed": nothing changes, and it says why
        assert code == 3 and f"没有 {year} 年的村级年度记录" in out.err
    code = main(["export", "--format", "csv", "--out", str(tmp_path / "county.csv"), "--year", str(year),
                 "--as", "county_admin"])
    assert code == 0 and f"{year} 年度" in capsys.readouterr().out
    api = _client(years_county["accounts"]["county_admin"])
    for endpoint in ("/api/household-years/", "/api/person-years/"):
        response = api.get(f"{endpoint}?year={year}")
        assert response.status_code == 200, endpoint
        assert (response.json()["count"] > 0) == (year in RECORDED), endpoint
