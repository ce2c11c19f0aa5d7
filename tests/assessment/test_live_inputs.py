"""The live registry read into Arrow: typed as the snapshot layout declares, scoped, and seeing the transaction."""

import datetime as dt

import pyarrow as pa

from tuopin.apps.assessment import live_inputs
from tuopin.apps.registry.exchange.snapshot_export import write_parquet
from tuopin.apps.registry.models import HouseholdYear
from tuopin.engine import snapshot


def test_tables_have_the_rules_columns_and_types(county):
    tables = live_inputs.read(year=2018, region_code="220821000000")
    assert set(tables) == set(live_inputs.COLUMNS)
    hy = tables["households_yearly"]
    assert hy.schema.field("food_clothing_secure").type == pa.bool_()
    assert hy.schema.field("village_code").type == pa.int64()
    assert sorted(hy["members"].to_pylist()) == [2, 2, 2, 4]
    assert set(hy["renovation"].to_pylist()) == {""}
    events = tables["status_events"]
    assert events["effective_on"].to_pylist() == [dt.date(2015, 10, 1)] * 3
    assert tables["persons"].num_rows == 10 and tables["persons"].schema.field("birth_date").type == pa.date32()
    villages = tables["villages_yearly"].to_pylist()
    assert {v["village_code"]: (v["population"], v["is_poor_village"]) for v in villages} == {
        220821100201: (6, True), 220821100202: (4, False), 220821200201: (4, True)}


def test_scope_limits_every_table(county):
    tables = live_inputs.read(year=2018, region_code="220821200000")  # 建平乡: one village, one household
    assert tables["villages_yearly"]["village_code"].to_pylist() == [220821200201]
    assert tables["households_yearly"]["household_id"].to_pylist() == [county["households"][3].pk]
    assert tables["persons_yearly"].num_rows == 2 and tables["status_events"].num_rows == 1


def test_uncommitted_writes_of_the_transaction_are_seen(county):
    HouseholdYear.objects.filter(household=county["households"][0]).update(net_income_fen=-5, renovation="rebuild")
    tables = live_inputs.read(year=2018, household_ids=[county["households"][0].pk])
    row = tables["households_yearly"].to_pylist()[0]
    assert (row["net_income_fen"], row["renovation"]) == (-5, "rebuild")
    assert "villages_yearly" not in tables


def test_an_empty_year_gives_empty_typed_tables(county):
    tables = live_inputs.read(year=1999, region_code="220821000000")
    assert tables["households_yearly"].num_rows == 0
    assert tables["households_yearly"].schema.field("members").type == pa.int16()


def test_live_tables_are_a_snapshot_of_the_same_county_narrowed_to_the_rules_columns(county, tmp_path):
    write_parquet(user=county["accounts"]["county_admin"], out=tmp_path / "snap", year=2018, unmasked=True)
    live = live_inputs.read(year=2018, region_code="220821000000")
    for name, table in live.items():
        years = [2018] if name in snapshot.YEARLY else None
        stored = snapshot.read_table(tmp_path / "snap", name, years=years)
        assert table.column_names == [c for c in stored.column_names if c in table.column_names], name
        stored = stored.select(table.column_names)
        assert table.schema == stored.schema, name
        keys = [(c, "ascending") for c in table.column_names[:3]]
        assert table.num_rows > 0 and table.sort_by(keys).equals(stored.sort_by(keys)), name
