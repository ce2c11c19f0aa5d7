"""Objections to a public notice (公示异议): the one service that records and resolves them, for every procedure.

A household's identification, exit or return and a village's or county's exit all post public notices; an
objection is received while its notice runs, and an unresolved one holds the stage after the notice
(procedure.timing_errors). `objection_record` and `objection_resolve` take a notice step or an objection of
either kind, and for both they lock the procedure, ask the permission layer (`RECORD_OBJECTION` on the household
or the region, decision 1100), check, write and audit. What differs between the kinds — which model, where the
procedure and its place are, which stages are notices — is one `_Notices` each (decision 1361).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.registry.models import NoticeObjection, ProcedureStep, StatusEvent

from .choices import AreaStage
from .models import AreaExit, AreaExitStep, AreaNoticeObjection
from .procedure import PROCEDURES, stage_label


@dataclass(frozen=True)
class _Notices:
    """The notices of one kind of procedure, as the objection service needs them."""

    step: type[models.Model]  # the notice step's model
    objection: type[models.Model]
    procedure: type[models.Model]
    procedure_field: str  # the step's foreign key to its procedure
    place: str  # from a step, the household or region whose reach the permission layer checks
    notice_stages: Callable[[models.Model], Collection[str]]  # a procedure's notice stages
    stage_label: Callable[[str], str]
    subject: Callable[[models.Model], str]  # a step's procedure, in messages and audit summaries


def _household_notices(event) -> Collection[str]:
    spec = PROCEDURES.get(event.kind)
    return spec.notices if spec else ()


HOUSEHOLD = _Notices(
    step=ProcedureStep, objection=NoticeObjection, procedure=StatusEvent, procedure_field="event",
    place="event.household", notice_stages=_household_notices, stage_label=stage_label,
    subject=lambda step: _("household %(number)s") % {"number": step.event.household.number},
)
AREA = _Notices(
    step=AreaExitStep, objection=AreaNoticeObjection, procedure=AreaExit, procedure_field="procedure",
    place="procedure.region", notice_stages=lambda procedure: (AreaStage.PUBLIC_NOTICE,),
    stage_label=lambda stage: stage_label(stage, AreaStage),
    subject=lambda step: _("the exit of %(name)s") % {"name": step.procedure.region.name},
)
_BY_STEP = {n.step: n for n in (HOUSEHOLD, AREA)}
_BY_OBJECTION = {n.objection: n for n in (HOUSEHOLD, AREA)}


def _related(notices: _Notices) -> str:
    return notices.place.replace(".", "__")


@transaction.atomic
def objection_record(*, step, received_on: dt.date, content: str, by, source: str = "web"):
    """A new objection to `step`, which must be the notice its procedure stands at; the next stage waits until
    it is resolved."""
    notices = _BY_STEP[type(step)]
    step = notices.step.objects.select_related(_related(notices)).get(pk=step.pk)
    require(by, Action.RECORD_OBJECTION, attrgetter(notices.place)(step))
    procedure = notices.procedure.objects.select_for_update().get(pk=getattr(step, f"{notices.procedure_field}_id"))
    return _record(model=notices.objection, step=step, procedure_stage=procedure.stage,
                   notice_stages=notices.notice_stages(procedure), stage_label=notices.stage_label(procedure.stage),
                   received_on=received_on, content=content, by=by, subject=notices.subject(step), source=source)


@transaction.atomic
def objection_resolve(*, objection, resolution: str, on: dt.date, by, source: str = "web"):
    """How an objection was settled (核实结果); an upheld one is followed by a refusal at the next stage."""
    notices = _BY_OBJECTION[type(objection)]
    objection = (notices.objection.objects.select_for_update()
                 .select_related(f"step__{_related(notices)}").get(pk=objection.pk))
    require(by, Action.RECORD_OBJECTION, attrgetter(notices.place)(objection.step))
    return _resolve(objection=objection, resolution=resolution, on=on, by=by, subject=notices.subject(objection.step),
                    source=source)


def _record(*, model, step, procedure_stage: str, notice_stages: Collection[str], stage_label: str,
            received_on: dt.date, content: str, by, subject: str, source: str = "web"):
    """A new `model` objection to `step`, which must be the notice the procedure stands at."""
    if step.stage not in notice_stages:
        raise ValidationError(_("objections are recorded against a public notice (公示)"))
    if procedure_stage != step.stage:
        raise ValidationError(_("the notice of %(subject)s is over (the procedure is at %(stage)s)")
                              % {"subject": subject, "stage": stage_label})
    if not content.strip():
        raise ValidationError(_("an objection needs its content"))
    if received_on < step.on:
        raise ValidationError(_("the notice started on %(on)s; an objection cannot be received on %(received)s")
                              % {"on": step.on, "received": received_on})
    if received_on > timezone.localdate():
        raise ValidationError(_("%(date)s is in the future") % {"date": received_on})
    objection = model.objects.create(step=step, received_on=received_on, content=content.strip())
    audit_change(actor=by, action="create", instance=objection, source=source,
                 changes={"received_on": [None, received_on.isoformat()], "content": [None, objection.content]},
                 summary=f"objection to the notice of {subject}")
    return objection


def _resolve(*, objection, resolution: str, on: dt.date, by, subject: str, source: str = "web"):
    """Settle a locked objection."""
    if objection.resolved_on is not None:
        raise ValidationError(_("this objection was already resolved on %(on)s") % {"on": objection.resolved_on})
    if not resolution.strip():
        raise ValidationError(_("a resolution needs its text (how the objection was checked and settled)"))
    if on < objection.received_on:
        raise ValidationError(_("the objection was received on %(received)s; it cannot be resolved on %(on)s")
                              % {"received": objection.received_on, "on": on})
    if on > timezone.localdate():
        raise ValidationError(_("%(date)s is in the future") % {"date": on})
    before = snapshot(objection, ("resolution", "resolved_on"))
    objection.resolution, objection.resolved_on = resolution.strip(), on
    objection.save(update_fields=["resolution", "resolved_on"])
    audit_change(actor=by, action="update", instance=objection, source=source,
                 changes=diff(before, snapshot(objection, before)), summary=f"objection resolved: {subject}")
    return objection
