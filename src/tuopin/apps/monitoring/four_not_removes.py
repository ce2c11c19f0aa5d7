"""四个不摘 after an exit (摘帽不摘责任、不摘政策、不摘帮扶、不摘监管): once a household, a village or the county is
out of poverty, its responsibility, policies, assistance and supervision stay. The check flags, on a day:

- 不摘责任 (responsibility): a household of an exited village or county, or an exited household, that had a
  pairing cadre (帮扶责任人) on its exit date and has none in force (the pairing ended and nobody took over); an
  exited village whose paired unit (包村单位) ended and none is in force;
- 不摘帮扶 (assistance): an exited village whose work team (驻村工作队) was withdrawn and none is in force;
- 不摘政策 (policies): an exited household whose members had a policy in the exit year (低保, 特困, 医疗救助, …)
  that the check's year's record no longer shows, for a member still in the household — a death or a departure
  recorded (Person.active / left_on) explains it; and, for the county, a year whose funds (资金) fall more than
  `funding_cut_ratio` below the previous year's, or a year with none;
- 不摘监管 (supervision): a village where fewer than `visit_share_at_least` of the exited households had a visit
  in the `visit_months` before the day; a rectification item overdue on the day.

The thresholds are data: `[after_exit]` in the standards (decision 1410). A household that left the register
(销户) needs nothing and is not flagged. With an account, everything is read through the scoping layer: the
county office's county, a commander's war zone (decision 1412). The flags become rectification items through
assistance's service, which this module calls (decision 1411): assistance sits below monitoring.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin import standards
from tuopin.apps.audit.context import note_read
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.models import CadreHouseholdPairing, UnitVillagePairing, WorkTeam
from tuopin.apps.organisation.selectors import code_prefix, in_force
from tuopin.apps.procedures.choices import AreaStage
from tuopin.apps.procedures.models import AreaExit
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, Person, PersonYear, StatusEvent

RESPONSIBILITY, ASSISTANCE, POLICY, SUPERVISION = "responsibility", "assistance", "policy", "supervision"
GROUPS = {
    RESPONSIBILITY: gettext_lazy("Responsibility stays (不摘责任)"),
    POLICY: gettext_lazy("Policies stay (不摘政策)"),
    ASSISTANCE: gettext_lazy("Assistance stays (不摘帮扶)"),
    SUPERVISION: gettext_lazy("Supervision stays (不摘监管)"),
}
GROUP_OF = {"household_pairing": RESPONSIBILITY, "unit_pairing": RESPONSIBILITY, "work_team": ASSISTANCE,
            "policies": POLICY, "funding": POLICY, "visits": SUPERVISION, "overdue_rectification": SUPERVISION}
YEARLY = frozenset({"policies", "visits", "funding"})  # judged per year: one rectification item per year
POLICIES = {
    "dibao": gettext_lazy("subsistence allowance (低保)"),
    "tekun": gettext_lazy("support for the extremely poor (特困供养)"),
    "medical_assistance": gettext_lazy("medical assistance (医疗救助)"),
    "basic_medical": gettext_lazy("basic medical insurance (基本医疗保险)"),
    "serious_illness_insurance": gettext_lazy("serious illness insurance (大病保险)"),
    "pension_insurance": gettext_lazy("pension insurance (养老保险)"),
    "family_doctor": gettext_lazy("family doctor (家庭医生签约)"),
}


@dataclass(frozen=True)
class Flag:
    kind: str  # a key of GROUP_OF
    region_code: str  # the village (or the county, for funding)
    household_number: str  # "" unless a household's
    exit_on: dt.date | None  # the exit it follows (None for an overdue item)
    dropped_on: dt.date | None  # the end of the last period in force after the exit, when there is one
    reason: str  # what is wrong, in the reader's language
    year: int | None = None  # the year judged (policies, visits, funding)
    figures: tuple[tuple[str, str], ...] = ()  # (what, how much) behind the flag
    household_id: int | None = None
    village_id: int | None = None
    object_id: int | None = None  # the pairing, work team or task to open

    @property
    def group(self) -> str:
        return GROUP_OF[self.kind]

    @property
    def key(self) -> str:
        """The rectification item's key: one item per flag (per year for the yearly ones); "" for none."""
        if self.kind == "overdue_rectification":
            return ""  # already an item: it is followed up on its page, not made again
        exit_on = self.exit_on.isoformat() if self.exit_on else ""
        base = f"rect|check|{self.kind}|{self.region_code}|{self.household_number}|{exit_on}"
        return f"{base}|{self.year}" if self.kind in YEARLY else base


@dataclass(frozen=True)
class _Reach:
    """What the check reads: everything (the system) or what an account's scope holds."""

    scope: Region | None
    households: object  # QuerySet[Household]
    visits: object
    tasks: object


def _reach(account, scope: Region | None) -> _Reach:
    from tuopin.apps.assistance.models import Task, Visit

    if account is None:
        return _Reach(scope, Household.objects.all(), Visit.objects.all(), Task.objects.all())
    from tuopin.apps.accounts.scoping import households_visible_to, tasks_visible_to, visits_visible_to

    return _Reach(Region.objects.filter(pk=account.region_id).first(), households_visible_to(account),
                  visits_visible_to(account), tasks_visible_to(account))


def thresholds(scope: Region | None) -> dict:
    """The `[after_exit]` standards in force for the scope (what the page says it judged by)."""
    return dict(standards.load(scope.code if scope else "000000").section("after_exit"))


def check_day(year: int) -> dt.date:
    """The day a year is judged on: its last day, or today for the current year."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def four_not_removes_check(*, account=None, scope: Region | None = None, on: dt.date | None = None) -> list[Flag]:
    """The flags on `on` (default today). With `account`, what its scope reaches (the caller asked permission);
    without, the system's view of `scope` (default: everywhere)."""
    on = on or timezone.localdate()
    reach = _reach(account, scope)
    if account is not None and reach.scope is None:
        return []
    rules = standards.load(reach.scope.code if reach.scope else "000000").section("after_exit")
    village_exit, county_exits = _village_exits(reach.scope, on)
    flags: list[Flag] = []
    flags += _org_flags(village_exit, on)
    flags += _household_pairing_flags(reach.households, village_exit, on)
    exited_ids = _exited(reach.households, on)
    exited = _exited_households(exited_ids, on)
    flags += _policy_flags(exited, exited_ids, on)
    if reach.scope is None or reach.scope.level == Level.COUNTY:
        for county, exit_on in county_exits:
            flags += funding_flags(county, exit_on, on, rules["funding_cut_ratio"])
    flags += _visit_flags(exited, exited_ids, reach.visits, on, rules["visit_months"], rules["visit_share_at_least"])
    flags += _overdue_flags(reach.tasks, on)
    return flags


def after_exit_years(scope: Region | None) -> list[int]:
    """Every year from the county's exit up to this year (the page's year choice). Before the county exits, from
    the first exit announced within scope (a village's or a household's); [] when nothing has exited."""
    today = timezone.localdate()
    _villages, counties = _village_exits(scope, today)
    if counties:
        first = min(on for _, on in counties).year
    else:
        areas = AreaExit.objects.filter(stage=AreaStage.ANNOUNCED, effective_on__lte=today)
        households = StatusEvent.objects.filter(kind=c.EventKind.EXITED, stage=c.Stage.ANNOUNCED,
                                                effective_on__lte=today)
        if scope is not None:
            areas = areas.filter(region__code__startswith=code_prefix(scope))
            households = households.filter(household__village__code__startswith=code_prefix(scope))
        dates = [d for d in (areas.order_by("effective_on").values_list("effective_on", flat=True).first(),
                             households.order_by("effective_on").values_list("effective_on", flat=True).first())
                 if d]
        if not dates:
            return []
        first = min(dates).year
    return list(range(first, today.year + 1))


# ---- exits ---------------------------------------------------------------------------------------------------

def _village_exits(scope: Region | None, on: dt.date) -> tuple[dict[int, dt.date], list[tuple[Region, dt.date]]]:
    """{village id: the earliest exit covering it (its own or its county's)} within scope, and the county exits."""
    qs = AreaExit.objects.filter(stage=AreaStage.ANNOUNCED, effective_on__lte=on).select_related("region")
    villages = Region.objects.filter(level=Level.VILLAGE)
    if scope is not None:
        qs = qs.filter(Q(region__code__startswith=code_prefix(scope)) | Q(region__pk__in=[a.pk for a in scope.ancestors()]))
        villages = villages.filter(code__startswith=code_prefix(scope))
    village_exit: dict[int, dt.date] = {}
    counties = []
    for area in qs:
        region, exit_on = area.region, area.effective_on
        if region.level == Level.COUNTY:
            counties.append((region, exit_on))
        covered = [region.pk] if region.level == Level.VILLAGE else \
            villages.filter(code__startswith=code_prefix(region)).values_list("pk", flat=True)
        for pk in covered:
            village_exit[pk] = min(exit_on, village_exit.get(pk, exit_on))
    return village_exit, counties


def _exited(households, on: dt.date):
    """The registered, open households with an announced exit on or before `on` (a subquery of ids)."""
    exits = StatusEvent.objects.filter(kind=c.EventKind.EXITED, stage=c.Stage.ANNOUNCED, effective_on__lte=on)
    return households.filter(is_registered=True, closed=False, pk__in=exits.values("household_id")).values("pk")


def _exited_households(exited, on: dt.date) -> dict[int, tuple]:
    """{household id: (number, village id, village code, exit year, exit date)}: the latest exit wins."""
    rows = (StatusEvent.objects.filter(kind=c.EventKind.EXITED, stage=c.Stage.ANNOUNCED, effective_on__lte=on,
                                       household__in=exited)
            .order_by("household_id", "effective_on")
            .values_list("household_id", "household__number", "household__village_id", "household__village__code",
                         "year", "effective_on"))
    return {pk: tuple(rest) for pk, *rest in rows}


# ---- responsibility and assistance -------------------------------------------------------------------------

def _org_flags(village_exit: dict[int, dt.date], on: dt.date) -> list[Flag]:
    flags = []
    villages = {v.pk: v for v in Region.objects.filter(pk__in=list(village_exit))}
    for model, kind, what in ((UnitVillagePairing, "unit_pairing", _("paired unit (包村单位)")),
                              (WorkTeam, "work_team", _("work team (驻村工作队)"))):
        periods: dict[int, list] = defaultdict(list)
        for pk, village_id, start, end in (model.objects.filter(village_id__in=list(village_exit))
                                           .values_list("pk", "village_id", "start", "end")):
            periods[village_id].append((pk, start, end))
        for village_id, exit_on in sorted(village_exit.items()):
            rows = periods.get(village_id, [])
            held = [(pk, e) for pk, s, e in rows if s <= exit_on and (e is None or e >= exit_on)]
            if not held or any(s <= on and (e is None or e >= on) for _pk, s, e in rows):
                continue
            pk, end = max(((pk, e) for pk, s, e in rows if e is not None and e >= exit_on), key=lambda r: r[1])
            village = villages[village_id]
            flags.append(Flag(kind, village.code, "", exit_on, end, _(
                "%(village)s: its %(what)s ended on %(end)s, after the exit on %(exit)s, and none is in force")
                % {"village": village.name, "what": what, "end": end, "exit": exit_on},
                figures=((_("Exit"), str(exit_on)), (_("Ended on"), str(end))), village_id=village_id,
                object_id=pk))
    return sorted(flags, key=lambda f: (f.region_code, f.kind))


def _household_pairing_flags(households, village_exit: dict[int, dt.date], on: dt.date) -> list[Flag]:
    own_exit = dict(StatusEvent.objects.filter(kind=c.EventKind.EXITED, stage=c.Stage.ANNOUNCED, effective_on__lte=on)
                    .order_by("household_id", "-effective_on").values_list("household_id", "effective_on"))
    in_force_now = set(CadreHouseholdPairing.objects.filter(in_force(on)).values_list("household_id", flat=True))
    unpaired = {}
    for pk, number, village_id, village_code in (households.filter(is_registered=True, closed=False)
                                                 .values_list("pk", "number", "village_id", "village__code")):
        dates = [d for d in (village_exit.get(village_id), own_exit.get(pk)) if d]
        if dates and pk not in in_force_now:
            unpaired[pk] = (number, village_id, village_code, min(dates))
    periods: dict[int, list] = defaultdict(list)
    for household_id, start, end in (CadreHouseholdPairing.objects.filter(household_id__in=list(unpaired))
                                     .values_list("household_id", "start", "end")):
        periods[household_id].append((start, end))
    flags = []
    for pk, (number, village_id, village_code, exit_on) in sorted(unpaired.items(), key=lambda kv: kv[1][0]):
        held = [(s, e) for s, e in periods.get(pk, ()) if s <= exit_on and (e is None or e >= exit_on)]
        if held:
            dropped_on = max((e for _, e in held if e), default=None)
            flags.append(Flag("household_pairing", village_code, number, exit_on, dropped_on, _(
                "household %(number)s: its pairing cadre's pairing ended on %(end)s, after the exit on %(exit)s, "
                "and nobody took over") % {"number": number, "end": dropped_on, "exit": exit_on},
                figures=((_("Exit"), str(exit_on)), (_("Ended on"), str(dropped_on))), household_id=pk,
                village_id=village_id))
    return flags


# ---- policies and funding ----------------------------------------------------------------------------------

def _policy_flags(exited: dict[int, tuple], exited_ids, on: dt.date) -> list[Flag]:
    """Per household: the policies its members had in the exit year and not in the check's year. Only persons
    with a record for both years are judged: a year not yet recorded is not a policy dropped."""
    year = on.year
    judged = {pk: row for pk, row in exited.items() if row[3] < year}
    if not judged:
        return []
    exit_year = {pk: row[3] for pk, row in judged.items()}
    records: dict[int, dict[int, tuple]] = defaultdict(dict)
    fields = list(POLICIES)
    read = []
    for pk, person_id, household_id, y, *values in (
            PersonYear.objects.filter(person__household__in=exited_ids, year__in={year, *exit_year.values()})
            .values_list("pk", "person_id", "person__household_id", "year", *fields).iterator(chunk_size=20_000)):
        if household_id in exit_year and y in (year, exit_year[household_id]):
            records[person_id][y] = (household_id, values)
            read.append(pk)
    note_read("registry.personyear", read)  # personal rows read without instances (decision 1152)
    present = {pk for pk, active, left_on in Person.objects.filter(household__in=exited_ids)
               .values_list("pk", "active", "left_on") if active or (left_on is not None and left_on > on)}
    dropped: dict[int, Counter] = defaultdict(Counter)
    for person_id, by_year in records.items():
        if person_id not in present or year not in by_year:
            continue
        household_id, now = by_year[year]
        had = by_year.get(exit_year[household_id])
        if had is None:
            continue
        for field, before, after in zip(fields, had[1], now, strict=True):
            if before and not after:
                dropped[household_id][field] += 1
    flags = []
    for household_id, counts in sorted(dropped.items(), key=lambda kv: judged[kv[0]][0]):
        number, village_id, village_code, exit_year_, exit_on = judged[household_id]
        names = "、".join(str(POLICIES[f]) for f in POLICIES if f in counts)
        flags.append(Flag("policies", village_code, number, exit_on, None, _(
            "household %(number)s: %(policies)s, held in the exit year %(exit)s, no longer in %(year)s for members "
            "still in the household") % {"number": number, "policies": names, "exit": exit_year_, "year": year},
            year=year, household_id=household_id, village_id=village_id,
            figures=tuple((str(POLICIES[f]), _("%(n)s person(s)") % {"n": counts[f]}) for f in POLICIES
                          if f in counts)))
    return flags


def funds_by_year(first: int, last: int, county: Region | None = None) -> dict[int, int]:
    """{year: the funds (资金) the consolidation ledger holds, in fen} from `first` to `last`; a year without funds
    is absent. The ledger is the projects app's (decision 1502): the funds are recorded there, once."""
    from tuopin.apps.projects.ledger import funds_by_year as ledger_funds_by_year

    return ledger_funds_by_year(first, last, county)


def _yuan(fen: int) -> str:
    return _("%(amount)s yuan") % {"amount": f"{fen // 100:,}"}


def funding_flags(county: Region, exit_on: dt.date, on: dt.date, cut_ratio: float) -> list[Flag]:
    """For each year after the county's exit up to `on`'s: none recorded, or more than `cut_ratio` below the
    last year with funds before it. Nothing when the exit year itself has no funds to compare with."""
    totals = funds_by_year(exit_on.year, on.year, county)
    if exit_on.year not in totals:
        return []
    flags = []
    for year in range(exit_on.year + 1, on.year + 1):
        before = max(y for y in totals if y < year)
        figures = ((str(before), _yuan(totals[before])), (str(year), _yuan(totals.get(year, 0))))
        if year not in totals:
            reason = _("%(county)s: no fund recorded for %(year)s, after the exit in %(exit)s") % {
                "county": county.name, "year": year, "exit": exit_on.year}
        elif totals[year] < totals[before] * (1 - cut_ratio):
            reason = _("%(county)s: the funds of %(year)s are %(cut)s below those of %(before)s (more than "
                       "%(limit)s)") % {"county": county.name, "year": year, "before": before,
                                         "cut": f"{1 - totals[year] / totals[before]:.0%}", "limit": f"{cut_ratio:.0%}"}
        else:
            continue
        flags.append(Flag("funding", county.code, "", exit_on, None, reason, year=year, figures=figures))
    return flags


# ---- supervision -------------------------------------------------------------------------------------------

def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day when it has fewer days)."""
    import calendar

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _visit_flags(exited: dict[int, tuple], exited_ids, visits, on: dt.date, months: int,
                 share: float) -> list[Flag]:
    since = months_before(on, months)
    visited = set(visits.filter(household__in=exited_ids, on__gt=since, on__lte=on)
                  .values_list("household_id", flat=True).distinct())
    per_village: dict[int, list] = defaultdict(lambda: [0, 0])
    for pk, (_n, village_id, _code, _y, _on) in exited.items():
        per_village[village_id][0] += 1
        per_village[village_id][1] += pk in visited
    villages = {v.pk: v for v in Region.objects.filter(pk__in=list(per_village))}
    flags = []
    for village_id, (total, seen) in sorted(per_village.items(), key=lambda kv: villages[kv[0]].code):
        if seen >= share * total:
            continue
        village = villages[village_id]
        flags.append(Flag("visits", village.code, "", None, None, _(
            "%(village)s: %(seen)s of its %(total)s exited households had a visit between %(since)s and %(on)s "
            "(at least %(share)s should)") % {"village": village.name, "seen": seen, "total": total,
                                               "since": since + dt.timedelta(days=1), "on": on,
                                               "share": f"{share:.0%}"},
            year=on.year, village_id=village_id,
            figures=((_("Exited households"), str(total)), (_("Visited"), str(seen)),
                     (_("Share"), f"{seen / total:.0%}"), (_("Required"), f"{share:.0%}"))))
    return flags


def _overdue_flags(tasks, on: dt.date) -> list[Flag]:
    rows = (tasks.filter(kind="rectification", opened_on__lte=on, due__lt=on)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
            .select_related("village", "household").order_by("due", "pk"))
    return [Flag("overdue_rectification", t.village.code if t.village_id else "",
                 t.household.number if t.household_id else "", None, None,
                 _("rectification item “%(title)s” was due on %(due)s and is not done") % {"title": t.title,
                                                                                         "due": t.due},
                 figures=((_("Deadline"), str(t.due)), (_("Days overdue"), str((on - t.due).days))),
                 household_id=t.household_id, village_id=t.village_id, object_id=t.pk)
            for t in rows]


# ---- rectification -----------------------------------------------------------------------------------------

def four_not_removes_rectify(*, account, on: dt.date | None = None, source: str = "web") -> dict:
    """The check on the account's scope turned into rectification items by assistance's service (which asks
    permission and audits): one per flag on a household or village, once."""
    from tuopin.apps.accounts.permissions import Action, require
    from tuopin.apps.assistance.rectification import rectifications_from_check

    reach = _reach(account, None)
    require(account, Action.MANAGE_RECTIFICATION, reach.scope)  # before the check's reads, not only after
    flags = four_not_removes_check(account=account, on=on)
    return rectifications_from_check(scope=reach.scope, by=account, flags=flags, source=source)
