"""The planted signals (decision 1595) on a small demo build: every planted case is found, the rest raise at most
FALSE_ALARM_BOUND of false alarms, a second run duplicates nothing, and each finding is a verification task for its
township."""

from __future__ import annotations

from tuopin.apps.assistance.models import Task
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.demo.load import demo_build
from tuopin.apps.demo.signals import score
from tuopin.apps.integrity.models import Finding
from tuopin.apps.integrity.services import signals_run
from tuopin.apps.organisation.models import Unit, UnitKind
from tuopin.apps.registry.models import Household
from tuopin.standards.signals import KINDS

# False alarms (findings sharing no household or cadre with a planted case of their kind) per household of the
# county, over every kind and year run: at most 1 %.
FALSE_ALARM_BOUND = 0.01


def test_every_planted_signal_is_found_with_few_false_alarms(db, settings, tmp_path):
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.json"
    result = demo_build(seed=2, scale=0.02)
    planted = result["signals"]
    assert set(planted) == set(KINDS)
    years = sorted({case["year"] for case in planted.values()})
    runs = [signals_run(year=y, by=None) for y in years]
    assert all(r.unrouted == 0 for r in runs)
    findings = list(Finding.objects.all())
    scored = score(planted, findings)
    missed = [k for k, (found, _) in scored.items() if not found]
    assert not missed
    false_alarms = sum(n for _, n in scored.values())
    assert false_alarms / Household.objects.count() <= FALSE_ALARM_BOUND

    # Each finding is one verification task of its township's government, worded "to verify", never naming an ID.
    tasks = Task.objects.filter(kind="verification", indicator__startswith="signal:")
    assert tasks.count() == len(findings) == Finding.objects.exclude(task=None).count()
    townships = set(Unit.objects.filter(kind=UnitKind.TOWNSHIP).values_list("pk", flat=True))
    assert all(t.owner_unit_id in townships and t.title.startswith("核查") for t in tasks)
    # A finding across villages (one cadre in five) is its township's; one of a single village names it.
    assert Finding.objects.get(kind="visit_many_villages").village is None
    assert Finding.objects.get(kind="identical_incomes").village is not None
    # A finding naming cadres is not put on a household, where the cadre's own task list would show it.
    assert not Task.objects.filter(pk__in=[f.task_id for f in findings if f.cadres], household__isnull=False).exists()

    # A second run: nothing new, the same findings, one more audited batch.
    events = AuditEvent.objects.filter(action="signals_run").count()
    again = [signals_run(year=y, by=None) for y in years]
    assert sum(r.created + r.tasks_created for r in again) == 0
    assert Finding.objects.count() == len(findings) and tasks.count() == len(findings)
    assert AuditEvent.objects.filter(action="signals_run").count() == events + len(years)
