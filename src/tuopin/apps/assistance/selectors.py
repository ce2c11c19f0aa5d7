"""Reads of tasks, visits and assessments. Functions taking `user` start from the scoping layer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from tuopin.apps.accounts.scoping import tasks_visible_to, visits_visible_to

from .models import Assessment, AssessmentEvent, ResponsibilityItem, Task, TaskEvent, TaskEventKind, TaskStatus, Visit

OPEN_EVENTS = (TaskEventKind.OPENED, TaskEventKind.REOPENED)


def open_tasks(qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    return (Task.objects.all() if qs is None else qs).filter(status=TaskStatus.OPEN)


def overdue_tasks(qs: QuerySet[Task] | None = None, on: dt.date | None = None) -> QuerySet[Task]:
    """Open tasks past their due date on `on` (default today): due before that day."""
    on = on or timezone.localdate()
    return open_tasks(qs).filter(due__lt=on)


def by_urgency(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Open tasks first, by due date — the overdue, most overdue first, then the nearest deadline; open tasks
    without a due date after them; then the closed ones, the most recently closed first (decision 1260)."""
    return qs.annotate(
        closed_rank=Case(When(status=TaskStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
        open_due=Case(When(status=TaskStatus.OPEN, then=F("due")), default=None),
    ).order_by("closed_rank", F("open_due").asc(nulls_last=True), F("closed_on").desc(nulls_last=True), "pk")


def tasks_for(user, *, status: str | None = None, kind: str | None = None, overdue: bool = False,
              household=None) -> QuerySet[Task]:
    """A task list with filters, as the account may see it, most urgent first (`by_urgency`)."""
    qs = tasks_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if household is not None:
        qs = qs.filter(household=household)
    if overdue:
        qs = overdue_tasks(qs)
    return by_urgency(qs.select_related("household", "village", "owner_unit", "owner_cadre"))


def task_history(task: Task) -> QuerySet[TaskEvent]:
    return task.events.order_by("at", "pk")


def tasks_open_on(on: dt.date) -> QuerySet[Task]:
    """Tasks open at the end of `on`, from their history: the last event by then opened or reopened them."""
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time()))
    last = TaskEvent.objects.filter(task=OuterRef("pk"), at__lt=end).order_by("-at", "-pk").values("kind")[:1]
    return Task.objects.annotate(last_kind=Subquery(last)).filter(last_kind__in=OPEN_EVENTS)


def task_counts_on(on: dt.date) -> dict:
    """{"open", "overdue"} on a date: today from the tasks' status, another day from their history."""
    if on == timezone.localdate():
        return {"open": open_tasks().count(), "overdue": overdue_tasks(on=on).count()}
    qs = tasks_open_on(on)
    return {"open": qs.count(), "overdue": qs.filter(due__lt=on).count()}


def visits_for(user, *, household=None, since: dt.date | None = None) -> QuerySet[Visit]:
    qs = visits_visible_to(user)
    if household is not None:
        qs = qs.filter(household=household)
    if since is not None:
        qs = qs.filter(on__gte=since)
    return qs.select_related("household", "cadre").order_by("-on", "-pk")


def last_visit(household) -> Visit | None:
    return Visit.objects.filter(household=household).order_by("-on", "-pk").first()


def responsibility_items(*, level: str | None = None, region=None, open_only: bool = False
                         ) -> QuerySet[ResponsibilityItem]:
    qs = ResponsibilityItem.objects.select_related("region", "owner_unit", "owner_cadre")
    if level:
        qs = qs.filter(level=level)
    if region is not None:
        qs = qs.filter(Q(region=region) | Q(region__parent=region))
    if open_only:
        qs = qs.filter(status=TaskStatus.OPEN)
    return qs.order_by("deadline", "pk")


def overdue_responsibility_items(on: dt.date | None = None) -> QuerySet[ResponsibilityItem]:
    on = on or timezone.localdate()
    return responsibility_items(open_only=True).filter(deadline__lt=on)


def assessment_history(assessment: Assessment) -> QuerySet[AssessmentEvent]:
    return assessment.events.select_related("by").order_by("at", "pk")


def overdue_by_owner(user, township) -> list[dict]:
    """Overdue tasks by owner, counted over the zone's tasks the account sees (a county admin's: the whole zone),
    most first: {owner, key (u<unit id> or c<cadre id>), overdue}. The zone board and the wall screen show them."""
    rows = (overdue_tasks(tasks_visible_to(user).filter(village__parent=township))
            .values("owner_unit__name", "owner_cadre__name", "owner_unit_id", "owner_cadre_id")
            .annotate(n=Count("pk")).order_by("-n"))
    return [{"owner": r["owner_unit__name"] or r["owner_cadre__name"],
             "key": f"u{r['owner_unit_id']}" if r["owner_unit_id"] else f"c{r['owner_cadre_id']}",
             "overdue": r["n"]} for r in rows]
