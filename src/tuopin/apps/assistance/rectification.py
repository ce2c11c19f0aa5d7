"""Rectification items (问题整改): tasks of kind "rectification" made from an evaluation finding (错退, 漏评), from
the flags of the four-not-removes check after exit (monitoring calls in with them), or by hand by the county office or a commander (decision 1241).

Each goes to ONE owner, the first the routing table's `[rectification]` list finds for the household or village
on the day (the pairing cadre, else the work team's unit, the paired unit, the township government). Owners
complete them with evidence like any task (tasks.task_complete); the county office or a commander reopens one
that was not really put right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_batch, audit_change, diff, snapshot
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.models import CadreHouseholdPairing, UnitVillagePairing, WorkTeam
from tuopin.apps.organisation.selectors import in_force
from tuopin.common.versioning import locked, stamp

from . import config
from .models import Rectification, RectificationSource, Task, TaskEventKind, TaskStatus
from .tasks import task_event

KIND = "rectification"
PROBLEM_FINDINGS = ("wrongly_exited", "omitted")


def route_owner(*, village: Region, household=None, on: dt.date | None = None,
                owners: tuple[str, ...] | None = None) -> tuple[int | None, int | None]:
    """(unit_id, cadre_id) of the first owner the routing table names that the place has; (None, None) if none.
    `owners` is another list of the table than the rectification items' (a monitoring measure's)."""
    from .sync import Owners

    on = on or timezone.localdate()
    for owner in owners or config.rectification_route(village.code).owners:
        if owner == "cadre":
            if household is None:
                continue
            cadre = (CadreHouseholdPairing.objects.filter(in_force(on), household=household)
                     .order_by("start", "id").values_list("cadre_id", flat=True).first())
            if cadre:
                return None, cadre
            continue
        if owner == "work_team":
            unit = (WorkTeam.objects.filter(in_force(on), village=village, unit__isnull=False)
                    .order_by("start", "id").values_list("unit_id", flat=True).first())
        elif owner == "paired_unit":
            unit = (UnitVillagePairing.objects.filter(in_force(on), village=village)
                    .order_by("start", "id").values_list("unit_id", flat=True).first())
        elif owner == "township":
            unit = Owners._township_units().get(village.parent_id)
        else:  # department:<domain>
            from tuopin.apps.organisation.models import Unit, UnitKind

            unit = (Unit.objects.filter(kind=UnitKind.DEPARTMENT, domain=owner.split(":", 1)[1])
                    .order_by("pk").values_list("pk", flat=True).first())
        if unit:
            return unit, None
    return None, None


def _make(*, title: str, by, village: Region, household=None, detail: str = "", due: dt.date | None = None,
          source: str, sample=None, check_kind: str = "", key: str | None = None, year: int | None = None,
          audit_source: str = "web") -> Task:
    today = timezone.localdate()
    unit, cadre = route_owner(village=village, household=household, on=today)
    due = due or today + dt.timedelta(days=config.rectification_route(village.code).due_in_days)
    task = Task.objects.create(kind=KIND, title=title.strip()[:200], household=household, village=village,
                               owner_unit_id=unit, owner_cadre_id=cadre, due=due, detail=detail,
                               year=year or today.year, opened_on=today, key=key)
    Rectification.objects.create(task=task, source=source, sample=sample, check_kind=check_kind, created_by=by)
    task_event(task=task, kind=TaskEventKind.OPENED, by=by, note=title[:500])
    audit_change(actor=by, action="create", instance=task, source=audit_source, summary=f"rectification: {task.title}",
                 changes={**{k: [None, v] for k, v in snapshot(task, ("kind", "title", "household", "village",
                                                                      "owner_unit", "owner_cadre", "due")).items()},
                          "source": [None, source]})
    return task


@transaction.atomic
def rectification_create(*, title: str, by, village: Region | None = None, household=None, detail: str = "",
                         due: dt.date | None = None, source: str = "web") -> Task:
    """An item by hand (county office, commander) for a household or a village, routed by the table."""
    place = household if household is not None else village
    if place is None:
        raise ValidationError({"household": _("Name the household or the village to be put right.")})
    require(by, Action.MANAGE_RECTIFICATION, place)
    village = household.village if household is not None else village
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("%(place)s is not a village.") % {"place": village}})
    if not title.strip():
        raise ValidationError({"title": _("A rectification item needs a title.")})
    if due is not None and due < timezone.localdate():
        raise ValidationError({"due": _("The deadline %(due)s has already passed.") % {"due": due}})
    if route_owner(village=village, household=household) == (None, None):
        raise ValidationError(_("Nobody to route it to: %(village)s has no pairing cadre, work team, paired unit or "
                                "township government on record.") % {"village": village.name})
    return _make(title=title, by=by, village=village, household=household, detail=detail, due=due,
                 source=RectificationSource.MANUAL, audit_source=source)


def rectification_from_finding(*, sample, by, source: str = "web") -> Task | None:
    """A 错退 or 漏评 finding opens (or reopens) its item; a finding changed to 无问题 closes it. Called by the
    evaluation service inside its transaction, after its own permission check."""
    key = f"rect|finding|{sample.pk}"
    task = Task.objects.filter(key=key).first()
    problem = sample.finding in PROBLEM_FINDINGS
    if task is None:
        if not problem:
            return None
        household = sample.household
        round_ = sample.round
        title = f"{round_.name}：{sample.get_finding_display()}（{household.number}）"
        return _make(title=title, by=by, village=household.village, household=household, detail=sample.note,
                     source=RectificationSource.FINDING, sample=sample, key=key, year=round_.held_in,
                     audit_source=source)
    before = snapshot(task, ("status", "closed_on"))
    if problem and task.status == TaskStatus.CLOSED_BY_SYNC:
        task.status, task.closed_on, task.opened_on = TaskStatus.OPEN, None, timezone.localdate()
        kind, note = TaskEventKind.REOPENED, f"finding: {sample.finding}"
    elif not problem and task.status == TaskStatus.OPEN:
        task.status, task.closed_on = TaskStatus.CLOSED_BY_SYNC, timezone.localdate()
        kind, note = TaskEventKind.CLOSED, "finding changed to ok"
    else:
        return task
    task.save(update_fields=["status", "closed_on", "opened_on", *stamp(task, by)])
    task_event(task=task, kind=kind, by=by, note=note)
    audit_change(actor=by, action="update", instance=task, source=source, summary=f"rectification: {task.title}",
                 changes=diff(before, snapshot(task, ("status", "closed_on"))))
    return task


def rectification_from_exit_sent_back(*, event, stage: str, note: str, by, source: str = "web") -> Task | None:
    """A household exit sent back at a stage (a check failed, or an upheld objection to the notice) opens an item
    for the household's owner, once per exit procedure (decision 1237). On procedures.signals.exit_sent_back,
    inside its procedure's transaction, after its permission check; None when the procedure already has its item."""
    from tuopin.apps.registry.choices import Stage

    key = f"rect|exit|{event.pk}"
    if Task.objects.filter(key=key).exists():
        return None
    household = event.household
    title = f"脱贫退出被退回（{Stage(stage).label}）：{household.number}"
    return _make(title=title, by=by, village=household.village, household=household, detail=note.strip(),
                 source=RectificationSource.CHECK, check_kind=f"exit_sent_back:{stage}"[:40], key=key,
                 year=event.year, audit_source=source)


def on_exit_sent_back(sender, *, event, stage: str, note: str, by, source: str, **kwargs) -> None:
    """The receiver of procedures.signals.exit_sent_back (connected in apps.py)."""
    rectification_from_exit_sent_back(event=event, stage=stage, note=note, by=by, source=source)


class CheckFlag(Protocol):
    """What a check hands over for each thing found (the four-not-removes check's flags, decision 1411)."""

    kind: str
    region_code: str  # the village concerned (a flag on anything else is not routed)
    household_number: str  # "" unless a household's
    reason: str

    @property
    def key(self) -> str: ...  # once per key; "" for a flag that is not to become an item


@transaction.atomic
def rectifications_from_check(*, scope: Region, by, flags: Iterable[CheckFlag], source: str = "web") -> dict:
    """A check's flags on `scope` (the four-not-removes check, 四个不摘, which calls this with them): each flag on
    a household or village becomes an item, once (a flag already turned into an item is not made again)."""
    from tuopin.apps.registry.models import Household

    require(by, Action.MANAGE_RECTIFICATION, scope)
    flags = list(flags)
    made, known, unrouted = [], 0, 0
    villages = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE, code__in={f.region_code for f in flags})}
    for flag in flags:
        village = villages.get(flag.region_code)
        if village is None or not flag.key:  # a county's funding flag, an item already: nothing to route
            continue
        if Task.objects.filter(key=flag.key).exists():
            known += 1
            continue
        household = Household.objects.filter(number=flag.household_number).first() if flag.household_number else None
        if route_owner(village=village, household=household) == (None, None):
            unrouted += 1
        task = _make(title=f"四个不摘：{flag.reason}"[:200], by=by, village=village, household=household,
                     detail=flag.reason, source=RectificationSource.CHECK, check_kind=flag.kind, key=flag.key,
                     audit_source=source)
        made.append(task.pk)
    audit_batch(actor=by, action="rectification_check", entity="assistance.task", source=source,
                batch={"scope": scope.code, "flags": len(flags), "created": made},
                summary=f"four-not-removes check of {scope.name}: {len(made)} rectification items made")
    return {"flags": len(flags), "created": len(made), "already": known, "unrouted": unrouted}


@transaction.atomic
def rectification_reopen(*, task: Task, by, note: str, due: dt.date | None = None, version: int | None = None,
                         source: str = "web") -> Task:
    """重新打开: the item was reported done (or closed) but the problem is still there."""
    task = locked(Task, task.pk, version)
    if task.kind != KIND:
        raise ValidationError(_("Only rectification items are reopened by hand."))
    require(by, Action.MANAGE_RECTIFICATION, task.household or task.village)
    if task.status == TaskStatus.OPEN:
        raise ValidationError(_("The item is already open."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the item is reopened.")})
    today = timezone.localdate()
    if due is not None and due < today:
        raise ValidationError({"due": _("The deadline %(due)s has already passed.") % {"due": due}})
    before = snapshot(task, ("status", "closed_on", "due"))
    task.status, task.closed_on, task.opened_on = TaskStatus.OPEN, None, today
    if due is not None:
        task.due = due
    task.save(update_fields=["status", "closed_on", "opened_on", "due", *stamp(task, by)])
    task_event(task=task, kind=TaskEventKind.REOPENED, by=by, note=note.strip()[:500])
    audit_change(actor=by, action="reopen", instance=task, source=source, summary=f"rectification: {task.title}",
                 changes=diff(before, snapshot(task, ("status", "closed_on", "due"))))
    return task
