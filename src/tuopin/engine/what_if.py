"""Today's standards and a what-if's over the same inputs: two runs of the rules, and which households and
villages the change would move (decision 1580). Nothing is written anywhere: both runs are in memory."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from . import derived, duckdb_runner
from .connection import one_row
from .duckdb_runner import Result

# Each household's standing under a run's standards: income at or below the line (fgt.sql's income poor),
# eligible for exit (no gap, household_result.sql), proposed for monitoring (monitoring_result.sql's new
# candidates: a household under monitoring already is not proposed again).
FLAGS = ("income_poor", "eligible", "monitored")


def flags(con: duckdb.DuckDBPyConnection, params: dict[str, str]) -> pa.Table:
    """One row per household of the run on `con`: its id, village and FLAGS."""
    line = params["line_fen"]
    return con.sql(
        "SELECT r.household_id, r.village_code, "
        f"r.members > 0 AND r.net_income_fen <= {line} * r.members AS income_poor, r.eligible, "
        "m.household_id IS NOT NULL AS monitored "
        "FROM household_result r LEFT JOIN (SELECT DISTINCT household_id FROM monitoring_result WHERE candidate) m "
        "ON m.household_id = r.household_id").to_arrow_table()


@contextlib.contextmanager
def _quiet(logger: logging.Logger):
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@dataclass
class Pair:
    today: Result
    what_if: Result
    # per flag: {"becomes": n, "stops": n}; `moved`: (household_id, village_code, flag, "becomes"|"stops")
    households: dict[str, dict[str, int]] = field(default_factory=dict)
    moved: list[tuple[int, int, str, str]] = field(default_factory=list)


def run_pair(connect: Callable[[], duckdb.DuckDBPyConnection], today: dict[str, str], what_if: dict[str, str], *,
             year: int, levels: tuple[str, ...], households: bool = True, folder=None,
             moved_cap: int = 0) -> Pair:
    """Run the rules under each set of parameters, each on its own connection from `connect` (inputs
    registered), and compare the households' FLAGS. `moved_cap` households moved are listed (0: counts only)."""
    results, tables = [], []
    for params in (today, what_if):
        con = connect()
        try:
            # a folder's derived tables were computed under today's standards: that the what-if's run computes
            # its own is expected, not worth the derived module's warning (today's run still gives it when due)
            with _quiet(derived.log) if params is what_if else contextlib.nullcontext():
                results.append(duckdb_runner.run(con, params, year=year, levels=levels, households=households,
                                                 folder=folder))
            tables.append(flags(con, params))
        finally:
            con.close()
    pair = Pair(today=results[0], what_if=results[1])
    con = duckdb.connect()
    try:
        con.register("before_t", tables[0])
        con.register("after_t", tables[1])
        joined = "FROM before_t b JOIN after_t a ON a.household_id = b.household_id"
        for flag in FLAGS:
            becomes, stops = one_row(
                con, f"SELECT COUNT(*) FILTER (WHERE a.{flag} AND NOT b.{flag}), "
                     f"COUNT(*) FILTER (WHERE b.{flag} AND NOT a.{flag}) {joined}")
            pair.households[flag] = {"becomes": int(becomes), "stops": int(stops)}
            if moved_cap:
                rows = con.execute(
                    f"SELECT b.household_id, b.village_code, CASE WHEN a.{flag} THEN 'becomes' ELSE 'stops' END "
                    f"{joined} WHERE a.{flag} <> b.{flag} ORDER BY b.household_id LIMIT {int(moved_cap)}").fetchall()
                pair.moved.extend((hid, village, flag, way) for hid, village, way in rows)
    finally:
        con.close()
    return pair


def village_exit_changes(pair: Pair, within: Callable[[int], bool] = lambda code: True) -> dict[str, list[int]]:
    """The poor villages that would start or stop meeting the exit standard (village_result.sql's checks)."""
    def meeting(result: Result) -> dict[int, bool]:
        return {r["village_code"]: bool(r["is_poor_village"] and r["incidence_ok"] and r["clinic_ok"]
                                        and r["road_ok"] and r["water_ok"] and r["collective_income_ok"])
                for r in result.village_result.to_pylist() if within(r["village_code"])}
    before, after = meeting(pair.today), meeting(pair.what_if)
    return {"starts_meeting_exit": sorted(c for c, ok in after.items() if ok and not before.get(c, False)),
            "stops_meeting_exit": sorted(c for c, ok in before.items() if ok and not after.get(c, False))}
