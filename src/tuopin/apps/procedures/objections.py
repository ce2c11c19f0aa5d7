"""Objections to a public notice (公示异议): recorded while the notice runs, resolved with how they were checked.

One set of rules for every procedure (a household's identification, exit or return; a village's or county's exit):
the caller finds and locks the procedure, checks the account, and passes the notice step, the stage the procedure
stands at and the stages that are notices; these functions check, write and audit. An unresolved objection holds
the stage after its notice (procedure.timing_errors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.audit.services import audit_change, diff, snapshot


def record(*, model, step, procedure_stage: str, notice_stages: Collection[str], stage_label: str,
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


def resolve(*, objection, resolution: str, on: dt.date, by, subject: str, source: str = "web"):
    """How a (locked) objection was settled (核实结果); an upheld one is followed by a refusal at the next stage."""
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
