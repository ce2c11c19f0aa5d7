"""After exit, "four not-removes" (四个不摘): once a village, the county or a household is out of poverty, its
responsibility, pairing and assistance stay. This check flags what was dropped after the exit date:

- a household of an exited village or county, or an exited household, that had a pairing cadre on its exit
  date and has none in force on the day of the check (its pairing ended and nobody took over);
- an exited village (or a village of an exited county) that had a paired unit, or a work team, on the exit
  date and has none in force on the day of the check;
- for an exited county, a year after the exit year (up to the check's year) with no fund (资金) recorded, when
  funds were recorded in the exit year (decision 0716).

A household that left the register (销户: death of the last member, misidentification) needs no cadre and is
not flagged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry import choices as c
from tuopin.apps.procedures.choices import AreaStage
from tuopin.apps.procedures.models import AreaExit
from tuopin.apps.registry.models import Household, StatusEvent

from .models import CadreHouseholdPairing, UnitVillagePairing, WorkTeam
from .selectors import code_prefix, in_force


@dataclass(frozen=True)
class Flag:
    kind: str  # household_pairing / unit_pairing / work_team / funding
    region_code: str  # the village (or county) concerned
    household_number: str  # "" unless a household's pairing
    exit_on: dt.date
    dropped_on: dt.date | None  # the end date of the last period in force after the exit; None for funding
    reason: str


def _exits(scope: Region | None) -> list[tuple[Region, dt.date]]:
    qs = AreaExit.objects.filter(stage=AreaStage.ANNOUNCED, effective_on__isnull=False).select_related("region")
    if scope is not None:
        qs = qs.filter(Q(region__code__startswith=code_prefix(scope)) | Q(region__pk__in=[a.pk for a in scope.ancestors()]))
    return [(a.region, a.effective_on) for a in qs]


def _villages_of(region: Region) -> list[Region]:
    if region.level == Level.VILLAGE:
        return [region]
    return list(Region.objects.filter(level=Level.VILLAGE, code__startswith=code_prefix(region)))


def _last_end(qs, after: dt.date) -> dt.date | None:
    return qs.filter(end__gte=after).order_by("-end").values_list("end", flat=True).first()


def after_exit_check(*, scope: Region | None = None, on: dt.date | None = None) -> list[Flag]:
    """Flags, as of `on` (default today), for the exits announced within `scope` (default: everywhere)."""
    on = on or timezone.localdate()
    flags: list[Flag] = []
    village_exit: dict[int, dt.date] = {}
    for region, exit_on in _exits(scope):
        if exit_on > on:
            continue
        for village in _villages_of(region):
            # The earliest exit that covers the village counts (a village exits before its county).
            village_exit[village.pk] = min(exit_on, village_exit.get(village.pk, exit_on))
        if region.level == Level.COUNTY:
            flags += _funding_flags(region, exit_on, on)
    villages = {v.pk: v for v in Region.objects.filter(pk__in=village_exit)}
    for village_id, exit_on in sorted(village_exit.items()):
        village = villages[village_id]
        for model, kind, what in ((UnitVillagePairing, "unit_pairing", "paired unit (包村单位)"),
                                  (WorkTeam, "work_team", "work team (驻村工作队)")):
            rows = model.objects.filter(village_id=village_id)
            if rows.filter(in_force(exit_on)).exists() and not rows.filter(in_force(on)).exists():
                flags.append(Flag(kind, village.code, "", exit_on, _last_end(rows, exit_on),
                                  f"{village.name}: its {what} ended after the exit on {exit_on} and none is in force"))
    flags += _household_flags(village_exit, on)
    return flags


def _household_flags(village_exit: dict[int, dt.date], on: dt.date) -> list[Flag]:
    # Each household's own exit date, if it exited (announced 脱贫); the earliest exit covering it counts.
    own_exit = dict(StatusEvent.objects.filter(kind=c.EventKind.EXITED, stage=c.Stage.ANNOUNCED, effective_on__lte=on)
                    .order_by("household_id", "-effective_on").values_list("household_id", "effective_on"))
    in_force_now = set(CadreHouseholdPairing.objects.filter(in_force(on)).values_list("household_id", flat=True))
    unpaired = {}
    for pk, number, village_id, village_code in (Household.objects.filter(is_registered=True, closed=False)
                                                 .values_list("pk", "number", "village_id", "village__code")):
        dates = [d for d in (village_exit.get(village_id), own_exit.get(pk)) if d]
        if dates and pk not in in_force_now:
            unpaired[pk] = (number, village_code, min(dates))
    periods: dict[int, list] = {}
    for household_id, start, end in (CadreHouseholdPairing.objects.filter(household_id__in=list(unpaired))
                                     .values_list("household_id", "start", "end")):
        periods.setdefault(household_id, []).append((start, end))
    flags = []
    for pk, (number, village_code, exit_on) in sorted(unpaired.items(), key=lambda kv: kv[1][0]):
        held = [(s, e) for s, e in periods.get(pk, ()) if s <= exit_on and (e is None or e >= exit_on)]
        if held:
            dropped_on = max((e for _, e in held if e), default=None)
            flags.append(Flag("household_pairing", village_code, number, exit_on, dropped_on,
                              f"household {number}: its pairing ended after the exit on {exit_on} and nobody "
                              "took over"))
    return flags


def _funding_flags(county: Region, exit_on: dt.date, on: dt.date) -> list[Flag]:
    from tuopin.apps.projects.models import Fund

    years = set(Fund.objects.values_list("year", flat=True))
    if exit_on.year not in years:
        return []  # no fund recorded in the exit year: nothing to compare with
    return [Flag("funding", county.code, "", exit_on, None,
                 f"{county.name}: no fund recorded for {year}, after the exit in {exit_on.year}")
            for year in range(exit_on.year + 1, on.year + 1) if year not in years]
