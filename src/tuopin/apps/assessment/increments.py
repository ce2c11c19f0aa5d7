"""A county's or township's assessment of a year kept up to date household by household (decision 1380).

A full assessment reads every household's rows and runs every rule. But the per-household rules
(`rules.DERIVED_RULES`) judge each household on its own rows only (decisions 0955, 1002), so their rows are kept,
per scope and year, with the write marker they are true at (the id of the latest write in the audit trail,
`audit.marker`). At the next marker the audit events in between say what changed:

- nothing the engine reads (tasks, visits, accounts, organisation…): the kept rows still hold;
- households (their own row, yearly records, members, members' yearly records, status events, a batch of
  household procedures): the per-household rules run again for those households only, and their rows replace
  the old ones;
- villages' yearly records: nothing per household; the roll-ups read them afresh anyway;
- anything else in the registry or the region tree, a bulk load, a deleted row, a marker gone back (an
  emptied demo database), other rule text or standards, more than MOST_HOUSEHOLDS households or MOST_EVENTS
  events: a full run.

A household's rows replace the old ones in every year kept: a status event reaches the years after it.

The roll-ups (village_result, the areas, FGT, Alkire–Foster) then run from the kept rows and the villages' yearly
rows read now: well under a second for the demo county's 71,000 households, against several for a full run.

Rows are kept only when computed outside a transaction: rows read inside one might include writes it later rolls
back, which no later audit event would name. Each process keeps about 8 MB of rows per county-year in its cache
(as much again over the townships): about 100 MB for the demo county's six years.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from django.core.cache import cache
from django.db import connection

from tuopin import rules, standards
from tuopin.apps.audit.marker import NO_WRITE_ACTIONS
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear, StatusEvent
from tuopin.engine import derived, duckdb_runner
from tuopin.engine.duckdb_runner import Result

from . import live_inputs
from .services import CHILD_LEVEL, summarise

CACHE_SECONDS = 24 * 3600
# Beyond this many changed households (or audit events to read) one full run is cheaper than the increments.
MOST_HOUSEHOLDS = 2000
MOST_EVENTS = 5000
# Audit entities whose rows the engine reads through no household: the roll-ups read them afresh every time.
ROLL_UP_ONLY = frozenset({"geo.villageyear"})
# Apps whose tables the engine reads (live_inputs); an event of any other app changes no figure.
INPUT_APPS = ("registry", "geo")


@dataclass
class Kept:
    marker: int  # the write marker the rows are true at
    text: str  # the hash of the rendered per-household rules (rule text and standards)
    tables: dict[str, pa.Table]  # rules.DERIVED_RULES → rows


class FullRun(Exception):
    """The events since the kept rows cannot be narrowed to households."""


def assess(region: Region, year: int, marker: int) -> tuple[dict, Result]:
    """`services.assess(year=…, region=…)` for the pages, at the write marker read before calling: the same
    summary and Result, from the kept per-household rows brought up to date when they can be."""
    if region.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValueError(f"{region.code}: the pages assess counties and townships")
    params = rules.parameters(standards.load(region.code), year)
    text = derived.chain(rules.DERIVED_RULES[-1], params)  # the hash covers every per-household rule
    key = f"tuopin:household-rows:{region.code}:{year}"
    kept = cache.get(key)
    con = duckdb_runner.session()
    try:
        tables = None
        if kept is not None and kept.text == text and kept.marker <= marker:
            try:
                tables = _brought_up_to_date(kept, region, year, params, marker)
            except FullRun:
                tables = None
        if tables is None:
            duckdb_runner.register_arrow(con, live_inputs.read(year=year, region_code=region.code))
            tables = duckdb_runner.household_rows(con, params)
        else:
            duckdb_runner.register_arrow(con, {**tables, **_villages_yearly(region, year)})
        if not connection.in_atomic_block and (kept is None or kept.marker != marker or kept.tables is not tables):
            cache.set(key, Kept(marker, text, tables), CACHE_SECONDS)
        child_level = CHILD_LEVEL[region.level]
        result = duckdb_runner.roll_up(con, params, year=year, levels=tuple(
            dict.fromkeys(lvl for lvl in (region.level, child_level) if lvl != "village")))
    finally:
        con.close()
    summary = summarise(result, scope_level=region.level, scope_code=int(region.code),
                        child_level=CHILD_LEVEL[region.level])
    return summary, result


def _villages_yearly(region: Region, year: int) -> dict[str, pa.Table]:
    return live_inputs.read(year=year, region_code=region.code, tables=("villages_yearly",))


def _brought_up_to_date(kept: Kept, region: Region, year: int, params: dict, marker: int) -> dict[str, pa.Table]:
    if kept.marker == marker:
        return kept.tables
    changed = changed_households(kept.marker, marker)
    if not changed:
        return kept.tables
    con = duckdb_runner.session()
    try:
        duckdb_runner.register_arrow(con, live_inputs.read(year=year, region_code=region.code,
                                                           household_ids=sorted(changed)))
        fresh = duckdb_runner.household_rows(con, params)
    finally:
        con.close()
    return splice(kept.tables, fresh, changed)


def splice(kept: dict[str, pa.Table], fresh: dict[str, pa.Table], households: set[int]) -> dict[str, pa.Table]:
    """The kept rows with those of `households` replaced by `fresh` (rows of a household now outside the scope,
    or without a yearly record, simply go)."""
    ids = pa.array(sorted(households), pa.int64())
    out = {}
    for name, table in kept.items():
        column = "unit" if name == rules.MPI_SCORE_RULE else "household_id"
        others = table.filter(pc.invert(pc.is_in(table[column], value_set=ids)))
        out[name] = pa.concat_tables([others, fresh[name].select(table.column_names).cast(table.schema)])
        if out[name].num_rows and len(out[name][column].chunks) > 16:  # many edits later: one block again
            out[name] = out[name].combine_chunks()
    return out


def changed_households(after: int, upto: int) -> set[int]:
    """The households whose rows the audited writes with ids in (after, upto] may have changed; raises FullRun
    when a write cannot be narrowed to households."""
    events = list(AuditEvent.objects.filter(pk__gt=after, pk__lte=upto).exclude(action__in=NO_WRITE_ACTIONS)
                  .values_list("entity", "entity_id", "changes", "batch")[:MOST_EVENTS + 1])
    if len(events) > MOST_EVENTS:
        raise FullRun
    named: dict[str, set[int]] = {}
    for entity, entity_id, changes, batch in events:
        app = entity.split(".")[0]
        if (entity and app not in INPUT_APPS) or entity in ROLL_UP_ONLY:
            continue
        if entity == "registry.statusevent" and not entity_id:
            named.setdefault(entity, set()).update(_procedure_events(batch))
            continue
        if entity not in RESOLVE or not entity_id.isdigit():  # a bulk load, a region, an unlabelled write
            raise FullRun
        named.setdefault(entity, set()).add(int(entity_id))
        if entity == "registry.person" and isinstance(changes, dict) and "household" in changes:
            raise FullRun  # a member moved: the household it left is named by number only
    households: set[int] = set()
    for entity, ids in named.items():
        households |= RESOLVE[entity](ids)
    if len(households) > MOST_HOUSEHOLDS:
        raise FullRun
    return households


def _procedure_events(batch) -> set[int]:
    """The status events a batch of household procedures opened ("created": [[event, household number], …]) or
    moved on ("events": [{"event": id, …}, …]); the households of those events are all it wrote (registry
    procedure.py). Any other batch of status events (a bulk load) is no list of them: FullRun."""
    if not isinstance(batch, dict) or ("created" in batch) == ("events" in batch):
        raise FullRun
    if "created" in batch:
        ids = [row[0] if isinstance(row, list) and row else None for row in batch["created"]]
    else:
        ids = [row.get("event") if isinstance(row, dict) else None for row in batch["events"]]
    if not all(isinstance(pk, int) for pk in ids):
        raise FullRun
    return set(ids)


def _found(query, ids: set[int], column: str, *more: str) -> set[int]:
    rows = list(query.filter(pk__in=ids).values_list("pk", column, *more))
    if len(rows) != len(ids):
        raise FullRun  # deleted since: its household is no longer known
    return {hid for row in rows for hid in row[1:] if hid is not None}


RESOLVE = {
    # A split names the new household, a merge the closed one: the other side is split_from / merged_into.
    "registry.household": lambda ids: _found(Household.objects, ids, "pk", "split_from_id", "merged_into_id"),
    "registry.householdyear": lambda ids: _found(HouseholdYear.objects, ids, "household_id"),
    "registry.person": lambda ids: _found(Person.objects, ids, "household_id"),
    "registry.personyear": lambda ids: _found(PersonYear.objects, ids, "person__household_id"),
    "registry.statusevent": lambda ids: _found(StatusEvent.objects, ids, "household_id", "related_household_id"),
}
