"""`one_row` reads an aggregate's row to the end, so the connection takes more work after it."""

import pyarrow as pa

from tuopin.engine.connection import connect, one_row


def test_a_table_registers_after_one_row():
    con = connect()
    assert one_row(con, "SELECT COUNT(*) FROM range(10)") == (10,)
    assert one_row(con, "SELECT $1 + 1", [41]) == (42,)
    # DuckDB refuses to register a table while a result is unread (it did after a bare fetchone()).
    con.register("later", pa.table({"a": [1, 2]}))
    assert one_row(con, "SELECT SUM(a) FROM later") == (3,)
