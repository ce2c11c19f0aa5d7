"""Funds, housing and campaign pages in one walk through a browser (kept to one test: each costs CI minutes).
The housing department finds a house by its household number and inspects it (decision 1611); the county office
reads the year's ledger, opens a project from it, allocates the fund to it and sees the ledger follow (decision
1501), then corrects a village's mistaken campaign log and sees the board count the correction (decision 1610)."""

import datetime as dt

import pytest

from tests.factories import account
from tests.web.test_procedures_browser import done, log_in
from tuopin.apps.campaigns import services as campaigns
from tuopin.apps.campaigns.models import ProgressLog
from tuopin.apps.housing.models import HouseRenovation
from tuopin.apps.organisation.models import Unit
from tuopin.apps.projects import funds, services as projects

pytestmark = pytest.mark.browser
D = dt.date


def test_funds_to_a_project_a_housing_stage_and_a_campaign_board(page, live_server, live_county):
    county, v1 = live_county["county"], live_county["villages"][0]
    h4 = live_county["households"][3]
    funds.fund_record(by=None, year=2018, source="central", name="中央财政专项扶贫资金", amount_fen=100_000_00,
                      county=county)
    project = projects.project_create(by=None, kind="water", name="西岗村安全饮水工程", villages=[v1], county=county,
                                      year=2018)
    campaign = campaigns.campaign_create(by=None, name="653百日攻坚行动", start=D(2018, 4, 10), end=D(2018, 7, 18))
    campaigns.target_set(campaign=campaign, by=None, village=v1, kind="houses_finished", count=4)
    wrong = campaigns.progress_record(campaign=campaign, by=None, village=v1, day=D(2018, 4, 20),
                                      kind="houses_finished", count=3)
    housing = Unit.objects.create(name="县住房和城乡建设局", kind="department", domain="housing")
    account("zhujian", "department", department=housing, region=county)

    log_in(page, live_server, "zhujian")
    page.click("#site-nav a[href='/housing/']")
    page.fill("#inspect-find input[name=number]", h4.number)
    page.click("#inspect-find button[type=submit]")
    page.select_option("#inspection-form select[name=grade]", "D")
    page.fill("#inspection-form input[name=on]", "2018-03-01")
    page.fill("#inspection-form input[name=inspector]", "张工")
    page.fill("#inspection-form input[name=floor_area_m2]", "48")
    page.click("#inspection-form button[type=submit]")
    done(page)
    assert HouseRenovation.objects.get(household=h4).updated_by.username == "zhujian"

    page.context.clear_cookies()
    log_in(page, live_server, "county_admin")
    page.goto(f"{live_server.url}/funds/?year=2018")
    assert page.inner_text("[data-figure=allocated]") == "0.00"
    page.click(".head-actions a[href='/projects/']")
    page.click(f"tr[data-project='{project.pk}'] a")
    entry = page.locator("form[data-what=entry]")
    entry.locator("select[name=entry]").select_option("allocate")
    entry.locator("input[name=amount]").fill("30000")
    entry.locator("input[name=on]").fill("2018-05-01")
    entry.locator("button[type=submit]").click()
    done(page)
    page.goto(f"{live_server.url}/funds/?year=2018")
    assert page.inner_text("[data-figure=allocated]") == "30,000.00"

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    page.click("#campaign-log")
    page.click(f"tr[data-log='{wrong.pk}'] a.correct-log")
    page.fill("#correction-form input[name=count]", "1")
    page.fill("#correction-form input[name=note]", "两户未验收")
    page.click("#correction-form button[type=submit]")
    done(page)
    assert "superseded" in page.get_attribute(f"tr[data-log='{wrong.pk}']", "class")
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/?on=2018-04-20")
    assert "1 / 4" in page.inner_text(f"#campaign-villages tr[data-village='{v1.code}']")
    assert ProgressLog.objects.filter(corrects=wrong, count=1).exists()
