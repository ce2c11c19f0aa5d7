"""The household procedures, as services: exit (贫困户退出), identification (建档立卡 新识别), return to poverty (返贫).

    exit, return:   proposed (拟定) → 民主评议 → 村内公示 → 乡镇审核 → 县级审定 → 公告
    identification: 农户申请 → 民主评议 → 第一次公示 → 乡镇审核 → 第二次公示 → 县级审定 → 公告

`PROCEDURES` says, per kind of status event, its stages, its notices and which households may take it. Opening
one (`exit_propose`, `identification_apply`, `return_propose`) makes one `StatusEvent` per household; each following
stage is a `ProcedureStep` (who, when, passed, note). No stage can be skipped, dates never go backwards, a notice
runs at least the standard number of days and the stage after it waits for its end and for every objection to be
resolved. A refusal ends the procedure (stage `refused`); the announcement is the status event that counts
(decision 0005). Decisions 0500–0503 and 1230–1232 say why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_batch, audit_change, diff, snapshot
from tuopin.standards import load as load_standards

from tuopin.apps.registry import choices as c
from tuopin.apps.registry.bulk import insert_rows
from tuopin.apps.registry.models import Household, NoticeObjection, Person, ProcedureStep, StatusEvent
from tuopin.apps.registry.services import CACHED_STATUS_FIELDS, _apply_announced_status
from tuopin.apps.registry.signals import status_announced

from .signals import exit_sent_back

CLOSED_STAGES = (c.Stage.ANNOUNCED, c.Stage.REFUSED)
CHUNK = 2000  # ids per IN (…) list: far below SQLite's and PostgreSQL's parameter limits


# --- rules shared with the village and county procedures (area_procedure.py) ---------------------------------

def actor_name(by, by_name: str = "") -> str:
    """Who signed the stage: the name given (a body such as 村两委, or the official) or the account's name."""
    if by_name.strip():
        return by_name.strip()[:64]
    if by is None:
        return "system"
    return (by.get_full_name() or by.get_username())[:64]


def stage_label(stage: str, choices=c.Stage) -> str:
    return f"{choices(stage).label} ({stage})"


def next_stage(current: str, order: Sequence[str]) -> str | None:
    index = list(order).index(current)
    return order[index + 1] if index + 1 < len(order) else None


def check_arguments(*, stage: str, order: Sequence[str], on: dt.date, passed: bool, note: str,
                    ends_on: dt.date | None, notice_stage: str, choices=c.Stage) -> None:
    """Checks that need no database: the same for every event of a batch."""
    if stage not in order[1:]:
        raise ValidationError(_("'%(stage)s' is not a stage this procedure records; its stages are %(stages)s "
                                "(a refusal is a stage with passed=False)")
                              % {"stage": stage, "stages": " → ".join(map(str, order))})
    if on > timezone.localdate():
        raise ValidationError(_("a stage is recorded once it has happened; %(on)s is in the future") % {"on": on})
    if not passed and not note.strip():
        raise ValidationError(_("a refusal needs a reason (note)"))
    if not passed and stage == order[-1]:
        raise ValidationError(_("an announcement cannot be refused; refuse at %(stage)s")
                              % {"stage": stage_label(order[-2], choices)})
    if ends_on is not None and stage != notice_stage:
        raise ValidationError(_("only a public notice has an end date (ends_on)"))
    if stage == notice_stage and passed and ends_on is None:
        raise ValidationError(_("a public notice needs its end date (ends_on)"))


def notice_days(region_code: str, key: str = "public_notice_days") -> int:
    """The minimum length of a public notice in force for this region (standards: [procedure])."""
    return int(load_standards(region_code).section("procedure")[key])


def timing_errors(*, stage: str, on: dt.date, passed: bool, ends_on: dt.date | None, previous_on: dt.date,
                  notice_stage: str, notice, unresolved: int, min_days: int, after_notice: str,
                  choices=c.Stage) -> list[str]:
    """Date and notice rules for recording `stage` after a step dated `previous_on`.

    `notice` is the procedure's notice step (or None), `after_notice` the stage that must wait for its end."""
    errors = []
    if on < previous_on:
        errors.append(_("dates cannot go backwards: the previous stage was recorded on %(previous)s, not before %(on)s")
                      % {"previous": previous_on, "on": on})
    if stage == notice_stage and passed and ends_on is not None:
        days = (ends_on - on).days + 1  # counted inclusively: the 1st to the 7th is 7 days
        if days < min_days:
            errors.append(_("a public notice runs at least %(min)s days; %(on)s to %(ends)s is %(days)s")
                          % {"min": min_days, "on": on, "ends": ends_on, "days": days})
    if stage == after_notice and notice is not None:
        if notice.ends_on and on <= notice.ends_on:
            errors.append(_("%(stage)s cannot start before the public notice has ended (%(ends)s)")
                          % {"stage": stage_label(stage, choices), "ends": notice.ends_on})
        if unresolved:
            errors.append(ngettext("%(n)s objection to the public notice is unresolved",
                                   "%(n)s objections to the public notice are unresolved", unresolved) % {"n": unresolved})
    return errors


def _insert_steps(event_ids: list[int], *, stage: str, on: dt.date, ends_on: dt.date | None, by_id: int | None,
                  by_name: str, passed: bool, note: str) -> None:
    insert_rows(ProcedureStep, ("event_id", "stage", "on", "ends_on", "by_id", "by_name", "passed", "note"),
                ((eid, stage, on, ends_on, by_id, by_name, passed, note) for eid in event_ids))


def _chunks(ids: list, size: int = CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


# --- the kinds of household procedure ---------------------------------------------------------------------------

@dataclass(frozen=True)
class HouseholdProcedure:
    kind: str  # the StatusEvent kind it ends in
    order: tuple  # its stages, the opening one first
    notices: dict  # notice stage → the stage that waits for the notice's end and its objections
    statuses: tuple  # the cached statuses a household holds while the procedure may run
    open_action: str  # the permission to open one
    audit: str  # the prefix of its audit actions
    noun: str  # for messages: "exit", … (marked with gettext_noop; translated where a message is built)


PROCEDURES = {
    c.EventKind.EXITED: HouseholdProcedure(
        c.EventKind.EXITED, tuple(c.STAGE_ORDER), {c.Stage.PUBLIC_NOTICE: c.Stage.TOWNSHIP_REVIEW},
        tuple(c.POOR_STATUSES), Action.PROPOSE_EXIT, "exit", gettext_noop("exit")),
    c.EventKind.IDENTIFIED: HouseholdProcedure(
        c.EventKind.IDENTIFIED, tuple(c.IDENTIFICATION_ORDER),
        {c.Stage.PUBLIC_NOTICE: c.Stage.TOWNSHIP_REVIEW, c.Stage.SECOND_NOTICE: c.Stage.COUNTY_APPROVAL},
        # not registered (never, or removed as misidentified) or watched as a monitored household
        (c.PovertyStatus.NOT_REGISTERED, c.PovertyStatus.MONITORED), Action.PROPOSE_IDENTIFICATION,
        "identification", gettext_noop("identification")),
    c.EventKind.RETURNED: HouseholdProcedure(
        c.EventKind.RETURNED, tuple(c.RETURN_ORDER), {c.Stage.PUBLIC_NOTICE: c.Stage.TOWNSHIP_REVIEW},
        # exited, or watched as a monitored household after its exit (脱贫不稳定户)
        (c.PovertyStatus.EXITED, c.PovertyStatus.EXITED_NO_POLICY, c.PovertyStatus.MONITORED), Action.PROPOSE_RETURN,
        "return", gettext_noop("return to poverty")),
}
NOTICE_STAGES = frozenset(stage for spec in PROCEDURES.values() for stage in spec.notices)


def _status_problem(spec: HouseholdProcedure, household) -> str:
    if household.closed:
        return _("the household is closed (销户)")
    if household.status not in spec.statuses:
        return _("the household's status is %(status)s, not %(wanted)s") % {
            "status": c.PovertyStatus(household.status).label,
            "wanted": _(" or ").join(str(c.PovertyStatus(s).label) for s in spec.statuses)}
    if household.status == c.PovertyStatus.MONITORED:
        # A monitored household that falls into poverty returns if it was registered before and is identified if
        # it never was (边缘易致贫户, 突发严重困难户): monitoring leaves registration as it was (decision 1422).
        if spec.kind == c.EventKind.RETURNED and not household.is_registered:
            return _("the household was never registered: it is identified, not returned")
        if spec.kind == c.EventKind.IDENTIFIED and household.is_registered:
            return _("the household is registered already: a return to poverty, not an identification")
    return ""


# --- proposal ------------------------------------------------------------------------------------------------

@dataclass
class Proposal:
    """What `exit_propose` did with each household of the list."""

    created: list[StatusEvent] = field(default_factory=list)
    already_open: list[StatusEvent] = field(default_factory=list)  # re-proposed: the open procedure stands
    refused: dict[int, str] = field(default_factory=dict)  # household id → reason


@transaction.atomic
def exit_propose(*, household_ids: Iterable[int], year: int, by, on: dt.date, by_name: str = "",
                 source: str = "web") -> Proposal:
    """Open an exit procedure (拟退出) for each listed household that is poor today.

    A household that already has an open exit procedure for the year keeps it (idempotent); one that is not poor
    (or closed, or unknown) is refused with a reason, and the rest go ahead. One batch audit event."""
    return procedure_open(kind=c.EventKind.EXITED, household_ids=household_ids, year=year, by=by, on=on,
                          by_name=by_name, source=source)


@transaction.atomic
def identification_apply(*, household_ids: Iterable[int], year: int, by, on: dt.date, by_name: str = "",
                         note: str = "", source: str = "web") -> Proposal:
    """Record households' applications to be identified as poor (农户申请), each opening its procedure.

    The household applies on paper; the village records it (`by_name`: the applicant, `note`: what the
    application says). A household must be in the registry and not registered poor (or monitored)."""
    return procedure_open(kind=c.EventKind.IDENTIFIED, household_ids=household_ids, year=year, by=by, on=on,
                          by_name=by_name, note=note, source=source)


@transaction.atomic
def return_propose(*, household_ids: Iterable[int], year: int, by, on: dt.date, reason: str, evidence: str,
                   by_name: str = "", source: str = "web") -> Proposal:
    """Propose exited households back into poverty (返贫), with the reason and the evidence checked."""
    if not reason.strip() or not evidence.strip():
        raise ValidationError(_("a return to poverty needs its reason and its evidence"))
    return procedure_open(kind=c.EventKind.RETURNED, household_ids=household_ids, year=year, by=by, on=on,
                          by_name=by_name, note=evidence, reason=reason, source=source)


def procedure_open(*, kind: str, household_ids: Iterable[int], year: int, by, on: dt.date, by_name: str = "",
                   note: str = "", reason: str = "", source: str = "web") -> Proposal:
    """Open a procedure of `kind` for each listed household that may take it; the others are refused one by one."""
    spec = PROCEDURES[kind]
    require(by, spec.open_action)
    if on.year != year:
        raise ValidationError(_("the %(noun)s for %(year)s is proposed in %(year)s, not on %(on)s")
                              % {"noun": _(spec.noun), "year": year, "on": on})
    if on > timezone.localdate():
        raise ValidationError(_("a proposal is recorded once it is made; %(on)s is in the future") % {"on": on})
    ids = list(dict.fromkeys(int(i) for i in household_ids))
    result, numbers, to_create = Proposal(), {}, []
    for part in _chunks(ids):
        # Lock the households: two offices proposing the same list at once must not open two procedures.
        rows = Household.objects.select_for_update().filter(pk__in=part).only("id", "number", "status", "closed")
        found = {row.pk: row for row in rows}
        reach = _within_reach(by, list(found))
        open_events = {e.household_id: e for e in StatusEvent.objects.filter(
            household_id__in=part, kind=kind, year=year).exclude(stage__in=CLOSED_STAGES)}
        for hid in part:
            row = found.get(hid)
            if row is None or hid not in reach:
                result.refused[hid] = _("no such household")  # outside the area reads as absent, as a page's 404
                continue
            numbers[hid] = row.number
            problem = _status_problem(spec, row)
            if hid in open_events:
                result.already_open.append(open_events[hid])
            elif problem and kind == c.EventKind.EXITED:
                label = _("closed (销户)") if row.closed else c.PovertyStatus(row.status).label
                result.refused[hid] = _("household %(number)s is not poor: %(status)s") % {
                    "number": row.number, "status": label}
            elif problem:
                result.refused[hid] = _("household %(number)s: %(problem)s") % {"number": row.number, "problem": problem}
            else:
                to_create.append(hid)
    name, by_id = actor_name(by, by_name), getattr(by, "pk", None)
    first = spec.order[0]
    now = connection.ops.adapt_datetimefield_value(timezone.now())  # as the ORM would store it (naive UTC on SQLite)
    for part in _chunks(to_create):
        # Tuples, not model instances (decision 0006). Under the household locks, the open events of this kind for
        # these households and the year are exactly the ones just inserted.
        insert_rows(StatusEvent, ("household_id", "kind", "year", "stage", "persons", "reason", "created_at",
                                  "created_by_id"),
                    ((hid, kind, year, first, 0, reason.strip()[:200], now, by_id) for hid in part))
        events = list(StatusEvent.objects.filter(household_id__in=part, kind=kind, year=year,
                                                 stage=first).order_by("id"))
        _insert_steps([e.pk for e in events], stage=first, on=on, ends_on=None, by_id=by_id,
                      by_name=name, passed=True, note=note.strip())
        result.created.extend(events)
    audit_batch(
        actor=by, action=f"{spec.audit}:{first}", entity="registry.statusevent", source=source,
        batch={"year": year, "on": on.isoformat(), "by_name": name, "reason": reason.strip(),
               "created": [[e.pk, numbers[e.household_id]] for e in result.created],
               "already_open": [[e.pk, numbers[e.household_id]] for e in result.already_open],
               "refused": {str(k): v for k, v in result.refused.items()}},
        summary=f"{len(result.created)} households proposed for {spec.noun} in {year}; "
                f"{len(result.already_open)} already open, {len(result.refused)} refused",
    )
    return result


def _within_reach(by, household_ids: list[int]) -> set[int]:
    """The households of the list the account works on (all of them for the system's own jobs)."""
    if by is None:
        return set(household_ids)
    from tuopin.apps.accounts.scoping import households_visible_to

    out = set()
    for part in _chunks(household_ids):
        out.update(households_visible_to(by).filter(pk__in=part).values_list("pk", flat=True))
    return out


# --- advancing a stage ---------------------------------------------------------------------------------------

@dataclass
class _Notice:
    pk: int
    ends_on: dt.date | None


@dataclass
class _Advanced:
    event: StatusEvent
    household: Household
    before: dict  # the event's stage, effective_on, persons, reason before
    household_before: dict | None  # the household's cached status before an announcement


def _advance(event_ids: list[int], *, stage: str, by, on: dt.date, passed: bool, note: str,
             ends_on: dt.date | None, by_name: str, kind: str = c.EventKind.EXITED) -> list[_Advanced]:
    """Validate every event, then write all of them or none. The caller audits."""
    spec = PROCEDURES[kind]
    notice_stage = stage if stage in spec.notices else next(iter(spec.notices))
    check_arguments(stage=stage, order=spec.order, on=on, passed=passed, note=note, ends_on=ends_on,
                    notice_stage=notice_stage)
    require(by, Action.RECORD_STAGE, stage)
    events: dict[int, StatusEvent] = {}
    for part in _chunks(event_ids):
        # Locks the events (and their households) so that two offices cannot record the same stage twice and an
        # objection cannot slip in while the stage after a notice is being recorded.
        events.update((e.pk, e) for e in StatusEvent.objects.select_for_update(of=("self", "household"))
                      .select_related("household__village").filter(pk__in=part))
    reach = _within_reach(by, list({e.household_id for e in events.values()}))
    missing = [i for i in event_ids if i not in events or events[i].household_id not in reach]
    if missing:
        raise ValidationError(_("no such %(noun)s procedure: %(ids)s")
                              % {"noun": _(spec.noun), "ids": ", ".join(map(str, missing))})
    # The notice this stage waits for, if it waits for one.
    waits_for = next((n for n, after in spec.notices.items() if after == stage), None)
    last_on, notices = {}, {}
    for part in _chunks(event_ids):
        steps = ProcedureStep.objects.filter(event_id__in=part).order_by()
        last_on.update(steps.values_list("event_id").annotate(Max("on")))
        if waits_for is not None:
            notices.update((eid, _Notice(pk, ends_on)) for eid, pk, ends_on in steps.filter(
                stage=waits_for).values_list("event_id", "id", "ends_on"))
    unresolved = {}
    for part in _chunks([n.pk for n in notices.values()]):
        unresolved.update(NoticeObjection.objects.filter(step_id__in=part, resolved_on__isnull=True)
                          .values_list("step__event_id").annotate(n=Count("id")).order_by())
    errors = []
    for eid in event_ids:
        event = events[eid]
        hh = event.household
        problems = []
        if event.kind != kind:
            problems.append(_("this is a %(kind)s event, not part of the %(noun)s procedure")
                            % {"kind": event.get_kind_display(), "noun": _(spec.noun)})
        elif event.stage in CLOSED_STAGES:
            problems.append(_("its %(noun)s procedure for %(year)s has ended (%(stage)s)")
                            % {"noun": _(spec.noun), "year": event.year, "stage": stage_label(event.stage)})
        else:
            expected = next_stage(event.stage, spec.order)
            if stage != expected:
                problems.append(_("the next stage is %(expected)s, not %(stage)s: a stage of the %(noun)s "
                                  "procedure cannot be skipped")
                                % {"expected": stage_label(expected), "stage": stage_label(stage),
                                   "noun": _(spec.noun)})
            else:
                problems += timing_errors(
                    stage=stage, on=on, passed=passed, ends_on=ends_on, previous_on=last_on.get(eid, on),
                    notice_stage=notice_stage, notice=notices.get(eid), unresolved=unresolved.get(eid, 0),
                    min_days=notice_days(hh.village.code), after_notice=spec.notices.get(waits_for, ""))
            status_problem = _status_problem(spec, hh)
            if status_problem and kind == c.EventKind.EXITED:
                problems.append(_("the household is no longer poor (%(status)s)") % {"status": hh.get_status_display()})
            elif status_problem:
                problems.append(status_problem)
            if stage == c.Stage.ANNOUNCED and on.year != event.year:
                problems.append(_("the %(noun)s for %(year)s is announced in %(year)s, not on %(on)s; "
                                  "refuse it and propose it again for %(next)s")
                                % {"noun": _(spec.noun), "year": event.year, "on": on, "next": on.year})
        errors += [_("household %(number)s: %(problem)s") % {"number": hh.number, "problem": p} for p in problems]
    if errors:
        raise ValidationError(errors)

    _insert_steps(event_ids, stage=stage, on=on, ends_on=ends_on, by_id=getattr(by, "pk", None),
                  by_name=actor_name(by, by_name), passed=passed, note=note.strip())
    persons = _members_on(list({events[eid].household_id for eid in event_ids}), on) \
        if stage == c.Stage.ANNOUNCED else {}
    done, event_rows, household_rows = [], {}, {}
    for eid in event_ids:
        event = events[eid]
        before = snapshot(event, _EVENT_FIELDS)
        household_before = None
        if not passed:
            event.stage, event.reason = c.Stage.REFUSED, note.strip()[:200]
        else:
            event.stage = stage
            if stage == c.Stage.ANNOUNCED:
                event.effective_on, event.persons = on, persons.get(event.household_id, 0)
                hh = event.household
                household_before = snapshot(hh, CACHED_STATUS_FIELDS)
                _apply_announced_status(hh, kind=kind, year=event.year)
                hh.version += 1
                hh.updated_by = by
                household_rows.setdefault(_values(hh, _HOUSEHOLD_FIELDS), []).append(hh.pk)
        event_rows.setdefault(_values(event, _EVENT_FIELDS), []).append(eid)
        done.append(_Advanced(event, event.household, before, household_before))
    # Every event of a batch ends with the same values (persons aside), so the writes are a few UPDATE … WHERE id IN
    # statements, grouped by value — bulk_update's per-row CASE expressions cost seconds per thousand rows.
    for values, ids in event_rows.items():
        for part in _chunks(ids):
            StatusEvent.objects.filter(pk__in=part).update(**dict(values))
    for values, ids in household_rows.items():
        for part in _chunks(ids):
            Household.objects.filter(pk__in=part).update(**dict(values), version=F("version") + 1, updated_by=by,
                                                         updated_at=timezone.now())
    return done


_EVENT_FIELDS = ("stage", "effective_on", "persons", "reason")
_HOUSEHOLD_FIELDS = (*CACHED_STATUS_FIELDS, "identified_year")


def _values(instance, fields) -> tuple:
    return tuple((f, getattr(instance, f)) for f in fields)


def _members_on(household_ids: list[int], on: dt.date) -> dict[int, int]:
    """Members of each household on a date: active today, or left after that date."""
    counts = {}
    for part in _chunks(household_ids):
        counts.update(Person.objects.filter(household_id__in=part).filter(Q(active=True) | Q(left_on__gt=on))
                      .values_list("household_id").annotate(n=Count("id")).order_by())
    return counts


def _rectify_sent_back(done: list[_Advanced], *, kind: str, stage: str, passed: bool, note: str, by,
                       source: str) -> None:
    """A household's exit sent back means it does not meet the standard yet: a rectification item for its owner
    (decision 1237), which assistance makes on the signal. A refused identification or return is an answer, not
    a problem to put right."""
    if passed or kind != c.EventKind.EXITED:
        return
    for d in done:
        exit_sent_back.send(sender=StatusEvent, event=d.event, stage=stage, note=note, by=by, source=source)


def _announce(done: list[_Advanced], *, kind: str, stage: str, passed: bool, on: dt.date, by, source: str) -> None:
    """Tell the apps above that announced events changed these households' status (registry.signals)."""
    if passed and stage == c.Stage.ANNOUNCED and done:
        status_announced.send(sender=StatusEvent, household_ids=[d.household.pk for d in done], kind=kind, on=on,
                              by=by, source=source)


def _event_id(event) -> int:
    return event.pk if isinstance(event, StatusEvent) else int(event)


def _kind_of(ids: list[int]) -> str:
    """The kind of procedure the first event belongs to (a batch mixing kinds is refused event by event)."""
    kind = StatusEvent.objects.filter(pk__in=ids[:1]).values_list("kind", flat=True).first()
    return kind if kind in PROCEDURES else c.EventKind.EXITED


@transaction.atomic
def exit_advance(*, event: StatusEvent, stage: str, by, on: dt.date, passed: bool = True, note: str = "",
                 ends_on: dt.date | None = None, by_name: str = "", source: str = "web") -> StatusEvent:
    """Record the next stage of one household's exit procedure; a refusal (passed=False) ends it."""
    return procedure_advance(event=event, stage=stage, by=by, on=on, passed=passed, note=note, ends_on=ends_on,
                             by_name=by_name, source=source, kind=c.EventKind.EXITED)


@transaction.atomic
def procedure_advance(*, event: StatusEvent, stage: str, by, on: dt.date, passed: bool = True, note: str = "",
                      ends_on: dt.date | None = None, by_name: str = "", source: str = "web",
                      kind: str | None = None) -> StatusEvent:
    """Record the next stage of one household's procedure (exit, identification or return: the event's kind,
    or `kind` when the caller expects one); a refusal (passed=False) ends it."""
    eid = _event_id(event)
    kind = kind or _kind_of([eid])
    spec = PROCEDURES[kind]
    [done] = _advance([eid], stage=stage, by=by, on=on, passed=passed, note=note, ends_on=ends_on,
                      by_name=by_name, kind=kind)
    _rectify_sent_back([done], kind=kind, stage=stage, passed=passed, note=note, by=by, source=source)
    _announce([done], kind=kind, stage=stage, passed=passed, on=on, by=by, source=source)
    ev = done.event
    verb = "passed" if passed else "refused"
    audit_change(actor=by, action=f"{spec.audit}:{stage}", instance=ev, source=source,
                 changes=diff(done.before, snapshot(ev, done.before)),
                 summary=f"household {done.household.number}: {c.Stage(stage).label} {verb} on {on}"
                         + (f" — {note.strip()}" if note.strip() else ""))
    if done.household_before is not None:
        # The same record status_event_record leaves when an announced event changes the household's status.
        audit_change(actor=by, action=f"event:{kind}", instance=done.household, source=source,
                     changes=diff(done.household_before, snapshot(done.household, done.household_before)),
                     summary=f"{spec.noun} announced on {on}")
    return ev


@transaction.atomic
def exit_advance_many(*, events: Iterable, stage: str, by, on: dt.date, passed: bool = True, note: str = "",
                      ends_on: dt.date | None = None, by_name: str = "", source: str = "web") -> list[StatusEvent]:
    """The same stage for many households' exit procedures at once (a county office's batch): all or none."""
    return procedure_advance_many(events=events, stage=stage, by=by, on=on, passed=passed, note=note,
                                  ends_on=ends_on, by_name=by_name, source=source, kind=c.EventKind.EXITED)


@transaction.atomic
def procedure_advance_many(*, events: Iterable, stage: str, by, on: dt.date, passed: bool = True, note: str = "",
                           ends_on: dt.date | None = None, by_name: str = "", source: str = "web",
                           kind: str | None = None) -> list[StatusEvent]:
    """The same stage for many households at once (a county office's batch): all of them or none.

    Every household that cannot take the stage is named in the error; nothing is written then. The events are
    of one kind (`kind`, else the first one's); an event of another kind is named as an error."""
    ids = list(dict.fromkeys(_event_id(e) for e in events))
    if not ids:
        raise ValidationError(_("no exit procedures given") if kind == c.EventKind.EXITED else _("no procedures given"))
    kind = kind or _kind_of(ids)
    spec = PROCEDURES[kind]
    done = _advance(ids, stage=stage, by=by, on=on, passed=passed, note=note, ends_on=ends_on, by_name=by_name,
                    kind=kind)
    _rectify_sent_back(done, kind=kind, stage=stage, passed=passed, note=note, by=by, source=source)
    _announce(done, kind=kind, stage=stage, passed=passed, on=on, by=by, source=source)
    audit_batch(
        actor=by, action=f"{spec.audit}:{stage}", entity="registry.statusevent", source=source,
        batch={"stage": stage, "on": on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None,
               "passed": passed, "note": note.strip(), "by_name": actor_name(by, by_name),
               "events": [{"event": d.event.pk, "household": d.household.number,
                           "changes": diff(d.before, snapshot(d.event, d.before))} for d in done],
               "households": {d.household.number: diff(d.household_before, snapshot(d.household, d.household_before))
                              for d in done if d.household_before is not None}},
        summary=f"{len(done)} households: {c.Stage(stage).label} {'passed' if passed else 'refused'} on {on}",
    )
    return [d.event for d in done]
