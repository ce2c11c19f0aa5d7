"""`tasks_sync`: the year's gaps (短板清单) become tasks for the owners the routing table names.

One task per (household, indicator, owner), found again by its `key`, so re-running creates nothing new.
A task whose gap has gone closes itself (`resolved`, dated); one whose gap returns reopens; a task whose
owner is no longer the one routed (a new pairing cadre) is `handed` over and the new owner gets a task. Each
change is a TaskEvent by "sync". A task a later year's sync has touched is left alone by an earlier year's.
An open or reopened task takes the gap's reason as it is this year for its title and detail: a task open since
2015 does not keep asking about 2015's income against 2015's line (decision 1260).

Built for a county's tens of thousands of gaps: the engine's Arrow result, a handful of lookups, inserts as
tuples and a few `UPDATE … WHERE id IN (…)` grouped by their new values (decisions 0006, 0503, 0702).
The engine's rule text (`household_status` → `household_gaps` → `household_result`) runs only on the households
ever identified (the only ones that can be poor), about a quarter of a county's rows; a run is a few dozen
statements whatever the county's size.

`Task.key` is `gap|<household>|<indicator>|u<unit>` or `…|c<cadre>` (unique); the task's `year` is the last year
whose sync saw the gap. TaskEvents carry the account that ran the sync and `by_name = "sync"`; the run is one
batch audit event listing the task ids per change.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from tuopin import rules, standards
from tuopin.apps.assessment import live_inputs
from tuopin.apps.assessment.services import default_scope, no_records_message, recorded_years
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.models import (CadreHouseholdPairing, Unit, UnitKind, UnitVillagePairing, WarZone,
                                             WorkTeam)
from tuopin.apps.organisation.selectors import code_prefix, in_force
from tuopin.apps.registry.bulk import insert_rows
from tuopin.apps.registry.choices import EventKind, Stage
from tuopin.apps.registry.models import StatusEvent
from tuopin.engine import duckdb_runner

from . import config
from .models import Task, TaskEvent, TaskEventKind, TaskStatus

SYNC = "sync"
GAP = "gap"
CHUNK = 5_000  # ids per `IN (…)`: well under SQLite's limit of bound variables
TASK_COLUMNS = ("kind", "household", "village", "indicator", "year", "owner_unit", "owner_cadre", "title", "due",
                "status", "version", "key", "opened_on", "detail", "template")
EVENT_COLUMNS = ("task", "kind", "at", "by", "by_name", "note")


@dataclass
class SyncResult:
    year: int
    scope: str
    gaps: int = 0
    created: int = 0
    closed: int = 0
    reopened: int = 0
    handed_over: int = 0
    unchanged: int = 0
    retitled: int = 0  # open or reopened tasks whose title and detail now read as this year's gap
    unrouted: dict = field(default_factory=dict)  # "indicator → owner" with no one to give it to: count
    seconds: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def gap_rows(*, year: int, region: Region) -> list[tuple[int, int, str, str]]:
    """(household_id, village_code, indicator, reason) for the households poor at the end of `year`.

    The assessment engine's own rule text (household_status → household_gaps → household_result), run on the
    households that were ever registered — the only ones that can be poor at the end of a year — which reads a
    quarter of a county's rows instead of all of them (the same narrowing `explain_household` uses). A
    household that has exited is not worked through gap tasks: a gap after exit is a monitoring case (防返贫)."""
    ids = sorted(set(StatusEvent.objects.filter(kind=EventKind.IDENTIFIED, stage=Stage.ANNOUNCED)
                     .values_list("household_id", flat=True)))
    if not ids:
        return []
    params = rules.parameters(standards.load(region.code), year)
    con = duckdb_runner.connect()
    duckdb_runner.register_arrow(con, live_inputs.read(year=year, region_code=region.code, household_ids=ids))
    for name in rules.GAP_RULES:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {rules.render(name, params)}")
    rows = con.sql("SELECT g.household_id, r.village_code, g.indicator, g.reason FROM household_gaps g "
                   "JOIN household_result r ON r.household_id = g.household_id WHERE r.poor_at_end "
                   "ORDER BY g.household_id, g.indicator").fetchall()
    con.close()
    return rows


class Owners:
    """Who answers for a household's gap, per owner kind of the routing table, on a date; a few queries."""

    def __init__(self, region: Region, on: dt.date):
        prefix = code_prefix(region)
        self.village_id = dict(Region.objects.filter(level=Level.VILLAGE, code__startswith=prefix)
                               .values_list("code", "pk"))
        self.township_of = dict(Region.objects.filter(level=Level.VILLAGE, code__startswith=prefix)
                                .values_list("pk", "parent_id"))
        self.cadres: dict[int, list[int]] = {}
        for h, cadre in (CadreHouseholdPairing.objects.filter(in_force(on), household__village__code__startswith=prefix)
                         .order_by("start", "id").values_list("household_id", "cadre_id")):
            self.cadres.setdefault(h, []).append(cadre)
        self.paired_unit: dict[int, int] = {}
        for v, unit in (UnitVillagePairing.objects.filter(in_force(on), village__code__startswith=prefix)
                        .order_by("-start", "-id").values_list("village_id", "unit_id")):
            self.paired_unit[v] = unit  # the earliest pairing wins: it is written last
        self.team_unit = dict(WorkTeam.objects.filter(in_force(on), village__code__startswith=prefix,
                                                      unit__isnull=False).values_list("village_id", "unit_id"))
        self.department: dict[str, int] = {}
        for domain, unit in (Unit.objects.filter(kind=UnitKind.DEPARTMENT).exclude(domain="")
                             .order_by("-id").values_list("domain", "pk")):
            self.department[domain] = unit
        self.township_unit = self._township_units()

    @staticmethod
    def _township_units() -> dict[int, int]:
        """Township region id → its government's unit: Unit.region, else the unit of the zone's Party secretary,
        else a township unit named after the township."""
        found = {}
        for name, pk in (Region.objects.filter(level=Level.TOWNSHIP).values_list("name", "pk")):
            unit = Unit.objects.filter(kind=UnitKind.TOWNSHIP, name__startswith=name).order_by("pk").first()
            if unit:
                found[pk] = unit.pk
        found.update(WarZone.objects.filter(party_secretary__unit__kind=UnitKind.TOWNSHIP)
                     .values_list("township_id", "party_secretary__unit_id"))
        found.update(Unit.objects.filter(kind=UnitKind.TOWNSHIP, region__isnull=False).values_list("region_id", "pk"))
        return found

    def resolve(self, owner: str, household_id: int, village_id: int) -> list[tuple[int | None, int | None]]:
        """[(unit_id, cadre_id)] for one owner kind; empty when nobody is there to take it."""
        if owner == "cadre":
            return [(None, c) for c in self.cadres.get(household_id, ())]
        if owner.startswith("department:"):
            unit = self.department.get(owner.split(":", 1)[1])
        elif owner == "paired_unit":
            unit = self.paired_unit.get(village_id)
        elif owner == "township":
            unit = self.township_unit.get(self.township_of.get(village_id))
        elif owner == "work_team":
            unit = self.team_unit.get(village_id)
        else:
            unit = None
        return [(unit, None)] if unit else []


def gap_key(household_id: int, indicator: str, unit_id: int | None, cadre_id: int | None) -> str:
    return f"gap|{household_id}|{indicator}|" + (f"u{unit_id}" if unit_id else f"c{cadre_id}")


def _chunks(ids: list[int]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _update(ids: list[int], values: dict, *, bump: bool = True) -> None:
    """UPDATE the tasks `ids` to `values` (already adapted for the database), a chunk at a time. Plain SQL: the
    ORM's `pk__in` prepares each of tens of thousands of ids one by one."""
    quote = connection.ops.quote_name
    sets = [f"{quote(Task._meta.get_field(k).column)} = %s" for k in values]
    if bump:
        sets.append(f"{quote('version')} = {quote('version')} + 1")
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            cursor.execute(f"UPDATE {quote(Task._meta.db_table)} SET {', '.join(sets)} "
                           f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(chunk))})", [*values.values(), *chunk])


def _retitle(rows: list[tuple[int, str, str]], stamp: dict) -> None:
    """Each task its own title and detail (one statement, many parameter rows); the version moves, so a page
    that showed last year's wording refuses a completion made against it (decision 0906)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = %s" for c in ("title", "detail", "updated_at", "updated_by_id"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(Task._meta.db_table)} SET {sets}, {quote('version')} = {quote('version')} + 1 "
            f"WHERE {quote('id')} = %s",
            [(title, detail, stamp["updated_at"], stamp["updated_by"], pk) for pk, title, detail in rows])


@dataclass
class _Plan:
    new_rows: list = field(default_factory=list)  # tuples in TASK_COLUMNS order
    reopen: dict = field(default_factory=dict)  # due_in_days → [(task id, reason)]
    close: list = field(default_factory=list)
    handed: list = field(default_factory=list)
    refresh: list = field(default_factory=list)  # open tasks seen again in a later year: only `year` moves
    retitle: list = field(default_factory=list)  # (task id, title, detail): open tasks whose gap reads otherwise now


def gap_title(reason: str) -> str:
    """A gap task's title: the gap's reason as the engine words it, which already names the indicator
    ("吃穿未得到保障", "人均纯收入3100元，未超过扶贫标准4000元"); pages show the indicator beside it."""
    return reason[:200]


def _route(gaps, routes, owners: Owners, out: SyncResult) -> dict[str, tuple]:
    """key → (household, village, indicator, unit, cadre, reason, route) for every gap and owner found."""
    desired: dict[str, tuple] = {}
    for household_id, village_code, indicator, reason in gaps:
        route = routes.get(indicator)
        if route is None:
            out.unrouted[f"{indicator} → (no route)"] = out.unrouted.get(f"{indicator} → (no route)", 0) + 1
            continue
        village_id = owners.village_id.get(f"{village_code:012d}")
        for owner in route.owners:
            found = owners.resolve(owner, household_id, village_id)
            if not found:
                out.unrouted[f"{indicator} → {owner}"] = out.unrouted.get(f"{indicator} → {owner}", 0) + 1
            for unit_id, cadre_id in found:
                desired[gap_key(household_id, indicator, unit_id, cadre_id)] = (
                    household_id, village_id, indicator, unit_id, cadre_id, reason, route)
    return desired


def _plan(*, desired: dict, existing: dict, still_gapped: set, year: int, due_db: dict, today_db,
          out: SyncResult) -> _Plan:
    plan = _Plan()
    for key, (household_id, village_id, indicator, unit_id, cadre_id, reason, route) in desired.items():
        row = existing.get(key)
        if row is None:
            plan.new_rows.append((GAP, household_id, village_id, indicator, year, unit_id, cadre_id,
                                  gap_title(reason), due_db[indicator], TaskStatus.OPEN, 1, key,
                                  today_db, reason, ""))
            continue
        pk, status, task_year, title, detail = row
        if task_year and task_year > year:
            continue  # a later year's sync owns it
        if status == TaskStatus.OPEN:
            if task_year != year:
                plan.refresh.append(pk)
            if (title, detail) != (gap_title(reason), reason):
                plan.retitle.append((pk, gap_title(reason), reason))
            out.unchanged += 1
        else:  # resolved, handed over, or done while the gap is still there
            plan.reopen.setdefault(route.due_in_days, []).append((pk, reason))
            if (title, detail) != (gap_title(reason), reason):
                plan.retitle.append((pk, gap_title(reason), reason))
    for key, (pk, status, task_year, _, _) in existing.items():
        if key in desired or status != TaskStatus.OPEN or (task_year and task_year > year):
            continue
        _, household_id, indicator, _ = key.split("|")
        (plan.handed if (int(household_id), indicator) in still_gapped else plan.close).append(pk)
    return plan


@transaction.atomic
def tasks_sync(*, year: int, by, region: Region | None = None, today: dt.date | None = None,
               source: str = "cli") -> SyncResult:
    started = time.perf_counter()
    region = region or default_scope()
    today = today or timezone.localdate()
    years = recorded_years(region)
    if year not in years:  # no records is not "every gap gone": it would close every open task (decision 1251)
        raise ValidationError(no_records_message(region, year, years))
    out = SyncResult(year=year, scope=region.code)
    routes = config.routing(region.code)

    gaps = gap_rows(year=year, region=region)
    out.gaps = len(gaps)
    out.seconds["assess"] = round(time.perf_counter() - started, 2)

    # Values adapted for the database once, not once per row: a county's first sync writes 60,000 rows.
    ops = connection.ops
    today_db, now_db = ops.adapt_datefield_value(today), ops.adapt_datetimefield_value(timezone.now())
    due_db = {r.indicator: ops.adapt_datefield_value(today + dt.timedelta(days=r.due_in_days)) for r in routes.values()}
    desired = _route(gaps, routes, Owners(region, today), out)
    existing = {key: (pk, status, task_year, title, detail) for pk, key, status, task_year, title, detail in
                Task.objects.filter(kind=GAP, village__code__startswith=code_prefix(region))
                .values_list("pk", "key", "status", "year", "title", "detail")}
    # (household, indicator) pairs still gapped: a task of theirs that is no longer routed was handed over.
    plan = _plan(desired=desired, existing=existing, still_gapped={(h, i) for h, _, i, _ in gaps}, year=year,
                 due_db=due_db, today_db=today_db, out=out)
    out.seconds["plan"] = round(time.perf_counter() - started, 2)

    by_id = by.pk if by else None
    # A version the sync moves says who ran it and when, so a stale completion names them (optimistic locking).
    stamp = {"updated_at": now_db, "updated_by": by_id}
    events, new_ids = [], []
    if plan.new_rows:
        plan.new_rows.sort(key=lambda row: row[11])  # in key order: the unique index on `key` grows at its end
        last = Task.objects.aggregate(m=Max("pk"))["m"] or 0
        insert_rows(Task, TASK_COLUMNS, plan.new_rows)
        new_ids = list(Task.objects.filter(pk__gt=last, kind=GAP).values_list("pk", flat=True))
        # The gap's reason is on the task (detail); the event only dates it.
        events += [(pk, TaskEventKind.OPENED, now_db, by_id, SYNC, "") for pk in new_ids]
    _update(plan.close, {"status": TaskStatus.CLOSED_BY_SYNC, "closed_on": today_db, **stamp})
    events += [(pk, TaskEventKind.CLOSED, now_db, by_id, SYNC, f"{year}年评估：差距已消除") for pk in plan.close]
    _update(plan.handed, {"status": TaskStatus.HANDED_OVER, "closed_on": today_db, **stamp})
    events += [(pk, TaskEventKind.HANDED_OVER, now_db, by_id, SYNC, "责任人已变更，任务移交") for pk in plan.handed]
    reopened = []
    for days, rows in plan.reopen.items():
        due = ops.adapt_datefield_value(today + dt.timedelta(days=days))
        _update([pk for pk, _ in rows], {"status": TaskStatus.OPEN, "closed_on": None, "opened_on": today_db,
                                         "year": year, "due": due, **stamp})
        events += [(pk, TaskEventKind.REOPENED, now_db, by_id, SYNC, reason) for pk, reason in rows]
        reopened += [pk for pk, _ in rows]
    _update(plan.refresh, {"year": year}, bump=False)
    _retitle(plan.retitle, stamp)
    out.seconds["tasks"] = round(time.perf_counter() - started, 2)
    insert_rows(TaskEvent, EVENT_COLUMNS, events)
    out.created, out.closed, out.handed_over, out.reopened = (len(new_ids), len(plan.close), len(plan.handed),
                                                              len(reopened))
    out.retitled = len(plan.retitle)
    audit_batch(actor=by, action="tasks_sync", entity="assistance.task", source=source,
                summary=f"{region.name} {year}: {out.created} created, {out.closed} closed, {out.reopened} reopened, "
                        f"{out.handed_over} handed over",
                batch={"year": year, "scope": region.code, "gaps": out.gaps, "unrouted": out.unrouted,
                       "created": new_ids, "closed": plan.close, "handed_over": plan.handed,
                       "reopened": sorted(reopened), "retitled": [pk for pk, _, _ in plan.retitle]})
    out.seconds["total"] = round(time.perf_counter() - started, 2)
    return out
