"""Today's standards and a what-if's over the same inputs: two runs of the rules, and which households and
villages the change would move (decision 1580). Nothing is written anywhere: both runs are in memory."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from tuopin import rules

from . import derived, duckdb_runner
from .connection import BUDGET_TABLE, one_row
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


# A what-if's budget lines (decision 1600), each an amount in fen added to the income of the assessed year:
#   dibao_per_person      — per person on 低保 in the year (persons_yearly.dibao);
#   subsidy_per_person    — per member (households_yearly.members) of a household poor at the year's end;
#   dividend_without_labour — per household poor at the year's end without an active member able to work
#                           (labour ability 1–3: 普通, 技能, 弱或半劳动力).
# "Poor at the year's end" is household_status.sql's, the rules' own (未脱贫 or 返贫 by the announced events).
BUDGET_LINES = ("dibao_per_person", "subsidy_per_person", "dividend_without_labour")
# The derived rules that read no households_yearly: the income a budget adds changes none of their rows, so a
# folder's derived tables of them still hold for the what-if's run (a test checks that their text reads none).
BUDGET_UNCHANGED = ("household_status", "household_person_facts")


def budget_table(con: duckdb.DuckDBPyConnection, budget: dict[str, int], params: dict[str, str], year: int,
                 status: str | None = None) -> None:
    """Create BUDGET_TABLE on `con` from its registered (recorded) inputs: per household of `year` receiving
    any line, the fen of each line, their sum and the persons on 低保 counted. Re-register households_yearly
    afterwards (connection.register_arrow / register_parquet) for the rules to read the income with it.
    `status`: a SELECT of household_status's rows (a folder's derived table) instead of running the rule."""
    fen = {line: int(budget.get(line, 0)) for line in BUDGET_LINES}
    status = status or rules.render("household_status", params)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {BUDGET_TABLE} AS
        WITH y AS (
            SELECT household_id, year, members FROM households_yearly WHERE year = {int(year)}
        ), status AS (
            SELECT household_id, poor_at_end FROM ({status})
        ), dibao AS (
            SELECT household_id, COUNT(*) AS persons FROM persons_yearly
            WHERE year = {int(year)} AND dibao GROUP BY household_id
        ), labour AS (
            SELECT DISTINCT py.household_id FROM persons_yearly py JOIN persons p ON p.person_id = py.person_id
            WHERE py.year = {int(year)} AND p.active AND p.labour_ability IN (1, 2, 3)
        ), lines AS (
            SELECT y.household_id, y.year, COALESCE(d.persons, 0) AS dibao_persons,
                   CAST({fen["dibao_per_person"]} AS BIGINT) * COALESCE(d.persons, 0) AS dibao_per_person,
                   CASE WHEN COALESCE(s.poor_at_end, FALSE)
                        THEN CAST({fen["subsidy_per_person"]} AS BIGINT) * GREATEST(COALESCE(y.members, 0), 0)
                        ELSE 0 END AS subsidy_per_person,
                   CASE WHEN COALESCE(s.poor_at_end, FALSE) AND l.household_id IS NULL
                        THEN CAST({fen["dividend_without_labour"]} AS BIGINT) ELSE 0 END AS dividend_without_labour
            FROM y LEFT JOIN status s ON s.household_id = y.household_id
            LEFT JOIN dibao d ON d.household_id = y.household_id
            LEFT JOIN labour l ON l.household_id = y.household_id
        )
        SELECT *, dibao_per_person + subsidy_per_person + dividend_without_labour AS added_fen FROM lines
        WHERE dibao_per_person + subsidy_per_person + dividend_without_labour > 0""")


def budget_cost(con: duckdb.DuckDBPyConnection) -> dict:
    """What the budget lines cost over the households on `con`: per line the households receiving it and the
    fen, and the total."""
    sums = one_row(con, "SELECT " + ", ".join(f"COUNT(*) FILTER (WHERE {line} > 0), COALESCE(SUM({line}), 0)"
                                              for line in BUDGET_LINES)
                   + f", COUNT(*), COALESCE(SUM(added_fen), 0) FROM {BUDGET_TABLE}")
    out = {line: {"households": int(sums[2 * k]), "fen": int(sums[2 * k + 1])} for k, line in enumerate(BUDGET_LINES)}
    return {"lines": out, "households": int(sums[-2]), "fen": int(sums[-1])}


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
    budget: dict | None = None  # budget_cost's figures when the what-if has budget lines


@dataclass(frozen=True)
class Run:
    """One run of the rules for a what-if's side: its Result and each household's FLAGS (`flags`)."""
    result: Result
    flags: pa.Table


def run_one(connect: Callable[[], duckdb.DuckDBPyConnection], params: dict[str, str], *, year: int,
            levels: tuple[str, ...], households: bool = True, folder=None, budget: dict[str, int] | None = None,
            reregister: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
            quiet: bool = False) -> tuple[Run, dict | None]:
    """The rules under `params` on a connection of their own from `connect` (inputs registered), and what the
    budget lines cost (None without any). `budget` (fen by BUDGET_LINES) is added to the incomes first,
    `reregister` registering the connection's households_yearly again so that it is read with the budget."""
    con = connect()
    cost = None
    # a folder's derived tables were computed under today's standards: that the what-if's run computes
    # its own is expected, not worth the derived module's warning (today's run still gives it when due)
    def quieted():
        return _quiet(derived.log) if quiet else contextlib.nullcontext()

    try:
        derived_tables: bool | dict[str, str] = True
        if budget:
            with quieted():
                derived_tables = derived.sources(folder, params, year, only=BUDGET_UNCHANGED) \
                    if folder is not None else {}
            budget_table(con, budget, params, year, status=derived_tables.get("household_status"))
            cost = budget_cost(con)
            if reregister is None:
                raise ValueError("a budget needs the inputs registered again")
            reregister(con)
        with quieted():
            result = duckdb_runner.run(con, params, year=year, levels=levels, households=households,
                                       folder=folder, derived_tables=derived_tables)
        return Run(result, flags(con, params)), cost
    finally:
        con.close()


def run_pair(connect: Callable[[], duckdb.DuckDBPyConnection], today: dict[str, str], what_if: dict[str, str], *,
             year: int, levels: tuple[str, ...], households: bool = True, folder=None,
             moved_cap: int = 0, budget: dict[str, int] | None = None,
             reregister: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
             today_run: Run | None = None) -> Pair:
    """Run the rules under each set of parameters (`run_one`) and compare the households' FLAGS. `moved_cap`
    households moved are listed (0: counts only). `budget`: the what-if's lines (`run_one`). `today_run`: today's
    run of the same inputs, parameters and levels, done before (a live area's, kept by its caller): not run again."""
    if today_run is None:
        today_run, _ = run_one(connect, today, year=year, levels=levels, households=households, folder=folder)
    after, cost = run_one(connect, what_if, year=year, levels=levels, households=households, folder=folder,
                          budget=budget, reregister=reregister, quiet=True)
    results, tables = [today_run.result, after.result], [today_run.flags, after.flags]
    pair = Pair(today=results[0], what_if=results[1], budget=cost)
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
