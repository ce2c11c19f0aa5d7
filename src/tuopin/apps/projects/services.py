"""Projects as services (decision 1503): recorded with the villages they serve and their budget by source, then
started, checked on completion (竣工验收: who, when, passed, notes) and their assets handed over (确权移交) to each
village they serve:

    planned → under_way → completed (a passed check) → handed_over (every village served has its handover)

Each write asks permission, is version-checked and audited in the same transaction. Money on a project moves
only through `funds.py` (allocations and spendings against the consolidation ledger).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change
from tuopin.apps.geo.models import Level, Region
from tuopin.common.versioning import locked, stamp

from .choices import FundSource, ProjectKind, ProjectStatus
from .models import BudgetLine, CompletionCheck, Handover, Project

EDITABLE = ("name", "code", "capacity_kw", "scale", "scale_unit", "year", "note")


def _not_future(on: dt.date, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("%(on)s is in the future") % {"on": on}})


def _villages(villages) -> list[Region]:
    villages = list(villages)
    if any(v.level != Level.VILLAGE for v in villages):
        raise ValidationError({"villages": _("a project serves villages")})
    return villages


def _budget(budget: dict[str, int]) -> dict[str, int]:
    for source, amount in budget.items():
        if source not in FundSource.values:
            raise ValidationError({"budget": _("unknown source of funds: %(source)s") % {"source": source}})
        if not isinstance(amount, int) or amount < 0:
            raise ValidationError({"budget": _("a budget line is an amount of zero or more")})
    return {s: a for s, a in budget.items() if a}


def _set_budget(project: Project, budget: dict[str, int]) -> None:
    BudgetLine.objects.filter(project=project).exclude(source__in=list(budget)).delete()
    for source, amount in budget.items():
        BudgetLine.objects.update_or_create(project=project, source=source, defaults={"amount_fen": amount})
    project.budget_fen = sum(budget.values())


def budget_of(project: Project) -> dict[str, int]:
    return dict(project.budget_lines.values_list("source", "amount_fen"))


@transaction.atomic
def project_create(*, by, kind: str, name: str, villages, county: Region | None = None, budget: dict | None = None,
                   code: str = "", capacity_kw: Decimal | None = None, scale: Decimal | None = None,
                   scale_unit: str = "", year: int | None = None, note: str = "", origin: str = "web") -> Project:
    if kind not in ProjectKind.values:
        raise ValidationError({"kind": _("unknown kind of project: %(kind)s") % {"kind": kind}})
    if not name.strip():
        raise ValidationError({"name": _("required")})
    villages = _villages(villages)
    if county is None and villages:
        county = villages[0].parent.parent if villages[0].parent_id else None
    if by is not None and county is None:
        county = Region.objects.filter(pk=by.region_id).first()
    project = Project(kind=kind, name=name.strip(), code=code.strip(), county=county, capacity_kw=capacity_kw,
                      scale=scale, scale_unit=scale_unit.strip(), year=year, note=note.strip(), updated_by=by)
    budget = _budget(budget or {})
    require(by, Action.RECORD_PROJECTS)
    # The county office records projects of its own county only (the object rule needs a saved project).
    if by is not None and county is not None and county.pk != by.region_id:
        raise ValidationError({"villages": _("the project is outside your area")})
    project.save()
    project.villages.set(villages)
    _set_budget(project, budget)
    project.save(update_fields=["budget_fen"])
    audit_change(actor=by, action="project_create", instance=project, source=origin,
                 changes={"kind": kind, "name": project.name, "villages": [v.code for v in villages],
                          "budget": budget}, summary=f"{project.name} ({kind})")
    return project


@transaction.atomic
def project_change(*, project: Project, by, version: int | None, villages=None, budget: dict | None = None,
                   origin: str = "web", **fields) -> Project:
    project = locked(Project, project.pk, version)
    require(by, Action.RECORD_PROJECTS, project)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not an editable project field: {sorted(unknown)}")
    changes = {k: [str(getattr(project, k)), str(v)] for k, v in fields.items() if getattr(project, k) != v}
    for k in changes:
        setattr(project, k, fields[k])
    if villages is not None:
        villages = _villages(villages)
        before = sorted(project.villages.values_list("code", flat=True))
        after = sorted(v.code for v in villages)
        if before != after:
            changes["villages"] = [before, after]
            project.villages.set(villages)
    if budget is not None:
        budget = _budget(budget)
        before_budget = budget_of(project)
        if before_budget != budget:
            changes["budget"] = [before_budget, budget]
            _set_budget(project, budget)
    if not changes:
        return project
    project.save(update_fields=[*(k for k in changes if k in EDITABLE), "budget_fen", *stamp(project, by)])
    audit_change(actor=by, action="project_change", instance=project, changes=changes, source=origin,
                 summary=f"{project}: " + ", ".join(changes))
    return project


@transaction.atomic
def project_start(*, project: Project, by, version: int | None, on: dt.date, origin: str = "web") -> Project:
    project = locked(Project, project.pk, version)
    require(by, Action.RECORD_PROJECTS, project)
    _not_future(on, "on")
    if project.status != ProjectStatus.PLANNED:
        raise ValidationError(_("%(project)s is %(status)s already, not planned")
                              % {"project": project, "status": project.get_status_display()})
    project.status, project.started_on = ProjectStatus.UNDER_WAY, on
    project.save(update_fields=["status", "started_on", *stamp(project, by)])
    audit_change(actor=by, action="project_start", instance=project, source=origin,
                 changes={"status": [ProjectStatus.PLANNED, ProjectStatus.UNDER_WAY], "started_on": str(on)},
                 summary=f"{project}: started {on}")
    return project


@transaction.atomic
def project_check(*, project: Project, by, version: int | None, checked_on: dt.date, checked_by: str,
                  passed: bool, notes: str = "", origin: str = "web") -> CompletionCheck:
    """A completion check (竣工验收). One that passed completes the project; one that failed says what to redo."""
    project = locked(Project, project.pk, version)
    require(by, Action.RECORD_PROJECTS, project)
    _not_future(checked_on, "checked_on")
    if project.status != ProjectStatus.UNDER_WAY:
        raise ValidationError(_("%(project)s is %(status)s: only a project under way is checked on completion")
                              % {"project": project, "status": project.get_status_display()})
    if not checked_by.strip():
        raise ValidationError({"checked_by": _("say who checked it")})
    if project.started_on and checked_on < project.started_on:
        raise ValidationError({"checked_on": _("the check is before the start (%(start)s)")
                               % {"start": project.started_on}})
    if not passed and not notes.strip():
        raise ValidationError({"notes": _("say what failed the check")})
    check = CompletionCheck.objects.create(project=project, checked_on=checked_on, checked_by=checked_by.strip(),
                                           passed=passed, notes=notes.strip(), recorded_by=by)
    update = list(stamp(project, by))
    if passed:
        project.status, project.completed_on = ProjectStatus.COMPLETED, checked_on
        update += ["status", "completed_on"]
    project.save(update_fields=update)
    audit_change(actor=by, action="project_check", instance=project, source=origin,
                 changes={"check": check.pk, "passed": passed, "checked_on": str(checked_on),
                          "checked_by": check.checked_by, "status": project.status},
                 summary=f"{project}: {'passed' if passed else 'failed'} {checked_on}")
    return check


@transaction.atomic
def project_hand_over(*, project: Project, by, version: int | None, village: Region, on: dt.date, assets: str,
                      value_fen: int = 0, received_by: str = "", document: str = "",
                      origin: str = "web") -> Handover:
    """The assets handed over to a village the project serves (资产确权移交); the last village's makes it handed
    over."""
    project = locked(Project, project.pk, version)
    require(by, Action.RECORD_PROJECTS, project)
    _not_future(on, "on")
    if project.status not in (ProjectStatus.COMPLETED, ProjectStatus.HANDED_OVER):
        raise ValidationError(_("%(project)s is %(status)s: assets are handed over after a passed completion check")
                              % {"project": project, "status": project.get_status_display()})
    served = set(project.villages.values_list("pk", flat=True))
    if village.pk not in served:
        raise ValidationError({"village": _("%(village)s is not served by %(project)s")
                               % {"village": village.name, "project": project}})
    if Handover.objects.filter(project=project, village=village).exists():
        raise ValidationError({"village": _("the assets were handed over to %(village)s already")
                               % {"village": village.name}})
    if not assets.strip():
        raise ValidationError({"assets": _("say what is handed over")})
    if value_fen < 0:
        raise ValidationError({"value_fen": _("a value is zero or more")})
    handover = Handover.objects.create(project=project, village=village, on=on, assets=assets.strip(),
                                       value_fen=value_fen, received_by=received_by.strip(),
                                       document=document.strip(), recorded_by=by)
    update = list(stamp(project, by))
    if served <= set(Handover.objects.filter(project=project).values_list("village_id", flat=True)):
        project.status, project.handed_over_on = ProjectStatus.HANDED_OVER, on
        update += ["status", "handed_over_on"]
    project.save(update_fields=update)
    audit_change(actor=by, action="project_hand_over", instance=project, source=origin,
                 changes={"handover": handover.pk, "village": village.code, "on": str(on), "value_fen": value_fen,
                          "status": project.status}, summary=f"{project} → {village.name}: {assets.strip()[:80]}")
    return handover
