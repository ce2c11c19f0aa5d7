"""A run keeps its findings by key (decision 1592): the same run twice makes nothing new; a signal the data no longer
shows is not current and its task closes itself; when it comes back, the same task reopens."""

from __future__ import annotations

import datetime as dt

import pytest

from tuopin.apps.assistance.models import Task, TaskEvidence, TaskStatus
from tuopin.apps.integrity.models import Finding
from tuopin.apps.integrity.services import signals_run
from tuopin.apps.organisation.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_a_gap_closed_without_evidence_is_verified_closed_when_evidenced_and_reopened(county):
    h1 = county["households"][0]
    township = h1.village.parent
    office = Unit.objects.create(name=f"{township.name}人民政府", kind=UnitKind.TOWNSHIP, region=township)
    gap = Task.objects.create(kind="gap", household=h1, village=h1.village, indicator="income", year=2018,
                              owner_cadre=county["cadre"], title="收入未达标", status=TaskStatus.DONE,
                              opened_on=dt.date(2018, 1, 15), closed_on=dt.date(2018, 6, 1), key="gap|probe")
    by = county["accounts"]["county_admin"]
    first = signals_run(year=2018, by=by, today=dt.date(2019, 1, 10))
    assert first.found == {"gap_closed_unevidenced": 1} and first.tasks_created == 1
    finding = Finding.objects.get()
    task = finding.task
    assert (task.kind, task.owner_unit, task.indicator, task.status) == ("verification", office,
                                                                          "signal:gap_closed_unevidenced", "open")
    assert task.title.startswith("核查") and "核查" in finding.explanation and h1.pk in finding.households
    # The cadre named by the gap task is not put on the household (its task list would show it).
    assert task.household is None and finding.cadres == [county["cadre"].pk]

    again = signals_run(year=2018, by=by, today=dt.date(2019, 1, 11))
    assert (again.created, again.tasks_created, again.unchanged) == (0, 0, 1)

    evidence = TaskEvidence.objects.create(task=gap, text="已落实务工增收，工资流水附后")
    gone = signals_run(year=2018, by=by, today=dt.date(2019, 2, 1))
    finding.refresh_from_db()
    task.refresh_from_db()
    assert gone.closed == 1 and not finding.current and task.status == TaskStatus.CLOSED_BY_SYNC

    evidence.delete()
    back = signals_run(year=2018, by=by, today=dt.date(2019, 3, 1))
    finding.refresh_from_db()
    task.refresh_from_db()
    assert back.reopened == 1 and finding.current and task.status == TaskStatus.OPEN
    assert Task.objects.filter(kind="verification").count() == 1 and Finding.objects.count() == 1


def test_a_village_is_refused_the_signals_read_a_county_or_a_township(county):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        signals_run(year=2018, by=county["accounts"]["county_admin"], region=county["villages"][0])
