"""Run the signals that figures may be gamed (数字脱贫) for a year and a county or township, keep what they find,
and route each finding to its township as a verification task (核查) — decisions 1590–1594.

A finding is a question, never a verdict: its task asks the township to verify (核查) and record what it found, as
any task. Findings are found again by their key: a second run updates the figures and makes no new finding or task;
a finding the data no longer shows is marked not current and its open task closes itself (差距已消除), and both come
back if the signal does. A run is audited as one batch event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tuopin import rules, standards
from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.assessment.services import default_scope
from tuopin.apps.assistance.models import Task, TaskEvent, TaskEventKind, TaskStatus
from tuopin.apps.assistance.rectification import route_owner
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.selectors import code_prefix
from tuopin.engine import signals as engine
from tuopin.standards import signals as catalogue

from . import inputs
from .models import Finding

VERIFICATION = "verification"
DUE_IN_DAYS = 30


@dataclass
class Run:
    year: int
    scope: str
    found: dict[str, int] = field(default_factory=dict)  # kind → findings of this run
    created: int = 0  # new findings
    tasks_created: int = 0
    reopened: int = 0
    closed: int = 0
    unchanged: int = 0
    unrouted: int = 0  # findings whose township has no government unit to route to

    def outcome(self) -> dict:
        return {"year": self.year, "scope": self.scope, "found": self.found, "created": self.created,
                "tasks_created": self.tasks_created, "reopened": self.reopened, "closed": self.closed,
                "unchanged": self.unchanged, "unrouted": self.unrouted}


def evaluate(*, year: int, region: Region) -> list[dict]:
    """The signal rules over the live data of the region: one dict per finding (kind, finding, township_code,
    village_code, households, cadres, figures), nothing written."""
    if region.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValidationError(gettext("%(region)s is a %(level)s: choose a county or a township")
                              % {"region": region, "level": region.get_level_display()})
    window = int(catalogue.catalogue()["edits_before_evaluation"].thresholds["window_days"])
    tables = inputs.read(year=year, region=region, window_days=window)
    params = rules.signal_parameters(standards.load(region.code), year)
    rows = engine.run(tables, params).to_pylist()
    found: dict[tuple[str, str], dict] = {}
    for r in rows:
        f = found.setdefault((r["kind"], r["finding"]), {
            "kind": r["kind"], "finding": r["finding"], "township_code": r["township_code"],
            "village_code": None,
            "villages": set(), "households": [], "cadres": [],
            "figures": {k: r[k] for k in ("observed", "expected", "n", "score", "day", "extra")}})
        if r["village_code"] is not None:
            f["villages"].add(r["village_code"])
        if r["household_id"] is not None and r["household_id"] not in f["households"]:
            f["households"].append(r["household_id"])
        if r["cadre_id"] is not None and r["cadre_id"] not in f["cadres"]:
            f["cadres"].append(r["cadre_id"])
    out = []
    for f in found.values():
        villages = f.pop("villages")  # a finding of one village is the village's; of several, the township's
        if len(villages) == 1 and not f["finding"].startswith("township:"):
            f["village_code"] = next(iter(villages))
        out.append(f)
    return out


def explain(kind: str, figures: dict, area: str) -> str:
    """The finding in the words of signals.toml, with its figures."""
    def num(value):
        if value is None:
            return ""
        return f"{value:g}" if isinstance(value, float) else str(value)
    signal = catalogue.catalogue()[kind]
    return signal.explanation.format(observed=num(figures.get("observed")), expected=num(figures.get("expected")),
                                     count=num(figures.get("n")), area=area, day=figures.get("day") or "",
                                     extra=figures.get("extra") or "")


@transaction.atomic
def signals_run(*, year: int, by, region: Region | None = None, today: dt.date | None = None,
                source: str = "cli") -> Run:
    """Run the signals of `year` over `region` (default: the county), keep the findings, route each to its township
    as a verification task. The county office only (Action.RUN_SIGNALS)."""
    require(by, Action.RUN_SIGNALS)
    region = region or default_scope()
    today = today or timezone.localdate()
    out = Run(year=year, scope=region.code)
    found = evaluate(year=year, region=region)
    texts = catalogue.catalogue()
    regions = {int(code): r for code, r in ((r.code, r) for r in Region.objects.filter(
        code__in={str(c) for f in found for c in (f["township_code"], f["village_code"]) if c is not None}))}
    existing = {f.key: f for f in Finding.objects.select_for_update().filter(
        year=year, township__code__startswith=code_prefix(region))}  # no join: PostgreSQL locks no outer join
    from tuopin.apps.registry.models import Household

    first_village = dict(Household.objects.filter(pk__in={f["households"][0] for f in found if f["households"]})
                         .values_list("pk", "village_id"))
    wanted = set()
    events: list[TaskEvent] = []
    owners: dict[int, tuple[int | None, int | None]] = {}
    for f in found:
        key = f"{year}|{f['kind']}|{f['finding']}"[:120]
        wanted.add(key)
        out.found[f["kind"]] = out.found.get(f["kind"], 0) + 1
        township = regions[f["township_code"]]
        village = regions.get(f["village_code"]) if f["village_code"] is not None else None
        area = f"{township.name}{village.name}" if village else township.name
        explanation = explain(f["kind"], f["figures"], area)
        finding = existing.get(key)
        if finding is None:
            finding = Finding.objects.create(
                year=year, kind=f["kind"], key=key, township=township, village=village, households=f["households"],
                cadres=f["cadres"], figures=f["figures"], explanation=explanation, found_on=today, seen_on=today)
            out.created += 1
        else:
            finding.households, finding.cadres, finding.figures = f["households"], f["cadres"], f["figures"]
            finding.explanation, finding.seen_on, finding.current = explanation, today, True
            finding.township, finding.village = township, village
            finding.save(update_fields=["households", "cadres", "figures", "explanation", "seen_on", "current",
                                        "township", "village"])
        task = finding.task
        if task is None:
            task_village = village or (Region.objects.get(pk=first_village[f["households"][0]])
                                       if f["households"] else None)
            if task_village is None:
                out.unrouted += 1
                continue
            if task_village.parent_id not in owners:  # one look-up of the routing table per township
                owners[task_village.parent_id] = route_owner(village=task_village, owners=("township",))
            unit, cadre = owners[task_village.parent_id]
            if unit is None and cadre is None:
                out.unrouted += 1
                continue
            single = f["households"][0] if len(f["households"]) == 1 and not f["cadres"] else None
            task, made = Task.objects.get_or_create(key=f"sig|{key}"[:96], defaults=dict(
                kind=VERIFICATION, household_id=single, village=task_village, indicator=f"signal:{f['kind']}",
                year=year, owner_unit_id=unit, owner_cadre_id=cadre, title=f"{texts[f['kind']].title}：{area}"[:200],
                detail=explanation, due=today + dt.timedelta(days=DUE_IN_DAYS), opened_on=today))
            if made:
                events.append(TaskEvent(task=task, kind=TaskEventKind.OPENED, at=timezone.now(), by=by,
                                        by_name="signals"))
                out.tasks_created += 1
            finding.task = task
            finding.save(update_fields=["task"])
        elif task.status == TaskStatus.CLOSED_BY_SYNC:
            task.status, task.closed_on, task.opened_on = TaskStatus.OPEN, None, today
            task.due = today + dt.timedelta(days=DUE_IN_DAYS)
            task.save(update_fields=["status", "closed_on", "opened_on", "due"])
            events.append(TaskEvent(task=task, kind=TaskEventKind.REOPENED, at=timezone.now(), by=by,
                                    by_name="signals", note=f"{year}年数据核查：疑点仍在"))
            out.reopened += 1
        else:
            out.unchanged += 1
    # A finding this run no longer shows: not current; its open task closes itself (the data no longer asks).
    for key, finding in existing.items():
        if key in wanted or not finding.current:
            continue
        finding.current = False
        finding.save(update_fields=["current"])
        task = finding.task
        if task is not None and task.status == TaskStatus.OPEN:
            task.status, task.closed_on = TaskStatus.CLOSED_BY_SYNC, today
            task.save(update_fields=["status", "closed_on"])
            events.append(TaskEvent(task=task, kind=TaskEventKind.CLOSED, at=timezone.now(), by=by,
                                    by_name="signals", note=f"{year}年数据核查：疑点已不再提示"))
            out.closed += 1
    TaskEvent.objects.bulk_create(events)
    audit_batch(actor=by, action="signals_run", entity="integrity.finding", source=source, batch=out.outcome(),
                summary=f"{year} signals: {sum(out.found.values())} found, {out.created} new, "
                        f"{out.tasks_created} verification tasks")
    return out
