"""tasks_sync: one task per gap and owner, no duplicates, closes with the gap, reopens when it returns."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tuopin.apps.accounts.scoping import households_visible_to, tasks_visible_to
from tuopin.apps.assistance.models import Task, TaskStatus
from tuopin.apps.assistance.selectors import task_history
from tuopin.apps.assistance.sync import tasks_sync
from tuopin.apps.organisation.services import cadre_household_handover
from tuopin.apps.registry.models import HouseholdYear
from tuopin.apps.registry.services import household_year_update

YEAR = 2018


@pytest.fixture
def admin(org):
    return org["accounts"]["county_admin"]


def sync(admin, **kw):
    return tasks_sync(year=YEAR, by=admin, **kw)


def owners(household):
    return sorted((t.indicator, (t.owner_unit.name if t.owner_unit else t.owner_cadre.name), t.status)
                  for t in Task.objects.filter(household=household, kind="gap")
                  .select_related("owner_unit", "owner_cadre"))


def set_income(household, admin, yuan_per_head):
    record = HouseholdYear.objects.get(household=household, year=YEAR)
    household_year_update(record=record, version=record.version, by=admin,
                          wage_income_fen=yuan_per_head * 100 * record.members)


def test_one_task_per_gap_and_owner(org, admin):
    h2 = org["households"][1]
    result = sync(admin)
    assert (result.gaps, result.created) == (2, 4)
    assert owners(h2) == [
        ("housing", "县住房和城乡建设局", "open"),   # housing → housing department + township
        ("housing", "镇赉镇人民政府", "open"),
        ("income", "县财政局", "open"),             # income → paired unit + pairing cadre
        ("income", "赵干部", "open"),
    ]
    task = Task.objects.get(household=h2, indicator="income", owner_cadre=org["zhao"])
    assert task.village == h2.village and task.year == YEAR
    assert task.due == timezone.localdate() + dt.timedelta(days=90)
    assert "人均纯收入2000元" in task.detail
    assert [(e.kind, e.by_name) for e in task_history(task)] == [("opened", "sync")]
    # Households without a gap get no task.
    assert not Task.objects.exclude(household=h2).exists()


def test_rerunning_creates_no_duplicate(org, admin):
    sync(admin)
    again = sync(admin)
    assert (again.created, again.closed, again.reopened, again.unchanged) == (0, 0, 0, 4)
    assert Task.objects.count() == 4


def test_fixing_a_gap_closes_its_task_and_breaking_it_reopens_it(org, admin):
    h2 = org["households"][1]
    sync(admin)
    set_income(h2, admin, 5000)  # above the 2018 line: the income gap is gone, the housing gap stays
    fixed = sync(admin)
    assert (fixed.closed, fixed.created, fixed.reopened) == (2, 0, 0)
    income = Task.objects.get(household=h2, indicator="income", owner_cadre=org["zhao"])
    assert income.status == TaskStatus.CLOSED_BY_SYNC and income.closed_on == timezone.localdate()
    assert Task.objects.filter(household=h2, indicator="housing", status="open").count() == 2

    set_income(h2, admin, 1000)  # the gap returns
    broken = sync(admin)
    assert (broken.reopened, broken.created, broken.closed) == (2, 0, 0)
    income.refresh_from_db()
    assert income.status == TaskStatus.OPEN and income.closed_on is None
    assert [e.kind for e in task_history(income)] == ["opened", "closed", "reopened"]
    assert all(e.by_name == "sync" and e.by == admin for e in task_history(income))
    assert Task.objects.filter(household=h2).count() == 4  # still one per gap and owner


def test_an_open_task_reads_as_this_years_gap(org, admin):
    """A task left open takes the gap's wording of the year synced, not the year it was made (decision 1260)."""
    h2 = org["households"][1]
    sync(admin)
    task = Task.objects.get(household=h2, indicator="income", owner_cadre=org["zhao"])
    assert task.title == task.detail == "人均纯收入2000元，未超过扶贫标准3535元"  # the reason alone, once
    version = task.version
    set_income(h2, admin, 2500)  # still below the line, but the figure has moved
    result = sync(admin)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and result.retitled == 2  # the cadre's task and the paired unit's
    assert task.title == task.detail == "人均纯收入2500元，未超过扶贫标准3535元"
    assert task.version == version + 1 and task.updated_by == admin
    assert sync(admin).retitled == 0  # nothing new to say: nothing written
    housing = Task.objects.filter(household=h2, indicator="housing").first()
    assert housing.title == "住房为D级危房，尚未改造（住房安全未保障）"


def test_a_task_completed_while_its_gap_remains_is_reopened(org, admin):
    from tuopin.apps.assistance.tasks import task_complete

    sync(admin)
    task = Task.objects.get(indicator="income", owner_cadre=org["zhao"])
    task_complete(task=task, by=org["accounts"]["zhao"], text="介绍到合作社务工")
    result = sync(admin)
    task.refresh_from_db()
    assert result.reopened == 1 and task.status == TaskStatus.OPEN
    assert [e.kind for e in task_history(task)] == ["opened", "completed", "reopened"]


def test_a_new_cadre_takes_the_gap_over(org, admin):
    h2 = org["households"][1]
    sync(admin)
    cadre_household_handover(household=h2, to=org["cadre"], on=timezone.localdate(), by=admin)
    result = sync(admin)
    assert (result.handed_over, result.created, result.closed) == (1, 1, 0)
    assert Task.objects.get(indicator="income", owner_cadre=org["zhao"]).status == TaskStatus.HANDED_OVER
    assert Task.objects.get(indicator="income", owner_cadre=org["cadre"]).status == TaskStatus.OPEN


def test_an_earlier_year_does_not_undo_a_later_one(org, admin):
    sync(admin)
    # 2017 has no yearly records in the fixture: its sync is refused, saying so, and leaves the 2018 tasks alone.
    with pytest.raises(ValidationError, match="没有 2017 年的村级年度记录"):
        tasks_sync(year=2017, by=admin)
    assert Task.objects.filter(status="open").count() == 4


def test_a_year_without_records_closes_nothing(org, admin):
    """A later year nobody imported yet is not a year in which every gap was closed (decision 1251)."""
    from tuopin.apps.audit.models import AuditEvent

    sync(admin)
    for year in (2021, 2026):
        with pytest.raises(ValidationError, match=f"没有 {year} 年的村级年度记录"):
            tasks_sync(year=year, by=admin)
    assert Task.objects.filter(status="open").count() == 4
    assert AuditEvent.objects.filter(action="tasks_sync").count() == 1


def test_sync_is_one_audit_event(org, admin):
    from tuopin.apps.audit.models import AuditEvent

    sync(admin)
    event = AuditEvent.objects.get(action="tasks_sync")
    assert event.actor == admin and len(event.batch["created"]) == 4


def test_department_sees_households_with_open_gap_tasks_of_its_domain(org, admin):
    h2 = org["households"][1]
    housing = org["accounts"]["housing_department"]
    education = org["accounts"]["department"]
    assert not households_visible_to(housing).exists()
    sync(admin)
    assert list(households_visible_to(housing)) == [h2]
    assert not households_visible_to(education).exists()  # no education gap
    assert {t.owner_unit for t in tasks_visible_to(housing)} == {org["departments"]["housing"]}
    assert not tasks_visible_to(education).exists()
    # A renovation without the year it was finished does not close the gap (decision 1252) …
    HouseholdYear.objects.filter(household=h2, year=YEAR).update(renovation="reinforce")
    sync(admin)
    assert list(households_visible_to(housing)) == [h2]
    # … finished in the year and graded safe again (decision 1520), it does: the household drops out of the
    # department's view.
    HouseholdYear.objects.filter(household=h2, year=YEAR).update(renovation_year=YEAR, renovation_grade="B")
    sync(admin)
    assert not households_visible_to(housing).exists()


def test_unrouted_gaps_are_reported(org, admin):
    from tuopin.apps.organisation.models import CadreHouseholdPairing

    CadreHouseholdPairing.objects.filter(cadre=org["zhao"]).update(end=dt.date(2017, 12, 31))
    result = sync(admin)
    assert result.unrouted == {"income → cadre": 1}
    assert result.created == 3


def test_the_number_of_queries_does_not_grow_with_the_gaps(org, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        sync(admin)
    Task.objects.all().delete()
    h1, _, _, h4 = org["households"]
    HouseholdYear.objects.filter(household__in=[h1, h4], year=YEAR).update(housing_grade="C", net_income_fen=0)
    with CaptureQueriesContext(connection) as more:
        result = sync(admin)
    assert result.created > 4
    assert len(more) == len(few)
