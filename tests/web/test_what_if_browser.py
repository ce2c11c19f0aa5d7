"""The what-if in a real browser (decision 1603): the county office raises the line, sees the delta beside
today's figures, keeps the run and compares it with today's."""

import pytest

from tests.factories import PASSWORD
from tuopin.apps.assessment.models import WhatIfRun

pytestmark = pytest.mark.browser


def test_change_see_the_delta_keep_and_compare(page, live_server, live_county):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "county_admin")
    page.fill("#id_password", PASSWORD)
    page.click(".login-panel button[type=submit]")
    page.wait_for_selector(".user-name")
    page.click("#site-nav a[href='/what-if/']")
    page.wait_for_selector("#what-if-form")
    assert WhatIfRun.objects.count() == 0
    page.fill("#id_poverty_line", "100000")
    page.click("#what-if-form button[name=try]")
    page.wait_for_selector("#what-if-figures")
    # two households stop meeting the exit standard; the chart is drawn from the page's own scripts
    assert "-2" in page.locator("#what-if-figures").inner_text()
    assert page.locator("#what-if-moved tbody tr").count() >= 2
    page.wait_for_selector("[data-chart='chart-what-if'] canvas")
    assert WhatIfRun.objects.count() == 0  # tried, not kept
    page.fill("#id_name", "贫困线十万")
    page.click("#what-if-form button[name=keep]")
    page.wait_for_selector("#what-if-text")
    assert "yuan = 100000" in page.locator("#what-if-text").inner_text()
    page.click(".page-head a[href='/what-if/runs/']")
    page.wait_for_selector("#what-if-runs")
    page.click("#what-if-compare-form button[type=submit]")  # the run (first) beside today (second, the default)
    page.wait_for_selector("#what-if-figures")
    assert "贫困线十万" in page.locator("h1 + p, .page-head p").first.inner_text()
    assert "-2" in page.locator("#what-if-figures").inner_text()
