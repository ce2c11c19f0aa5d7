"""From a station's month entered on its page to a household's dividend on the household page and in its
assessment: the first secretary enters June's generation, pays a household without labour its dividend, and the
household's dividend line, its provenance and its income indicator show it (decisions 1510–1512)."""

import pytest

from tests.web.test_procedures_browser import done, log_in
from tuopin.apps.registry.models import HouseholdYear
from tuopin.apps.revenue import services as s

from .helpers import ledger

pytestmark = pytest.mark.browser


def test_a_months_revenue_becomes_a_households_dividend(page, live_server, live_county):
    led = ledger(live_county)
    household, station = led["unable"], led["station"]  # 4 members, 2,000 yuan each: below the 2018 line
    s.plan_set(project=station, year=2018, posts_pct=30, public_works_pct=55, dividends_pct=10, reserve_pct=5,
               by=led["admin"])

    log_in(page, live_server, "first_secretary")
    page.goto(f"{live_server.url}/households/{household.pk}/?year=2018")
    assert "failed" in page.get_attribute("tr[data-indicator=income]", "class")

    page.click("#site-nav a[href='/asset-income/']")
    page.click(f"tr[data-project='{station.pk}'] a")
    page.goto(f"{live_server.url}/asset-income/{station.pk}/?year=2018")
    page.fill("tr[data-month='6'] input[name=m6-kwh]", "100000")
    page.click("tr[data-month='6'] button[type=submit]")
    done(page)
    assert page.inner_text("#ledger-totals [data-revenue]") == "88,000.00"  # 100,000 kWh × 0.88 yuan

    page.select_option(".payment-form select[name=kind]", "dividend")
    page.fill(".payment-form input[name=number]", household.number)
    page.fill(".payment-form input[name=amount]", "6500")
    page.fill(".payment-form input[name=paid_on]", "2018-12-20")
    page.click(".payment-form button[type=submit]")
    done(page)
    assert page.inner_text("#ledger-totals [data-balance]") == "81,500.00"

    page.click(f"#payments a[href^='/households/{household.pk}/']")
    page.wait_for_selector("#asset-income")
    assert station.name in page.inner_text("#asset-income")
    assert "6,500.00" in page.inner_text("tr[data-line=dividend_income_fen]")
    # (8,000 + 6,500) / 4 = 3,625 yuan a head, above the 2018 line of 3,535: the assessment sees the payment
    assert "passed" in page.get_attribute("tr[data-indicator=income]", "class")
    assert HouseholdYear.objects.get(household=household, year=2018).dividend_income_fen == 6500_00
