"""The pages users found confusing, in a real browser, each as the role that works from it: a cadre's task
list (most urgent first, the household number labelled), the county office's accountability board (a period
picker, counts that agree), a department's worklist, and the audit administrator's trail in words and local time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from tuopin.apps.assistance.models import Task
from tuopin.apps.assistance.services import task_create

pytestmark = pytest.mark.browser


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login-panel button[type=submit]")
    page.wait_for_selector("h1")


def _task(county, title, *, days, household=None, cadre=None, unit=None, indicator="", kind="rectification"):
    """A task due `days` from today (negative: overdue), made through the service and then dated."""
    task = task_create(kind="rectification", title=title, household=household or county["households"][0],
                       owner_cadre=None if unit else (cadre or county["cadre"]), owner_unit=unit,
                       due=timezone.localdate() + dt.timedelta(days=1), by=county["accounts"]["county_admin"])
    Task.objects.filter(pk=task.pk).update(due=timezone.localdate() + dt.timedelta(days=days), indicator=indicator,
                                           kind=kind)
    return task


def test_cadre_task_list_puts_overdue_first(page, live_server, live_county):
    _task(live_county, "下月走访", days=30)
    _task(live_county, "已逾期五天", days=-5, indicator="housing")
    _task(live_county, "明天到期", days=1)
    done = _task(live_county, "早已办结", days=-300)
    Task.objects.filter(pk=done.pk).update(status="done", closed_on=timezone.localdate() - dt.timedelta(days=290))
    log_in(page, live_server, "cadre")
    page.goto(f"{live_server.url}/tasks/")
    page.wait_for_selector("table.tasks")
    titles = page.locator("table.tasks tbody tr td:first-child").all_inner_texts()
    assert titles == ["已逾期五天", "明天到期", "下月走访", "早已办结"]
    headers = page.locator("table.tasks thead th").all_inner_texts()
    assert headers[:3] == ["任务", "指标", "户编号"] and "户基本信息" not in headers
    first = page.locator("table.tasks tbody tr").first
    assert "逾期5天" in first.inner_text() and "住房安全" in first.inner_text()
    assert first.locator("td").nth(2).inner_text() == live_county["households"][0].number


def test_county_office_picks_the_boards_period(page, live_server, live_county):
    _task(live_county, "逾期整改", days=-3)
    log_in(page, live_server, "county_admin")
    page.goto(f"{live_server.url}/accountability/")
    page.wait_for_selector("form.period-picker")
    this_year = timezone.localdate().year
    page.select_option("#period-year", str(this_year))
    page.select_option("#period-part", "")
    page.click("form.period-picker button[type=submit]")
    page.wait_for_selector("table.cadres-ranked")
    assert f"year={this_year}" in page.url
    head = page.locator(".board-period").inner_text()
    assert f"{this_year}年" in head and "临时得分" in head
    # The overdue list and the cadres' table say the same for the cadre with the late task.
    key = f"c{live_county['cadre'].pk}"
    listed = page.locator(f"table.overdue-owners tr[data-owner='{key}'] td").last.inner_text()
    in_table = page.locator(f"table.cadres-ranked tr[data-cadre='{live_county['cadre'].pk}'] td").last.inner_text()
    assert listed == in_table == "1"
    assert "截至" in page.locator("section:has(table.overdue-owners) h2").inner_text()
    page.select_option("#period-part", "Q3")
    page.click("form.period-picker button[type=submit]")
    page.wait_for_selector(f".board-period:has-text('{this_year}年第三季度')")


def test_department_works_from_its_worklist(page, live_server, live_county):
    department = live_county["unit"]  # 县教育局, domain education
    _task(live_county, "3名6至15岁儿童未在校（义务教育未保障）", days=-2, unit=department, indicator="education",
          kind="gap")
    _task(live_county, "送教上门安排", days=10, unit=department, indicator="education",
          household=live_county["households"][3])
    log_in(page, live_server, "department")
    page.wait_for_selector("h1:has-text('工作清单')")
    assert "县教育局" in page.locator("h1").inner_text()
    assert page.locator("dd[data-count='open']").inner_text() == "2"
    assert page.locator("dd[data-count='overdue']").inner_text() == "1"
    assert page.locator("table.by-indicator tr[data-indicator='education'] td").nth(1).inner_text() == "2"
    rows = page.locator("table.tasks tbody tr td:first-child").all_inner_texts()
    assert rows == ["3名6至15岁儿童未在校（义务教育未保障）", "送教上门安排"]
    assert page.locator("table.by-township tbody tr").count() == 2
    # The household of an open gap opens from the list (the department may read it while the gap is open); the
    # other task's household is not the department's to read, and is not a link.
    assert page.locator("table.tasks tbody tr >> nth=1 >> td >> nth=2 >> a").count() == 0
    page.click("table.tasks tbody tr >> nth=0 >> td >> nth=2 >> a")
    page.wait_for_selector(f"h1:has-text('{live_county['households'][0].number}')")


def test_audit_administrator_reads_the_trail_in_words(page, live_server, live_county):
    from tuopin.apps.audit.models import AuditEvent

    log_in(page, live_server, "audit_admin")
    page.goto(f"{live_server.url}/admin/audit/")
    page.wait_for_selector("table#audit")
    assert "时间（UTC+08:00）" in page.locator("table#audit thead").inner_text()
    login = AuditEvent.objects.filter(action="login", actor_name="audit_admin").latest("at")
    row = page.locator(f"table#audit tr[data-event='{login.pk}']")
    cells = row.locator("td").all_inner_texts()
    local = login.at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    assert cells[0] == local and cells[3] == "登录" and cells[5] == "网页"
    page.select_option("#id_action", "login")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("table#audit")
    actions = set(page.locator("table#audit tbody tr td:nth-child(4)").all_inner_texts())
    assert actions == {"登录"}
