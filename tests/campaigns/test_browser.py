"""A campaign from its creation to a village's progress on the board, in a browser: the county office creates
it, sets a village's target and adds the unit taking part; the village's first secretary logs a day's houses;
the board counts them against the target (decisions 1535, 1537)."""

import pytest

from tests.web.test_procedures_browser import done, log_in
from tuopin.apps.campaigns.models import Participant, ProgressLog

pytestmark = pytest.mark.browser


def test_a_campaign_from_its_creation_to_a_villages_logged_progress(page, live_server, live_county):
    village, unit = live_county["villages"][0], live_county["unit"]
    log_in(page, live_server, "county_admin")
    page.click("#site-nav a[href='/campaigns/']")
    page.fill("#campaign-form input[name=name]", "653百日攻坚行动")
    page.fill("#campaign-form input[name=start]", "2018-04-10")
    page.fill("#campaign-form input[name=end]", "2018-07-18")
    page.click("#campaign-form button[type=submit]")
    done(page)

    page.select_option("#target-form select[name=village]", str(village.pk))
    page.select_option("#target-form select[name=kind]", "houses_finished")
    page.fill("#target-form input[name=count]", "4")
    page.click("#target-form button[type=submit]")
    done(page)
    page.select_option("#participant-form select[name=unit]", str(unit.pk))
    page.fill("#participant-form input[name=role]", "包村单位")
    page.click("#participant-form button[type=submit]")
    done(page)
    assert f"{unit.name} · 包村单位" in page.inner_text("#campaign-participants")
    assert Participant.objects.filter(unit=unit, role="包村单位").exists()

    page.context.clear_cookies()
    log_in(page, live_server, "first_secretary")
    page.click("#site-nav a[href='/campaigns/']")
    page.click("#campaign-list a:has-text('653百日攻坚行动')")
    assert page.locator("#participant-form").count() == 0
    page.click("#campaign-log")
    page.select_option("select[name=village]", str(village.pk))
    page.fill("input[name=day]", "2018-04-20")
    page.select_option("select[name=kind]", "houses_finished")
    page.fill("input[name=count]", "3")
    page.click("#progress-form button[type=submit]")
    done(page)
    page.goto(page.url + "?on=2018-04-20")
    row = page.locator(f"#campaign-villages tr[data-village='{village.code}']")
    assert "3 / 4" in row.inner_text() and "behind" not in (row.get_attribute("class") or "")
    assert ProgressLog.objects.get(village=village).by.username == "first_secretary"
