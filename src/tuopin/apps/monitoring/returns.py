"""A return to poverty (返贫) or a new identification announced for a household ends its open monitoring case
(decision 1442).

The return is the registry's procedure; monitoring hears of it through `registry.signals.status_announced`, inside
the announcement's transaction, and closes the case there: stage `returned`, the day it took effect, a step by the
same account and an audit record — so the case list, `tuopin monitor` and the dashboards stop counting the
household as monitored on the day it is counted poor.
"""

from __future__ import annotations

import datetime as dt

from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.registry import choices as rc
from tuopin.common.versioning import stamp

from .choices import CLOSED, Stage
from .models import MonitoringCase
from .services import step_add

RETURN_FIELDS = ("stage", "returned_on")
# A registered household falls back (返贫); a never-registered one is identified (致贫): either way it leaves
# monitoring for the poor's assistance, and its case ends at the stage `returned`.
ENDS_A_CASE = {rc.EventKind.RETURNED: "返贫认定，监测结束", rc.EventKind.IDENTIFIED: "识别为贫困户，监测结束"}


def on_status_announced(sender, *, household_ids: list[int], kind: str, on: dt.date, by, source: str,
                        **kwargs) -> None:
    note = ENDS_A_CASE.get(kind)
    if note is None:
        return
    open_cases = (MonitoringCase.objects.select_for_update().filter(household_id__in=household_ids)
                  .exclude(stage__in=CLOSED).select_related("household"))
    for case in open_cases:
        before = snapshot(case, RETURN_FIELDS)
        case.stage, case.returned_on = Stage.RETURNED, on
        stamp(case, by)
        case.save()
        step_add(case, stage=Stage.RETURNED, on=on, by=by, note=note)
        audit_change(actor=by, action="monitoring:returned", instance=case, source=source,
                     changes=diff(before, snapshot(case, before)),
                     summary=f"case {case.pk}: household {case.household.number} {kind} on {on}: monitoring ends")
