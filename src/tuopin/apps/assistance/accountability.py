"""Reads behind the accountability pages: a cadre's household cards, task filters, the zone and county boards.

Every function taking `user` starts from the scoping layer (`tasks_visible_to`, `visits_visible_to`,
`households_visible_to`); the assistance selectors and scoring reports do the counting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from tuopin.apps.accounts.models import Role
from tuopin.apps.accounts.scoping import tasks_visible_to, visits_visible_to
from tuopin.apps.assistance import scoring
from tuopin.apps.assistance.models import Assessment, Task, TaskStatus, Visit
from tuopin.apps.assistance.selectors import by_urgency, overdue_tasks
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.models import Unit, WorkTeam
from tuopin.apps.organisation.selectors import zone_townships_commanded_by
from tuopin.rules import INDICATORS

CARD_TASKS = 5  # open tasks shown per household on the phone page; the task list has the rest


@dataclass
class HouseholdCard:  # one household on "my households": what is due and when it was last visited
    household: object
    tasks: list = field(default_factory=list)
    open_count: int = 0
    overdue_count: int = 0
    last_visit: Visit | None = None


def household_cards(user, households) -> list[HouseholdCard]:
    """Cards for a page of households: open tasks (soonest due first) and the last visit, in two queries."""
    households = list(households)
    ids = [h.pk for h in households]
    cards = {h.pk: HouseholdCard(h) for h in households}
    today = timezone.localdate()
    for task in (tasks_visible_to(user).filter(household_id__in=ids, status=TaskStatus.OPEN)
                 .order_by("due", "pk")):
        card = cards[task.household_id]
        card.open_count += 1
        card.overdue_count += bool(task.due and task.due < today)
        if len(card.tasks) < CARD_TASKS:
            card.tasks.append(task)
    for visit in visits_visible_to(user).filter(household_id__in=ids).select_related("cadre").order_by("on", "pk"):
        cards[visit.household_id].last_visit = visit  # ascending: the last one written wins
    return [cards[pk] for pk in ids]


# ---- task lists -----------------------------------------------------------------------------------------

STATUSES = tuple(TaskStatus.values)


def parse_owner(raw: str) -> tuple[str, int] | None:
    """`u12` (a unit) or `c34` (a cadre): database ids, never a name."""
    raw = (raw or "").strip()
    if len(raw) > 1 and raw[0] in "uc" and raw[1:].isdigit():
        return raw[0], int(raw[1:])
    return None


def filtered_tasks(user, *, status: str = "", overdue: bool = False, indicator: str = "", owner: str = "",
                   household=None) -> QuerySet[Task]:
    """The account's tasks narrowed by the list's filters, most urgent first; unknown filter values are ignored,
    never widen."""
    qs = tasks_visible_to(user)
    if status in STATUSES:
        qs = qs.filter(status=status)
    if overdue:
        qs = overdue_tasks(qs)
    if indicator in INDICATORS:
        qs = qs.filter(indicator=indicator)
    parsed = parse_owner(owner)
    if parsed is not None:
        qs = qs.filter(**{"owner_unit_id" if parsed[0] == "u" else "owner_cadre_id": parsed[1]})
    if household is not None:
        qs = qs.filter(household=household)
    return by_urgency(qs.select_related("household", "village", "owner_unit", "owner_cadre"))


def task_for(user, pk: int) -> Task:
    return tasks_visible_to(user).select_related("household", "village", "owner_unit", "owner_cadre").get(pk=pk)


def visit_for(user, pk: int) -> Visit:
    return visits_visible_to(user).select_related("household", "cadre").get(pk=pk)


# ---- a department's worklist -----------------------------------------------------------------------------

@dataclass
class DepartmentWork:  # what a county department (县直部门) works from: the gaps of its domain routed to it
    department: Unit | None
    indicators: list  # the engine indicators the routing table gives this department
    open_count: int = 0
    overdue_count: int = 0
    closed_this_year: int = 0
    by_indicator: list = field(default_factory=list)  # [(indicator, open, overdue)]
    by_township: list = field(default_factory=list)  # [{"township", "open", "overdue"}]
    tasks: QuerySet | None = None  # open first, most urgent first (by_urgency)


def department_work(user) -> DepartmentWork:
    """The department's tasks (`tasks_visible_to`: those it owns), counted by indicator and township."""
    from django.db.models import Count

    from tuopin.apps.assistance import config

    department = user.department
    region_code = user.region.code if user.region_id else ""
    domain = f"department:{department.domain}" if department and department.domain else None
    indicators = [r.indicator for r in config.routing(region_code).values() if domain in r.owners]
    work = DepartmentWork(department, indicators)
    today = timezone.localdate()
    tasks = tasks_visible_to(user)
    open_tasks = tasks.filter(status=TaskStatus.OPEN)
    late = Count("pk", filter=Q(due__lt=today))
    totals = open_tasks.aggregate(n=Count("pk"), late=late)
    work.open_count, work.overdue_count = totals["n"], totals["late"]
    work.closed_this_year = tasks.filter(closed_on__year=today.year).exclude(status=TaskStatus.OPEN).count()
    found = {r["indicator"]: (r["n"], r["late"]) for r in
             open_tasks.values("indicator").annotate(n=Count("pk"), late=late).order_by()}
    work.by_indicator = [(i, *found.pop(i, (0, 0))) for i in indicators] + [(i, *v) for i, v in found.items()]
    work.by_township = [{"township": r["village__parent__name"] or "—", "open": r["n"], "overdue": r["late"]}
                        for r in open_tasks.values("village__parent__name").annotate(n=Count("pk"), late=late)
                        .order_by("-late", "-n", "village__parent__name")]
    work.tasks = filtered_tasks(user)
    return work


# ---- assessments: who may read and act on which ---------------------------------------------------------

def latest_period() -> str:
    """The newest assessed period, else the current year."""
    found = Assessment.objects.order_by("-period").values_list("period", flat=True).first()
    return found or str(timezone.localdate().year)


PERIOD_PARTS = ("", "H1", "H2", "Q1", "Q2", "Q3", "Q4")  # the periods the scoring reads (scoring.period_range)


def asked_period(params) -> str | None:
    """The period the board's picker asks for: `?year=2020&part=Q3`, or `?period=2020Q3` (links, forms)."""
    year, part = (params.get("year") or "").strip(), (params.get("part") or "").strip()
    if year.isdigit() and part in PERIOD_PARTS:
        return f"{year}{part}"
    return params.get("period")


def recorded_periods() -> list[str]:
    """The periods scored and recorded, newest first."""
    return sorted(set(Assessment.objects.values_list("period", flat=True).distinct()), reverse=True)


def period_years(recorded: list[str]) -> list[int]:
    """The picker's years: from the first year with tasks or scores to the current year, newest first."""
    from django.db.models import Min

    this_year = timezone.localdate().year
    first = Task.objects.aggregate(y=Min("year"))["y"] or this_year
    first = min([first, *(int(p[:4]) for p in recorded)])
    return list(range(this_year, min(first, this_year) - 1, -1))


@dataclass
class Board:  # the county board's figures for one period: recorded scores, or computed now
    period: str
    start: object
    end: object
    as_of: object  # the day the overdue counts refer to: the period's end, or today for a period not over
    recorded: bool
    units: list
    cadres: list
    scored_at: object = None  # when the recorded scores last changed

    def overdue_by_owner(self, limit: int | None = None) -> list[dict]:
        """Owners with overdue tasks, most first, from the same rows as the rankings (so the counts agree)."""
        rows = [{"owner": r["unit"], "key": f"u{r['unit_id']}", "overdue": r["overdue"]} for r in self.units]
        rows += [{"owner": r["cadre"], "key": f"c{r['cadre_id']}", "overdue": r["overdue"]} for r in self.cadres]
        return sorted((r for r in rows if r["overdue"]), key=lambda r: (-r["overdue"], r["owner"]))[:limit]


def county_board(period: str) -> Board:
    """The period's scores as recorded (`tuopin tasks score`), else computed now and marked provisional."""
    from django.db.models import Max

    from tuopin.apps.assistance.models import AssessmentEvent

    start, end = scoring.period_range(period)
    as_of = min(end, timezone.localdate())
    if Assessment.objects.filter(period=period).exists():
        scored_at = AssessmentEvent.objects.filter(assessment__period=period, kind="scored").aggregate(
            at=Max("at"))["at"]
        return Board(period, start, end, as_of, True, scoring.unit_report(period=period),
                     scoring.cadre_report(period=period), scored_at)
    units, cadres = scoring.provisional_reports(period=period)
    return Board(period, start, end, as_of, False, units, cadres)


def chosen_period(asked) -> str:
    try:
        scoring.period_range(asked)
        return asked
    except Exception:  # any unreadable ?period= falls back to the latest
        return latest_period()


def _townships_under(region: Region | None) -> set[int] | None:
    if region is None:
        return None
    if region.level == Level.TOWNSHIP:
        return {region.pk}
    prefix = region.code[:6] if region.level == Level.COUNTY else region.code[:4]
    return set(Region.objects.filter(level=Level.TOWNSHIP, code__startswith=prefix).values_list("pk", flat=True))


def assessment_for(user, pk: int) -> Assessment:
    """A unit's or work team's assessment the account may act on: the county office for the townships under its
    region, a commander for its zones. Anything else is Assessment.DoesNotExist (a 404 on the page)."""
    assessment = Assessment.objects.select_related("vetoed_by").get(pk=pk, subject_kind__in=scoring.VETOABLE)
    zones = scoring.zone_townships_of(assessment)
    if user.role == Role.COUNTY_ADMIN:
        allowed = _townships_under(user.region)
        if allowed is None or zones & allowed:
            return assessment
    elif set(zone_townships_commanded_by(user)) & zones:
        return assessment
    raise Assessment.DoesNotExist


@dataclass
class Row:  # one assessed unit or work team on a board
    assessment: Assessment
    name: str
    kind: str  # unit / work_team


def zone_assessments(township: Region, period: str) -> list[Row]:
    """Scores of the units paired in the zone during the period and of the zone's work teams, worst first."""
    start, end = scoring.period_range(period)
    units = Unit.objects.filter(Q(village_pairings__start__lte=end)
                                & (Q(village_pairings__end__isnull=True) | Q(village_pairings__end__gte=start)),
                                village_pairings__village__parent=township).distinct()
    unit_names = dict(units.values_list("pk", "name"))
    teams = {t.pk: t for t in WorkTeam.objects.filter(village__parent=township).select_related("village", "unit")}
    rows = []
    for a in (Assessment.objects.filter(period=period)
              .filter(Q(subject_kind="unit", subject_id__in=unit_names) | Q(subject_kind="work_team",
                                                                              subject_id__in=teams))
              .select_related("vetoed_by")):
        if a.subject_kind == "unit":
            rows.append(Row(a, unit_names[a.subject_id], "unit"))
        else:
            team = teams[a.subject_id]
            rows.append(Row(a, f"{team.village.name} · {team.unit.name}", "work_team"))
    return sorted(rows, key=lambda r: (float(r.assessment.score), r.name))


def vetoes(period: str) -> QuerySet[Assessment]:
    return Assessment.objects.filter(period=period, vetoed=True).select_related("vetoed_by").order_by("vetoed_at")


def zone_of(user) -> Region | None:
    """The township a commander's board shows: its role's region, or the first zone its cadre commands."""
    if user.role == Role.COMMANDER and user.region_id and user.region.level == Level.TOWNSHIP:
        return user.region
    ids = zone_townships_commanded_by(user)
    return Region.objects.filter(pk__in=ids).order_by("code").first() if ids else None


def may_open_zone(user, township: Region) -> bool:
    if user.role == Role.COUNTY_ADMIN:
        allowed = _townships_under(user.region)
        return allowed is None or township.pk in allowed
    return township.pk in zone_townships_commanded_by(user)
