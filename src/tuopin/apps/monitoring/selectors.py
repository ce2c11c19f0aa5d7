"""Reads of the monitoring procedure: an account's cases (through the scoping layer), a case's clock, the village
notice's rows, and `case_counts` — the figures of an area and year for `tuopin monitor` and the dashboards."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from tuopin.apps.accounts.scoping import monitoring_cases_visible_to
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.selectors import code_prefix
from tuopin.apps.registry.models import Person
from tuopin.apps.registry import choices as rc

from . import deadlines
from .choices import CLOSED, HEALTH_RISKS, RISK_WORDS, UNDECIDED, CaseKind, Stage
from .models import MonitoringCase


def cases_for(user) -> QuerySet[MonitoringCase]:
    return monitoring_cases_visible_to(user)


def clock(case: MonitoringCase, on: dt.date | None = None, rules: deadlines.Limits | None = None) -> deadlines.TimeLimit:
    """The case's time limit to the township's decision, as of `on` (today)."""
    rules = rules or deadlines.limits(case.village.code)
    return deadlines.time_limit(clue_on=case.clue_on, decided_on=case.decided_on, on=on or timezone.localdate(),
                                rules=rules)


def overdue_ids(cases: QuerySet[MonitoringCase], on: dt.date, rules: deadlines.Limits) -> list[int]:
    """The undecided cases of the queryset past their due date on `on` (one standard for the area)."""
    latest_clue = deadlines.add_days(on, -rules.decision_days, deadlines.CALENDAR) if rules.unit == deadlines.CALENDAR \
        else on  # working days: the candidates are filtered by date below, in Python
    pending = cases.filter(stage__in=UNDECIDED, clue_on__lte=latest_clue)
    return [pk for pk, clue_on in pending.values_list("pk", "clue_on")
            if deadlines.time_limit(clue_on=clue_on, decided_on=None, on=on, rules=rules).overdue]


def _in(region: Region) -> Q:
    if region.level == Level.VILLAGE:
        return Q(village=region)
    return Q(village__code__startswith=code_prefix(region))


COUNTED_FIELDS = ("household_id", "kind", "stage", "clue_on", "decided_on", "included_on", "removed_on", "returned_on")


def _counts(rows: list[dict], *, year: int, on: dt.date, rules: deadlines.Limits) -> dict:
    """The figures of some cases (rows of COUNTED_FIELDS), counted in one pass: households monitored at the year's
    end by kind, cases open and overdue on `on`, risks removed in the year."""
    year_end = dt.date(year, 12, 31)
    by_kind: dict[str, set] = {kind: set() for kind in CaseKind.values}
    open_, overdue, removed = 0, 0, 0
    for r in rows:
        included, removed_on, returned_on = r["included_on"], r["removed_on"], r["returned_on"]
        if (included and included <= year_end and (removed_on is None or removed_on > year_end)
                and (returned_on is None or returned_on > year_end)):
            by_kind.setdefault(r["kind"], set()).add(r["household_id"])
        if removed_on and removed_on.year == year:
            removed += 1
        if r["clue_on"] > on:
            continue
        # Open on `on`: recorded by then, and neither not included nor rid of its risk nor returned by then.
        closed = ((r["stage"] == Stage.NOT_INCLUDED and r["decided_on"] and r["decided_on"] <= on)
                  or (removed_on and removed_on <= on) or (returned_on and returned_on <= on))
        open_ += not closed
        # Overdue on `on`: undecided then and past the due date.
        if (r["decided_on"] is None or r["decided_on"] > on) and deadlines.time_limit(
                clue_on=r["clue_on"], decided_on=None, on=on, rules=rules).overdue:
            overdue += 1
    return {"monitored_households": {kind: len(ids) for kind, ids in by_kind.items()}, "cases_open": open_,
            "cases_overdue": overdue, "risk_removed": removed}


def case_counts(region: Region, year: int, on: dt.date | None = None, *, by: str = "township") -> dict:
    """The monitoring figures of a county, township or village:

    - `monitored_households` {kind: n}: households under monitoring at the end of `year` (included by then and
      neither their risk removed nor returned to poverty by then);
    - `cases_open`: cases open on `on` (recorded, not closed as not included, risk not removed, not returned);
    - `cases_overdue`: of those, the ones still undecided on `on` and past their due date;
    - `risk_removed`: cases whose risk was removed in `year`;
    and the same per township under `townships` ({code: {"name", …figures}}), or per village under `villages`
    with `by="village"`. `on` defaults to today, or to the year's end for a past year. One query, whatever the
    number of areas (the dashboards ask for it on every load)."""
    today = timezone.localdate()
    on = on or (today if year >= today.year else dt.date(year, 12, 31))
    rules = deadlines.limits(region.code)
    rows = list(MonitoringCase.objects.filter(_in(region)).values(*COUNTED_FIELDS, "village__code",
                                                                    "village__parent__code"))
    out = {"region": region.code, "year": year, "on": on.isoformat(), **_counts(rows, year=year, on=on, rules=rules)}
    if by == "village":
        areas = Region.objects.filter(parent=region) if region.level == Level.TOWNSHIP else \
            Region.objects.filter(pk=region.pk)
        key, field = "villages", "village__code"
    else:
        if region.level == Level.VILLAGE:
            areas = Region.objects.filter(pk=region.parent_id)
        elif region.level == Level.TOWNSHIP:
            areas = Region.objects.filter(pk=region.pk)
        else:
            areas = Region.objects.filter(level=Level.TOWNSHIP, code__startswith=code_prefix(region))
        key, field = "townships", "village__parent__code"
    grouped: dict[str, list[dict]] = {}
    for r in rows:
        grouped.setdefault(r[field], []).append(r)
    out[key] = {area.code: {"name": area.name, **_counts(grouped.get(area.code, []), year=year, on=on, rules=rules)}
                for area in areas.order_by("code")}
    return out


# --- the village notice (村内公示) ------------------------------------------------------------------------------

NOTICE_RISK_WORDING = "因刚性支出"  # illness and disability are health data: never on a notice (decision 1403)


def notice_risk_words(case: MonitoringCase) -> str:
    """The risks as a notice may print them: health risks (因病, 因残) read 因刚性支出, once."""
    words = {code: word for word, code in RISK_WORDS.items()}
    out: list[str] = []
    for code in case.risk_codes():
        word = NOTICE_RISK_WORDING if code in HEALTH_RISKS else words.get(code, "")
        if word and word not in out:
            out.append(word)
    return "、".join(out)


def notice_rows(village: Region) -> list[dict]:
    """The households the village proposes, as the notice shows them: the head's name, the village group, the kind,
    the risks without health wording. No ID number, phone, bank account or health data (decision 1403)."""
    cases = list(MonitoringCase.objects.filter(village=village, stage=Stage.VILLAGE_NOTICE)
                 .select_related("household__natural_village").order_by("household__number"))
    heads = dict(Person.objects.filter(household__in=[c.household_id for c in cases], relation=rc.Relation.HEAD,
                                       active=True).values_list("household_id", "name"))
    notices = {}
    for case in cases:
        step = case.steps.filter(stage=Stage.VILLAGE_NOTICE).order_by("-id").first()
        notices[case.pk] = step
    return [{"head": heads.get(c.household_id, ""),
             "group": c.household.natural_village.name if c.household.natural_village_id else "",
             "kind": CaseKind(c.kind).label if c.kind else "",
             "risks": notice_risk_words(c),
             "from": notices[c.pk].on if notices[c.pk] else None,
             "to": notices[c.pk].ends_on if notices[c.pk] else None} for c in cases]



def households_with_open_cases(household_ids) -> set[int]:
    """Which of these households have an open monitoring case (any stage but the closed ones)."""
    return set(MonitoringCase.objects.filter(household_id__in=list(household_ids)).exclude(stage__in=CLOSED)
               .values_list("household_id", flat=True))
