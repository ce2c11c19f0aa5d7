"""The pages in a real browser (Debian's chromium through Playwright) against the live server.

The screenshots taken here check that the pages draw (PNGs of real size, in the test's own folder); the README's
pictures come from the demo county through scripts/screenshots.py (decision 1264).
"""

from pathlib import Path

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def shot(page, tmp_path, name: str) -> Path:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    return path


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-panel button[type=submit]")


def test_drill_down_edit_and_switch_language(page, live_server, live_county, tmp_path):
    log_in(page, live_server, "county_admin")
    page.wait_for_selector("h1:has-text('镇赉县')")
    page.wait_for_selector(".chart[data-drawn='true'] canvas")
    assert page.locator("[data-figure='poor_persons']").inner_text().startswith("8")
    shot(page, tmp_path, "county.png")

    page.click("table.data a:has-text('镇赉镇')")
    page.wait_for_selector("h1:has-text('镇赉镇')")
    page.click("table.data a:has-text('西岗村')")
    page.wait_for_selector("h1:has-text('西岗村')")
    page.click("a:has-text('220821100201001')")
    page.wait_for_selector("h1:has-text('220821100201001')")
    assert page.locator("tr[data-line='wage_income_fen'] td").last.inner_text() == "10,000.00"
    assert page.locator("table.years thead th").all_inner_texts()[1].startswith("2016")
    shot(page, tmp_path, "household.png")

    page.locator("a.edit-year").last.click()
    assert page.locator("h1").inner_text() == "2018 年度信息"
    page.fill("#id_wage_income_yuan", "12345.67")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".msg-success")
    assert page.locator("tr[data-line='wage_income_fen'] td").last.inner_text() == "12,345.67"
    assert page.locator("tr[data-line='per_capita_net_income_fen'] td").last.inner_text() == "6,172.83"

    page.click("button.lang-btn:has-text('English')")
    page.wait_for_selector("html[lang='en']")
    assert page.locator("h2:has-text('Yearly records')").is_visible()
    assert "wage income" in page.locator("tr[data-line='wage_income_fen'] th").inner_text()
    assert "Log out" in page.content()
    # Longer English words widen the tables; they scroll in their boxes, the page itself never does.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_search_in_the_browser_keeps_the_url_clean(page, live_server, live_county):
    log_in(page, live_server, "county_admin")
    page.wait_for_selector("h1")
    page.goto(f"{live_server.url}/search/")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.fill("#id_q", "220821100201002")
    page.click(".search-form button[type=submit]")
    page.wait_for_selector("#search-results td a:has-text('220821100201002')")
    assert page.url == f"{live_server.url}/search/"
    # htmx swapped the results in: no navigation, so no new history entry holds the query either.
    assert page.evaluate("() => window.stillTheSamePage === true")


def test_household_page_fits_a_phone(browser, live_server, live_county, tmp_path):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        log_in(page, live_server, "county_admin")
        page.wait_for_selector("h1")
        page.goto(f"{live_server.url}/households/{live_county['households'][0].pk}/")
        page.wait_for_selector("h2:has-text('年度信息')")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[2] and widths[1] <= widths[2], widths
        # The wide tables scroll inside their own box instead.
        assert page.evaluate("() => { const t = document.querySelector('.table-scroll'); return t.scrollWidth > t.clientWidth; }")
        # The menu is folded away until the button opens it.
        assert not page.locator("#site-nav").is_visible()
        page.click(".nav-toggle")
        assert page.locator("#site-nav a:has-text('查询')").is_visible()
        page.click(".nav-toggle")
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=False)
    finally:
        context.close()


def test_dashboard_draws_its_charts(page, live_server, live_county, tmp_path):
    """The county dashboard over 2015–2020: the incidence line, the exits by township, the gaps and the
    multidimensional measure's contributions, on canvas."""
    from tests.web.yearly import county_over_years

    county_over_years(live_county)
    log_in(page, live_server, "county_admin")
    page.wait_for_selector("h1:has-text('镇赉县')")
    assert page.locator("#id_year").input_value() == "2020"  # the latest year with village records
    page.wait_for_load_state("load")  # the picker's script is in place before it is used
    with page.expect_navigation(url="**/?year=2018", timeout=60_000):  # the first figures of a year are computed
        page.select_option("#id_year", "2018")  # the picker submits itself
    for chart in ("chart-incidence", "chart-exits", "chart-gaps", "chart-mpi"):
        page.wait_for_selector(f"[data-chart='{chart}'][data-drawn='true'] canvas")
    assert page.locator(".chart canvas").count() == 4
    sizes = page.evaluate("() => [...document.querySelectorAll('.chart canvas')].map(c => c.width * c.height)")
    assert all(size > 10_000 for size in sizes), sizes
    assert page.locator("[data-figure='incidence']").inner_text() == "4.40%"
    shot(page, tmp_path, "dashboard.png")
    page.click("table.data a:has-text('镇赉镇')")
    page.wait_for_selector("h1:has-text('镇赉镇')")
    page.wait_for_selector("[data-chart='chart-exits'][data-drawn='true'] canvas")
    assert page.locator("#id_year").input_value() == "2018"  # the drill-down keeps the year
