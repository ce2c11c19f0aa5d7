"""The signal rules' input tables (tuopin.engine.signals.INPUTS) read from the live database for a year and a
county or township: incomes of the year before, the year and the year after; announced exits; the year's visits;
the pairings; gap tasks closed in the year; the registry's per-record edits before the year's evaluation rounds.
A county's rows are tens of thousands: read as value tuples straight into Arrow."""

from __future__ import annotations

import datetime as dt
import re

import pyarrow as pa
from django.db.models import Count, Q
from django.utils import timezone

from tuopin.apps.assistance.models import Task, TaskStatus, Visit
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.evaluation.models import EvaluationRound
from tuopin.apps.geo.models import Region
from tuopin.apps.organisation.models import CadreHouseholdPairing
from tuopin.apps.organisation.selectors import code_prefix
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear, StatusEvent
from tuopin.engine.signals import INPUTS

# The registry's records whose per-record edits count (audit entity → how its id leads to the household).
EDITED = ("registry.household", "registry.householdyear", "registry.person", "registry.personyear")
EDIT_ACTIONS = ("update",)
_NOT_TEXT = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """A visit's text as compared: whitespace and punctuation (Chinese and Latin) taken out."""
    return _NOT_TEXT.sub("", text or "")


def _table(name: str, rows: list[tuple]) -> pa.Table:
    schema = INPUTS[name]
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    return pa.table({f.name: pa.array(list(col), f.type) for f, col in zip(schema, columns)}, schema=schema)


def read(*, year: int, region: Region, window_days: int) -> dict[str, pa.Table]:
    prefix = code_prefix(region)
    in_scope = Q(household__village__code__startswith=prefix)
    codes = ("household__village__code", "household__village__parent__code")
    incomes = [(h, y, int(v), int(t), fen) for h, y, v, t, fen in HouseholdYear.objects.filter(
        in_scope, year__in=(year - 1, year, year + 1)).values_list("household_id", "year", *codes,
                                                                   "per_capita_net_income_fen").iterator()]
    exits = [(h, on.year) for h, on in StatusEvent.objects.filter(
        in_scope, kind="exited", stage="announced", effective_on__year__in=(year - 1, year, year + 1))
        .values_list("household_id", "effective_on").iterator()]
    visits = [(pk, h, c, on, int(v), int(t), normalise(f"{found}{done}")) for pk, h, c, on, v, t, found, done
              in Visit.objects.filter(in_scope, on__year=year).values_list(
                  "pk", "household_id", "cadre_id", "on", *codes, "found", "done").iterator()]
    visited = {v[1] for v in visits}
    pairings = list(CadreHouseholdPairing.objects.filter(household_id__in=visited)
                    .values_list("cadre_id", "household_id", "start", "end").iterator()) if visited else []
    with_evidence = Count("evidence", filter=~Q(evidence__text="") | ~Q(evidence__photo=""))
    tasks = [(pk, h, c, int(v), int(t), status, opened, closed, n) for pk, h, c, v, t, status, opened, closed, n
             in Task.objects.filter(in_scope, kind="gap", status__in=(TaskStatus.DONE, TaskStatus.CLOSED_BY_SYNC),
                                    closed_on__year=year)
             .annotate(n=with_evidence).values_list("pk", "household_id", "owner_cadre_id", *codes, "status",
                                                    "opened_on", "closed_on", "n").iterator()]
    return {"signal_incomes": _table("signal_incomes", incomes), "signal_exits": _table("signal_exits", exits),
            "signal_visits": _table("signal_visits", visits), "signal_pairings": _table("signal_pairings", pairings),
            "signal_gap_tasks": _table("signal_gap_tasks", tasks),
            "signal_edits": _table("signal_edits", _edits(year, region, prefix, window_days))}


def round_day(round_: EvaluationRound) -> dt.date:
    """An evaluation round's date: the day its sample was drawn (the round's creation), local time."""
    return timezone.localtime(round_.created_at).date()


def _edits(year: int, region: Region, prefix: str, window_days: int) -> list[tuple]:
    rounds = EvaluationRound.objects.filter(data_year=year, county__code__startswith=prefix[:6])
    rows: list[tuple] = []
    for round_ in rounds:
        on = round_day(round_)
        since = timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=window_days), dt.time()))
        until = timezone.make_aware(dt.datetime.combine(on, dt.time()))
        events = list(AuditEvent.objects.filter(entity__in=EDITED, action__in=EDIT_ACTIONS, at__gte=since,
                                                at__lt=until).exclude(entity_id="")
                      .values_list("entity", "entity_id", "at"))
        households = _households_of(events)
        places = dict((pk, (int(v), int(t))) for pk, v, t in Household.objects.filter(
            pk__in={h for h in households.values()}, village__code__startswith=prefix)
            .values_list("pk", "village__code", "village__parent__code"))
        for entity, entity_id, at in events:
            household = households.get((entity, entity_id))
            if household in places:
                rows.append((round_.pk, round_.data_year, on, household, *places[household],
                             timezone.localtime(at).date()))
    return rows


def _households_of(events: list[tuple]) -> dict[tuple[str, str], int]:
    """(entity, entity_id) → the household the record belongs to."""
    ids: dict[str, set[int]] = {}
    for entity, entity_id, _ in events:
        if entity_id.isdigit():
            ids.setdefault(entity, set()).add(int(entity_id))
    found: dict[tuple[str, str], int] = {}
    lookups = {"registry.household": (Household.objects, "pk"),
               "registry.householdyear": (HouseholdYear.objects, "household_id"),
               "registry.person": (Person.objects, "household_id"),
               "registry.personyear": (PersonYear.objects, "person__household_id")}
    for entity, pks in ids.items():
        manager, column = lookups[entity]
        for pk, household in manager.filter(pk__in=pks).values_list("pk", column):
            found[(entity, str(pk))] = household
    return found
