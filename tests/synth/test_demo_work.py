"""The demo's accountability work (decision 0717), on a small build: the rules the services hold one at a time
hold for every generated visit and task, and each bulk write is audited."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Exists, OuterRef, Q

from tuopin.apps.assistance.models import Assessment, Task, TaskEvent, TaskEvidence, TaskStatus, Visit
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.organisation.models import CadreHouseholdPairing, MutualGroup
from tuopin.apps.demo.load import demo_build


def _paired(cadre: str, on: str | None) -> Exists:
    pairings = CadreHouseholdPairing.objects.filter(cadre=OuterRef(cadre), household=OuterRef("household"))
    if on:
        pairings = pairings.filter(Q(start__lte=OuterRef(on)), Q(end__isnull=True) | Q(end__gte=OuterRef(on)))
    return Exists(pairings)


def test_the_demo_work_keeps_the_rules_of_visits_and_tasks(db, settings, tmp_path):
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.json"
    result = demo_build(seed=2, scale=0.02)
    # The visits and tasks planted as signals that figures may be gamed (decision 1595) break these rules on purpose.
    planted = result["signals"]
    planted_visits = {v for kind in ("visit_many_villages", "visit_before_pairing") for v in planted[kind]["visits"]}
    planted_tasks = set(planted["gap_closed_unevidenced"]["tasks"])
    assert result["work"]["counts"]["visits"] == Visit.objects.count() - len(planted_visits) > 0

    # Every visit is by the cadre paired with the household on that day, never in the future; a shared trip's
    # visits are by members of the group named.
    assert not Visit.objects.exclude(pk__in=planted_visits).exclude(_paired("cadre", "on")).exists()
    assert not Visit.objects.filter(on__gt=dt.date.today()).exists()
    trips = Visit.objects.exclude(trip="")
    assert trips.exists()
    members = MutualGroup.members.through.objects.filter(mutualgroup=OuterRef("mutual_group"), cadre=OuterRef("cadre"))
    assert not trips.exclude(Exists(members)).exists()
    for year in range(2016, 2021):
        assert Visit.objects.filter(on__year=year).exists()
    # 四个不摘: the cadres keep visiting 2021–2025, at most twice a year a household.
    for year in range(2021, 2026):
        per_pair = Counter(Visit.objects.filter(on__year=year).values_list("cadre_id", "household_id"))
        assert per_pair and max(per_pair.values()) <= 2
        assert sum(per_pair.values()) < 0.6 * Visit.objects.filter(on__year=2018).count()

    # A cadre's task is for one of its households; gap tasks come from the sync (keyed), none made by hand.
    cadre_tasks = Task.objects.filter(owner_cadre__isnull=False)
    assert cadre_tasks.exists() and not cadre_tasks.exclude(_paired("owner_cadre", None)).exists()
    assert not Task.objects.filter(kind="gap", key__isnull=True).exists()
    # Done tasks carry their evidence and a completion event; most were done by their due date.
    done = Task.objects.filter(status=TaskStatus.DONE)
    assert done.exists()
    assert not done.exclude(pk__in=planted_tasks).exclude(
        Exists(TaskEvidence.objects.filter(task=OuterRef("pk")).exclude(text=""))).exists()
    assert not done.exclude(Exists(TaskEvent.objects.filter(task=OuterRef("pk"), kind="completed"))).exists()
    # A task done, reopened by the sync (its gap still there) and done again has two reports.
    assert TaskEvidence.objects.count() == TaskEvent.objects.filter(kind="completed").count() > done.count()
    on_time = sum(1 for closed, due in done.values_list("closed_on", "due") if closed <= due)
    assert on_time / done.count() > 0.85
    # The sync closed the gaps the registry's later records no longer show, and reopened some done ones.
    assert Task.objects.filter(status=TaskStatus.CLOSED_BY_SYNC).exists()
    assert TaskEvent.objects.filter(kind="reopened", by_name="sync").exists()
    # Events are dated in the story's years, not on the day of the build.
    assert not TaskEvent.objects.filter(at__year__gt=2021).exists()

    assert set(Assessment.objects.values_list("period", flat=True)) == {"2016", "2017", "2018"}
    audited = AuditEvent.objects.filter(source="demo")
    assert audited.filter(entity="assistance.visit", action="demo_build").count() == 10  # one per year 2016–2025
    assert audited.filter(action="tasks_completed").exists() and audited.filter(action="tasks_sync").count() == 6
    assert audited.filter(action="assessments_compute").count() == 3
