"""The snapshot layout: the registry as Parquet tables, the engine's only input (no Django here).

    DIR/<table>/year=YYYY/part-00000.parquet   yearly tables (year comes from the path, hive style)
    DIR/<table>/part-00000.parquet             the others
    DIR/_snapshot.json                         layout version, tables, years, row counts, masking
    DIR/derived/<rule>/year=YYYY/part-*.parquet  per-household rule rows, under their text's hash (derived.py)

Written by `tuopin export --format parquet`, `tuopin synth` and `tuopin assess --save`; read by DuckDB
(`read_parquet('DIR/t/*/*.parquet', hive_partitioning = true)`) and Spark alike. Designed for 30 million
households: integer keys (12-digit division codes are int64, household and person ids int64), narrow
integer codes, money in integer fen, the geography the rules group by repeated on the yearly household
rows so an assessment needs no join to place a household. docs/data-formats.md documents every column.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Mapping

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

LAYOUT_VERSION = 3
ROWS_PER_FILE = 2_000_000
ROW_GROUP = 262_144

_money = pa.int64()
_code = pa.int64()  # 12-digit statistical division code (统计用区划代码) as an integer

REGIONS = pa.schema([
    ("code", _code), ("parent_code", _code), ("name", pa.string()),
    ("level", pa.int8()),  # 0 province, 1 city, 2 county, 3 township, 4 village, 5 natural village
    ("kind", pa.string()), ("is_rural", pa.bool_()), ("is_poor_village", pa.bool_()),
    ("poor_village_since", pa.int16()), ("west", pa.bool_()),
])

VILLAGES_YEARLY = pa.schema([
    ("village_code", _code), ("township_code", _code), ("county_code", _code),
    ("population", pa.int32()), ("households", pa.int32()),
    ("has_clinic", pa.bool_()), ("has_qualified_doctor", pa.bool_()), ("road_hardened", pa.bool_()),
    ("safe_water", pa.bool_()), ("collective_income_fen", _money),
    ("is_poor_village", pa.bool_()), ("west", pa.bool_()),
])

HOUSEHOLDS = pa.schema([
    ("household_id", pa.int64()), ("number", pa.string()),
    ("county_code", _code), ("township_code", _code), ("village_code", _code), ("natural_village_code", _code),
    ("is_registered", pa.bool_()),
    ("attribute", pa.int8()),  # 贫困户属性: 0 非贫困户, 1 一般, 4 低保, 6 特困供养
    ("status", pa.int8()),  # current 脱贫属性: 0 1 3 4 5 9; null = not registered
    ("identified_year", pa.int16()), ("exit_year", pa.int16()),
    ("primary_cause", pa.int8()),  # 1–11; null = none
    ("other_causes", pa.string()),  # cause codes, comma-separated
    ("cultivated_land_mu", pa.float64()), ("housing_area_m2", pa.float64()), ("closed", pa.bool_()),
])

INCOME_LINES = ("wage_income_fen", "business_income_fen", "property_income_fen", "dividend_income_fen",
                "dibao_fen", "tekun_fen", "pension_fen", "family_planning_fen", "eco_compensation_fen",
                "other_transfer_fen", "unitemised_income_fen")

HOUSEHOLDS_YEARLY = pa.schema([
    ("household_id", pa.int64()),
    ("county_code", _code), ("township_code", _code), ("village_code", _code),
    ("status", pa.int8()),  # status at the end of the year, from status_events (docs/data-formats.md); null = none
    ("members", pa.int16()),
    *[(name, _money) for name in INCOME_LINES],
    ("production_cost_fen", _money), ("net_income_fen", _money), ("per_capita_net_income_fen", _money),
    ("housing_grade", pa.string()),  # A B C D
    ("renovation", pa.string()),  # '' repair reinforce rebuild relocate
    ("renovation_year", pa.int16()), ("renovation_cost_fen", _money),
    ("water_litres_per_day", pa.int16()), ("water_quality_ok", pa.bool_()), ("water_minutes", pa.int16()),
    ("water_cut_days", pa.int16()), ("water_short_area", pa.bool_()),
    ("food_clothing_secure", pa.bool_()), ("income_expected_stable", pa.bool_()),
    # Layout 2: the year's shocks, which monitoring after exit reads (docs/data-formats.md). A folder of
    # layout 1 lacks them; connection.register_parquet reads them there as none (ADDED_COLUMNS).
    ("medical_expense_fen", _money), ("education_expense_fen", _money), ("disaster_loss_fen", _money),
    ("business_failed", pa.bool_()), ("labourer_lost", pa.bool_()),
    # Layout 3: the grade of the house inspected again after its renovation (改造后鉴定, decision 1520). A folder
    # of an older layout lacks it and reads it as not inspected again (ADDED_COLUMNS).
    ("renovation_grade", pa.string()),  # '' A B C D
])

PERSONS = pa.schema([
    ("person_id", pa.int64()), ("household_id", pa.int64()), ("number", pa.string()),
    ("id_number", pa.string()),  # masked (220821********1234) unless exported unmasked
    ("name", pa.string()), ("sex", pa.string()),  # M F
    ("birth_date", pa.date32()),  # masked with id_number to the school-age rule's need (decision 1110)
    ("relation", pa.int8()), ("ethnicity", pa.int8()), ("education", pa.int8()),
    ("school_status", pa.int8()),  # 0 = not in school
    ("chronic_illness", pa.bool_()), ("serious_illness", pa.bool_()), ("disabled", pa.bool_()),
    ("disability_grade", pa.int8()), ("labour_ability", pa.int8()),
    ("work_status", pa.int8()),  # 0 = none
    ("work_months", pa.int8()), ("active", pa.bool_()), ("left_on", pa.date32()),
])

PERSONS_YEARLY = pa.schema([
    ("person_id", pa.int64()), ("household_id", pa.int64()),
    ("school_status", pa.int8()), ("basic_medical", pa.bool_()), ("serious_illness_insurance", pa.bool_()),
    ("medical_assistance", pa.bool_()), ("family_doctor", pa.bool_()), ("pension_insurance", pa.bool_()),
    ("dibao", pa.bool_()), ("tekun", pa.bool_()), ("work_months", pa.int8()),
])

STATUS_EVENTS = pa.schema([
    ("event_id", pa.int64()), ("household_id", pa.int64()),
    ("kind", pa.string()),  # identified exited returned natural_decrease misidentified monitoring_in risk_removed split merged
    ("year", pa.int16()),
    ("stage", pa.string()),  # proposed … announced; only announced events count
    ("effective_on", pa.date32()), ("persons", pa.int16()), ("related_household_id", pa.int64()),
])

SCHEMAS: dict[str, pa.Schema] = {
    "regions": REGIONS, "villages_yearly": VILLAGES_YEARLY, "households": HOUSEHOLDS,
    "households_yearly": HOUSEHOLDS_YEARLY, "persons": PERSONS, "persons_yearly": PERSONS_YEARLY,
    "status_events": STATUS_EVENTS,
}
# Optional tables: a folder without one reads as having none of its rows, so adding one bumps no layout version
# (decision 1553). roster_matches: the departments' current rosters as matched to the registry's persons — one row
# per roster row proving a person (matched by ID number or likeness and not rejected, or confirmed on review), and
# for each current roster one row without a person, which says the roster exists (policy_basis.sql reads it).
ROSTER_MATCHES = pa.schema([
    ("year", pa.int16()), ("kind", pa.string()),  # the roster's year and kind (death dibao tekun medical …)
    ("person_id", pa.int64()),  # null: the roster's presence row
    ("died_on", pa.date32()),  # a death roster's 死亡日期
    ("started_on", pa.date32()),  # a 低保 or 特困 roster's 开始日期
])
OPTIONAL: dict[str, pa.Schema] = {"roster_matches": ROSTER_MATCHES}
# Columns added after layout 1, with the value an older folder's rows read as (none of the shock happened; the
# renovated house not inspected again, layout 3).
ADDED_COLUMNS: dict[str, dict[str, str]] = {
    "households_yearly": {"medical_expense_fen": "CAST(0 AS BIGINT)", "education_expense_fen": "CAST(0 AS BIGINT)",
                          "disaster_loss_fen": "CAST(0 AS BIGINT)", "business_failed": "FALSE",
                          "labourer_lost": "FALSE", "renovation_grade": "CAST('' AS VARCHAR)"},
}
YEARLY = frozenset({"villages_yearly", "households_yearly", "persons_yearly"})
YEAR = pa.field("year", pa.int16())  # the partition column of yearly tables


def schema_of(table: str) -> pa.Schema:
    """The table's columns as a reader sees them (yearly tables end with `year`)."""
    schema = SCHEMAS[table] if table in SCHEMAS else OPTIONAL[table]
    return schema.append(YEAR) if table in YEARLY else schema


def conform(table: str, data: pa.Table) -> pa.Table:
    """Columns in the documented order and types; a missing column is an error, extra ones are dropped."""
    schema = schema_of(table)
    missing = [name for name in schema.names if name not in data.column_names]
    if missing:
        raise ValueError(f"snapshot table {table} lacks columns: {', '.join(missing)}")
    return data.select(schema.names).cast(schema)


def write_snapshot(directory: str | Path, tables: Mapping[str, pa.Table], *, masked: bool = True,
                   rows_per_file: int = ROWS_PER_FILE) -> dict:
    """Write the tables into `directory`; a partition (or unpartitioned table) written again is replaced.

    Yearly tables must hold a `year` column; it goes into the path, not the files. Returns the manifest.
    """
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    manifest_path = root / "_snapshot.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"tables": {}}
    manifest.update({"layout_version": LAYOUT_VERSION, "masked": masked})
    # derived tables describe the tables as they were (engine/derived.py); no rule they hold reads an optional one
    if set(tables) - set(OPTIONAL):
        drop_derived(root, manifest)
    for name, data in tables.items():
        if name not in SCHEMAS and name not in OPTIONAL:
            raise ValueError(f"unknown snapshot table {name}; known: {', '.join([*SCHEMAS, *OPTIONAL])}")
        data = conform(name, data)
        entry = manifest["tables"].setdefault(name, {})
        if name in YEARLY:
            years = sorted(pc.unique(data["year"]).to_pylist())
            counts = entry.setdefault("rows_by_year", {})
            for year in years:
                part = data.filter(pc.equal(data["year"], year)).drop_columns(["year"])
                _write_parts(root / name / f"year={year}", part, rows_per_file)
                counts[str(year)] = part.num_rows
            entry["years"] = sorted(int(y) for y in counts)
        else:
            _write_parts(root / name, data, rows_per_file)
            entry["rows"] = data.num_rows
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _write_parts(folder: Path, data: pa.Table, rows_per_file: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet"):
        old.unlink()
    for n, start in enumerate(range(0, max(data.num_rows, 1), rows_per_file)):
        pq.write_table(data.slice(start, rows_per_file), folder / f"part-{n:05d}.parquet",
                       compression="zstd", row_group_size=ROW_GROUP)


def read_table(directory: str | Path, table: str, *, years: list[int] | None = None) -> pa.Table:
    """One table of a snapshot, with the documented types (yearly ones with their `year` column)."""
    path = Path(directory) / table
    if table in YEARLY:
        dataset = ds.dataset(path, format="parquet", schema=schema_of(table),
                             partitioning=ds.partitioning(pa.schema([YEAR]), flavor="hive"))
        return dataset.to_table(filter=ds.field("year").isin(years) if years else None)
    return ds.dataset(path, format="parquet", schema=schema_of(table)).to_table()


# The folder of derived tables (tuopin.engine.derived) within a snapshot folder.
DERIVED = "derived"


def drop_derived(folder: str | Path, manifest: dict) -> None:
    """Forget the derived tables of a folder whose tables are being written again (write_snapshot): they
    describe the tables as they were."""
    shutil.rmtree(Path(folder) / DERIVED, ignore_errors=True)
    manifest.pop(DERIVED, None)
    manifest.pop("derived_from", None)
