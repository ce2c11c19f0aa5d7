"""The exit procedures of a poor village (贫困村退出) and of a county (贫困县摘帽), as services.

Stages (《关于建立贫困退出机制的意见》 2016 and the provinces' rules built on it; decision 0502):

    village: 村申请 applied → 乡镇审核 township review → 乡镇内公示 public notice → 县级审定 county approval → 公告
    county:  县级申请 applied → 市级初审 city review → 省级核查 province verification (with the third-party
             evaluation, 第三方评估) → 社会公示 public notice → 公告 (the province announces: 摘帽)

The same rules as a household's procedure (procedure.py): no stage skipped, dates never backwards, the notice runs
its minimum length and the stage after it waits for its end and for every objection to be settled; a refusal
needs a reason and ends the procedure, and a later application starts a new one. Each stage belongs to a role
(`permissions.AREA_STAGE_OWNERS`, decision 1233); the region must be within the account's reach. Objections
to its notice are recorded and resolved by the one service every procedure shares (objections.py).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.geo.models import Level, Region

from .choices import AreaKind, AreaStage
from .models import CLOSED_AREA_STAGES, AreaExit, AreaExitStep
from .procedure import actor_name, check_arguments, next_stage, notice_days, stage_label, timing_errors

S = AreaStage
STAGE_ORDERS = {
    AreaKind.VILLAGE: [S.APPLIED, S.TOWNSHIP_REVIEW, S.PUBLIC_NOTICE, S.COUNTY_APPROVAL, S.ANNOUNCED],
    AreaKind.COUNTY: [S.APPLIED, S.CITY_REVIEW, S.PROVINCE_VERIFICATION, S.PUBLIC_NOTICE, S.ANNOUNCED],
}

# The village's notice (乡镇内公示) runs as long as a household's; the province's notice of a county its own length.
NOTICE_DAYS_KEY = {AreaKind.VILLAGE: "public_notice_days", AreaKind.COUNTY: "county_public_notice_days"}


def _within_reach(by, region: Region) -> None:
    """A region outside the account's reach reads as absent (a page's 404)."""
    if by is None:
        return
    from tuopin.apps.accounts.scoping import regions_visible_to

    if not regions_visible_to(by).filter(pk=region.pk).exists():
        raise ValidationError(_("no such village or county"))


def kind_for(region: Region) -> str:
    if region.level == Level.VILLAGE:
        if not region.is_poor_village:
            raise ValidationError(_("%(name)s is not a registered poor village (贫困村); it has no exit to make")
                                  % {"name": region.name})
        return AreaKind.VILLAGE
    if region.level == Level.COUNTY:
        return AreaKind.COUNTY
    raise ValidationError(_("%(name)s is a %(level)s: only a poor village or a county exits")
                          % {"name": region.name, "level": region.get_level_display()})


@transaction.atomic
def area_exit_propose(*, region: Region, year: int, by, on: dt.date, note: str = "", by_name: str = "",
                      source: str = "web") -> AreaExit:
    """Open the exit procedure of a poor village or a county with its application (申请).

    Applying again while the year's procedure is open returns it unchanged; after a refusal a new one starts."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    kind = kind_for(region)
    require(by, Action.PROPOSE_AREA_EXIT, kind)
    _within_reach(by, region)
    if on.year < year:
        raise ValidationError(_("an exit on %(year)s data is applied for in %(year)s or later, not on %(on)s")
                              % {"year": year, "on": on})
    if on > timezone.localdate():
        raise ValidationError(_("an application is recorded once it is made; %(on)s is in the future") % {"on": on})
    live = AreaExit.objects.filter(region=region).exclude(stage=S.REFUSED).order_by("year").last()
    if live is not None:
        if live.stage == S.ANNOUNCED:
            raise ValidationError(_("%(name)s has already exited (announced %(on)s)")
                                  % {"name": region.name, "on": live.effective_on})
        if live.year == year:
            return live
        raise ValidationError(_("%(name)s has an open exit procedure for %(year)s; finish or refuse it first")
                              % {"name": region.name, "year": live.year})
    procedure = AreaExit.objects.create(region=region, kind=kind, year=year, stage=S.APPLIED, created_by=by)
    AreaExitStep.objects.create(procedure=procedure, stage=S.APPLIED, on=on, by=by, by_name=actor_name(by, by_name),
                                note=note.strip())
    audit_change(actor=by, action="create", instance=procedure, source=source,
                 changes={"kind": [None, kind], "year": [None, year], "stage": [None, S.APPLIED]},
                 summary=f"{AreaKind(kind).label}: {region.name} applies on {on} ({year} data)")
    return procedure


def _province_verification_errors(procedure: AreaExit, evaluation_round) -> list[str]:
    if evaluation_round is None:
        return [_("the province verification rests on a third-party evaluation (第三方评估): "
                  "name its evaluation round")]
    if evaluation_round.county_id != procedure.region_id or evaluation_round.data_year != procedure.year:
        return [_("evaluation round “%(name)s” is not on this county's %(year)s data")
                % {"name": evaluation_round.name, "year": procedure.year}]
    return []


@transaction.atomic
def area_exit_advance(*, procedure: AreaExit, stage: str, by, on: dt.date, passed: bool = True, note: str = "",
                      ends_on: dt.date | None = None, by_name: str = "", evaluation_round=None,
                      source: str = "web") -> AreaExit:
    """Record the next stage of a village's or county's exit procedure; a refusal (passed=False) ends it."""
    procedure = AreaExit.objects.select_for_update().select_related("region").get(pk=procedure.pk)
    order = STAGE_ORDERS[AreaKind(procedure.kind)]
    check_arguments(stage=stage, order=order, on=on, passed=passed, note=note, ends_on=ends_on,
                    notice_stage=S.PUBLIC_NOTICE, choices=S)
    require(by, Action.RECORD_AREA_STAGE, (procedure.kind, stage))
    _within_reach(by, procedure.region)
    if procedure.stage in CLOSED_AREA_STAGES:
        raise ValidationError(_("%(name)s: the exit procedure has ended (%(stage)s)")
                              % {"name": procedure.region.name, "stage": stage_label(procedure.stage, S)})
    expected = next_stage(procedure.stage, order)
    if stage != expected:
        raise ValidationError(_("%(name)s: the next stage is %(expected)s, not %(stage)s: a stage of the exit "
                                "procedure cannot be skipped")
                              % {"name": procedure.region.name, "expected": stage_label(expected, S),
                                 "stage": stage_label(stage, S)})
    steps = list(procedure.steps.order_by("on", "id"))
    notice = next((s for s in steps if s.stage == S.PUBLIC_NOTICE), None)
    unresolved = notice.objections.filter(resolved_on__isnull=True).count() if notice else 0
    errors = timing_errors(stage=stage, on=on, passed=passed, ends_on=ends_on,
                           previous_on=steps[-1].on if steps else on, notice_stage=S.PUBLIC_NOTICE, notice=notice,
                           unresolved=unresolved, min_days=notice_days(procedure.region.code, NOTICE_DAYS_KEY[procedure.kind]),
                           after_notice=next_stage(S.PUBLIC_NOTICE, order), choices=S)
    if stage == S.PROVINCE_VERIFICATION and passed:
        errors += _province_verification_errors(procedure, evaluation_round)
    if errors:
        raise ValidationError([_("%(name)s: %(problem)s") % {"name": procedure.region.name, "problem": e}
                               for e in errors])

    AreaExitStep.objects.create(procedure=procedure, stage=stage, on=on, ends_on=ends_on, by=by,
                                by_name=actor_name(by, by_name), passed=passed, note=note.strip(),
                                evaluation_round=evaluation_round)
    before = snapshot(procedure, ("stage", "effective_on", "reason"))
    if not passed:
        procedure.stage, procedure.reason = S.REFUSED, note.strip()[:200]
    else:
        procedure.stage = stage
        if stage == S.ANNOUNCED:
            procedure.effective_on = on
    procedure.save(update_fields=["stage", "effective_on", "reason"])
    audit_change(actor=by, action=f"{procedure.kind}_exit:{stage}", instance=procedure, source=source,
                 changes=diff(before, snapshot(procedure, before)),
                 summary=f"{procedure.region.name}: {S(stage).label} {'passed' if passed else 'refused'} on {on}"
                         + (f" — {note.strip()}" if note.strip() else ""))
    return procedure
