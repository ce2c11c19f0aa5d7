"""The after-exit page in a real browser: the county office finds it in the menu, reads the findings by township
and group, chooses a year, follows a finding to the household and makes the rectification items."""

import datetime as dt

import pytest

from tests.web.conftest import live_county  # noqa: F401  (the fixture)
from tests.web.test_evaluation_browser import log_in
from tuopin.apps.assistance.models import Task
from tuopin.apps.organisation.models import CadreHouseholdPairing
from tuopin.apps.procedures.models import AreaExit
from tuopin.apps.projects.models import Fund

pytestmark = pytest.mark.browser


def test_the_county_office_reads_the_findings_and_makes_items(page, live_server, live_county):  # noqa: F811
    h1 = live_county["households"][0]
    AreaExit.objects.create(region=live_county["county"], kind="county", year=2018, stage="announced",
                            effective_on=dt.date(2019, 4, 28))
    CadreHouseholdPairing.objects.filter(household=h1).update(end=dt.date(2020, 3, 31))
    Fund.objects.create(name="整合涉农资金", year=2019, source="county", amount_fen=10**9)
    Fund.objects.create(name="整合涉农资金", year=2020, source="county", amount_fen=7 * 10**8)

    log_in(page, live_server, "county_admin")
    page.click("#site-nav a[href='/after-exit/']")
    page.wait_for_selector("table.after-exit-counts")
    assert "四个不摘" in page.title()
    page.select_option("#id_year", "2020")
    page.wait_for_selector(".as-of[data-on='2020-12-31']")
    # 镇赉镇: h1's pairing cadre gone; the county's 30 % cut is the county's, in the policies group.
    assert page.locator("tr[data-township='220821100000'] td").last.inner_text() == "1"
    assert page.locator(".grand-total").inner_text() == "2"
    assert page.locator("[data-group='policy'] tr[data-kind='funding']").count() == 1
    assert page.locator("table.funds td[data-year='2020']").inner_text() == "7,000,000.00"
    finding = page.locator(f"[data-group='responsibility'] tr[data-place='{h1.number}']")
    assert "2020-03-31" in finding.inner_text()
    finding.locator(f"a[href='/households/{h1.pk}/']").click()
    page.wait_for_url(f"**/households/{h1.pk}/")
    page.go_back()

    page.wait_for_selector("form.rectify-form")
    page.click("form.rectify-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert "/rectification/" in page.url
    item = Task.objects.get(kind="rectification")
    assert (item.household, item.rectification.check_kind) == (h1, "household_pairing")
