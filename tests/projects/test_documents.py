"""The county report (xlsx and PDF) gains the funds of the year, from the consolidation ledger."""

import io

import pytest
from openpyxl import load_workbook

from tests.web.conftest import download, login, run_jobs, url  # noqa: F401  (the fixtures)
from tests.web.test_documents import rendered  # noqa: F401
from tuopin.apps.projects import funds as fs

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(books):
    b, admin, on = books, books["admin"], books["on"]
    fs.allocate(by=admin, fund=b["pooled"], project=b["water"], amount_fen=600_000_00, on=on)
    fs.spend(by=admin, fund=b["pooled"], project=b["water"], amount_fen=100_000_00, on=on)
    return b


def test_the_report_has_the_funds(paid, login, download, rendered):  # noqa: F811
    client = login(paid["admin"])
    response = download(client, url("area_report_xlsx", paid["county"].pk, 2018))
    book = load_workbook(io.BytesIO(response.content))
    assert "资金" in book.sheetnames
    rows = list(book["资金"].iter_rows(min_row=2, values_only=True))
    assert ("资金来源", "统筹整合涉农资金", 600000, 100000, 500000) in rows
    assert ("项目类别", "安全饮水", 600000, 100000, 500000) in rows
    response = download(client, url("area_report_pdf", paid["county"].pk, 2018))
    assert response.status_code == 200
    assert "统筹整合涉农资金" in rendered[-1] and "500,000.00" in rendered[-1]
