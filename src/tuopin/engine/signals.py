"""Signals that figures may be gamed (数字脱贫, decision 1590) on DuckDB: the signal rules (rules.SIGNAL_RULES) over
the input tables declared here, which the integrity app reads from the live database. Each rule yields one row per
household (or visit, task) behind a finding, in the columns of FINDING_ROWS; `run` returns them all, ordered."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pyarrow as pa

from tuopin import rules

# The input tables and their columns (the integrity app's reader builds them in these types).
INPUTS: dict[str, pa.Schema] = {
    # per-capita net income of every household of the scope, the year before, the year and the year after
    "signal_incomes": pa.schema([("household_id", pa.int64()), ("year", pa.int64()), ("village_code", pa.int64()),
                                 ("township_code", pa.int64()), ("per_capita_net_income_fen", pa.int64())]),
    # announced exits: the household and the year of the exit's effective date
    "signal_exits": pa.schema([("household_id", pa.int64()), ("year", pa.int64())]),
    # visits: `text` is 发现问题 + 帮办事项 with whitespace and punctuation taken out
    "signal_visits": pa.schema([("visit_id", pa.int64()), ("household_id", pa.int64()), ("cadre_id", pa.int64()),
                                ("visited_on", pa.date32()), ("village_code", pa.int64()),
                                ("township_code", pa.int64()), ("text", pa.string())]),
    "signal_pairings": pa.schema([("cadre_id", pa.int64()), ("household_id", pa.int64()), ("start", pa.date32()),
                                  ("end_on", pa.date32())]),
    # gap tasks closed (done or resolved), with the count of their evidence rows that have a text or a photo
    "signal_gap_tasks": pa.schema([("task_id", pa.int64()), ("household_id", pa.int64()), ("cadre_id", pa.int64()),
                                   ("village_code", pa.int64()), ("township_code", pa.int64()),
                                   ("status", pa.string()), ("opened_on", pa.date32()), ("closed_on", pa.date32()),
                                   ("evidence", pa.int64())]),
    # per-record edits of the registry (audit events) of households, with the round whose date they precede
    "signal_edits": pa.schema([("round_id", pa.int64()), ("data_year", pa.int64()), ("round_on", pa.date32()),
                               ("household_id", pa.int64()), ("village_code", pa.int64()),
                               ("township_code", pa.int64()), ("edited_on", pa.date32())]),
}
FINDING_ROWS = pa.schema([
    ("kind", pa.string()), ("finding", pa.string()), ("village_code", pa.int64()), ("township_code", pa.int64()),
    ("household_id", pa.int64()), ("cadre_id", pa.int64()), ("observed", pa.float64()), ("expected", pa.float64()),
    ("n", pa.int64()), ("day", pa.string()), ("extra", pa.string()), ("score", pa.float64()),
])


def empty(name: str) -> pa.Table:
    return INPUTS[name].empty_table()


def run(tables: Mapping[str, pa.Table], params: dict[str, str]) -> pa.Table:
    """Every signal rule over `tables` (a missing input counts as empty): rows in FINDING_ROWS' columns, ordered by
    kind, finding, household, cadre."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET threads = 1")
        for name, schema in INPUTS.items():
            table = tables.get(name)
            con.register(name, schema.empty_table() if table is None else table.select(schema.names).cast(schema))
        columns = ", ".join(FINDING_ROWS.names)
        union = " UNION ALL ".join(f"SELECT {columns} FROM ({rules.render(name, params)})"
                                   for name in rules.SIGNAL_RULES)
        result = con.sql(f"SELECT * FROM ({union}) ORDER BY kind, finding, household_id NULLS FIRST, "
                         "cadre_id NULLS FIRST").to_arrow_table()
        return result.cast(FINDING_ROWS)
    finally:
        con.close()
