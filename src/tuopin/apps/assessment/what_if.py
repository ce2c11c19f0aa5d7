"""`tuopin assess --what-if FILE`: the year under today's standards and under the what-if's, side by side,
and what would move (decision 1580). Reads only: no registry row or file is written; `save` keeps a run by name
(decision 1581), its text and figures, never the standards it tried."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

import pyarrow as pa
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.audit.marker import latest_write_id
from tuopin.apps.audit.services import audit_event

from tuopin import rules, standards
from tuopin.apps.geo.models import Level, Region
from tuopin.engine import duckdb_runner
from tuopin.engine import what_if as engine_what_if
from tuopin.standards import what_if as standards_what_if

from . import live_inputs, services
from .models import WhatIfRun

# Households listed by number in a live what-if's delta (the counts are always whole).
MOVED_CAP = 200
# How long a live area's inputs are kept for the next what-if at most (a bound on memory; the write marker is
# what keeps them true).
WARM_SECONDS = 15 * 60
# The figures of a summary (or of one of its areas) whose difference the delta gives.
DELTA_KEYS = ("rural_population", "poor_persons", "poor_households", "households_exited", "persons_exited",
              "households_eligible", "villages_total", "poor_villages", "poor_villages_meeting_exit", "incidence")


def _difference(today: dict, what_if: dict) -> dict:
    out = {k: what_if[k] - today[k] for k in DELTA_KEYS if k in today and k in what_if}
    if "fgt" in today and "fgt" in what_if:
        out["fgt"] = {k: what_if["fgt"][k] - today["fgt"][k] for k in today["fgt"]}
    if "gaps" in today and "gaps" in what_if:
        out["gaps"] = {k: what_if["gaps"].get(k, 0) - today["gaps"].get(k, 0) for k in today["gaps"]}
    if "mpi" in today and "mpi" in what_if:
        out["mpi"] = {k: what_if["mpi"][k] - today["mpi"][k] for k in ("H", "A", "M0")}
    if "monitoring" in today and "monitoring" in what_if:
        out["monitoring"] = {k: what_if["monitoring"][k] - today["monitoring"][k]
                             for k in ("candidates", "candidate_persons")}
    return out


def delta(today: dict, what_if: dict, pair: engine_what_if.Pair, changed: list[str],
          within=lambda code: True) -> dict:
    """The `delta` object of docs/commands.md: the scope's and each listed area's differences (what-if − today),
    the households whose standing moves, by direction, and the villages whose exit eligibility moves."""
    out = {"changed": changed, "scope": _difference(today, what_if)}
    for key, areas in today.items():
        if isinstance(areas, list) and key in ("provinces", "cities", "counties", "townships", "villages"):
            after = {a["code"]: a for a in what_if.get(key, [])}
            out[key] = [{"code": a["code"], "name": a["name"], **_difference(a, after[a["code"]])}
                        for a in areas if a["code"] in after]
    out["households"] = {flag: pair.households[flag] for flag in engine_what_if.FLAGS}
    out["villages"] = {way: [f"{code:012d}" for code in codes]
                       for way, codes in engine_what_if.village_exit_changes(pair, within).items()}
    if pair.budget is not None:
        out["budget"] = budget_in_yuan(pair.budget)
    return out


def budget_in_yuan(cost: dict) -> dict:
    """`delta.budget`: what the what-if's budget lines cost (engine.what_if.budget_cost), in yuan."""
    return {"lines": {line: {"households": v["households"], "yuan": round(v["fen"] / 100, 2)}
                      for line, v in cost["lines"].items()},
            "households": cost["households"], "yuan": round(cost["fen"] / 100, 2)}


def _params(base: standards.Standards, over: dict, where: str, year: int) -> tuple[dict, dict, list[str]]:
    changed = standards_what_if.apply(base, over, where=where)
    try:
        after = rules.parameters(changed, year)
    except (ValueError, KeyError) as exc:  # mpi weights that do not sum to 1, a year without a line…
        raise standards_what_if.WhatIfError([f"{where}: {exc}"]) from None
    return rules.parameters(base, year), after, standards_what_if.changed_keys(over)


def assess_folder(*, folder: str, year: int, level: str, over: dict, where: str) -> dict:
    """A snapshot folder under both standards: the usual summary, `what_if` (the same under the what-if's
    standards) and `delta`; counts of households only (a national snapshot's households are not listed)."""
    today, after, changed = _params(standards.load("000000"), over, where, year)
    lines = standards_what_if.budget(over, where=where)
    levels = ("nation", level) if level != "village" else ("nation",)

    def connect():
        con = duckdb_runner.connect_for_folder()
        duckdb_runner.register_parquet(con, folder, year=year)
        return con

    pair = engine_what_if.run_pair(connect, today, after, year=year, levels=levels, households=False, folder=folder,
                                   budget=lines, reregister=lambda con: duckdb_runner.register_parquet(
                                       con, folder, year=year))
    con = connect()
    try:
        names = duckdb_runner.region_names(con, ("province", "city", "county", "township", "village").index(level))
    finally:
        con.close()
    summaries = [services.summarise(r, scope_level="nation", scope_code=None, child_level=level, names=names)
                 for r in (pair.today, pair.what_if)]
    return {**summaries[0], "what_if": summaries[1], "delta": delta(*summaries, pair, changed)}


@dataclass
class _Warm:
    """A live area's inputs of a year as read for a what-if, and today's runs of them by levels and parameters."""
    inputs: dict[str, pa.Table]
    today: dict = field(default_factory=dict)


_WARM: dict[str, _Warm] = {}
_WARM_LOCK = threading.Lock()


def _warm(code: str, year: int) -> _Warm:
    """The area's live inputs of the year and today's runs over them, kept in this process for the next what-if
    on them while nothing was written (decision 1604): keyed like the engine's cached figures by the latest write
    in the audit trail (read before the inputs, so what is kept is at least as new as its key), and looked up
    through a token in Django's cache, so that clearing that cache (tests do, around each) forgets them too. One
    area and year is kept per process: trying what-ifs one after the other on it is what the page is for."""
    marker = latest_write_id()
    key = f"tuopin:what-if-inputs:{code}:{year}:{marker}"
    token = cache.get(key)
    with _WARM_LOCK:
        found = _WARM.get(token) if token else None
    if found is not None:
        return found
    found = _Warm(inputs=live_inputs.read(year=year, region_code=code))
    token = uuid.uuid4().hex
    with _WARM_LOCK:
        _WARM.clear()
        _WARM[token] = found
    cache.set(key, token, WARM_SECONDS)
    return found


def assess_live(*, year: int, region: Region, over: dict, where: str, child_level: str | None = None) -> dict:
    """The live county (or township) under both standards, as `assess_folder`, with the households that move
    listed by number (at most MOVED_CAP), only those of `region` — the scope the caller was allowed."""
    from tuopin.apps.registry.models import Household

    if region.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise standards_what_if.WhatIfError([gettext("%(region)s is a %(level)s: assess a county or a township")
                                             % {"region": region, "level": region.get_level_display()}])
    child_level = child_level or services.CHILD_LEVEL[region.level]
    today, after, changed = _params(standards.load(region.code), over, where, year)
    lines = standards_what_if.budget(over, where=where)
    levels = tuple(dict.fromkeys(lvl for lvl in (region.level, child_level) if lvl != "village"))
    warm = _warm(region.code, year)
    inputs = warm.inputs

    def connect():
        con = duckdb_runner.connect()
        duckdb_runner.register_arrow(con, inputs)
        return con

    key = (levels, tuple(sorted(today.items())))
    if key not in warm.today:
        warm.today[key] = engine_what_if.run_one(connect, today, year=year, levels=levels)[0]
    pair = engine_what_if.run_pair(connect, today, after, year=year, levels=levels, moved_cap=MOVED_CAP,
                                   budget=lines, reregister=lambda con: duckdb_runner.register_arrow(
                                       con, {"households_yearly": inputs["households_yearly"]}),
                                   today_run=warm.today[key])
    summaries = [services.summarise(r, scope_level=region.level, scope_code=int(region.code),
                                    child_level=child_level) for r in (pair.today, pair.what_if)]
    scope = int(region.code)
    out = delta(*summaries, pair, changed, within=lambda code: services._within(code, scope))
    numbers = dict(Household.objects.filter(pk__in={hid for hid, *_ in pair.moved}).values_list("pk", "number"))
    out["households"]["moved"] = [{"number": numbers.get(hid, ""), "village": f"{village:012d}", "standing": flag,
                                   "change": way} for hid, village, flag, way in pair.moved
                                  if services._within(village, scope)]
    out["households"]["moved_cap"] = MOVED_CAP
    return {**summaries[0], "what_if": summaries[1], "delta": out}


@transaction.atomic
def save(*, name: str, text: str, summary: dict, by, source: str = "cli") -> WhatIfRun:
    """Keep a what-if's file and figures under a name, to compare with others later (decision 1581): by those
    who may try a what-if on its area (decision 1601)."""
    region = Region.objects.filter(code=summary["scope"]["code"]).first()
    require(by, Action.RUN_WHAT_IF, region)
    name = name.strip()
    if not name:
        raise ValidationError(gettext("name the what-if to keep it"))
    if len(name) > WhatIfRun._meta.get_field("name").max_length:
        raise ValidationError(gettext("a what-if's name is at most %(n)d characters")
                              % {"n": WhatIfRun._meta.get_field("name").max_length})
    if WhatIfRun.objects.filter(name=name, scope_code=summary["scope"]["code"], year=summary["year"]).exists():
        raise ValidationError(gettext("a what-if named %(name)s is already kept for this area and year")
                              % {"name": name})
    run = WhatIfRun.objects.create(name=name, year=summary["year"], scope_code=summary["scope"]["code"],
                                   scope_name=summary["scope"]["name"], what_if=text, summary=summary, created_by=by)
    audit_event(actor=by, action="what_if_save", entity="assessment.whatifrun", entity_id=str(run.pk),
                source=source, summary=f"{run.scope_name} {run.year}: {name} ({', '.join(summary['delta']['changed'])})")
    return run


def runs_visible_to(user):
    """The kept what-ifs of the areas the account may try what-ifs on (decision 1601): the county office's county
    and its townships, a commander's township."""
    from tuopin.apps.accounts.permissions import may
    from tuopin.apps.accounts.scoping import regions_visible_to

    if not may(user, Action.RUN_WHAT_IF):
        return WhatIfRun.objects.none()
    codes = regions_visible_to(user).filter(level__in=(Level.COUNTY, Level.TOWNSHIP)).values("code")
    return WhatIfRun.objects.filter(scope_code__in=codes)


def run_named(user, *, name: str, year: int, region: Region) -> WhatIfRun:
    """The kept what-if of that name for the area and year, among those the account reaches."""
    run = runs_visible_to(user).filter(name=name, year=year, scope_code=region.code).first()
    if run is None:
        raise ValidationError(gettext("no what-if named %(name)s is kept for %(region)s in %(year)d")
                              % {"name": name, "region": region.name, "year": year})
    return run


def _side(run: WhatIfRun) -> dict:
    return {"id": run.pk, "name": run.name, "today": False, "created_at": run.created_at.isoformat(),
            "created_by": run.created_by.username if run.created_by else None,
            "changed": run.summary["delta"]["changed"]}


def compare(a: WhatIfRun, b: WhatIfRun | None = None) -> dict:
    """Two kept what-ifs side by side, or one beside today's figures kept with it (b None): each side's figures
    (the summaries as `assess --json` gives them) and the difference b − a of the scope and of each area listed
    in both, as a what-if's delta gives it. Two runs must be of the same area and year."""
    if b is not None and (a.scope_code, a.year) != (b.scope_code, b.year):
        raise ValidationError(gettext("compare what-ifs of the same area and year"))
    if b is None:
        left, right = a.summary, a.summary["what_if"]
        sides = ({"today": True, "of": a.name}, _side(a))
    else:
        left, right = a.summary["what_if"], b.summary["what_if"]
        sides = (_side(a), _side(b))
    today = {k: v for k, v in left.items() if k not in ("what_if", "delta", "saved", "pv", "funds")}
    difference = {"scope": _difference(left, right)}
    for key, areas in left.items():
        if isinstance(areas, list) and key in ("provinces", "cities", "counties", "townships", "villages"):
            after = {x["code"]: x for x in right.get(key, [])}
            difference[key] = [{"code": x["code"], "name": x["name"], **_difference(x, after[x["code"]])}
                               for x in areas if x["code"] in after]
    budget = {"a": a.summary["delta"].get("budget") if b is not None else None,
              "b": (b or a).summary["delta"].get("budget")}
    return {"year": a.year, "scope": {"code": a.scope_code, "name": a.scope_name}, "a": sides[0], "b": sides[1],
            "figures": {"a": today, "b": {k: v for k, v in right.items() if k not in ("what_if", "delta", "saved")}},
            "difference": difference, "budget": budget}
