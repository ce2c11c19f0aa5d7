"""Reads of the household procedures (exit, identification, return) and area exits for the work pages: what is open at which stage, and one household's history.

Households are reached through `accounts.scoping` only, so a township's page lists its own procedures.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from tuopin.apps.accounts.scoping import households_visible_to, regions_visible_to
from tuopin.apps.geo.models import Level, Region

from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, ProcedureStep, StatusEvent

from .models import CLOSED_AREA_STAGES, AreaExit, AreaExitStep
from .procedure import CLOSED_STAGES, PROCEDURES

# From a household, its region at each level (Household.township is denormalised for speed).
_HOUSEHOLD_PATH = {
    Level.PROVINCE: "household__township__parent__parent__parent",
    Level.CITY: "household__township__parent__parent",
    Level.COUNTY: "household__township__parent",
    Level.TOWNSHIP: "household__township",
    Level.VILLAGE: "household__village",
}


def exit_procedures_open(user, *, region: Region | None = None, year: int | None = None,
                         stage: str | None = None, kind: str = c.EventKind.EXITED) -> QuerySet[StatusEvent]:
    """Open household procedures of `kind` (exit unless named) the account may see, optionally under a region, of
    a year, at a stage."""
    qs = StatusEvent.objects.filter(
        kind=kind, household__in=households_visible_to(user).values("pk"),
    ).exclude(stage__in=CLOSED_STAGES)
    if region is not None:
        qs = qs.filter(**{_HOUSEHOLD_PATH[region.level]: region})
    if year is not None:
        qs = qs.filter(year=year)
    if stage is not None:
        qs = qs.filter(stage=stage)
    return qs.select_related("household__village").order_by("household__number", "id")


def exit_procedure_counts(user, *, region: Region | None = None, year: int | None = None,
                          kind: str = c.EventKind.EXITED) -> dict[str, int]:
    """How many open household procedures of `kind` stand at each stage: {stage: count}, every open stage listed."""
    rows = dict(exit_procedures_open(user, region=region, year=year, kind=kind).order_by()
                .values_list("stage").annotate(n=Count("id")))
    return {stage.value: rows.get(stage.value, 0) for stage in PROCEDURES[kind].order[:-1]}


def procedure_candidates(user, *, region: Region, year: int, kind: str, search: str = "") -> QuerySet[Household]:
    """Households under `region` the account may see that may open a procedure of `kind` (identification: not
    registered poor; return: exited), with none of that kind open for the year; `search` narrows by number or
    the head's name."""
    spec = PROCEDURES[kind]
    path = _HOUSEHOLD_PATH[region.level].removeprefix("household__")
    open_now = StatusEvent.objects.filter(kind=kind, year=year).exclude(stage__in=CLOSED_STAGES)
    qs = (households_visible_to(user).filter(**{path: region}, closed=False, status__in=spec.statuses)
          .exclude(pk__in=open_now.values("household_id")))
    search = search.strip()
    if search:
        qs = qs.filter(Q(number__startswith=search) | Q(members__name__contains=search, members__relation=c.Relation.HEAD))
    return qs.distinct().select_related("village").order_by("number")


def household_procedure_history(user, household: Household) -> list[StatusEvent]:
    """Every status event of a household, oldest first, with its steps (who, when, outcome) and objections.

    Household.DoesNotExist when the account may not see the household."""
    if not households_visible_to(user).filter(pk=household.pk).exists():
        raise Household.DoesNotExist
    steps = ProcedureStep.objects.order_by("on", "id").prefetch_related("objections")
    return list(StatusEvent.objects.filter(household_id=household.pk)
                .order_by("year", "created_at", "id").prefetch_related(Prefetch("steps", queryset=steps)))


def area_exits_open(user, *, region: Region | None = None, kind: str | None = None,
                    stage: str | None = None) -> QuerySet[AreaExit]:
    """Open village and county exit procedures in regions the account may see (under `region` if given)."""
    qs = AreaExit.objects.filter(region__in=regions_visible_to(user).values("pk")).exclude(stage__in=CLOSED_AREA_STAGES)
    if region is not None:
        qs = qs.filter(Q(region=region) | Q(region__parent=region) | Q(region__parent__parent=region)
                       | Q(region__parent__parent__parent=region))
    if kind is not None:
        qs = qs.filter(kind=kind)
    if stage is not None:
        qs = qs.filter(stage=stage)
    return qs.select_related("region").order_by("region__code", "year")


def area_exit_history(user, region: Region) -> list[AreaExit]:
    """Every exit procedure of a village or county, with steps and objections; Region.DoesNotExist if out of scope."""
    if not regions_visible_to(user).filter(pk=region.pk).exists():
        raise Region.DoesNotExist
    steps = AreaExitStep.objects.order_by("on", "id").prefetch_related("objections")
    return list(AreaExit.objects.filter(region=region).order_by("year", "id")
                .prefetch_related(Prefetch("steps", queryset=steps)))
