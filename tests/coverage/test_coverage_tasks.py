"""倒查正推 made into work (decision 1555): an eligible person a checked policy misses becomes a task for the
department that delivers it, shown on its home page; a signal from the rosters becomes a verification task for the
township; a second run makes nothing new; a task whose cause has gone closes itself."""

import json

import pytest

from tuopin.apps.assistance.coverage_tasks import coverage_tasks_sync
from tuopin.apps.assistance.models import Task, TaskEvent
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.organisation.models import Unit, UnitKind
from tuopin.apps.policy.models import Roster, RosterEntry
from tuopin.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def rostered(covered_county):
    """An enrolment roster that misses h1's pupil, a vehicle roster naming h4's head, and 镇赉镇's government."""
    h1, _, _, h4 = covered_county["households"]
    enrolment = Roster.objects.create(kind="enrolment", year=2018, filename="enrolment.xlsx")
    vehicle = Roster.objects.create(kind="vehicle", year=2018, filename="vehicle.xlsx")
    RosterEntry.objects.create(roster=vehicle, row=2, name="户主", person=h4.members.get(relation="01"), how="id")
    township = Unit.objects.create(name="建平乡人民政府", kind=UnitKind.TOWNSHIP,
                                   region=covered_county["townships"][1])
    return {**covered_county, "enrolment": enrolment, "township_unit": township}


def test_the_department_gets_its_uncovered_and_the_township_its_signals(rostered, client):
    pupil = rostered["persons"]["pupil"]
    done = coverage_tasks_sync(year=2018, by=rostered["accounts"]["county_admin"])
    task = Task.objects.get(kind="coverage", indicator="policy:two_exemptions")
    assert (task.household, task.owner_unit, task.status) == (pupil.household, rostered["unit"], "open")
    assert "pupil" in task.title and "两免一补" in task.title
    check = Task.objects.get(kind="verification")
    assert (check.indicator, check.owner_unit, check.household) == (
        "signal:vehicle", rostered["township_unit"], rostered["households"][3])
    assert done.created == Task.objects.filter(kind__in=("coverage", "verification")).count()
    assert "family_doctor" in done.unrouted   # no health bureau in the small county: said, not lost
    assert AuditEvent.objects.filter(action="coverage_tasks_sync").count() == 1

    client.force_login(rostered["accounts"]["department"])    # the education bureau's home is its worklist
    home = client.get("/").content.decode()
    assert "义务教育两免一补：pupil符合条件未享受" in home

    again = coverage_tasks_sync(year=2018, by=None)
    assert (again.created, again.closed, again.unchanged) == (0, 0, done.created)


def test_a_task_closes_when_the_roster_covers_the_person_and_reopens_when_it_drops_them(rostered):
    pupil = rostered["persons"]["pupil"]
    coverage_tasks_sync(year=2018, by=None)
    entry = RosterEntry.objects.create(roster=rostered["enrolment"], row=2, name="pupil", person=pupil, how="id")
    closed = coverage_tasks_sync(year=2018, by=None)
    task = Task.objects.get(indicator="policy:two_exemptions")
    assert closed.closed >= 1 and task.status == "resolved" and task.closed_on is not None
    entry.delete()
    reopened = coverage_tasks_sync(year=2018, by=None)
    task.refresh_from_db()
    assert reopened.reopened >= 1 and task.status == "open"
    assert list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True)) == ["opened", "closed", "reopened"]


def test_the_command_and_who_may_run_it(rostered, capsys):
    assert main(["tasks", "coverage", "--year", "2018", "--json", "--as", "county_admin"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == Task.objects.filter(kind__in=("coverage", "verification")).count() > 0
    assert main(["tasks", "coverage", "--year", "2018", "--json", "--as", "commander"]) != 0


def test_the_county_office_makes_the_tasks_from_the_coverage_page(rostered, client):
    client.force_login(rostered["accounts"]["county_admin"])
    assert 'id="coverage-make-tasks"' in client.get("/coverage/?year=2018").content.decode()
    made = client.post("/coverage/tasks/", {"year": "2018"}, follow=True)
    assert "已生成任务：新建" in made.content.decode()
    assert Task.objects.filter(kind="coverage", owner_unit=rostered["unit"]).exists()
    client.force_login(rostered["accounts"]["commander"])
    assert 'id="coverage-make-tasks"' not in client.get("/coverage/?year=2018").content.decode()
    assert client.post("/coverage/tasks/", {"year": "2018"}).status_code == 403
