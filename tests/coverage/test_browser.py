"""From a department's roster upload to its task and the task's closure, in a browser (decisions 1540, 1555): the
education bureau uploads its enrolment roster, which lacks a pupil of a registered household; the county office
makes the coverage tasks; the bureau finds the pupil's task on its worklist and closes it with what it did."""

import pytest

from tests.policy.helpers import person_row, write_csv
from tests.web.test_procedures_browser import done, log_in
from tuopin.apps.assistance.models import Task
from tuopin.apps.policy.models import Roster

pytestmark = pytest.mark.browser


def test_a_roster_upload_becomes_a_departments_task_and_is_closed(page, live_server, live_covered_county,
                                                                   tmp_path):
    senior, pupil = live_covered_county["persons"]["senior"], live_covered_county["persons"]["pupil"]
    roster = write_csv(tmp_path, "enrolment", [person_row("enrolment", senior, 学校="镇赉县第一中学", 学段="高中",
                                                          在校状态="在校")])
    log_in(page, live_server, "department")
    page.click("#site-nav a[href='/rosters/']")
    page.select_option("select[name=kind]", "enrolment")
    page.fill("input[name=year]", "2018")
    page.set_input_files("input[name=file]", str(roster))
    page.click("#roster-upload button[type=submit]")
    done(page)
    assert Roster.objects.get(kind="enrolment", current=True).matched_by_id == 1

    page.context.clear_cookies()
    log_in(page, live_server, "county_admin")
    page.goto(f"{live_server.url}/coverage/?year=2018&policy=two_exemptions")
    page.click("#coverage-make-tasks button[type=submit]")
    done(page)
    task = Task.objects.get(kind="coverage", indicator="policy:two_exemptions", household=pupil.household)

    page.context.clear_cookies()
    log_in(page, live_server, "department")
    assert "义务教育两免一补：pupil符合条件未享受" in page.inner_text("main")
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    page.fill("#id_text", "已核实：该生在外县就读，已联系就读学校补录资助")
    page.click("form.complete-form button[type=submit]")
    done(page)
    task.refresh_from_db()
    assert task.status == "done"
