"""The county report (xlsx and PDF) gains the area's village PV stations of the year (decision 1514)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.web.conftest import download, login, run_jobs, url  # noqa: F401  (the fixtures)
from tests.web.test_documents import rendered  # noqa: F401
from tuopin.apps.revenue import services as s

from .helpers import ledger

pytestmark = pytest.mark.django_db


def test_the_report_has_the_pv_stations(county, login, download, rendered):  # noqa: F811
    led = ledger(county)
    by = led["first_secretary"]
    s.income_record(project=led["station"], year=2018, month=6, kwh=20_000, by=by)
    s.plan_set(project=led["station"], year=2018, posts_pct=30, public_works_pct=55, dividends_pct=10,
               reserve_pct=5, by=by)
    s.payment_record(project=led["station"], year=2018, kind="dividend", household=led["unable"], amount_fen=800_00,
                     paid_on=dt.date(2018, 12, 1), by=by)
    client = login(county["accounts"]["county_admin"])
    response = download(client, url("area_report_xlsx", county["county"].pk, 2018))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["光伏电站"].iter_rows(min_row=2, values_only=True))
    assert ("电站数", 1) in rows and ("发电量（千瓦时）", 20_000) in rows
    assert ("收益（元）", 17_600) in rows and ("分红（元）", 800) in rows and ("本年结余（元）", 16_800) in rows
    response = download(client, url("area_report_pdf", county["county"].pk, 2018))
    assert response.status_code == 200
    assert "村级光伏扶贫电站（资产收益）" in rendered[-1] and "16,800.00" in rendered[-1]


def test_an_area_without_stations_has_no_pv_section(county, login, download):  # noqa: F811
    client = login(county["accounts"]["county_admin"])
    book = load_workbook(io.BytesIO(download(client, url("area_report_xlsx", county["county"].pk, 2018)).content))
    assert "光伏电站" not in book.sheetnames
