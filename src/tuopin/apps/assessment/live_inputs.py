"""The live registry as the engine's input tables: only the columns the rules read, only the year they
assess, straight into Arrow.

The database writes the rows as delimited text itself — SQLite with group_concat, PostgreSQL with COPY —
and Arrow's CSV reader parses them in C: no Python object per value, which is what keeps a county's
assessment within its budget. It runs on Django's own connection, so it sees exactly what the current
transaction sees (a test's rows, an import being validated). ADBC's drivers were faster still to write
but bundle their own SQLite library, and two SQLite libraries in one process break each other's file
locks (sqlite.org/howtocorrupt.html §2.2.1): see docs/decisions/0009.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import connection

from tuopin.apps.geo.models import Level, Region, VillageYear
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear, StatusEvent
from tuopin.engine.snapshot import schema_of

T = {m.__name__: m._meta.db_table for m in (Region, VillageYear, Household, HouseholdYear, Person, PersonYear,
                                               StatusEvent)}

# The columns the rules read of each input table, with the SQL expression that reads each. Their Arrow
# types are not declared here but taken from the snapshot layout (tuopin.engine.snapshot, the one
# declaration), so a county read live and the same county read from a snapshot reach the rules alike.
COLUMNS = {
    "villages_yearly": {
        "village_id": "y.village_id", "year": "y.year", "population": "y.population",
        "households": "y.households", "has_clinic": "y.has_clinic", "has_qualified_doctor": "y.has_qualified_doctor",
        "road_hardened": "y.road_hardened", "safe_water": "y.safe_water",
        "collective_income_fen": "y.collective_income_fen",
    },
    "households": {"household_id": "h.id", "village_id": "h.village_id",
                   "attribute": "CAST(CASE WHEN h.attribute = '' THEN NULL ELSE h.attribute END AS INTEGER)"},
    "households_yearly": {
        "household_id": "y.household_id", "year": "y.year", "village_id": "h.village_id", "members": "y.members",
        "net_income_fen": "y.net_income_fen", "per_capita_net_income_fen": "y.per_capita_net_income_fen",
        "housing_grade": "y.housing_grade", "renovation": "y.renovation", "renovation_year": "y.renovation_year",
        "renovation_grade": "y.renovation_grade",
        "water_litres_per_day": "y.water_litres_per_day", "water_quality_ok": "y.water_quality_ok",
        "water_minutes": "y.water_minutes", "water_cut_days": "y.water_cut_days",
        "water_short_area": "y.water_short_area", "food_clothing_secure": "y.food_clothing_secure",
        "medical_expense_fen": "y.medical_expense_fen", "education_expense_fen": "y.education_expense_fen",
        "disaster_loss_fen": "y.disaster_loss_fen", "business_failed": "y.business_failed",
        "labourer_lost": "y.labourer_lost",
    },
    "persons": {"person_id": "p.id", "birth_date": "p.birth_date",
                # the policy rules' (policy_eligible.sql, policy_signals.sql)
                "disabled": "p.disabled", "disability_grade": "p.disability_grade",
                "labour_ability": "CAST(CASE WHEN p.labour_ability = '' THEN NULL ELSE p.labour_ability END AS INTEGER)",
                "active": "p.active"},
    "persons_yearly": {
        "person_id": "y.person_id", "household_id": "p.household_id", "year": "y.year",
        "school_status": "CAST(CASE WHEN y.school_status = '' THEN '0' ELSE y.school_status END AS INTEGER)",
        "basic_medical": "y.basic_medical", "serious_illness_insurance": "y.serious_illness_insurance",
        "medical_assistance": "y.medical_assistance", "family_doctor": "y.family_doctor",
        "pension_insurance": "y.pension_insurance", "dibao": "y.dibao", "tekun": "y.tekun",
        "work_months": "y.work_months",
    },
    "status_events": {
        "event_id": "e.id", "household_id": "e.household_id", "kind": "e.kind", "stage": "e.stage",
        "effective_on": "e.effective_on", "persons": "e.persons",
    },
}
# Of the year before, the rules read one household figure (monitoring_candidates.sql: a sharp fall of income),
# so `read` adds that year's households_yearly rows with these columns only, the others left empty (decision 1434).
PREVIOUS_YEAR = {"households_yearly": ("household_id", "year", "village_id", "members", "net_income_fen",
                                       "per_capita_net_income_fen")}
# The one column only the live path reads: the village's row id. Reading it instead of the village's codes
# spares every large query three joins to the region table; `_place` turns it into the layout's codes.
LIVE_ONLY = {"village_id": pa.int64()}
FROM = {
    "villages_yearly": f"FROM {T['VillageYear']} y",
    "households": f"FROM {T['Household']} h",
    "households_yearly": f"FROM {T['HouseholdYear']} y JOIN {T['Household']} h ON h.id = y.household_id",
    "persons": f"FROM {T['Person']} p JOIN {T['Household']} h ON h.id = p.household_id",
    "persons_yearly": f"FROM {T['PersonYear']} y JOIN {T['Person']} p ON p.id = y.person_id "
                      f"JOIN {T['Household']} h ON h.id = p.household_id",
    "status_events": f"FROM {T['StatusEvent']} e JOIN {T['Household']} h ON h.id = e.household_id",
}
# Where each table's village is, for the scope filter.
VILLAGE_OF = {"villages_yearly": "y.village_id", "households": "h.village_id", "households_yearly": "h.village_id",
              "persons": "h.village_id", "persons_yearly": "h.village_id", "status_events": "h.village_id"}
_CODES = ("county_code", "township_code", "village_code")
# The layout's village columns `_place` puts in place of village_id, per table.
PLACED = {"villages_yearly": (*_CODES, "is_poor_village", "west"), "households": _CODES, "households_yearly": _CODES}


def read(*, year: int, region_code: str | None = None, household_ids: list[int] | None = None,
         tables: tuple[str, ...] | None = None) -> dict[str, pa.Table]:
    """The input tables for assessing `year` (yearly tables hold only that year, but for households_yearly's rows
    of the year before, with PREVIOUS_YEAR's columns only).

    `region_code` limits them to a county or township; `household_ids` to a few households (an
    explanation, the households an edit changed), in which case villages are left out; `tables` to some of
    the tables.
    """
    villages = _villages(region_code)
    queries = {}
    for name in tables or COLUMNS:
        if household_ids is not None and name == "villages_yearly":
            continue
        where = []
        if name in ("villages_yearly", "households_yearly", "persons_yearly"):
            where.append(f"y.year = {int(year)}")
        if household_ids is not None:
            where.append(f"h.id IN ({', '.join(str(int(pk)) for pk in household_ids)})")
        if region_code:
            where.append(f"{VILLAGE_OF[name]} IN ({', '.join(str(pk) for pk in villages['id'].to_pylist())})")
        queries[name] = FROM[name] + (" WHERE " + " AND ".join(where) if where else "")
    fetched = {name: _fetch(name, source) for name, source in queries.items()}
    for name, columns in PREVIOUS_YEAR.items():
        if name in queries:
            source = queries[name].replace(f"y.year = {int(year)}", f"y.year = {int(year) - 1}", 1)
            fetched[name] = pa.concat_tables([fetched[name], _fetch(name, source, only=columns)])
    return {name: _as_layout(name, _place(table, villages, PLACED[name]) if name in PLACED else table)
            for name, table in fetched.items()}


def roster_matches(rows: Iterable[tuple]) -> pa.Table:
    """The engine's roster_matches table (snapshot.ROSTER_MATCHES) from rows of (year, kind, person_id or None,
    died_on, started_on): the departments' current rosters as the roster app reads them (it lies above this
    one, and hands its rows down)."""
    target = schema_of("roster_matches")
    columns = list(zip(*rows)) or [()] * len(target)
    return pa.table({f.name: pa.array(list(values), f.type) for f, values in zip(target, columns)}, schema=target)


def schema(name: str) -> pa.Schema:
    """The Arrow schema `read` gives a table: the snapshot layout's, narrowed to the columns the live path
    reads (after `_place`), in the layout's order."""
    layout = schema_of(name)
    columns = set(COLUMNS[name]) - set(LIVE_ONLY) | set(PLACED.get(name, ()))
    return pa.schema([field for field in layout if field.name in columns])


def _as_layout(name: str, table: pa.Table) -> pa.Table:
    target = schema(name)
    return table.select(target.names).cast(target)


def _villages(region_code: str | None) -> pa.Table:
    """Every village in scope with its own, its township's and its county's code, as integers."""
    rows = Region.objects.filter(level=Level.VILLAGE)
    if region_code:
        rows = rows.filter(code__startswith=_prefix(region_code))
    rows = list(rows.values_list("id", "code", "parent__code", "parent__parent__code", "is_poor_village", "west"))
    return pa.table({
        "id": pa.array([r[0] for r in rows], pa.int64()),
        "village_code": pa.array([int(r[1]) for r in rows], pa.int64()),
        "township_code": pa.array([int(r[2]) for r in rows], pa.int64()),
        "county_code": pa.array([int(r[3]) for r in rows], pa.int64()),
        "is_poor_village": pa.array([r[4] for r in rows], pa.bool_()),
        "west": pa.array([r[5] for r in rows], pa.bool_()),
    })


def _place(table: pa.Table, villages: pa.Table, columns: tuple[str, ...]) -> pa.Table:
    """Replace village_id by the village's, township's and county's codes (and village flags where the
    snapshot layout has them), as the rules expect."""
    rows = pc.index_in(table["village_id"], value_set=villages["id"])
    placed = table.drop_columns(["village_id"])
    for name in columns:
        placed = placed.append_column(name, pc.take(villages[name], rows))
    return placed


def _prefix(code: str) -> str:
    """The significant digits of a division code: 220821 for a county, 220821100 for a township."""
    for keep in (2, 4, 6, 9):
        if code[keep:] == "0" * (12 - keep):
            return code[:keep]
    return code


SEP = "\x1f"  # ASCII unit separator: no value the rules read can contain it


def _fetch(name: str, source: str, only: tuple[str, ...] | None = None) -> pa.Table:
    """The rows of `source`; `only`: the columns read, the others NULL (empty: the year before's rows)."""
    layout = schema_of(name)
    columns = COLUMNS[name]
    exprs = [expr if only is None or column in only else "NULL" for column, expr in columns.items()]
    if connection.vendor == "postgresql":
        sql = (f"COPY (SELECT {', '.join(exprs)} {source}) TO STDOUT "
               f"WITH (FORMAT csv, DELIMITER E'\\x1f', NULL '')")
        buffer = io.BytesIO()
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for block in copy:
                buffer.write(block)
        data = buffer.getvalue()
    else:
        # one printf per row: a third faster than concatenating the columns (NULL prints as empty)
        line = f"printf('{SEP.join(['%s'] * len(exprs))}', {', '.join(exprs)})"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT group_concat({line}, char(10)) {source}")
            text = cursor.fetchone()[0]
        data = (text + "\n").encode() if text else b""
    schema = pa.schema([(column, LIVE_ONLY[column] if column in LIVE_ONLY else layout.field(column).type)
                        for column in columns])
    if not data:
        return schema.empty_table()
    return pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=schema.names),
        parse_options=pacsv.ParseOptions(delimiter=SEP),
        convert_options=pacsv.ConvertOptions(column_types=schema, true_values=["1", "t", "true"],
                                             false_values=["0", "f", "false"], strings_can_be_null=False),
    ).cast(schema)
