"""The evaluation round and rectification in a real browser: the evaluator draws a round, records a household's
finding and the survey and reads 三率一度; the county office makes a rectification item by hand and its owner
finds it on the task list."""

import datetime as dt

import pytest

from tests.factories import PASSWORD
from tuopin.apps.assistance.models import Task
from tuopin.apps.evaluation.models import EvaluationRound
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services as registry

pytestmark = pytest.mark.browser


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-panel button[type=submit]")
    page.wait_for_selector(".user-name")


def test_the_evaluator_draws_records_and_reads_the_rates(page, live_server, live_county):
    h1, h4 = live_county["households"][0], live_county["households"][3]
    for hh in (h1, h4):
        registry.status_event_record(household=hh, kind=c.EventKind.EXITED, year=2018,
                                     effective_on=dt.date(2018, 12, 1), by=live_county["accounts"]["county_admin"])
    log_in(page, live_server, "evaluator")
    page.click("#site-nav a[href='/evaluation/']")
    page.wait_for_selector("form.draw-form")
    page.fill("#id_name", "2019年第三方评估")
    page.fill("#id_data_year", "2018")
    page.fill("#id_held_in", "2019")
    page.fill("#id_seed", "7")
    page.click("form.draw-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    round_ = EvaluationRound.objects.get(name="2019年第三方评估")
    assert page.url.endswith(f"/evaluation/{round_.pk}/")
    # The sample: both exited households and the non-registered one of 东岗村, nobody else.
    numbers = page.locator("table.samples tbody tr").evaluate_all("rows => rows.map(r => r.dataset.number)")
    assert sorted(numbers) == ["220821100201001", "220821100202001", "220821200201001"]

    row = page.locator("tr[data-number='220821200201001']")
    sample = round_.households.get(household=h4)
    row.locator(f"#id_s{sample.pk}-finding").select_option("wrongly_exited")
    row.locator(f"#id_s{sample.pk}-note").fill("收入主要靠临时救助")
    row.locator(f"#id_s{sample.pk}-on").fill("2019-07-01")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".msg-success")
    assert page.locator("tr[data-number='220821200201001'] .recorded").get_attribute("data-finding") == "wrongly_exited"

    page.fill("#id_surveyed", "50")
    page.fill("#id_approving", "46")
    page.click("form.survey-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    rates = page.locator("table.rates")
    assert "错退率" in rates.inner_text() and "群众认可度" in rates.inner_text()
    # 2 wrongly exited of 4 sampled exited persons; 46 of 50 approve (interval around 92 %)
    assert "50.00%" in page.locator("tr[data-rate='wrong_exit_rate']").inner_text()
    recognition = page.locator("tr[data-rate='recognition']").inner_text()
    assert "92.00%" in recognition and "–" in recognition
    assert page.locator(".verdict").get_attribute("data-passes") == "false"
    # The 错退 finding is now a rectification item for h4's pairing cadre.
    item = Task.objects.get(kind="rectification", household=h4)
    assert item.owner_cadre.name == "李干部"

    with page.expect_download() as download:
        page.click("a[href$='/sample.xlsx']")
    assert download.value.suggested_filename == f"evaluation-{round_.pk}-sample.xlsx"


def test_the_county_office_makes_an_item_and_the_owner_sees_it(browser, live_server, live_county):
    h1 = live_county["households"][0]
    office = browser.new_context(locale="zh-CN").new_page()
    log_in(office, live_server, "county_admin")
    office.click("#site-nav a[href='/rectification/']")
    office.wait_for_selector("table.rectification-counts")
    office.click("a[href='/rectification/new/']")
    office.fill("#id_household", h1.number)
    office.fill("#id_title", "补齐帮扶手册收入台账")
    office.fill("#id_due", (dt.date.today() + dt.timedelta(days=14)).isoformat())
    office.click("form.rectification-form button[type=submit]")
    office.wait_for_selector(".msg-success")
    assert "王干部" in office.locator(".msg-success").inner_text()
    task = Task.objects.get(title="补齐帮扶手册收入台账")
    office.context.close()

    cadre = browser.new_context(locale="zh-CN").new_page()
    log_in(cadre, live_server, "cadre")
    cadre.goto(f"{live_server.url}/tasks/")
    cadre.wait_for_selector(f"tr[data-task='{task.pk}']")
    assert "补齐帮扶手册收入台账" in cadre.locator(f"tr[data-task='{task.pk}']").inner_text()
    cadre.click(f"tr[data-task='{task.pk}'] a")
    cadre.wait_for_selector("form.complete-form")
    cadre.fill("#id_text", "已补齐台账")
    cadre.click("form.complete-form button[type=submit]")
    cadre.wait_for_selector(".msg-success")
    task.refresh_from_db()
    assert task.status == "done"
    cadre.context.close()
