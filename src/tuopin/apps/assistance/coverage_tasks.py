"""倒查正推 made into work (decision 1555): the year's coverage (apps.policy.coverage) becomes tasks.

- A person eligible for a policy and not covered by it → a `coverage` task for the department that delivers the
  policy (the unit of the policy's domain, policies.toml), on the person's household: "add them, or say why not".
- A signal from the rosters (deceased still registered or paid, a car, a house bought, a business, a salary from
  public funds) → a `verification` task for the township (核实), never a verdict: the township checks and says.

One task per (person, policy or signal, owner), found again by its `key`: a second run creates nothing; a task
whose cause has gone (the person is covered now, the signal no longer fires) closes itself as the gap sync's do,
and one whose cause comes back reopens. A run is audited as one batch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.assessment.services import default_scope
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.geo.models import Region
from tuopin.apps.organisation.models import Unit, UnitKind
from tuopin.apps.organisation.selectors import code_prefix
from tuopin.apps.policy import coverage
from tuopin.apps.registry.models import Person
from tuopin.standards import policies

from .models import Task, TaskEvent, TaskEventKind, TaskStatus
from .rectification import route_owner

COVERAGE, VERIFICATION = "coverage", "verification"
DUE_IN_DAYS = 30
SIGNAL_TITLES = {"deceased_registered": "核实：已死亡仍在册", "deceased_paid": "核实：死亡后仍领取低保或特困供养金",
                 "vehicle": "核实：家庭成员名下有车辆", "property": "核实：家庭成员购买商品房",
                 "business": "核实：家庭成员登记有工商企业", "public_employee": "核实：家庭成员为财政供养人员"}


@dataclass
class CoverageTasks:
    year: int
    scope: str
    created: int = 0
    reopened: int = 0
    closed: int = 0
    unchanged: int = 0
    unrouted: set[str] = field(default_factory=set)  # policies whose domain has no department in the county

    def outcome(self) -> dict:
        return {"year": self.year, "scope": self.scope, "created": self.created, "reopened": self.reopened,
                "closed": self.closed, "unchanged": self.unchanged, "unrouted": sorted(self.unrouted)}


def _departments() -> dict[str, int]:
    """domain → the first department unit of it (the one the gap routing names for `department:<domain>` too)."""
    found: dict[str, int] = {}
    for domain, pk in Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("pk").values_list("domain", "pk"):
        found.setdefault(domain, pk)
    return found


def _wanted(year: int, region: Region, out: CoverageTasks) -> dict[str, dict]:
    """key → the task the year's coverage asks for."""
    result = coverage.run(year=year, region=region)
    catalogue = policies.catalogue()
    units = _departments()
    wanted: dict[str, dict] = {}
    # A policy no roster or registry column checks this year ('none') says nothing of anyone: no task from it.
    checked = {code for code, basis in result.bases.items() if basis in ("roster", "registry")}
    missing = [r for r in result.persons.to_pylist() if r["eligible"] and not r["covered"] and r["policy"] in checked]
    signals = result.signals.to_pylist()
    people = {p.pk: p for p in Person.objects.filter(pk__in={r["person_id"] for r in missing + signals})
              .select_related("household__village")}
    for r in missing:
        policy, person = catalogue[r["policy"]], people[r["person_id"]]
        unit = units.get(policy.domain)
        if unit is None:
            out.unrouted.add(policy.code)
            continue
        wanted[f"coverage|{person.pk}|{policy.code}|u{unit}"] = {
            "kind": COVERAGE, "person": person, "indicator": f"policy:{policy.code}", "owner_unit_id": unit,
            "owner_cadre_id": None, "title": f"{policy.name}：{person.name}符合条件未享受",
            "detail": f"{year}年倒查：{person.name}符合{policy.name}条件，部门名单中无此人。请纳入，或说明原因。"}
    for r in signals:
        person = people[r["person_id"]]
        village = person.household.village
        unit, cadre = route_owner(village=village, household=person.household, owners=("township",))
        if unit is None and cadre is None:
            out.unrouted.add(f"signal:{r['kind']}")
            continue
        wanted[f"signal|{person.pk}|{r['kind']}|u{unit}"] = {
            "kind": VERIFICATION, "person": person, "indicator": f"signal:{r['kind']}", "owner_unit_id": unit,
            "owner_cadre_id": cadre, "title": f"{SIGNAL_TITLES.get(r['kind'], r['kind'])}：{person.name}",
            "detail": f"{year}年部门数据比对：{SIGNAL_TITLES.get(r['kind'], r['kind'])}。请入户核实，如实记录。"}
    return wanted


@transaction.atomic
def coverage_tasks_sync(*, year: int, by, region: Region | None = None, today: dt.date | None = None,
                        source: str = "cli") -> CoverageTasks:
    require(by, Action.SYNC_TASKS)
    region = region or default_scope()
    today = today or timezone.localdate()
    out = CoverageTasks(year=year, scope=region.code)
    wanted = _wanted(year, region, out)
    existing = {t.key: t for t in Task.objects.select_for_update().filter(
        kind__in=(COVERAGE, VERIFICATION), village__code__startswith=code_prefix(region))}
    events, new = [], []
    for key, w in wanted.items():
        task = existing.get(key)
        if task is None:  # a county's first run makes thousands: written in one bulk insert below
            new.append(Task(
                kind=w["kind"], household=w["person"].household, village=w["person"].household.village,
                indicator=w["indicator"], year=year, owner_unit_id=w["owner_unit_id"],
                owner_cadre_id=w["owner_cadre_id"], title=w["title"][:200], detail=w["detail"], key=key,
                due=today + dt.timedelta(days=DUE_IN_DAYS), opened_on=today))
        elif task.status == TaskStatus.CLOSED_BY_SYNC:
            task.status, task.closed_on, task.opened_on, task.year = TaskStatus.OPEN, None, today, year
            task.due = today + dt.timedelta(days=DUE_IN_DAYS)
            task.save(update_fields=["status", "closed_on", "opened_on", "year", "due"])
            events.append(TaskEvent(task=task, kind=TaskEventKind.REOPENED, at=timezone.now(), by=by, by_name="sync",
                                    note=f"{year}年倒查：仍未解决"))
            out.reopened += 1
        else:
            out.unchanged += 1
    # Only the year's own tasks close: an earlier year's cause is not answered by this year's rosters.
    for key, task in existing.items():
        if key not in wanted and task.status == TaskStatus.OPEN and task.year == year:
            task.status, task.closed_on = TaskStatus.CLOSED_BY_SYNC, today
            task.save(update_fields=["status", "closed_on"])
            events.append(TaskEvent(task=task, kind=TaskEventKind.CLOSED, at=timezone.now(), by=by, by_name="sync",
                                    note=f"{year}年倒查：已覆盖或已不再提示"))
            out.closed += 1
    Task.objects.bulk_create(new, batch_size=2000)
    keys = [t.key for t in new]
    for i in range(0, len(keys), 2000):  # ids read back by key: SQLite's bulk insert may not return them
        events += [TaskEvent(task_id=pk, kind=TaskEventKind.OPENED, at=timezone.now(), by=by, by_name="sync")
                   for pk in Task.objects.filter(key__in=keys[i:i + 2000]).values_list("pk", flat=True)]
    out.created = len(new)
    TaskEvent.objects.bulk_create(events, batch_size=2000)
    audit_batch(actor=by, action="coverage_tasks_sync", entity="assistance.task", source=source,
                batch=out.outcome(), summary=f"{year} coverage tasks: {out.created} new, {out.closed} closed")
    return out
