"""Assessments (考核): periodic scores for cadres, units, work teams and townships from their tasks and visits,
the war-zone commander's proposal (建议) and veto (否决), and the reports per cadre and unit.

The formula's weights are data (data/scoring.toml, decision 0712). A veto caps the result at fail whatever
the score; the computed result is kept beside it, and every score, proposal and veto is an AssessmentEvent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.services import audit_batch, audit_change
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.models import (Cadre, CadreHouseholdPairing, Unit, UnitVillagePairing, WorkTeam,
                                             WorkTeamMember)

from . import config
from .models import Assessment, AssessmentEvent, Level as ItemLevel, ResponsibilityItem, Task, TaskStatus, Visit

KINDS = ("cadre", "unit", "work_team", "township")
VETOABLE = ("unit", "work_team")  # the commander's veto reaches paired units and work teams (战区制)
FAIL = "fail"
_PERIOD = re.compile(r"^(\d{4})(?:(H)([12])|(Q)([1-4]))?$")


def period_range(period: str) -> tuple[dt.date, dt.date]:
    """"2018" → the year; "2018H1" / "2018H2" → a half; "2018Q3" → a quarter."""
    m = _PERIOD.match(period or "")
    if not m:
        raise ValidationError({"period": _("“%(period)s” is not a period: 2018, 2018H1 or 2018Q3") % {"period": period}})
    year = int(m.group(1))
    if m.group(2):
        first, months = (int(m.group(3)) - 1) * 6 + 1, 6
    elif m.group(4):
        first, months = (int(m.group(5)) - 1) * 3 + 1, 3
    else:
        first, months = 1, 12
    start = dt.date(year, first, 1)
    last_month = first + months - 1
    end = dt.date(year + (last_month == 12), last_month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def grade(score: float, grades: dict) -> str:
    for name in ("excellent", "good", "pass"):
        if score >= float(grades[name]):
            return name
    return FAIL


def score_of(counts: dict, cfg: dict) -> tuple[float | None, dict]:
    """(score, rates) from a subject's counts; None when no component applies."""
    rates = {}
    if counts["due"]:
        rates["on_time"] = counts["on_time"] / counts["due"]
    if counts["gap_tasks"]:
        rates["gaps_closed"] = counts["gaps_closed"] / counts["gap_tasks"]
    if counts["visits_expected"]:
        rates["visits"] = min(1.0, counts["visits"] / counts["visits_expected"])
    weights = {k: float(v) for k, v in cfg["weights"].items() if k in rates}
    if not weights or not sum(weights.values()):
        return None, rates
    base = 100 * sum(weights[k] * rates[k] for k in weights) / sum(weights.values())
    # The penalty follows the share of the subject's tasks that are overdue, so a township answering for two
    # thousand tasks is not failed by the sixteen a cadre with four would be (decision 0712).
    accountable = counts.get("accountable") or max(counts["due"], counts["overdue"])
    overdue_percent = 100 * counts["overdue"] / accountable if accountable else 0.0
    penalty = min(overdue_percent * float(cfg["penalties"]["overdue_points_per_percent"]),
                  float(cfg["penalties"]["overdue_max"]))
    return round(max(0.0, base - penalty), 1), {k: round(v, 4) for k, v in rates.items()}


# ---- gathering the counts ----------------------------------------------------------------------------

def counted_tasks(start: dt.date, end: dt.date, tasks=None):
    """The tasks a period's scores count: due in it, or gap tasks open by its end (not handed over before it)."""
    qs = Task.objects.all() if tasks is None else tasks
    return (qs.filter(Q(due__range=(start, end)) | Q(kind="gap", opened_on__lte=end))
            .exclude(status=TaskStatus.HANDED_OVER, closed_on__lt=start))


def overdue_in(period: str, tasks=None):
    """The tasks counted as overdue in a period's scores: among `counted_tasks`, those past their due date and
    still open at the period's end (or today, for a period not over yet) — the `overdue` of `gather`, so a board
    counting these per owner agrees with the scores beside it. `tasks` narrows (an account's scope)."""
    start, end = period_range(period)
    as_of = min(end, timezone.localdate())
    return (counted_tasks(start, end, tasks).filter(due__lt=as_of).exclude(status=TaskStatus.HANDED_OVER)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of)))


def _empty() -> dict:
    return {"due": 0, "on_time": 0, "overdue": 0, "accountable": 0, "gap_tasks": 0, "gaps_closed": 0, "visits": 0,
            "visits_expected": 0.0, "items_due": 0, "items_on_time": 0}


def _overlapping(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": end}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": start}))


def gather(period: str) -> dict[tuple[str, int], dict]:
    """{(kind, subject id): counts} for every subject with something to count in the period."""
    start, end = period_range(period)
    as_of = min(end, timezone.localdate())
    cfg = config.scoring()
    per_year = float(cfg["visits"]["per_household_per_year"])
    share = ((end - start).days + 1) / 365.0
    counts: dict[tuple[str, int], dict] = defaultdict(_empty)

    teams = list(WorkTeam.objects.filter(_overlapping(start, end)).values_list("pk", "village_id", "unit_id"))
    team_of_village = {v: t for t, v, _ in teams}
    team_unit = {t: u for t, _, u in teams}
    team_members = defaultdict(set)
    for team_id, cadre_id in WorkTeamMember.objects.filter(_overlapping(start, end), team_id__in=team_unit) \
            .values_list("team_id", "cadre_id"):
        team_members[team_id].add(cadre_id)
    township_of = dict(Region.objects.filter(level=Level.VILLAGE).values_list("pk", "parent_id"))
    unit_of = dict(Cadre.objects.values_list("pk", "unit_id"))

    def subjects(unit_id, cadre_id, village_id):
        out = []
        if cadre_id:
            out.append(("cadre", cadre_id))
        if unit_id:
            out.append(("unit", unit_id))
        team = team_of_village.get(village_id)
        if team and (unit_id == team_unit[team] or cadre_id in team_members[team]):
            out.append(("work_team", team))
        if township_of.get(village_id):
            out.append(("township", township_of[village_id]))
        return out

    tasks = (counted_tasks(start, end)
             .values_list("kind", "status", "due", "closed_on", "owner_unit_id", "owner_cadre_id",
                          "village_id"))
    for kind, status, due, closed_on, unit_id, cadre_id, village_id in tasks.iterator(chunk_size=20_000):
        closed_by_owner_or_gap = status in (TaskStatus.DONE, TaskStatus.CLOSED_BY_SYNC)
        for subject in subjects(unit_id, cadre_id, village_id):
            c = counts[subject]
            due_in_period = bool(due and start <= due <= end)
            overdue = bool(due and due < as_of and status != TaskStatus.HANDED_OVER
                           and (closed_on is None or closed_on > as_of))
            c["due"] += due_in_period
            c["on_time"] += due_in_period and closed_by_owner_or_gap and bool(closed_on) and closed_on <= due
            c["overdue"] += overdue
            c["accountable"] += due_in_period or overdue
            if kind == "gap" and (closed_on is None or closed_on >= start):
                c["gap_tasks"] += 1
                # Closed: resolved by the sync, or done by its owner and not reopened since (the sync reopens a
                # done task whose gap remains, so a task still done is one whose gap went).
                if closed_by_owner_or_gap and closed_on and start <= closed_on <= end:
                    c["gaps_closed"] += 1

    _count_items(counts, start, end, as_of, team_of_village, township_of)

    # Visits against the households each subject answered for in the period.
    households = defaultdict(set)
    for cadre_id, household_id, village_id in (CadreHouseholdPairing.objects.filter(_overlapping(start, end))
                                               .values_list("cadre_id", "household_id", "household__village_id")
                                               .iterator(chunk_size=20_000)):
        for subject in _visit_subjects(cadre_id, village_id, unit_of, team_of_village, team_members, township_of):
            households[subject].add(household_id)
    for subject, hs in households.items():
        counts[subject]["visits_expected"] = round(len(hs) * per_year * share, 2)
    for cadre_id, village_id in (Visit.objects.filter(on__range=(start, end))
                                 .values_list("cadre_id", "household__village_id").iterator(chunk_size=20_000)):
        for subject in _visit_subjects(cadre_id, village_id, unit_of, team_of_village, team_members, township_of):
            counts[subject]["visits"] += 1
    return counts


def _item_subjects(level, region_id, unit_id, cadre_id, team_of_village, township_of):
    """Who a responsibility list item counts for: its owner, the village's work team for a team's item, and the
    township for every item of its villages and its own lists."""
    out = []
    if cadre_id:
        out.append(("cadre", cadre_id))
    if unit_id:
        out.append(("unit", unit_id))
    if level == ItemLevel.WORK_TEAM and team_of_village.get(region_id):
        out.append(("work_team", team_of_village[region_id]))
    township = township_of.get(region_id, region_id if level in (ItemLevel.TOWNSHIP, ItemLevel.TOWNSHIP_LEADER)
                               else None)
    if township:
        out.append(("township", township))
    return out


def _count_items(counts, start, end, as_of, team_of_village, township_of) -> None:
    """Responsibility list items (责任清单) count like tasks: due in the period, done by their deadline, overdue
    while open past it (decision 1224)."""
    items = (ResponsibilityItem.objects.filter(deadline__isnull=False, deadline__lte=end)
             .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=start) | Q(deadline__gte=start))
             .values_list("level", "region_id", "owner_unit_id", "owner_cadre_id", "deadline", "completed_on"))
    for level, region_id, unit_id, cadre_id, deadline, completed_on in items:
        due_in_period = start <= deadline <= end
        on_time = due_in_period and completed_on is not None and completed_on <= deadline
        overdue = deadline < as_of and (completed_on is None or completed_on > as_of)
        for subject in _item_subjects(level, region_id, unit_id, cadre_id, team_of_village, township_of):
            c = counts[subject]
            c["due"] += due_in_period
            c["on_time"] += on_time
            c["overdue"] += overdue
            c["accountable"] += due_in_period or overdue
            c["items_due"] += due_in_period
            c["items_on_time"] += on_time


def _visit_subjects(cadre_id, village_id, unit_of, team_of_village, team_members, township_of):
    out = [("cadre", cadre_id), ("unit", unit_of[cadre_id])]
    team = team_of_village.get(village_id)
    if team and cadre_id in team_members[team]:
        out.append(("work_team", team))
    if township_of.get(village_id):
        out.append(("township", township_of[village_id]))
    return out


# ---- services ------------------------------------------------------------------------------------------

@transaction.atomic
def assessments_compute(*, period: str, by, source: str = "cli") -> dict:
    """Score every subject for the period. A re-run updates the scores; a vetoed result stays fail."""
    cfg = config.scoring()
    counts = gather(period)
    existing = {(a.subject_kind, a.subject_id): a for a in Assessment.objects.filter(period=period)}
    new, changed, events = [], [], []
    for (kind, subject_id), c in counts.items():
        score, rates = score_of(c, cfg)
        if score is None:
            continue
        computed = grade(score, cfg["grades"])
        components = {**c, "rates": rates}
        a = existing.get((kind, subject_id))
        if a is None:
            a = Assessment(period=period, subject_kind=kind, subject_id=subject_id, score=score, result=computed,
                           computed_result=computed, components=components)
            new.append(a)
            continue
        result = FAIL if a.vetoed else computed
        if float(a.score) == score and a.computed_result == computed and a.result == result:
            continue
        events.append(AssessmentEvent(assessment=a, kind="scored", by=by, by_name=_name(by), note=f"score {score}",
                                      result_before=a.result, result_after=result))
        a.score, a.computed_result, a.result, a.components = score, computed, result, components
        changed.append(a)
    Assessment.objects.bulk_create(new, batch_size=2_000)
    Assessment.objects.bulk_update(changed, ["score", "computed_result", "result", "components"], batch_size=500)
    for a in new:
        events.append(AssessmentEvent(assessment=a, kind="scored", by=by, by_name=_name(by), note=f"score {a.score}",
                                      result_after=a.result))
    AssessmentEvent.objects.bulk_create(events, batch_size=2_000)
    out = {"period": period, "created": len(new), "updated": len(changed)}
    audit_batch(actor=by, action="assessments_compute", entity="assistance.assessment", source=source,
                summary=f"assessments {period}: {len(new)} new, {len(changed)} updated", batch=out)
    return out


def _name(user) -> str:
    return user.get_username() if user else "system"


def zone_townships_of(assessment: Assessment) -> set[int]:
    """The war zones (township ids) the assessed unit or work team served in during the period."""
    start, end = period_range(assessment.period)
    if assessment.subject_kind == "unit":
        return set(UnitVillagePairing.objects.filter(_overlapping(start, end), unit_id=assessment.subject_id)
                   .values_list("village__parent_id", flat=True))
    if assessment.subject_kind == "work_team":
        return set(WorkTeam.objects.filter(pk=assessment.subject_id).values_list("village__parent_id", flat=True))
    return set()


def _check_commander(assessment: Assessment, by) -> None:
    if assessment.subject_kind not in VETOABLE:
        raise ValidationError(_("a commander proposes and vetoes for paired units and work teams, not for %(kind)s")
                              % {"kind": assessment.subject_kind})
    require(by, Action.JUDGE_ASSESSMENT, assessment)


@transaction.atomic
def assessment_propose(*, assessment: Assessment, text: str, by, source: str = "web") -> Assessment:
    """建议: the commander's proposal on a unit's or team's assessment, kept with its history."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check_commander(assessment, by)
    if not text.strip():
        raise ValidationError({"text": _("write the proposal")})
    before = assessment.commander_suggestion
    assessment.commander_suggestion = text.strip()
    assessment.save(update_fields=["commander_suggestion"])
    AssessmentEvent.objects.create(assessment=assessment, kind="proposal", by=by, by_name=_name(by), note=text.strip(),
                                   result_before=assessment.result, result_after=assessment.result)
    audit_change(actor=by, action="assessment_proposal", instance=assessment, source=source,
                 changes={"commander_suggestion": [before, assessment.commander_suggestion]},
                 summary=f"{assessment.subject_kind} {assessment.subject_id} {assessment.period}")
    return assessment


@transaction.atomic
def assessment_veto(*, assessment: Assessment, reason: str, by, source: str = "web") -> Assessment:
    """否决: caps the result at fail, recording who and why; only a commander of the zone or the county office."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check_commander(assessment, by)
    if not reason.strip():
        raise ValidationError({"reason": _("a veto states its reason")})
    if assessment.vetoed:
        raise ValidationError(_("already vetoed by %(by)s on %(on)s")
                              % {"by": assessment.vetoed_by, "on": f"{assessment.vetoed_at:%Y-%m-%d}"})
    before = assessment.result
    assessment.vetoed, assessment.vetoed_by, assessment.veto_reason = True, by, reason.strip()
    assessment.vetoed_at, assessment.result = timezone.now(), FAIL
    assessment.save(update_fields=["vetoed", "vetoed_by", "veto_reason", "vetoed_at", "result"])
    AssessmentEvent.objects.create(assessment=assessment, kind="veto", by=by, by_name=_name(by), note=reason.strip(),
                                   result_before=before, result_after=FAIL)
    audit_change(actor=by, action="assessment_veto", instance=assessment, source=source,
                 changes={"result": [before, FAIL], "vetoed": [False, True], "veto_reason": ["", reason.strip()]},
                 summary=f"veto: {assessment.subject_kind} {assessment.subject_id} {assessment.period}")
    return assessment


# ---- reports -------------------------------------------------------------------------------------------

def _veto_fields(a: Assessment) -> dict:
    return {"vetoed": a.vetoed, "vetoed_by": a.vetoed_by.get_username() if a.vetoed_by else "",
            "veto_reason": a.veto_reason, "commander_suggestion": a.commander_suggestion}


def _figures(period: str, c: dict) -> dict:
    """The counts behind a score, as the reports show them."""
    return {"period": period, "tasks_due": c.get("due", 0), "on_time": c.get("on_time", 0),
            "overdue": c.get("overdue", 0), "gap_tasks": c.get("gap_tasks", 0), "gaps_closed": c.get("gaps_closed", 0),
            "visits": c.get("visits", 0), "visits_expected": c.get("visits_expected", 0)}


def _row(a: Assessment) -> dict:
    return {**_figures(a.period, a.components or {}), "score": float(a.score), "result": a.result,
            "computed_result": a.computed_result, **_veto_fields(a)}


def _rate(done, of) -> float:
    return done / of if of else 1.0  # nothing to do counts as all done: the score already left it out


def rank_key(row: dict) -> tuple:
    """Best first. Equal scores — common: many cadres reach 100 — are ordered by the work behind them: fewer
    overdue tasks, a higher on-time rate, more of the gaps closed, more visits per expected visit (not capped
    at one, unlike the score), more tasks answered for; the name last, only to make the order stable."""
    return (-row["score"], row["overdue"], -_rate(row["on_time"], row["tasks_due"]),
            -_rate(row["gaps_closed"], row["gap_tasks"]),
            -(row["visits"] / row["visits_expected"] if row["visits_expected"] else 0.0), -row["tasks_due"])


def _cadre_rows(rows: dict[int, dict]) -> list[dict]:
    cadres = {c.pk: c for c in Cadre.objects.filter(pk__in=list(rows)).select_related("unit")}
    out = [{"cadre_id": pk, "cadre": cadres[pk].name, "unit": cadres[pk].unit.name, "post": cadres[pk].post, **row}
           for pk, row in rows.items() if pk in cadres]
    return sorted(out, key=lambda r: (*rank_key(r), r["cadre"]))


def _unit_rows(rows: dict[int, dict]) -> list[dict]:
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(rows))}
    out = [{"unit_id": pk, "unit": units[pk].name, "kind": units[pk].kind, **row}
           for pk, row in rows.items() if pk in units]
    return sorted(out, key=lambda r: (r["result"] == FAIL, *rank_key(r), r["unit"]))


def cadre_report(*, period: str) -> list[dict]:
    """One row per cadre assessed in the period, best first (`rank_key`): for the evaluation of officials
    (干部考核)."""
    return _cadre_rows({a.subject_id: _row(a) for a in Assessment.objects.filter(period=period, subject_kind="cadre")
                        .select_related("vetoed_by")})


def unit_report(*, period: str) -> list[dict]:
    """One row per unit assessed in the period; a vetoed or failed unit below the others, then `rank_key`."""
    return _unit_rows({a.subject_id: _row(a) for a in Assessment.objects.filter(period=period, subject_kind="unit")
                       .select_related("vetoed_by")})


def provisional_reports(*, period: str) -> tuple[list[dict], list[dict]]:
    """(units, cadres) as `unit_report` and `cadre_report` would show them, computed now from the tasks and
    visits without recording anything: for a period nobody has scored yet (a quarter, the current year)."""
    cfg = config.scoring()
    rows: dict[str, dict[int, dict]] = {"unit": {}, "cadre": {}}
    for (kind, subject_id), c in gather(period).items():
        if kind not in rows:
            continue
        score, _ = score_of(c, cfg)
        if score is None:
            continue
        result = grade(score, cfg["grades"])
        rows[kind][subject_id] = {**_figures(period, c), "score": score, "result": result, "computed_result": result,
                                  "vetoed": False, "vetoed_by": "", "veto_reason": "", "commander_suggestion": ""}
    return _unit_rows(rows["unit"]), _cadre_rows(rows["cadre"])
