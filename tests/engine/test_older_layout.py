"""A snapshot folder of layout 1 (before the year's shocks were added) still reads: the added columns read as
none happened, and a folder of today's layout reads its own values."""

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from tuopin.engine.connection import register_parquet
from tuopin.engine.snapshot import ADDED_COLUMNS, HOUSEHOLDS_YEARLY


def _write(folder, schema, rows):
    part = folder / "households_yearly" / "year=2021"
    part.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), part / "part-00000.parquet")


def _row(**extra):
    row = {name: None for name in HOUSEHOLDS_YEARLY.names}
    row.update(household_id=1, members=2, net_income_fen=900_000, **extra)
    return row


def test_a_layout_1_folder_reads_the_shocks_as_none(tmp_path):
    added = ADDED_COLUMNS["households_yearly"]
    old = pa.schema([f for f in HOUSEHOLDS_YEARLY if f.name not in added])
    _write(tmp_path, old, [{k: v for k, v in _row().items() if k not in added}])
    con = duckdb.connect()
    register_parquet(con, tmp_path, year=2021)
    got = con.execute("SELECT medical_expense_fen, education_expense_fen, disaster_loss_fen, business_failed, "
                      "labourer_lost, net_income_fen FROM households_yearly").fetchall()
    assert got == [(0, 0, 0, False, False, 900_000)]


def test_a_layout_2_folder_reads_its_own_shocks(tmp_path):
    _write(tmp_path, HOUSEHOLDS_YEARLY, [_row(medical_expense_fen=2_500_000, education_expense_fen=0,
                                             disaster_loss_fen=0, business_failed=True, labourer_lost=False)])
    con = duckdb.connect()
    register_parquet(con, tmp_path, year=2021)
    got = con.execute("SELECT medical_expense_fen, business_failed, labourer_lost FROM households_yearly").fetchall()
    assert got == [(2_500_000, True, False)]
