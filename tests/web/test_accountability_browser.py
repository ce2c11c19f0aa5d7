"""Accountability in a real browser on a phone-sized screen: a cadre sees only their households, records a
visit with a follow-up task and closes a task; a commander sees their zone only."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from tuopin.apps.assistance.models import Task, Visit
from tuopin.apps.assistance.services import task_create

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-panel button[type=submit]")


def test_cadre_visits_and_closes_a_task_on_a_phone(phone, live_server, live_county):
    h1 = live_county["households"][0]
    task_create(kind="rectification", title="清理院落", household=h1, owner_cadre=live_county["cadre"],
                due=timezone.localdate() + dt.timedelta(days=5), by=live_county["accounts"]["county_admin"])
    page = phone
    log_in(page, live_server, "cadre")
    page.wait_for_selector(".household-card")
    assert page.locator(".household-card").evaluate_all("els => els.map(e => e.dataset.household)") == [str(h1.pk)]
    assert "清理院落" in page.locator(".household-card").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    page.click(".household-card a.btn-primary")
    page.wait_for_selector("form.visit-form")
    page.fill("#id_found", "冬季取暖煤不足")
    page.fill("#id_follow_up", "联系民政送煤")
    page.click("form.visit-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    visit = Visit.objects.get(household=h1)
    assert (visit.found, visit.cadre) == ("冬季取暖煤不足", live_county["cadre"])
    follow_up = Task.objects.get(title="联系民政送煤")
    assert (follow_up.kind, follow_up.owner_cadre, follow_up.status) == ("visit_followup", live_county["cadre"], "open")

    page.click(f"#work a[href$='/tasks/{follow_up.pk}/']")
    page.wait_for_selector("form.complete-form")
    page.fill("#id_text", "已送煤两吨")
    page.click("form.complete-form button[type=submit]")
    page.wait_for_selector(".msg-success")
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert page.locator(".task-history li[data-kind='completed']").count() == 1

    # Someone else's household is not there at all.
    other = live_county["households"][1]
    assert page.goto(f"{live_server.url}/households/{other.pk}/").status == 404


def test_commander_sees_their_zone_only(page, live_server, live_county):
    t1, t2 = live_county["townships"]
    log_in(page, live_server, "commander")
    page.wait_for_selector("h1:has-text('镇赉镇')")
    page.goto(f"{live_server.url}/zone/")
    page.wait_for_selector("table.readiness")
    assert page.url.endswith(f"/zones/{t1.pk}/")
    assert page.goto(f"{live_server.url}/zones/{t2.pk}/").status == 404
    h4 = live_county["households"][3]
    assert page.goto(f"{live_server.url}/households/{h4.pk}/").status == 404
    assert page.goto(f"{live_server.url}/households/{live_county['households'][2].pk}/").status == 200
