"""监测预警 (monitoring after exit) as rules: each criterion fires on a household built to meet it and not on one just
inside its line, with the boundaries read from the standards; the reasons' text; the kinds; DuckDB = Spark."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa

from tests.engine.agreement import assert_agree
from tuopin import rules, standards
from tuopin.engine import duckdb_runner, snapshot

YEAR = 2021
S = standards.load("000000")
LINE = S.monitoring_line_fen(YEAR)  # fen per person
CRITERIA = S.monitoring_criteria()
FALL = CRITERIA["income_fall"]["percent"]
LOSS = CRITERIA["disaster_loss"]["percent"]
VILLAGE, TOWNSHIP, COUNTY = 220821100201, 220821100000, 220821000000


def _row(table: str, **values) -> dict:
    """A row of a snapshot table, every column at an unremarkable value unless given."""
    defaults = {"households_yearly": {
        "county_code": COUNTY, "township_code": TOWNSHIP, "village_code": VILLAGE, "members": 2, "year": YEAR,
        "housing_grade": "A", "renovation": "", "water_litres_per_day": 60, "water_quality_ok": True,
        "water_minutes": 5, "water_cut_days": 0, "water_short_area": False, "food_clothing_secure": True,
        "income_expected_stable": True, "medical_expense_fen": 0, "education_expense_fen": 0,
        "disaster_loss_fen": 0, "business_failed": False, "labourer_lost": False}}.get(table, {})
    row = {**defaults, **values}
    if table == "households_yearly":
        row.setdefault("per_capita_net_income_fen", row["net_income_fen"] // row["members"])
    return row


def _tables(households: list[dict]) -> dict[str, pa.Table]:
    """households: {"id", "status" (None, identified, exited, monitoring_in), "years": {year: yearly values}}."""
    rows: dict[str, list[dict]] = {name: [] for name in snapshot.SCHEMAS}
    event = 0
    for h in households:
        hid = h["id"]
        rows["households"].append({"household_id": hid, "county_code": COUNTY, "township_code": TOWNSHIP,
                                   "village_code": VILLAGE, "is_registered": h["status"] is not None})
        for year, values in h["years"].items():
            rows["households_yearly"].append(_row("households_yearly", household_id=hid, year=year, **values))
        for p in range(2):
            pid = hid * 10 + p
            rows["persons"].append({"person_id": pid, "household_id": hid, "birth_date": dt.date(1970, 1, 1),
                                    "active": True})
            rows["persons_yearly"].append({"person_id": pid, "household_id": hid, "year": YEAR, "school_status": 0,
                                           "basic_medical": True, "serious_illness_insurance": True})
        kinds = {None: [], "identified": ["identified"], "exited": ["identified", "exited"],
                 "monitoring_in": ["monitoring_in"]}[h["status"]]
        for k, kind in enumerate(kinds):
            event += 1
            rows["status_events"].append({"event_id": event, "household_id": hid, "kind": kind, "year": 2016 + k,
                                          "stage": "announced", "effective_on": dt.date(2016 + k, 10, 1),
                                          "persons": 2})
    rows["villages_yearly"].append({"village_code": VILLAGE, "township_code": TOWNSHIP, "county_code": COUNTY,
                                    "population": 100, "households": 30, "has_clinic": True,
                                    "has_qualified_doctor": True, "road_hardened": True, "safe_water": True,
                                    "collective_income_fen": 0, "is_poor_village": True, "west": False, "year": YEAR})
    out = {}
    for name in snapshot.SCHEMAS:
        schema = snapshot.schema_of(name)
        out[name] = pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows[name]], schema=schema)
    return out


def _run(households: list[dict]) -> duckdb_runner.Result:
    con = duckdb_runner.connect()
    duckdb_runner.register_arrow(con, _tables(households))
    return duckdb_runner.run(con, rules.parameters(S, YEAR), year=YEAR, levels=("township", "county"))


def _reasons(result) -> dict[int, dict[str, dict]]:
    out: dict[int, dict[str, dict]] = {}
    for row in result.monitoring_candidates.to_pylist():
        out.setdefault(row["household_id"], {})[row["criterion"]] = row
    return out


def _kinds(result) -> dict[int, tuple[str, bool]]:
    return {r["household_id"]: (r["kind"], r["candidate"]) for r in result.monitoring_result.to_pylist()}


def _above(per_person: int) -> dict:
    return {"net_income_fen": per_person * 2}


def _exited(hid, **values):
    previous = values.pop("previous", None)
    years = {YEAR: {**_above(LINE + 500_000), **values}}
    if previous is not None:
        years[YEAR - 1] = {"net_income_fen": previous * 2}
    return {"id": hid, "status": "exited", "years": years}


def test_each_criterion_fires_on_its_line_and_not_just_inside_it():
    before = 2_000_000  # a year before's income per person, well above the line
    fallen = before - before * FALL // 100
    income = (LINE + 500_000) * 2
    households = [
        _exited(1, net_income_fen=LINE * 2),  # on the monitoring line: not above it
        _exited(2, net_income_fen=LINE * 2 + 1),  # one fen above it
        _exited(3, net_income_fen=LINE * 2 + 100_000, medical_expense_fen=60_000, education_expense_fen=40_000),
        _exited(4, net_income_fen=LINE * 2 + 100_000, medical_expense_fen=99_999),
        _exited(5, net_income_fen=fallen * 2, previous=before),
        _exited(6, net_income_fen=(fallen + 1) * 2, previous=before),
        _exited(7, disaster_loss_fen=income * LOSS // 100),
        _exited(8, disaster_loss_fen=income * LOSS // 100 - 1),
        _exited(9, business_failed=True),
        _exited(10, labourer_lost=True),
        _exited(11, housing_grade="D"),
        _exited(12, water_cut_days=S.section("water")["cut_days_per_year"] + 1),
    ]
    reasons = _reasons(_run(households))
    assert {hid: set(found) for hid, found in reasons.items()} == {
        1: {"income_low"}, 3: {"rigid_spending"}, 5: {"income_fall"}, 7: {"disaster_loss"}, 9: {"business_failed"},
        10: {"labourer_lost"}, 11: {"gap_housing"}, 12: {"gap_water"}}
    low = reasons[1]["income_low"]
    assert low["reason"] == f"人均纯收入{LINE // 100}元，未超过监测范围{LINE // 100}元"
    assert (low["value"], low["threshold"]) == (LINE * 2, LINE * 2)
    assert reasons[3]["rigid_spending"]["reason"] == (
        f"自付医疗费用600元、教育支出400元，扣除后人均纯收入{LINE // 100}元，未超过监测范围{LINE // 100}元（刚性支出较大）")
    assert reasons[5]["income_fall"]["reason"] == (
        f"人均纯收入由上年{before // 100}元降至{fallen // 100}元，下降{FALL}%，达到{FALL}%（收入大幅缩减）")
    assert reasons[7]["disaster_loss"]["reason"] == (
        f"灾害损失{income * LOSS // 100 // 100}元，达到家庭年纯收入的{LOSS}%（因灾）")
    assert reasons[9]["business_failed"]["reason"] == "产业经营失败"
    assert reasons[11]["gap_housing"]["reason"].endswith("（住房安全未保障）")


def test_kinds_and_who_is_no_candidate():
    below = {"net_income_fen": LINE * 2 - 2}
    households = [
        _exited(1, **below),  # exited, below the line: 脱贫不稳定户
        {"id": 2, "status": None, "years": {YEAR: below}},  # never registered, below: 边缘易致贫户
        {"id": 3, "status": None, "years": {YEAR: {"net_income_fen": LINE * 2 + 100_000,
                                                     "medical_expense_fen": 200_000}}},  # rigid spending: marginal
        # never registered, above the line, a disaster loss that leaves it below: 突发严重困难户
        {"id": 4, "status": None, "years": {YEAR: {"net_income_fen": LINE * 4,
                                                     "disaster_loss_fen": LINE * 3}}},
        # never registered, a failed business but well above the line even so: no candidate
        {"id": 5, "status": None, "years": {YEAR: {"net_income_fen": LINE * 4, "business_failed": True}}},
        # never registered, an unsafe house: not a criterion for a household that never exited
        {"id": 6, "status": None, "years": {YEAR: {"net_income_fen": LINE * 4, "housing_grade": "D"}}},
        {"id": 7, "status": "identified", "years": {YEAR: below}},  # poor: worked through its gaps instead
        {"id": 8, "status": "monitoring_in", "years": {YEAR: below}},  # monitored already: flagged, not new
    ]
    result = _run(households)
    assert _kinds(result) == {1: ("unstable", True), 2: ("marginal", True), 3: ("marginal", True),
                              4: ("sudden", True), 8: ("monitored", False)}
    village = result.monitoring["village"].to_pylist()
    assert village == [{"code": VILLAGE, "candidates": 4, "candidate_persons": 8, "unstable": 1, "marginal": 2,
                        "sudden": 1, "monitored": 1}]
    assert result.monitoring["county"].to_pylist()[0]["candidates"] == 4


def test_the_boundaries_come_from_the_standards(tmp_path):
    """Another income_fall percentage in the standards moves the line the rule draws."""
    households = [_exited(1, net_income_fen=1_600_000 * 2, previous=2_000_000)]  # down 20 %
    params = rules.parameters(S, YEAR)
    assert params["income_fall_percent"] == str(FALL) and FALL > 20
    con = duckdb_runner.connect()
    duckdb_runner.register_arrow(con, _tables(households))
    assert not _reasons(duckdb_runner.run(con, params, year=YEAR))
    params["income_fall_percent"] = "20"
    con = duckdb_runner.connect()
    duckdb_runner.register_arrow(con, _tables(households))
    assert set(_reasons(duckdb_runner.run(con, params, year=YEAR))[1]) == {"income_fall"}


def test_explain_gives_the_same_reasons_as_the_run():
    households = [_exited(1, net_income_fen=LINE * 2, labourer_lost=True),
                  {"id": 2, "status": None, "years": {YEAR: {"net_income_fen": LINE}}}]
    result = _run(households)
    con = duckdb_runner.connect()
    duckdb_runner.register_arrow(con, _tables(households))
    explained = duckdb_runner.explain_monitoring(con, rules.parameters(S, YEAR)).to_pylist()
    assert [(r["household_id"], r["criterion"], r["reason"]) for r in explained] == [
        (r["household_id"], r["criterion"], r["reason"]) for r in result.monitoring_candidates.to_pylist()]
    assert {r["household_id"]: r["kind"] for r in explained} == {1: "unstable", 2: "marginal"}


def test_spark_agrees_on_every_criterion(spark):
    from tuopin.engine import spark_runner

    households = [
        _exited(1, net_income_fen=LINE * 2 - 1, labourer_lost=True, housing_grade="C"),
        _exited(2, net_income_fen=LINE * 2 + 100_000, medical_expense_fen=100_000, previous=5_000_000),
        _exited(3, disaster_loss_fen=10_000_000, business_failed=True),
        {"id": 4, "status": None, "years": {YEAR: {"net_income_fen": -304_600}}},
        {"id": 5, "status": None, "years": {YEAR: {"net_income_fen": LINE * 3, "disaster_loss_fen": LINE * 2},
                                            YEAR - 1: {"net_income_fen": LINE * 8}}},
        {"id": 6, "status": "monitoring_in", "years": {YEAR: {"net_income_fen": 0}}},
    ]
    duck = _run(households)
    con = spark_runner.connect(spark)
    spark_runner.register_arrow(con, _tables(households))
    on_spark = spark_runner.run(con, rules.parameters(S, YEAR), year=YEAR, levels=("township", "county"))
    assert duck.monitoring_candidates.num_rows >= 9
    assert_agree(duck, on_spark)
    negative = _reasons(duck)[4]["income_low"]["reason"]
    assert negative.startswith("人均纯收入-1523元")  # -304,600 fen over 2 persons, floored as the gap rule does


def test_a_folder_derived_before_the_monitoring_rules_is_read_and_they_run(tmp_path, caplog):
    """A folder whose derived tables were written before the monitoring rules existed keeps using them (their
    hashes do not cover the monitoring rules, which run after them), and the monitoring rules run."""
    from tuopin.engine import derived

    households = [_exited(1, net_income_fen=LINE), {"id": 2, "status": None, "years": {YEAR: {"net_income_fen": 1}}}]
    folder = tmp_path / "snap"
    snapshot.write_snapshot(folder, {name: t for name, t in _tables(households).items() if name != "regions"})
    derived.write(folder, [YEAR])
    manifest = json.loads((folder / "_snapshot.json").read_text())
    for name in rules.MONITORING_RULES:  # as a folder derived before them
        manifest["derived"].pop(name)
    (folder / "_snapshot.json").write_text(json.dumps(manifest))
    params = rules.parameters(S, YEAR)
    stored = derived.sources(folder, params, YEAR)
    assert set(stored) == set(derived.TABLES) - set(rules.MONITORING_RULES)
    con = duckdb_runner.connect()
    duckdb_runner.register_parquet(con, folder, year=YEAR)
    result = duckdb_runner.run(con, params, year=YEAR, folder=folder)
    assert _kinds(result) == {1: ("unstable", True), 2: ("marginal", True)}


def test_a_layout_1_folder_is_assessed_with_its_shocks_as_none(tmp_path):
    """A folder written before the shocks were recorded (layout 1): the monitoring rules run, on income alone."""
    import pyarrow.parquet as pq

    households = [_exited(1, net_income_fen=LINE, medical_expense_fen=5, business_failed=True),
                  _exited(2, disaster_loss_fen=10_000_000)]
    folder = tmp_path / "old"
    snapshot.write_snapshot(folder, {name: t for name, t in _tables(households).items() if name != "regions"})
    added = list(snapshot.ADDED_COLUMNS["households_yearly"])
    for part in (folder / "households_yearly").rglob("*.parquet"):
        pq.write_table(pq.read_table(part).drop_columns(added), part)
    con = duckdb_runner.connect()
    duckdb_runner.register_parquet(con, folder, year=YEAR)
    result = duckdb_runner.run(con, rules.parameters(S, YEAR), year=YEAR)
    assert {hid: set(found) for hid, found in _reasons(result).items()} == {1: {"income_low"}}
