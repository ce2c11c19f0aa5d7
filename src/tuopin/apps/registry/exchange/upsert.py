"""Applying an import plan: new rows as plain tuples (bulk.insert_rows), changed rows by one UPDATE
statement run over many parameter sets, status events, and the keys of everything written.

No per-row ORM save: a county file is 170,000 persons, and model instances alone would cost more than
the whole budget. Runs inside the caller's transaction.
"""

from __future__ import annotations

from contextlib import contextmanager
from operator import itemgetter
from typing import Any, Iterable, Sequence

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from tuopin.common.masking import mask_id, mask_phone

from .. import choices as c
from ..bulk import insert_rows
from ..models import Household, HouseholdYear, Person, PersonYear, StatusEvent
from .plan import (HOUSEHOLD_FIELDS, HOUSEHOLD_YEAR_FIELDS, PERSON_FIELDS, PERSON_YEAR_FIELDS, Change, Plan,
                   chunks)

PERSON_COLUMNS = tuple("household_id" if f == "household" else f for f in PERSON_FIELDS)


def apply_plan(plan: Plan, *, by, reason: str) -> dict[str, Any]:
    """Write the plan; return the keys written (for the audit batch)."""
    with _large_page_cache():
        return _apply(plan, by=by, reason=reason)


@contextmanager
def _large_page_cache():
    """SQLite's default page cache (2 MB) is far smaller than a county's person indexes (ID numbers in
    random order): inserts then thrash. The import raises it for its own connection and puts it back."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _apply(plan: Plan, *, by, reason: str) -> dict[str, Any]:
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    actor = by.pk if by is not None else None
    versioned = {"version": 1, "updated_at": stamp, "updated_by_id": actor}

    new_h = [ch for ch in plan.households if ch.pk is None]
    household_ids = dict(plan.household_ids)
    household_ids.update(_insert(Household, "number", new_h, HOUSEHOLD_FIELDS, versioned))
    _update(Household, [ch for ch in plan.households if ch.pk is not None], HOUSEHOLD_FIELDS, stamp, actor)

    _insert(HouseholdYear, None, [ch for ch in plan.household_years if ch.pk is None], HOUSEHOLD_YEAR_FIELDS,
            versioned, parent=("household_id", household_ids), year=plan.year)
    _update(HouseholdYear, [ch for ch in plan.household_years if ch.pk is not None], HOUSEHOLD_YEAR_FIELDS,
            stamp, actor)

    for ch in plan.persons:
        ch.values = {**ch.values, "household_id": household_ids[ch.values["household"]]}
    changed_p = [ch for ch in plan.persons if ch.pk is not None]
    # An ID number may move from one person to another within one file (a corrected swap): park the
    # changing ones first so the unique index never sees two holders at once.
    parked = [(f"~{ch.pk}", ch.pk) for ch in changed_p if "id_number" in ch.diff]
    _executemany(Person, ["id_number"], parked)
    person_ids: dict[str, int] = {}
    person_ids.update(_insert(Person, "number", [ch for ch in plan.persons if ch.pk is None], PERSON_COLUMNS,
                              versioned))
    person_ids.update({ch.key: ch.pk for ch in changed_p})
    _update(Person, changed_p, PERSON_COLUMNS, stamp, actor)
    missing_py = [ch.key for ch in plan.person_years if ch.pk is None and ch.key not in person_ids]
    for part in chunks(missing_py):
        person_ids.update(Person.objects.filter(number__in=part).values_list("number", "id"))
    _insert(PersonYear, None, [ch for ch in plan.person_years if ch.pk is None], PERSON_YEAR_FIELDS, versioned,
            parent=("person_id", person_ids), year=plan.year)
    _update(PersonYear, [ch for ch in plan.person_years if ch.pk is not None], PERSON_YEAR_FIELDS, stamp, actor)

    insert_rows(StatusEvent, ("household_id", "kind", "year", "stage", "effective_on", "persons", "reason",
                              "created_at", "created_by_id"),
                ((household_ids[e["household"]], e["kind"], e["year"], c.Stage.ANNOUNCED,
                  e["effective_on"], e["persons"], reason[:200], stamp, actor)
                 for e in plan.events))
    return {
        "households": _keys(plan.households), "persons": _keys(plan.persons),
        "household_years": _keys(plan.household_years), "person_years": _keys(plan.person_years),
        "status_events": [[e["household"], e["kind"], e["year"], e["effective_on"].isoformat()] for e in plan.events],
    }


def _keys(changes: list[Change]) -> dict[str, Any]:
    return {"created": [ch.key for ch in changes if ch.pk is None],
            "updated": {ch.key: _masked(ch.diff) for ch in changes if ch.pk is not None}}


def _masked(diff: dict[str, list]) -> dict[str, list]:
    """The audit trail is read by auditors who may not see ID or phone numbers: store them masked."""
    for name, masker in (("id_number", mask_id), ("phone", mask_phone)):
        if name in diff:
            diff = {**diff, name: [masker(v) for v in diff[name]]}
    return diff


def _insert(model, key: str | None, changes: list[Change], fields: Sequence[str], versioned: dict, *,
            parent: tuple[str, dict] | None = None, year: int | None = None) -> dict[str, int]:
    """INSERT the new rows; for keyed tables return {key: pk} of the rows just inserted."""
    if not changes:
        return {}
    columns = list(fields) + list(versioned)
    # Columns the import does not manage (Person.active, left_reason …) get the model's default: the
    # database has no defaults of its own under Django.
    defaults = {f.attname: f.get_default() for f in model._meta.concrete_fields
                if not f.primary_key and f.attname not in columns and f.attname not in (key, "year")
                and (parent is None or f.attname != parent[0]) and (f.has_default() or not f.null)}
    columns += list(defaults)
    prefix: list[str] = []
    if key:
        prefix.append(key)
    if parent:
        prefix.append(parent[0])
    if year is not None:
        prefix.append("year")
    before = model.objects.aggregate(m=Max("id"))["m"] or 0

    # Dates and decimals go to the driver as they are: psycopg takes them, and Django registers sqlite3
    # adapters for both. itemgetter builds each tuple at C speed.
    values = itemgetter(*fields)
    tail = (*versioned.values(), *defaults.values())
    parents = parent[1] if parent else None

    def rows() -> Iterable[tuple]:
        for ch in changes:
            head = (ch.key,) if key else ()
            if parents is not None:
                head += (parents[ch.key],)
            if year is not None:
                head += (year,)
            yield head + values(ch.values) + tail

    insert_rows(model, prefix + columns, rows())
    if not key:
        return {}
    wanted = {ch.key for ch in changes}
    # Rows above the previous highest id are this import's (any concurrent writer's are filtered out).
    return {k: pk for k, pk in model.objects.filter(id__gt=before).values_list(key, "id") if k in wanted}


def _update(model, changes: list[Change], fields: Sequence[str], stamp, actor) -> None:
    """One UPDATE statement, executed for every changed row: its import fields, version + 1, who, when."""
    if not changes:
        return
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(model._meta.get_field(f).column)} = %s" for f in fields)
    sql = (f"UPDATE {q(model._meta.db_table)} SET {sets}, {q('version')} = {q('version')} + 1, "
           f"{q('updated_at')} = %s, {q('updated_by_id')} = %s WHERE {q('id')} = %s")
    values = itemgetter(*fields)
    params = [values(ch.values) + (stamp, actor, ch.pk) for ch in changes]
    with connection.cursor() as cursor:
        for part in chunks(params, 20_000):
            cursor.executemany(sql, part)


def _executemany(model, fields: list[str], params: list[tuple]) -> None:
    if not params:
        return
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(model._meta.get_field(f).column)} = %s" for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {q('id')} = %s", params)
