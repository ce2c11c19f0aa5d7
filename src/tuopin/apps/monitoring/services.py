"""The monitoring procedure as services (防止返贫动态监测和帮扶机制, decisions 1400–1404):

    clue (线索登记) → village review (民主评议/村级初审) → village notice (村内公示, ≥ N days)
        → township approval (乡镇审核确定: a `monitoring_in` status event) → under assistance (帮扶, measures routed
        as tasks) → risk removed (风险消除: a `risk_removed` status event)
    a refusal at the review or the township's stage ends the case: not included (不纳入), with the reason.

A clue comes from a cadre's visit, the village, the township, the county office, the assessment's candidates, a
department's alert or the household's own application (recorded by a cadre, or sent on the public form: matched
to a household by its ID number, never telling the sender whether it matched). Each stage is a `CaseStep` (when,
who and in which role, passed, why), checked against the stage before it, version-checked and audited in the
same transaction. Who takes each stage is decided in `accounts.permissions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.assessment.services import explain_household
from tuopin.apps.assistance import config as routing
from tuopin.apps.assistance.rectification import route_owner
from tuopin.apps.assistance.tasks import task_create
from tuopin.apps.audit.services import audit_change, diff, snapshot
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry import choices as rc
from tuopin.apps.registry.models import Household, HouseholdYear, Person
from tuopin.apps.registry.services import status_event_record
from tuopin.common import idnumber
from tuopin.common.versioning import locked, stamp
from tuopin.standards import StandardMissing
from tuopin.standards import load as load_standards

from . import deadlines
from .choices import CLOSED, RISK_WORDS, CaseKind, Channel, MeasureKind, Risk, Stage
from .models import CaseStep, Measure, MonitoringCase

CASE_FIELDS = ("stage", "kind", "risks", "household", "decided_on", "included_on", "removed_on",
               "not_included_reason", "monitoring_event", "removal_event")
EXITED_STATUSES = (rc.PovertyStatus.EXITED, rc.PovertyStatus.EXITED_NO_POLICY)
# Statuses that are not monitored: poor (assisted as poor), monitored already, closed.
NOT_MONITORABLE = (rc.PovertyStatus.POOR, rc.PovertyStatus.RETURNED, rc.PovertyStatus.MONITORED,
                   rc.PovertyStatus.CLOSED)
NO_LABOUR = (rc.LabourAbility.LOST, rc.LabourAbility.NONE)


# --- helpers ------------------------------------------------------------------------------------------------

def risks_text(risks: Iterable[str]) -> str:
    """",illness,disaster," — the stored form, in the choices' order, each code once (decision 1400)."""
    chosen = set(risks)
    unknown = chosen - set(Risk.values)
    if unknown:
        raise ValidationError({"risks": _("unknown risk: %(risks)s") % {"risks": ", ".join(sorted(unknown))}})
    ordered = [r for r in Risk.values if r in chosen]
    return f",{','.join(ordered)}," if ordered else ""


def _by_name(by, by_name: str = "") -> str:
    if by_name.strip():
        return by_name.strip()[:64]
    if by is None:
        return "system"
    return (by.get_full_name() or by.get_username())[:64]


def _check_day(on: dt.date, *, after: dt.date | None = None) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": _("a stage is recorded once it has happened; %(on)s is in the future") % {"on": on}})
    if after is not None and on < after:
        raise ValidationError({"on": _("dates cannot go backwards: the previous stage was recorded on %(previous)s")
                                     % {"previous": after}})


def step_add(case: MonitoringCase, *, stage: str, on: dt.date, by, passed: bool = True, note: str = "",
             ends_on: dt.date | None = None, by_name: str = "") -> CaseStep:
    """A step of the case's procedure, as the caller's service has checked, permitted and will audit it."""
    return CaseStep.objects.create(case=case, stage=stage, on=on, ends_on=ends_on, by=by,
                                   by_role=getattr(by, "role", "") or "", by_name=_by_name(by, by_name),
                                   passed=passed, note=note.strip())


def _last_on(case: MonitoringCase) -> dt.date:
    last = case.steps.order_by("-on", "-id").values_list("on", flat=True).first()
    return last or case.clue_on


def _save(case: MonitoringCase, before: dict, *, by, action: str, source: str, summary: str) -> MonitoringCase:
    case.save()
    audit_change(actor=by, action=f"monitoring:{action}", instance=case, source=source,
                 changes=diff(before, snapshot(case, before)), summary=summary)
    return case


def _open_case_of(household: Household) -> MonitoringCase | None:
    return MonitoringCase.objects.filter(household=household).exclude(stage__in=CLOSED).first()


def _case_for_stage(case, version, expected: str, action: str, by) -> MonitoringCase:
    case = locked(MonitoringCase, case.pk, version)
    require(by, action, case)
    if case.stage != expected:
        raise ValidationError(_("the case is at “%(stage)s”; this stage follows “%(expected)s”")
                              % {"stage": Stage(case.stage).label, "expected": Stage(expected).label})
    return case


# --- the clue -----------------------------------------------------------------------------------------------

@transaction.atomic
def clue_record(*, by, household: Household, channel: str, on: dt.date, kind: str = "", risks: Iterable[str] = (),
                note: str = "", by_name: str = "", source: str = "web") -> MonitoringCase:
    """线索登记: a clue about a household the account reaches (a cadre's visit, an application on paper …)."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("unknown channel %(channel)s") % {"channel": channel}})
    require(by, Action.RECORD_MONITORING_CLUE, (channel, household))
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.closed:
        raise ValidationError(_("the household is closed (销户)"))
    if kind and kind not in CaseKind.values:
        raise ValidationError({"kind": _("unknown kind %(kind)s") % {"kind": kind}})
    _check_day(on)
    if not note.strip():
        raise ValidationError({"note": _("describe the difficulty the clue is about")})
    existing = _open_case_of(household)
    if existing is not None:
        raise ValidationError(_("the household already has an open monitoring case (case %(pk)s): add to it")
                              % {"pk": existing.pk})
    case = MonitoringCase.objects.create(
        household=household, village_id=household.village_id, kind=kind, risks=risks_text(risks), channel=channel,
        clue_on=on, note=note.strip(), created_by=by, updated_by=by)
    step_add(case, stage=Stage.CLUE, on=on, by=by, note=note, by_name=by_name)
    audit_change(actor=by, action="monitoring:clue", instance=case, source=source,
                 changes={k: [None, v] for k, v in snapshot(case, ("household", "village", "kind", "risks",
                                                                    "channel", "clue_on")).items()},
                 summary=f"household {household.number}: monitoring clue ({channel}) on {on}")
    return case


def _client_key(address: str | None) -> str:
    return salted_hmac("tuopin.monitoring.application", address or "-", algorithm="sha256").hexdigest()


def throttled(client_address: str | None) -> bool:
    """Has this client address sent as many applications as the window allows (settings, decision 1402)?"""
    since = timezone.now() - dt.timedelta(hours=settings.PUBLIC_APPLICATION_WINDOW_HOURS)
    sent = MonitoringCase.objects.filter(client_key=_client_key(client_address), created_at__gte=since).count()
    return sent >= settings.PUBLIC_APPLICATION_LIMIT


def _match(id_number: str) -> Household | None:
    person = (Person.objects.filter(id_number=id_number, active=True, household__closed=False)
              .select_related("household").first())
    return person.household if person is not None else None


def _valid_id_number(raw: str) -> str:
    try:
        return idnumber.parse(raw).value
    except idnumber.IDNumberError:
        raise ValidationError({"id_number": _("this is not a valid 18-character resident ID number")}) from None


@transaction.atomic
def application_submit(*, name: str, id_number: str, village: Region, phone: str, description: str,
                       client_address: str | None, on: dt.date | None = None) -> None:
    """农户自主申报 on the public form: a clue of channel `self_application` for the household holding the ID
    number, or, when none does, an unmatched application in the village's list for the village to look up.

    Returns nothing on purpose: the caller cannot tell the sender whether the number matched (decision 1402).
    Past the limit of applications from one address (`throttled`, which the page asks first) it stores nothing."""
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("choose your village")})
    if not name.strip():
        raise ValidationError({"name": _("give your name")})
    if not description.strip():
        raise ValidationError({"description": _("describe the difficulty")})
    value = _valid_id_number(id_number)
    if throttled(client_address):
        raise ValidationError(_("too many applications have been sent from here; try again tomorrow"))
    _from_id_number(by=None, id_number=value, village=village, channel=Channel.SELF_APPLICATION, note=description,
                    on=on or timezone.localdate(), name=name, phone=phone, client_key=_client_key(client_address),
                    source="public")


@transaction.atomic
def alert_record(*, by, id_number: str, village: Region, note: str, on: dt.date, kind: str = "",
                 risks: Iterable[str] = (), source: str = "web") -> None:
    """部门筛查预警: a department's alert about a resident (a large medical bill, a disaster loss …), named by the
    ID number in its own data. Matched like an application; the department is not told whether it matched."""
    require(by, Action.RECORD_MONITORING_CLUE, (Channel.DEPARTMENT_ALERT, None))
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("choose the village")})
    if kind and kind not in CaseKind.values:
        raise ValidationError({"kind": _("unknown kind %(kind)s") % {"kind": kind}})
    if not note.strip():
        raise ValidationError({"note": _("describe the difficulty the clue is about")})
    _check_day(on)
    _from_id_number(by=by, id_number=_valid_id_number(id_number), village=village, channel=Channel.DEPARTMENT_ALERT,
                    note=note, on=on, kind=kind, risks=risks, department_id=getattr(by, "department_id", None),
                    source=source)


def _from_id_number(*, by, id_number: str, village: Region, channel: str, note: str, on: dt.date, name: str = "",
                    phone: str = "", kind: str = "", risks: Iterable[str] = (), client_key: str = "",
                    department_id: int | None = None, source: str) -> MonitoringCase:
    household = _match(id_number)
    fields = dict(kind=kind, risks=risks_text(risks), channel=channel, clue_on=on, note=note.strip()[:2000],
                  from_public_form=by is None, client_key=client_key, department_id=department_id, created_by=by,
                  updated_by=by)
    if household is not None:
        case = MonitoringCase.objects.create(household=household, village_id=household.village_id, **fields)
    else:
        case = MonitoringCase.objects.create(village=village, applicant_name=name.strip()[:64],
                                             applicant_id_number=id_number, applicant_phone=phone.strip()[:20],
                                             **fields)
    step_add(case, stage=Stage.CLUE, on=on, by=by, note=note[:500],
          by_name=_("the applicant") if by is None else "")
    # The trail says what came in and whether it matched; the personal values stay on the case.
    audit_change(actor=by, action="monitoring:clue", instance=case, source=source,
                 changes={"channel": [None, channel], "village": [None, case.village_id],
                          "household": [None, case.household_id], "matched": [None, household is not None]},
                 summary=f"monitoring clue ({channel}) in village {case.village_id} on {on}")
    return case


# --- the village ----------------------------------------------------------------------------------------------

@transaction.atomic
def case_review(*, case: MonitoringCase, version: int | None, by, on: dt.date, passed: bool = True, note: str = "",
                kind: str = "", risks: Iterable[str] | None = None, household: Household | None = None,
                by_name: str = "", source: str = "web") -> MonitoringCase:
    """民主评议 / 村级初审: the village reviews the clue — its kind and risks, and for an application that matched no
    household, the household it is about — or does not include it, with the reason."""
    case = _case_for_stage(case, version, Stage.CLUE, Action.REVIEW_MONITORING_CASE, by)
    _check_day(on, after=_last_on(case))
    before = snapshot(case, CASE_FIELDS)
    if not passed:
        return _not_included(case, before, stage=Stage.VILLAGE_REVIEW, on=on, by=by, note=note, by_name=by_name,
                             source=source)
    if household is not None and household.pk != case.household_id:
        if case.household_id is not None:
            raise ValidationError(_("the case is already about a household"))
        if household.village_id != case.village_id:
            raise ValidationError({"household": _("the household is not in the case's village")})
        require(by, Action.SEE_HOUSEHOLDS, household)
        other = _open_case_of(household)
        if other is not None:
            raise ValidationError({"household": _("the household already has an open monitoring case (case "
                                                  "%(pk)s): close this one as not included") % {"pk": other.pk}})
        # The household's record holds the applicant's details now; the case keeps no second copy.
        case.household, case.applicant_name, case.applicant_id_number, case.applicant_phone = household, "", "", ""
    if case.household_id is None:
        raise ValidationError({"household": _("find the household this application is about (or do not include "
                                              "it, saying why)")})
    case.kind = kind or case.kind
    if case.kind not in CaseKind.values:
        raise ValidationError({"kind": _("say which kind of household it is")})
    if risks is not None:
        case.risks = risks_text(risks)
    if not case.risks:
        raise ValidationError({"risks": _("name at least one risk")})
    case.stage = Stage.VILLAGE_REVIEW
    stamp(case, by)
    step_add(case, stage=Stage.VILLAGE_REVIEW, on=on, by=by, note=note, by_name=by_name)
    return _save(case, before, by=by, action="village_review", source=source,
                 summary=f"case {case.pk}: village review passed on {on}")


@transaction.atomic
def case_notice(*, case: MonitoringCase, version: int | None, by, on: dt.date, ends_on: dt.date, note: str = "",
                by_name: str = "", source: str = "web") -> MonitoringCase:
    """村内公示: the village posts the households it proposes, for at least the standard number of days."""
    case = _case_for_stage(case, version, Stage.VILLAGE_REVIEW, Action.REVIEW_MONITORING_CASE, by)
    _check_day(on, after=_last_on(case))
    rules = deadlines.limits(case.village.code)
    days = (ends_on - on).days + 1  # counted inclusively, as the exit notices
    if days < rules.notice_days:
        raise ValidationError({"ends_on": _("a village notice runs at least %(min)s days; %(on)s to %(ends)s is "
                                            "%(days)s") % {"min": rules.notice_days, "on": on, "ends": ends_on,
                                                           "days": days}})
    before = snapshot(case, CASE_FIELDS)
    case.stage = Stage.VILLAGE_NOTICE
    stamp(case, by)
    step_add(case, stage=Stage.VILLAGE_NOTICE, on=on, ends_on=ends_on, by=by, note=note, by_name=by_name)
    return _save(case, before, by=by, action="village_notice", source=source,
                 summary=f"case {case.pk}: village notice {on} to {ends_on}")


# --- the township -------------------------------------------------------------------------------------------

def _monitorable(case: MonitoringCase) -> str:
    household = case.household
    if household.closed or household.status in NOT_MONITORABLE:
        return _("the household's status is %(status)s: it cannot be taken under monitoring") % {
            "status": rc.PovertyStatus(household.status).label}
    if case.kind == CaseKind.UNSTABLE and household.status not in EXITED_STATUSES:
        return _("an unstable exited household (脱贫不稳定户) must have exited poverty; this one's status is "
                 "%(status)s") % {"status": rc.PovertyStatus(household.status).label}
    return ""


@transaction.atomic
def case_approve(*, case: MonitoringCase, version: int | None, by, on: dt.date, passed: bool = True, note: str = "",
                 by_name: str = "", source: str = "web") -> MonitoringCase:
    """乡镇审核确定: the township takes the household under monitoring — an announced `monitoring_in` status event,
    which the engine's status rule reads — or does not include it, with the reason."""
    case = _case_for_stage(case, version, Stage.VILLAGE_NOTICE, Action.APPROVE_MONITORING_CASE, by)
    _check_day(on, after=_last_on(case))
    notice = case.steps.filter(stage=Stage.VILLAGE_NOTICE).order_by("-id").first()
    if notice is not None and notice.ends_on and on <= notice.ends_on:
        raise ValidationError({"on": _("the township decides after the village notice has ended (%(ends)s)")
                                     % {"ends": notice.ends_on}})
    before = snapshot(case, CASE_FIELDS)
    if not passed:
        return _not_included(case, before, stage=Stage.TOWNSHIP_APPROVAL, on=on, by=by, note=note, by_name=by_name,
                             source=source)
    problem = _monitorable(case)
    if problem:
        raise ValidationError(problem)
    event = status_event_record(household=case.household, kind=rc.EventKind.MONITORING_IN, year=on.year,
                                effective_on=on, by=by, source=source,
                                reason=f"{CaseKind(case.kind).label}（{_risk_words(case)}）"[:200])
    case.stage, case.decided_on, case.included_on, case.monitoring_event = Stage.ASSISTANCE, on, on, event
    stamp(case, by)
    step_add(case, stage=Stage.TOWNSHIP_APPROVAL, on=on, by=by, note=note, by_name=by_name)
    return _save(case, before, by=by, action="township_approval", source=source,
                 summary=f"case {case.pk}: household {case.household.number} taken under monitoring on {on}")


def _risk_words(case: MonitoringCase) -> str:
    words = {code: word for word, code in RISK_WORDS.items()}
    return "、".join(words.get(r, r) for r in case.risk_codes())


def _not_included(case, before, *, stage: str, on: dt.date, by, note: str, by_name: str, source: str):
    if not note.strip():
        raise ValidationError({"note": _("not including a household needs the reason")})
    case.stage, case.decided_on, case.not_included_reason = Stage.NOT_INCLUDED, on, note.strip()
    stamp(case, by)
    step_add(case, stage=stage, on=on, by=by, passed=False, note=note, by_name=by_name)
    return _save(case, before, by=by, action=f"{stage}:not_included", source=source,
                 summary=f"case {case.pk}: not included at {stage} on {on}")


# --- assistance -----------------------------------------------------------------------------------------------

@transaction.atomic
def measure_record(*, case: MonitoringCase, by, kind: str, description: str, responsible: str = "",
                   on: dt.date | None = None, source: str = "web") -> Measure:
    """帮扶措施: a measure on a case under assistance, routed as a task to the first owner the routing table's
    `[monitoring.measures]` list finds for the household (assistance/data/routing.toml)."""
    case = locked(MonitoringCase, case.pk, None)
    require(by, Action.RECORD_MONITORING_MEASURE, case)
    if case.stage != Stage.ASSISTANCE:
        raise ValidationError(_("measures are recorded on a case under assistance; this one is at “%(stage)s”")
                              % {"stage": Stage(case.stage).label})
    if kind not in MeasureKind.values:
        raise ValidationError({"kind": _("unknown measure %(kind)s") % {"kind": kind}})
    if not description.strip():
        raise ValidationError({"description": _("describe the measure")})
    on = on or timezone.localdate()
    _check_day(on, after=case.included_on)
    village = case.village
    route = routing.monitoring_routes(village.code).get(kind)
    if route is None:
        raise ValidationError(_("the routing table names no owner for measures of this kind"))
    unit, cadre = route_owner(village=village, household=case.household, owners=route.owners)
    if unit is None and cadre is None:
        raise ValidationError(_("nobody to give this measure to: the routing table's owners (%(owners)s) are not "
                                "set for this household") % {"owners": ", ".join(route.owners)})
    from tuopin.apps.organisation.models import Cadre, Unit

    task = task_create(kind="monitoring", by=by, household=case.household,
                       title=f"防返贫帮扶（{route.label}）：{description.strip()}"[:200], detail=description.strip(),
                       owner_unit=Unit.objects.get(pk=unit) if unit else None,
                       owner_cadre=Cadre.objects.get(pk=cadre) if cadre else None,
                       due=max(on, timezone.localdate()) + dt.timedelta(days=route.due_in_days), year=on.year,
                       source=source)
    measure = Measure.objects.create(case=case, kind=kind, description=description.strip(),
                                     responsible=responsible.strip()[:64], on=on, task=task, by=by)
    audit_change(actor=by, action="monitoring:measure", instance=measure, source=source,
                 changes={k: [None, v] for k, v in snapshot(measure, ("case", "kind", "on", "task")).items()},
                 summary=f"case {case.pk}: measure ({kind}) routed as task {task.pk}")
    return measure


# --- risk removal ---------------------------------------------------------------------------------------------

def income_line_fen(region_code: str, year: int) -> int:
    """The monitoring line of the year per person, in fen; before 2021, the 2020 guidance's ratio × the poverty line."""
    standards = load_standards(region_code)
    try:
        return standards.monitoring_line_yuan(year) * 100
    except StandardMissing:
        ratio = float(standards.section("monitoring")["2020"]["income_line_ratio"])
        return int(round(standards.poverty_line_fen(year) * ratio))


def removal_refusals(case: MonitoringCase, on: dt.date) -> list[str]:
    """Why the risk cannot be removed on `on` (empty when it can): the months since inclusion, labour capacity,
    the latest yearly record's income against the monitoring line, and the engine's 两不愁三保障 gaps."""
    household, code = case.household, case.village.code
    rules = deadlines.limits(code)
    reasons = []
    earliest = deadlines.add_months(case.included_on, rules.stable_months)
    if on < earliest:
        reasons.append(_("the risk is removed no sooner than %(months)s months after inclusion (%(included)s): "
                         "not before %(earliest)s") % {"months": rules.stable_months, "included": case.included_on,
                                                       "earliest": earliest})
    abilities = list(household.members.filter(active=True).values_list("labour_ability", flat=True))
    if abilities and all(a in NO_LABOUR for a in abilities):
        reasons.append(_("no member of the household can work: it stays under monitoring, supported by the "
                         "social-assistance policies (兜底保障)"))
    record = HouseholdYear.objects.filter(household=household, year__lte=on.year).order_by("-year").first()
    if record is None:
        reasons.append(_("the household has no yearly record to judge its income by"))
        return reasons
    try:
        line = income_line_fen(code, record.year)
    except (StandardMissing, KeyError):
        reasons.append(_("no monitoring line for %(year)s in the standards") % {"year": record.year})
        return reasons
    if not record.per_capita_net_income_fen > line:
        reasons.append(_("income per person in %(year)s is %(income)s yuan, not above the monitoring line of "
                         "%(line)s yuan") % {"year": record.year, "income": record.per_capita_net_income_fen // 100,
                                             "line": line // 100})
    gaps = [row for row in explain_household(household_id=household.pk, year=record.year, region_code=code)
            if row["indicator"] != "income"]
    for row in gaps:
        reasons.append(_("%(year)s: %(reason)s") % {"year": record.year, "reason": row["reason"]})
    return reasons


@transaction.atomic
def risk_remove(*, case: MonitoringCase, version: int | None, by, on: dt.date, note: str = "", by_name: str = "",
                source: str = "web") -> MonitoringCase:
    """风险消除: the township removes the risk when the criteria hold — an announced `risk_removed` event."""
    case = _case_for_stage(case, version, Stage.ASSISTANCE, Action.REMOVE_MONITORING_RISK, by)
    _check_day(on, after=_last_on(case))
    reasons = removal_refusals(case, on)
    if reasons:
        raise ValidationError(reasons)
    before = snapshot(case, CASE_FIELDS)
    event = status_event_record(household=case.household, kind=rc.EventKind.RISK_REMOVED, year=on.year,
                                effective_on=on, by=by, source=source, reason=(note.strip() or "风险消除")[:200])
    case.stage, case.removed_on, case.removal_event = Stage.RISK_REMOVED, on, event
    stamp(case, by)
    step_add(case, stage=Stage.RISK_REMOVED, on=on, by=by, note=note, by_name=by_name)
    return _save(case, before, by=by, action="risk_removed", source=source,
                 summary=f"case {case.pk}: household {case.household.number} risk removed on {on}")

