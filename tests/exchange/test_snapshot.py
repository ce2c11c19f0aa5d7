"""`tuopin export --format parquet`: the snapshot layout, readable by pyarrow and DuckDB, as documented."""

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from django.core.management import call_command

from tuopin.apps.registry.exchange import vocab
from tuopin.engine import snapshot as snap

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-formats.md"
TYPE_NAMES = {"int64": pa.int64(), "int32": pa.int32(), "int16": pa.int16(), "int8": pa.int8(),
              "string": pa.string(), "bool": pa.bool_(), "double": pa.float64(), "date32": pa.date32()}


def documented_tables() -> dict[str, list[tuple[str, str]]]:
    tables, current = {}, None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `(\w+)`", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        if line.startswith("#"):
            current = None
        row = re.match(r"^\| `(\w+)` \| (\w+) \|", line)
        if current is not None and row:
            current.append((row.group(1), row.group(2)))
    return tables


@pytest.fixture
def exported(county, tmp_path):
    out = tmp_path / "snap"
    call_command("export", "--format", "parquet", "--out", str(out), "--as", "county_admin")
    return out


def test_layout_on_disk(exported):
    for table in snap.SCHEMAS:
        if table in snap.YEARLY:
            assert (exported / table / "year=2018" / "part-00000.parquet").is_file(), table
        else:
            assert (exported / table / "part-00000.parquet").is_file(), table
    manifest = json.loads((exported / "_snapshot.json").read_text())
    assert manifest["masked"] is True and manifest["tables"]["persons"]["rows"] == 10
    assert manifest["tables"]["households_yearly"]["rows_by_year"] == {"2018": 4}


def test_documented_columns_are_the_schemas():
    documented = documented_tables()
    assert set(documented) == set(snap.SCHEMAS) | set(snap.OPTIONAL)
    for table in [*snap.SCHEMAS, *snap.OPTIONAL]:
        schema = snap.schema_of(table)
        assert [name for name, _ in documented[table]] == schema.names, table
        assert [TYPE_NAMES[t] for _, t in documented[table]] == schema.types, table


def test_pyarrow_reads_the_documented_schema(exported):
    households = snap.read_table(exported, "households_yearly")
    assert households.schema == snap.schema_of("households_yearly")
    rows = {r["household_id"]: r for r in households.to_pylist()}
    assert {r["year"] for r in rows.values()} == {2018}
    assert sorted(r["status"] for r in rows.values() if r["status"] is not None) == [0, 0, 0]
    assert all(r["village_code"] // 1000 in (220821100, 220821200) for r in rows.values())
    persons = snap.read_table(exported, "persons").to_pylist()
    assert all(re.fullmatch(r"220821\*{8}\d{3}[\dX]", p["id_number"]) for p in persons)
    assert {p["relation"] for p in persons} == {1, 2}


def test_duckdb_reads_the_snapshot(exported):
    con = duckdb.connect()
    poor = con.sql(f"""
        SELECT h.township_code, sum(h.members) AS persons
        FROM read_parquet('{exported}/households_yearly/*/*.parquet', hive_partitioning = true) h
        WHERE h.year = 2018 AND h.status IN (0, 3)
        GROUP BY 1 ORDER BY 1""").fetchall()
    assert poor == [(220821100000, 6), (220821200000, 2)]
    population = con.sql(f"""SELECT sum(population) FROM read_parquet(
        '{exported}/villages_yearly/*/*.parquet', hive_partitioning = true) WHERE year = 2018""").fetchall()
    assert population == [(14,)]
    kinds = con.sql(f"SELECT kind, stage, count(*) FROM '{exported}/status_events/*.parquet' GROUP BY ALL").fetchall()
    assert kinds == [("identified", "announced", 3)]


def test_cadre_snapshot_is_scoped(county, tmp_path):
    out = tmp_path / "cadre"
    call_command("export", "--format", "parquet", "--out", str(out), "--year", "2018", "--as", "cadre")
    assert [r["number"] for r in snap.read_table(out, "households").to_pylist()] == ["220821100201001"]
    assert len(snap.read_table(out, "persons")) == 2


def test_birth_dates_are_masked_with_the_id_numbers(county, exported, tmp_path):
    # Masked: the year and its side of 1 September (decision 1110), as docs/data-formats.md says.
    masked = snap.read_table(exported, "persons").to_pylist()
    assert {p["birth_date"] for p in masked} == {dt.date(1970, 9, 1), dt.date(1972, 9, 1)}
    assert all("********" in p["id_number"] for p in masked)
    out = tmp_path / "unmasked"
    call_command("export", "--format", "parquet", "--out", str(out), "--unmasked", "--as", "county_admin")
    assert {p["birth_date"] for p in snap.read_table(out, "persons").to_pylist()} == {
        dt.date(1970, 5, 1), dt.date(1972, 3, 3)}


def test_write_snapshot_replaces_only_the_years_it_writes(tmp_path):
    def villages(year, population):
        return pa.table({"village_code": [220821100201], "township_code": [220821100000],
                         "county_code": [220821000000], "population": [population], "households": [1],
                         "has_clinic": [True], "has_qualified_doctor": [True], "road_hardened": [True],
                         "safe_water": [True], "collective_income_fen": [0], "is_poor_village": [False],
                         "west": [False], "year": [year]})
    snap.write_snapshot(tmp_path, {"villages_yearly": villages(2018, 10)})
    snap.write_snapshot(tmp_path, {"villages_yearly": villages(2019, 11)})
    snap.write_snapshot(tmp_path, {"villages_yearly": villages(2019, 12)})
    table = snap.read_table(tmp_path, "villages_yearly").sort_by("year")
    assert table.column("population").to_pylist() == [10, 12]
    with pytest.raises(ValueError, match="lacks columns: west"):
        snap.write_snapshot(tmp_path, {"villages_yearly": villages(2020, 1).drop_columns(["west"])})


def test_allowed_values_are_documented():
    text = DOC.read_text(encoding="utf-8")
    for heading, words in (("与户主关系", vocab.RELATION), ("民族", vocab.ETHNICITY), ("文化程度", vocab.EDUCATION),
                           ("在校生状况", vocab.SCHOOL_STATUS), ("劳动技能", vocab.LABOUR), ("务工状况", vocab.WORK),
                           ("脱贫属性", vocab.STATUS), ("贫困户属性", vocab.ATTRIBUTE), ("主要致贫原因", vocab.CAUSE),
                           ("住房安全等级", vocab.HOUSING), ("危房改造方式", vocab.RENOVATION)):
        section = text.split(f"#### {heading}", 1)[1].split("####", 1)[0]
        for word in words:
            assert word in section, (heading, word)
