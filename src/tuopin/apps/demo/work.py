"""The county's accountability work: gap tasks, the "4+4", what their owners do with them, the
"1+1" visits (often a "1×5" group's shared trip), and the yearly assessments — so that the scores on the
accountability pages come from a plausible record of work, not from an empty one (decision 0717).

The rules stay the services': `tasks_sync` turns each year's gaps into tasks and closes or reopens them as the
registry's yearly records change, `tasks_generate_templates` hands out the "4+4", `assessments_compute` scores.
What the services leave to people — reporting a task done, going to see a household — is generated here and
written in bulk (one audit batch per write), inside the rules the services enforce one at a time: a visit by
the cadre paired with the household on that day, a task completed by its owner with evidence, nothing in the
future. The services date their rows and events today; those of the demo's past are re-dated to the day the
story has them happen.

The calendar: the 2015 gap list is synced on 15 January 2016, once the pairings are in force; then each year on
28 December, after the year's exits of 5–26 December, closing the tasks whose gap the next yearly record no longer
shows and reopening those reported done whose gap is still there; 2019–2020 the same (the returned households'
gaps). Owners report their open gap tasks done with a line of evidence and a `completed` event — by the due date,
late, or not at all (`CADRE_WORK`, `UNIT_WORK`: most on time, a minority late, a few left open). Each paired cadre
visits each of its households while the pairing is in force, up to once a quarter (four a year for most, one to
three for a few), 70 % of the visits on its 1×5 group's shared trip of the quarter (`trip`, `mutual_group`), the
rest on a day of its own; 2016–2020, since pairings outlast exit (四个不摘), and 2021–2025 at most twice a
year (the consolidation years: no gap tasks are written for them, their risks are the monitoring procedure's).
The "4+4" templates (≈ 76,000 tasks a year) are left out by `TEMPLATE_YEARS = ()`: with their completions they
tripled the cost of the work.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from typing import Callable

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from tuopin.apps.assistance.models import (AssessmentEvent, Task, TaskEvent, TaskEventKind, TaskEvidence,
                                           TaskStatus, Visit)
from tuopin.apps.assistance.scoring import assessments_compute
from tuopin.apps.assistance.sync import tasks_sync
from tuopin.apps.assistance.tasks import tasks_generate_templates
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.organisation.models import Cadre, CadreHouseholdPairing, MutualGroup, Unit
from tuopin.apps.registry.bulk import insert_rows

from tuopin.synth import distributions as d

DAY = dt.timedelta(days=1)
WORK_STEPS = 1 + len(d.WORK_YEARS) + 1  # build_work's calls of step(): the first gap list, each year, the visits after
VISIT_COLUMNS = ("household", "cadre", "on", "found", "done", "trip", "mutual_group", "created_by")
EVENT_COLUMNS = ("task", "kind", "at", "by", "by_name", "note")
EVIDENCE_COLUMNS = ("task", "text", "photo", "at", "by")
# What an owner writes when reporting a task done (the evidence the completion service asks for).
EVIDENCE = {
    "courtyard_economy": "庭院种植蔬菜、散养家禽，已见收益", "fences": "院墙、栅栏已整修", "hygiene": "院落及周边环境已清理",
    "house_interior": "室内已整理，门窗、炕、灶修缮", "collective_economy": "村集体光伏电站收益已到账",
    "industry": "扶贫产业项目已落地，贫困户入股分红", "infrastructure": "村内道路、边沟已完工验收",
    "livelihood": "公益岗位已安排，卫生室已标准化", "income": "已落实产业、就业或分红增收措施",
    "food_clothing": "已协调落实低保、临时救助", "education": "已联系学校，适龄儿童在校就读",
    "medical": "已办理新农合及大病保险，签约家庭医生", "housing": "危房改造已竣工验收", "water": "已接通自来水",
}
VISIT_FOUND = ("", "", "", "生活稳定", "老人慢性病按时服药", "庭院经济有起色", "房屋需修缮", "孩子在校情况良好",
               "申请公益岗位", "收入有所增加", "反映看病报销问题")
VISIT_DONE = ("", "", "宣讲扶贫政策", "核实收入台账", "帮助打扫卫生", "代办医保报销", "落实分红", "联系用工",
              "协助春耕", "送米面油")


class Work:
    """The county's work, year by year; `counts` and `seconds` describe what was written."""

    def __init__(self, *, seed: int, scale: float):
        self.rng = random.Random(f"{seed}:work")
        self.seed, self.scale = seed, scale
        self.counts: dict = defaultdict(int)
        self.seconds: dict = defaultdict(float)
        adapt = connection.ops.adapt_datetimefield_value
        tz = timezone.get_default_timezone()
        self._stamp = lambda day, hour=9: adapt(timezone.make_aware(dt.datetime(day.year, day.month, day.day,
                                                                                hour), tz))
        self.cadre_name = dict(Cadre.objects.values_list("pk", "name"))
        self.unit_name = dict(Unit.objects.values_list("pk", "name"))
        self.cadre_work = {c: d.pick(self.rng, d.CADRE_WORK) for c in sorted(self.cadre_name)}
        self.unit_work = {u: d.pick(self.rng, d.UNIT_WORK) for u in sorted(self.unit_name)}
        self.group_of = dict(MutualGroup.members.through.objects.order_by("id")
                             .values_list("cadre_id", "mutualgroup_id"))
        self.pairings = list(CadreHouseholdPairing.objects.order_by("id")
                             .values_list("cadre_id", "household_id", "start", "end"))

    # ---- the services ------------------------------------------------------------------------------------

    def sync(self, year: int, on: dt.date) -> None:
        t0, last = time.perf_counter(), _last(TaskEvent)
        result = tasks_sync(year=year, by=None, today=on, source="demo")
        _redate(TaskEvent, last, self._stamp(on))
        for name in ("created", "closed", "reopened", "handed_over"):
            self.counts[f"tasks_{name}"] += getattr(result, name)
        self.seconds["sync"] += time.perf_counter() - t0

    def templates(self, year: int) -> None:
        t0 = time.perf_counter()
        on = dt.date(year, *d.TEMPLATES_ON)
        last_task, last_event = _last(Task), _last(TaskEvent)
        made = tasks_generate_templates(year=year, by=None, on=on, source="demo")
        _update_after(Task, last_task, {"opened_on": connection.ops.adapt_datefield_value(on)})
        _redate(TaskEvent, last_event, self._stamp(on))
        self.counts["tasks_4+4"] += made["unit4"] + made["cadre4"]
        self.seconds["templates"] += time.perf_counter() - t0

    def assess(self, year: int) -> None:
        t0, last = time.perf_counter(), _last(AssessmentEvent)
        made = assessments_compute(period=str(year), by=None, source="demo")
        _redate(AssessmentEvent, last, self._stamp(dt.date(year, *d.ASSESSED_ON)))
        self.counts["assessments"] += made["created"]
        self.seconds["assess"] += time.perf_counter() - t0

    # ---- what people do ----------------------------------------------------------------------------------

    def complete(self, year: int) -> None:
        """The owners report their open tasks done — most by the due date, some late, a few not at all — with
        the evidence the completion service asks for. Gap tasks are reported before the year-end sync, which
        then reopens those whose gap the year's record still shows (decision 0702)."""
        t0, rng = time.perf_counter(), self.rng
        first, sync_day = dt.date(year, 1, 1), dt.date(year, *d.YEAR_END_SYNC_ON)
        late_until = dt.date(year + 1, 3, 31)  # a "4+4" due 31 December may still be reported in the spring
        done, on_time_n = [], 0
        tasks = (Task.objects.filter(status=TaskStatus.OPEN, kind__in=("gap", "unit4", "cadre4"),
                                     opened_on__lt=sync_day)
                 .order_by("id").values_list("pk", "kind", "template", "indicator", "owner_unit_id", "owner_cadre_id",
                                             "due", "opened_on"))
        for pk, kind, template, indicator, unit_id, cadre_id, due, opened_on in tasks.iterator(chunk_size=20_000):
            if kind != "gap" and due.year != year:
                continue  # a "4+4" not reported in its year (or the spring after) stays open
            _, on_time, late = self.cadre_work[cadre_id] if cadre_id else self.unit_work[unit_id]
            start = max(opened_on + DAY, first)
            limit = sync_day - DAY if kind == "gap" else late_until
            u = rng.random()
            if due >= start and u < on_time:
                on = start + DAY * rng.randrange((due - start).days + 1)
            elif u < on_time + late and max(due + DAY, start) <= limit:
                lo = max(due + DAY, start)
                on = lo + DAY * rng.randrange((limit - lo).days + 1)
            else:
                continue
            owner = self.cadre_name[cadre_id] if cadre_id else self.unit_name[unit_id]
            done.append((pk, on, owner, EVIDENCE.get(template or indicator, "已完成")))
            on_time_n += on <= due
        if not done:
            return
        _mark_done(done)
        stamps = {}
        for _, on, _, _ in done:
            if on not in stamps:
                stamps[on] = self._stamp(on, 17)
        insert_rows(TaskEvent, EVENT_COLUMNS,
                    ((pk, TaskEventKind.COMPLETED, stamps[on], None, owner, text) for pk, on, owner, text in done))
        insert_rows(TaskEvidence, EVIDENCE_COLUMNS, ((pk, text, "", stamps[on], None) for pk, on, _, text in done))
        audit_batch(actor=None, action="tasks_completed", entity="assistance.task", source="demo",
                     batch={"seed": self.seed, "scale": self.scale, "year": year, "rows": len(done),
                            "id_range": [done[0][0], done[-1][0]]},
                     summary=f"demo county (seed {self.seed}): {len(done)} tasks reported done by their owners "
                             f"in {year} ({on_time_n} by their due date), with evidence")
        self.counts["tasks_done"] += len(done)
        self.seconds["complete"] += time.perf_counter() - t0

    def visits(self, year: int, at_most: int = 4) -> None:
        """"1+1": each paired cadre visits each of its households up to once a quarter, as often as its
        diligence has it, while the pairing is in force — mostly on its 1×5 group's shared trip of the
        quarter (one vehicle, one day), otherwise on a day of its own."""
        t0, rng = time.perf_counter(), self.rng
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        quarters = [(dt.date(year, m, 1), dt.date(year + (m == 10), (m + 3) % 12 or 12, 1) - DAY)
                    for m in (1, 4, 7, 10)]
        trips = {}
        rows = []
        for cadre_id, household_id, start, end in self.pairings:
            lo, hi = max(start, first), min(end or last, last)
            if lo > hi:
                continue
            per_year = min(self.cadre_work[cadre_id][0], at_most)
            chosen = range(4) if per_year >= 4 else sorted(rng.sample(range(4), per_year))
            group = self.group_of.get(cadre_id)
            for q in chosen:
                a, b = max(quarters[q][0], lo), min(quarters[q][1], hi)
                if a > b:
                    continue
                trip, on = "", None
                if group is not None and rng.random() < d.VISIT_ON_GROUP_TRIP:
                    key = (group, q)
                    if key not in trips:
                        day = quarters[q][0] + DAY * rng.randrange((quarters[q][1] - quarters[q][0]).days + 1)
                        trips[key] = (day, f"{group}-{day:%Y%m%d}-{rng.getrandbits(24):06x}")
                    day, name = trips[key]
                    if a <= day <= b:
                        on, trip = day, name
                if on is None:
                    on = a + DAY * rng.randrange((b - a).days + 1)
                rows.append((household_id, cadre_id, on, rng.choice(VISIT_FOUND), rng.choice(VISIT_DONE), trip,
                             group if trip else None, None))
        n = insert_rows(Visit, VISIT_COLUMNS, rows)
        audit_batch(actor=None, action="demo_build", entity="assistance.visit", source="demo",
                    batch={"seed": self.seed, "scale": self.scale, "year": year, "rows": n,
                           "trips": sum(1 for r in rows if r[5])},
                    summary=f"demo county (seed {self.seed}): {n} visits by the pairing cadres in {year}")
        self.counts["visits"] += n
        self.seconds["visits"] += time.perf_counter() - t0


def build_work(*, seed: int, scale: float, step: Callable[[], None] = lambda: None) -> dict:
    """The work of 2016–2020 (and the visits of 2021–2025) on the county just built: counts and seconds per part.
    `step()` is called WORK_STEPS times: after the first gap list, after each year, after the later visits."""
    w = Work(seed=seed, scale=scale)
    w.sync(2015, dt.date(2016, *d.FIRST_GAP_LIST_ON))
    step()
    for year in d.WORK_YEARS:
        if year in d.TEMPLATE_YEARS:
            w.templates(year)
        w.complete(year)
        w.visits(year)
        if year in d.ASSESSED_YEARS:
            w.assess(year)
        w.sync(year, dt.date(year, *d.YEAR_END_SYNC_ON))
        step()
    for year in d.VISIT_YEARS_AFTER:  # 四个不摘: the pairings stay, the cadres visit less often
        w.visits(year, d.VISITS_A_YEAR_AFTER)
    step()
    return {"counts": dict(w.counts), "seconds": {k: round(v, 2) for k, v in w.seconds.items()}}


# ---- helpers -------------------------------------------------------------------------------------------------

def _last(model) -> int:
    return model.objects.aggregate(m=Max("pk"))["m"] or 0


def _mark_done(done: list[tuple]) -> None:
    """status done, closed_on the day reported, version moved: a prepared statement per row on SQLite (twice as fast
    as lists of ids), one UPDATE per day on PostgreSQL (where a statement per row is a round trip)."""
    adapt = connection.ops.adapt_datefield_value
    if connection.vendor == "sqlite":
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {q(Task._meta.db_table)} SET {q('status')} = %s, {q('closed_on')} = %s, "
                               f"{q('version')} = {q('version')} + 1 WHERE {q('id')} = %s",
                               [(TaskStatus.DONE, adapt(on), pk) for pk, on, *_ in done])
        return
    by_day = defaultdict(list)
    for pk, on, *_ in done:
        by_day[on].append(pk)
    for on, ids in by_day.items():
        _update_ids(Task, ids, {"status": TaskStatus.DONE, "closed_on": adapt(on)})


def _update_ids(model, ids: list[int], values: dict, chunk: int = 5_000) -> None:
    """UPDATE the rows `ids` to `values` (adapted for the database), moving their version like any edit."""
    q = connection.ops.quote_name
    sets = [f"{q(model._meta.get_field(k).column)} = %s" for k in values] + [f"{q('version')} = {q('version')} + 1"]
    with connection.cursor() as cursor:
        for i in range(0, len(ids), chunk):
            part = ids[i:i + chunk]
            cursor.execute(f"UPDATE {q(model._meta.db_table)} SET {', '.join(sets)} "
                           f"WHERE {q('id')} IN ({', '.join(['%s'] * len(part))})", [*values.values(), *part])


def _update_after(model, last_id: int, values: dict) -> None:
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(model._meta.get_field(k).column)} = %s" for k in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {q('id')} > %s",
                       [*values.values(), last_id])


def _redate(model, last_id: int, at) -> None:
    """The events a service just wrote (dated now) happened on the story's day."""
    _update_after(model, last_id, {"at": at})
