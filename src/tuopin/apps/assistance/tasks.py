"""Task services: a task made by hand (a visit's follow-up, a rectification), completion with evidence, and
the "4+4" templates generated for every pairing in force (单位四项, 干部四项).

Gap tasks are made and closed by the sync (sync.py); owners complete any task with text and/or a photo.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_batch, audit_change, diff, snapshot
from tuopin.apps.geo.models import Region
from tuopin.apps.organisation.models import CadreHouseholdPairing, UnitVillagePairing
from tuopin.apps.organisation.selectors import code_prefix, in_force
from tuopin.apps.registry.bulk import insert_rows
from tuopin.common.versioning import locked, stamp

from . import config
from .evidence import checked_photo
from .models import Task, TaskEvent, TaskEventKind, TaskEvidence, TaskStatus

# "monitoring": an assistance measure of a monitoring case (防返贫), made and routed by the monitoring app.
MANUAL_KINDS = ("visit_followup", "rectification", "other", "monitoring")


def task_event(*, task: Task, kind: str, by, note: str = "", at=None) -> TaskEvent:
    return TaskEvent.objects.create(task=task, kind=kind, at=at or timezone.now(), by=by,
                                    by_name=by.get_username() if by else "system", note=note)


@transaction.atomic
def task_create(*, kind: str, title: str, by, household=None, village: Region | None = None, owner_unit=None,
                owner_cadre=None, due: dt.date | None = None, detail: str = "", item=None, year: int | None = None,
                source: str = "web") -> Task:
    require(by, Action.CREATE_TASK, household)
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": _("tasks of kind “%(kind)s” are generated, not made by hand") % {"kind": kind}})
    if not title.strip():
        raise ValidationError({"title": _("a task needs a title")})
    if (owner_unit is None) == (owner_cadre is None):
        raise ValidationError(_("a task has one owner: a unit or a cadre"))
    today = timezone.localdate()
    if due is not None and due < today:
        raise ValidationError({"due": _("the due date %(due)s has already passed") % {"due": due}})
    village = household.village if household is not None else village
    task = Task.objects.create(kind=kind, title=title.strip()[:200], household=household, village=village,
                               owner_unit=owner_unit, owner_cadre=owner_cadre, due=due, detail=detail, item=item,
                               year=year or today.year, opened_on=today)
    task_event(task=task, kind=TaskEventKind.OPENED, by=by, note=title)
    audit_change(actor=by, action="create", instance=task, source=source, summary=f"task: {task.title}",
                 changes={k: [None, v] for k, v in snapshot(task, ("kind", "title", "household", "village",
                                                                    "owner_unit", "owner_cadre", "due")).items()})
    return task


@transaction.atomic
def task_complete(*, task: Task, by, text: str = "", photo=None, on: dt.date | None = None,
                  version: int | None = None, source: str = "web") -> Task:
    """完成: the owner reports the task done, with evidence (a text, a photo, or both).

    `version` is the version the page or client read: a task the sync or someone else changed since is refused
    with StaleEdit (who, when), even if it is open again (decision 0906)."""
    task = locked(Task, task.pk, version)
    require(by, Action.COMPLETE_TASK, task)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("the task is %(status)s, not open") % {"status": task.get_status_display()})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("a task cannot be completed in the future")})
    _evidence(task=task, by=by, text=text, photo=photo, required=True)
    before = snapshot(task, ("status", "closed_on"))
    task.status, task.closed_on = TaskStatus.DONE, on
    task.save(update_fields=["status", "closed_on", *stamp(task, by)])
    task_event(task=task, kind=TaskEventKind.COMPLETED, by=by, note=text[:500])
    audit_change(actor=by, action="complete", instance=task, source=source, summary=f"task: {task.title}",
                 changes=diff(before, snapshot(task, ("status", "closed_on"))))
    return task


@transaction.atomic
def task_evidence_add(*, task: Task, by, text: str = "", photo=None, source: str = "web") -> TaskEvidence:
    require(by, Action.COMPLETE_TASK, task)
    evidence = _evidence(task=task, by=by, text=text, photo=photo, required=True)
    audit_change(actor=by, action="evidence", instance=task, source=source, summary=f"evidence for task {task.pk}",
                 changes={"evidence": [None, evidence.pk], "photo": [None, evidence.photo.name or None]})
    return evidence


def _evidence(*, task: Task, by, text: str, photo, required: bool) -> TaskEvidence | None:
    text = (text or "").strip()
    if not text and photo is None:
        if required:
            raise ValidationError(_("give the evidence: a short text, a photo, or both"))
        return None
    evidence = TaskEvidence(task=task, text=text, by=by)
    if photo is not None:
        evidence.photo = checked_photo(photo)
    evidence.save()
    return evidence


# ---- "4+4" ------------------------------------------------------------------------------------------

def _template_due(year: int, mm_dd: str) -> dt.date:
    month, day = (int(x) for x in mm_dd.split("-"))
    return dt.date(year, month, day)


@transaction.atomic
def tasks_generate_templates(*, year: int, by, region: Region | None = None, on: dt.date | None = None,
                             source: str = "cli") -> dict:
    """The "4+4" for every pairing in force on `on` (default: today, or the year's last day for a past
    year): four tasks per unit ↔ village pairing, four per cadre ↔ household pairing. Idempotent: a
    pairing's tasks for the year are made once (keyed `unit4|year|pairing|template`)."""
    today = timezone.localdate()
    on = on or min(today, dt.date(year, 12, 31))
    tpl = config.templates(region.code if region else "")
    prefix = code_prefix(region) if region is not None else ""
    units = UnitVillagePairing.objects.filter(in_force(on), village__code__startswith=prefix)
    cadres = (CadreHouseholdPairing.objects.filter(in_force(on), household__village__code__startswith=prefix,
                                                   household__closed=False))
    existing = set(Task.objects.filter(kind__in=("unit4", "cadre4"), year=year).values_list("key", flat=True))
    rows = []
    for kind, owner, pairings in (("unit4", "unit", units.values_list("pk", "unit_id", "village_id")),
                                  ("cadre4", "cadre", cadres.values_list("pk", "cadre_id", "household_id",
                                                                         "household__village_id"))):
        spec = tpl[owner]
        due = _template_due(year, spec["due"])
        for pairing in pairings.iterator(chunk_size=20_000):
            for code, title in spec["items"].items():
                key = f"{kind}|{year}|{pairing[0]}|{code}"
                if key in existing:
                    continue
                if kind == "unit4":
                    rows.append((kind, code, None, pairing[2], year, pairing[1], None, title, due, key))
                else:
                    rows.append((kind, code, pairing[2], pairing[3], year, None, pairing[1], title, due, key))
    last = Task.objects.aggregate(m=Max("pk"))["m"] or 0
    columns = ("kind", "template", "household", "village", "year", "owner_unit", "owner_cadre", "title", "due", "key")
    insert_rows(Task, columns + ("status", "version", "opened_on", "detail", "indicator"),
                (r + (TaskStatus.OPEN, 1, today, "", "") for r in rows))
    now = timezone.now()
    new = list(Task.objects.filter(pk__gt=last, kind__in=("unit4", "cadre4")).values_list("pk", flat=True))
    insert_rows(TaskEvent, ("task", "kind", "at", "by", "by_name", "note"),
                ((pk, TaskEventKind.OPENED, now, by.pk if by else None, by.get_username() if by else "system",
                  "4+4") for pk in new))
    counts = {"unit4": sum(1 for r in rows if r[0] == "unit4"), "cadre4": sum(1 for r in rows if r[0] == "cadre4")}
    audit_batch(actor=by, action="tasks_templates", entity="assistance.task", source=source,
                summary=f"4+4 for {year}: {counts['unit4']} unit tasks, {counts['cadre4']} cadre tasks",
                batch={"year": year, "on": on.isoformat(), "created": new})
    return counts
