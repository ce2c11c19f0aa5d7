"""A monitoring case in a real browser, each stage by the role that owns it: a pairing cadre records the clue
after a visit, the first secretary reviews it and posts the notice, the commander takes the household under
monitoring, a measure becomes a task, and six months later the commander removes the risk — after which the
engine's status rule no longer finds the household monitored at the year's end."""

import datetime as dt

import pytest

from tests.web.test_procedures_browser import done, log_in
from tuopin.apps.assessment import live_inputs
from tuopin.apps.assistance.models import Task
from tuopin.apps.monitoring.models import MonitoringCase
from tuopin.apps.registry import choices as c
from tuopin.engine.status import at_year_end

from .helpers import exited, yearly

pytestmark = pytest.mark.browser


def _status_at_end(household, year: int) -> str:
    events = live_inputs.read(year=year, household_ids=[household.pk])["status_events"]
    rows = at_year_end(events, [year]).to_pylist()
    return next(r["kind_at_end"] for r in rows if r["household_id"] == household.pk)


def _stage(page, *, on: str, ends_on: str = "", decision: str = "pass") -> None:
    page.fill("#stage-form input[name=on]", on)
    if ends_on:
        page.fill("#stage-form input[name=ends_on]", ends_on)
    page.click(f"#stage-form button[value={decision}]")
    done(page)


def test_a_case_from_a_cadres_visit_to_the_removal_of_its_risk(page, live_server, live_county):
    household = exited(live_county["households"][0], on=dt.date(2019, 11, 1))  # paired with the cadre
    yearly(household, 2025, income_yuan_per_person=9000)

    log_in(page, live_server, "cadre")
    page.goto(f"{live_server.url}/households/{household.pk}/")
    page.click("#record-clue")
    page.select_option("#clue-form select[name=channel]", "cadre_visit")
    page.select_option("#clue-form select[name=kind]", "unstable")
    page.check("#clue-form input[name=risks][value=illness]")
    page.fill("#clue-form input[name=on]", "2025-03-01")
    page.fill("#clue-form textarea[name=note]", "户主住院，自付医疗费用较高")
    page.click("#clue-form button[type=submit]")
    done(page)
    case = MonitoringCase.objects.get(household=household)
    assert (case.stage, case.channel) == ("clue", "cadre_visit")
    assert page.locator("#stage-form").count() == 0  # the review is the village's

    page.context.clear_cookies()
    log_in(page, live_server, "first_secretary")
    page.goto(f"{live_server.url}/monitoring/")
    page.click(f"tr[data-case='{case.pk}'] a")
    _stage(page, on="2025-03-03")
    _stage(page, on="2025-03-04", ends_on="2025-03-08")
    page.goto(f"{live_server.url}/monitoring/notice/{household.village_id}/")
    assert page.locator("#monitoring-notice tbody tr").count() == 1
    case.refresh_from_db()
    assert case.stage == "village_notice"

    page.context.clear_cookies()
    log_in(page, live_server, "commander")
    page.goto(f"{live_server.url}/monitoring/{case.pk}/")
    assert "15" in page.inner_text("#clock")
    _stage(page, on="2025-03-10")
    household.refresh_from_db()
    assert household.status == c.PovertyStatus.MONITORED
    page.select_option("#measure-form select[name=kind]", "education")
    page.fill("#measure-form textarea[name=description]", "落实雨露计划补助")
    page.fill("#measure-form input[name=on]", "2025-03-12")
    page.click("#measure-form button[type=submit]")
    done(page)
    task = Task.objects.get(kind="monitoring", household=household)
    assert task.owner_unit == live_county["unit"]  # the routing table's first owner for education
    assert page.locator(f"#measures a[href='/tasks/{task.pk}/']").count() == 1

    # Six months after inclusion (10 September 2025) and above the monitoring line: the risk is removed.
    page.reload()
    _stage(page, on="2025-09-15")
    case.refresh_from_db()
    assert (case.stage, case.removed_on) == ("risk_removed", dt.date(2025, 9, 15))
    assert _status_at_end(household, 2025) == "risk_removed"
    assert _status_at_end(household, 2024) == "exited"
