"""The registry's Alkire–Foster measure on the dashboards and in the area report, beside FGT: the engine's
values (`assessment.services.assess`), labelled in the default language (zh-Hans)."""

import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.web.conftest import url
from tests.web.test_browser import log_in
from tests.web.test_documents import rendered  # noqa: F401  (a fixture)
from tuopin.apps.assessment import services as assessment
from tuopin.apps.registry.models import HouseholdYear


def chart(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


@pytest.mark.django_db
def test_county_dashboard_shows_h_a_m0_and_the_contributions(login, county):
    HouseholdYear.objects.filter(household=county["households"][1], year=2018).update(housing_grade="C")
    expected, _ = assessment.assess(year=2018, region=county["county"])
    mpi = expected["mpi"]
    assert mpi["M0"] == pytest.approx(0.5 * 4 / 9)  # h2's 4 of 8 persons, deprived in income and housing
    html = login(county["accounts"]["county_admin"]).get(url("region", county["county"].pk)).content.decode()
    assert f'data-figure="mpi_m0">{mpi["M0"]:.4f}<' in html
    assert f'data-figure="mpi_h">{mpi["H"]:.4f}<' in html and f'data-figure="mpi_a">{mpi["A"]:.4f}<' in html
    assert f'data-figure="p0">{expected["fgt"]["p0"]:.4f}<' in html  # FGT stays beside it
    assert "调整后多维贫困发生率 M0" in html and "多维贫困（Alkire–Foster 方法）" in html
    shares = chart(html, "chart-mpi")
    assert shares["kind"] == "hbars" and shares["percent"] is True and shares["categories"][0] == "收入"
    assert shares["series"][0]["data"] == [75.0, 0.0, 0.0, 0.0, 25.0, 0.0]
    row = re.search(r'<tr data-mpi-indicator="housing">(.*?)</tr>', html, re.S).group(1)
    assert "25.00%" in row and f"{mpi['censored_headcount']['housing']:.4f}" in row


@pytest.mark.django_db
def test_township_page_shows_its_own_m0(login, county):
    t1 = county["townships"][0]
    expected, _ = assessment.assess(year=2018, region=t1)
    assert expected["mpi"]["H"] == pytest.approx(4 / 6)
    html = login(county["accounts"]["commander"]).get(url("region", t1.pk)).content.decode()
    assert f'data-figure="mpi_m0">{expected["mpi"]["M0"]:.4f}<' in html


@pytest.mark.django_db
def test_area_report_carries_the_mpi(login, county, rendered, download):  # noqa: F811
    expected, _ = assessment.assess(year=2018, region=county["county"])
    client = login(county["accounts"]["county_admin"])
    book = load_workbook(io.BytesIO(download(client, url("area_report_xlsx", county["county"].pk, 2018)).content))
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert summary["调整后多维贫困发生率 M0"] == pytest.approx(expected["mpi"]["M0"])
    assert summary["多维贫困发生率 H"] == pytest.approx(expected["mpi"]["H"])
    assert summary["对 M0 的贡献率：收入"] == pytest.approx(1.0)
    shares = [row[1] for row in book["汇总"].iter_rows(min_row=2) if str(row[0].value).startswith("对 M0 的贡献率")]
    assert len(shares) == 6 and all(cell.number_format == "0.00%" for cell in shares)
    assert download(client, url("area_report_pdf", county["county"].pk, 2018)).status_code == 200
    assert "多维贫困（Alkire–Foster 方法）" in rendered[0] and f"{expected['mpi']['M0']:.4f}" in rendered[0]


@pytest.mark.browser
def test_the_contribution_chart_is_drawn(page, live_server, live_county):
    # the commander (no second factor) on their township: 西岗村's h1 (2 persons) and h2 (4, an income gap)
    log_in(page, live_server, "commander")
    page.goto(f"{live_server.url}{url('region', live_county['townships'][0].pk)}")
    page.wait_for_selector("h1:has-text('镇赉镇')")
    page.wait_for_selector("[data-chart='chart-mpi'][data-drawn='true'] canvas")
    assert page.locator("[data-figure='mpi_m0']").inner_text() == f"{4 / 6 * (1 / 3):.4f}"
    assert page.locator("[data-figure='mpi_h']").inner_text() == f"{4 / 6:.4f}"
    page.locator("#mpi").screenshot(path=str(Path(tempfile.gettempdir()) / "tuopin-mpi-panel.png"))
