"""The live registry as the engine's input tables: raw SQL on Django's connection, straight into Arrow.

Only the columns the rules read, only the years they need, no model instances: a county's year reads in
well under a second. Going through Django's own connection means the engine sees exactly what the
current transaction sees (a test's uncommitted rows, an import being validated).
"""

from __future__ import annotations

import pyarrow as pa
from django.db import connection

from tuopin.apps.geo.models import Region, VillageYear
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear, StatusEvent

T = {m.__name__: m._meta.db_table for m in (Region, VillageYear, Household, HouseholdYear, Person, PersonYear,
                                               StatusEvent)}

# (column, Arrow type, SQL expression) per input table; codes become integers as in the snapshot layout.
_CODE = "CAST({} AS BIGINT)"
COLUMNS = {
    "villages_yearly": [
        ("village_code", pa.int64(), _CODE.format("v.code")),
        ("township_code", pa.int64(), _CODE.format("t.code")),
        ("county_code", pa.int64(), _CODE.format("c.code")),
        ("year", pa.int16(), "y.year"),
        ("population", pa.int32(), "y.population"),
        ("households", pa.int32(), "y.households"),
        ("has_clinic", pa.bool_(), "y.has_clinic"),
        ("has_qualified_doctor", pa.bool_(), "y.has_qualified_doctor"),
        ("road_hardened", pa.bool_(), "y.road_hardened"),
        ("safe_water", pa.bool_(), "y.safe_water"),
        ("collective_income_fen", pa.int64(), "y.collective_income_fen"),
        ("is_poor_village", pa.bool_(), "v.is_poor_village"),
        ("west", pa.bool_(), "v.west"),
    ],
    "households": [
        ("household_id", pa.int64(), "h.id"),
        ("county_code", pa.int64(), _CODE.format("c.code")),
        ("township_code", pa.int64(), _CODE.format("t.code")),
        ("village_code", pa.int64(), _CODE.format("v.code")),
    ],
    "households_yearly": [
        ("household_id", pa.int64(), "y.household_id"),
        ("year", pa.int16(), "y.year"),
        ("county_code", pa.int64(), _CODE.format("c.code")),
        ("township_code", pa.int64(), _CODE.format("t.code")),
        ("village_code", pa.int64(), _CODE.format("v.code")),
        ("members", pa.int16(), "y.members"),
        ("net_income_fen", pa.int64(), "y.net_income_fen"),
        ("per_capita_net_income_fen", pa.int64(), "y.per_capita_net_income_fen"),
        ("housing_grade", pa.string(), "y.housing_grade"),
        ("renovation", pa.string(), "y.renovation"),
        ("water_litres_per_day", pa.int16(), "y.water_litres_per_day"),
        ("water_quality_ok", pa.bool_(), "y.water_quality_ok"),
        ("water_minutes", pa.int16(), "y.water_minutes"),
        ("water_cut_days", pa.int16(), "y.water_cut_days"),
        ("water_short_area", pa.bool_(), "y.water_short_area"),
        ("food_clothing_secure", pa.bool_(), "y.food_clothing_secure"),
    ],
    "persons": [
        ("person_id", pa.int64(), "p.id"),
        ("household_id", pa.int64(), "p.household_id"),
        ("birth_date", pa.date32(), "p.birth_date"),
    ],
    "persons_yearly": [
        ("person_id", pa.int64(), "y.person_id"),
        ("household_id", pa.int64(), "p.household_id"),
        ("year", pa.int16(), "y.year"),
        ("school_status", pa.int8(), "CAST(CASE WHEN y.school_status = '' THEN '0' ELSE y.school_status END AS INTEGER)"),
        ("basic_medical", pa.bool_(), "y.basic_medical"),
        ("serious_illness_insurance", pa.bool_(), "y.serious_illness_insurance"),
    ],
    "status_events": [
        ("event_id", pa.int64(), "e.id"),
        ("household_id", pa.int64(), "e.household_id"),
        ("kind", pa.string(), "e.kind"),
        ("stage", pa.string(), "e.stage"),
        ("effective_on", pa.date32(), "e.effective_on"),
        ("persons", pa.int16(), "e.persons"),
    ],
}

_PLACE = (f"JOIN {T['Region']} v ON v.id = h.village_id JOIN {T['Region']} t ON t.id = h.township_id "
          f"JOIN {T['Region']} c ON c.id = t.parent_id")
FROM = {
    "villages_yearly": f"FROM {T['VillageYear']} y JOIN {T['Region']} v ON v.id = y.village_id "
                       f"JOIN {T['Region']} t ON t.id = v.parent_id JOIN {T['Region']} c ON c.id = t.parent_id",
    "households": f"FROM {T['Household']} h {_PLACE}",
    "households_yearly": f"FROM {T['HouseholdYear']} y JOIN {T['Household']} h ON h.id = y.household_id {_PLACE}",
    "persons": f"FROM {T['Person']} p JOIN {T['Household']} h ON h.id = p.household_id {_PLACE}",
    "persons_yearly": f"FROM {T['PersonYear']} y JOIN {T['Person']} p ON p.id = y.person_id "
                      f"JOIN {T['Household']} h ON h.id = p.household_id {_PLACE}",
    "status_events": f"FROM {T['StatusEvent']} e JOIN {T['Household']} h ON h.id = e.household_id {_PLACE}",
}
YEARLY_ALIAS = {"villages_yearly": "y", "households_yearly": "y", "persons_yearly": "y"}


def read(*, year: int, region_code: str | None = None, household_ids: list[int] | None = None
         ) -> dict[str, pa.Table]:
    """The input tables for assessing `year` (yearly tables hold only that year).

    `region_code` limits them to a county or township (by code prefix); `household_ids` to a few households
    (an explanation), in which case villages are left out.
    """
    tables = {}
    for name, columns in COLUMNS.items():
        if household_ids is not None and name == "villages_yearly":
            continue
        where, params = [], []
        if name in YEARLY_ALIAS:
            where.append(f"{YEARLY_ALIAS[name]}.year = %s")
            params.append(year)
        if region_code:
            where.append("v.code LIKE %s")
            params.append(_prefix(region_code) + "%")
        if household_ids is not None:
            where.append(f"h.id IN ({', '.join(['%s'] * len(household_ids))})")
            params.extend(household_ids)
        sql = f"SELECT {', '.join(expr for _, _, expr in columns)} {FROM[name]}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        tables[name] = _fetch(sql, params, columns)
    return tables


def _prefix(code: str) -> str:
    """The significant digits of a division code: 220821 for a county, 220821100 for a township."""
    for keep in (2, 4, 6, 9):
        if code[keep:] == "0" * (12 - keep):
            return code[:keep]
    return code


def _fetch(sql: str, params: list, columns) -> pa.Table:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    values = list(zip(*rows)) if rows else [()] * len(columns)
    arrays = [_array(vals, typ) for vals, (_, typ, _) in zip(values, columns)]
    return pa.table(arrays, names=[name for name, _, _ in columns])


def _array(values, typ: pa.DataType) -> pa.Array:
    if typ == pa.date32() and values and isinstance(next((v for v in values if v is not None), None), str):
        return pa.array(values, pa.string()).cast(pa.date32())  # SQLite hands dates back as ISO text
    if typ == pa.bool_():
        return pa.array([None if v is None else bool(v) for v in values], typ)
    return pa.array(values, typ)
