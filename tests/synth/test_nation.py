"""`tuopin synth`: a national-shaped registry in the snapshot layout, streamed in chunks, deterministic,
internally consistent, and assessable with `tuopin assess --data`."""

from __future__ import annotations

import json

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from tuopin import rules, standards
from tuopin.cli import main
from tuopin.engine import duckdb_runner
from tuopin.engine.snapshot import SCHEMAS, YEARLY, read_table, schema_of
from tuopin.synth.nation import generate
from tuopin.synth.nation.generate import SynthRefused, parse_years
from tuopin.synth.nation.geography import PROVINCES

YEARS = (2017, 2018)
STATUS_OF_KIND = {"identified": 0, "exited": 1, "returned": 3, "monitoring_in": 5, "risk_removed": 1,
                  "natural_decrease": 9, "misidentified": None}


@pytest.fixture(scope="module")
def nation(tmp_path_factory):
    out = tmp_path_factory.mktemp("nation") / "snap"
    manifest = generate(out, households_total=4000, years=YEARS, seed=7, chunk_households=1500)
    return out, manifest


def test_every_table_is_written_with_the_documented_schema(nation):
    out, manifest = nation
    for table in SCHEMAS:
        data = read_table(out, table)
        assert data.schema.equals(schema_of(table)), table
        entry = manifest["tables"][table]
        if table in YEARLY:
            assert entry["years"] == list(YEARS)
            for year in YEARS:
                assert data.filter(pc.equal(data["year"], year)).num_rows == entry["rows_by_year"][str(year)] > 0
        else:
            assert data.num_rows == entry["rows"] > 0
    assert json.loads((out / "_snapshot.json").read_text())["masked"] is True


def test_households_are_streamed_in_chunks_sorted_by_household(nation):
    out, _ = nation
    parts = sorted((out / "households").glob("part-*.parquet"))
    assert len(parts) == 3  # 4,000 households in chunks of about 1,500 (villages are never split)
    ids = [pq.read_table(p, columns=["household_id"])["household_id"].to_pylist() for p in parts]
    flat = [i for part in ids for i in part]
    assert flat == sorted(flat) == list(range(1, 4001))
    for year in YEARS:
        assert len(list((out / "persons_yearly" / f"year={year}").glob("part-*.parquet"))) == 3


def test_the_same_seed_writes_the_same_registry(tmp_path):
    a = generate(tmp_path / "a", households_total=1200, seed=3, chunk_households=500)
    b = generate(tmp_path / "b", households_total=1200, seed=3, chunk_households=500)
    generate(tmp_path / "c", households_total=1200, seed=4, chunk_households=500)
    assert a["tables"] == b["tables"]
    for table in SCHEMAS:
        assert read_table(tmp_path / "a", table).equals(read_table(tmp_path / "b", table)), table
    assert not read_table(tmp_path / "a", "persons").equals(read_table(tmp_path / "c", "persons"))


def test_geography_has_the_real_provinces_and_a_consistent_tree(nation):
    out, _ = nation
    regions = read_table(out, "regions").to_pylist()
    by_code = {r["code"]: r for r in regions}
    provinces = [r for r in regions if r["level"] == 0]
    assert {(r["code"] // 10**10, r["name"]) for r in provinces} == {(p[0], p[1]) for p in PROVINCES}
    assert {r["name"] for r in provinces if r["west"]} >= {"贵州省", "云南省", "甘肃省", "西藏自治区"}
    assert not any(r["west"] for r in provinces if r["name"] in ("吉林省", "河南省", "北京市"))
    for r in regions:
        assert 10**10 <= r["code"] < 10**12
        if r["level"] > 0:
            parent = by_code[r["parent_code"]]
            assert parent["level"] == r["level"] - 1 and parent["west"] == r["west"]
    villages = {r["code"] for r in regions if r["level"] == 4}
    households = read_table(out, "households")
    assert set(households["village_code"].to_pylist()) <= villages
    assert all(str(c)[9] == "2" for c in villages)  # 村委会 codes: 2xx


def test_members_persons_status_and_population_agree(nation):
    out, _ = nation
    con = duckdb.connect()
    duckdb_runner.register_parquet(con, out)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    # members = the persons of the household, and = its yearly person records
    assert q("""SELECT COUNT(*) FROM households_yearly y
                JOIN (SELECT household_id, COUNT(*) n FROM persons GROUP BY household_id) p USING (household_id)
                WHERE p.n <> y.members""") == [(0,)]
    assert q("""SELECT COUNT(*) FROM households_yearly y
                LEFT JOIN (SELECT household_id, year, COUNT(*) n FROM persons_yearly GROUP BY ALL) p
                  USING (household_id, year)
                WHERE COALESCE(p.n, 0) <> y.members""") == [(0,)]
    # income lines add up; per capita is the floor of net ÷ members
    lines = " + ".join(f"{c}" for c in ("wage_income_fen", "business_income_fen", "property_income_fen",
                                          "dividend_income_fen", "dibao_fen", "tekun_fen", "pension_fen",
                                          "family_planning_fen", "eco_compensation_fen", "other_transfer_fen",
                                          "unitemised_income_fen"))
    assert q(f"""SELECT COUNT(*) FROM households_yearly
                 WHERE {lines} - production_cost_fen <> net_income_fen
                    OR per_capita_net_income_fen <> net_income_fen // members""") == [(0,)]
    # the village's rural population exceeds its registered persons
    assert q("""SELECT COUNT(*) FROM villages_yearly v
                JOIN (SELECT h.village_code, COUNT(*) n FROM persons p JOIN households h USING (household_id)
                      GROUP BY ALL) r USING (village_code)
                WHERE v.population <= r.n""") == [(0,)]
    # households_yearly.status is the status the events leave at the end of the year (docs/data-formats.md §7)
    for year in YEARS:
        params = rules.parameters(standards.load("000000"), year)
        status = dict(q(f"WITH s AS ({rules.render('household_status', params)}) SELECT household_id, kind_at_end FROM s"))
        rows = q(f"SELECT household_id, status FROM households_yearly WHERE year = {year}")
        assert rows and all(STATUS_OF_KIND[status[hid]] == code for hid, code in rows)
    assert q("SELECT COUNT(*) FROM status_events WHERE stage <> 'announced'") == [(0,)]


def test_realistic_shape(nation):
    out, _ = nation
    con = duckdb.connect()
    duckdb_runner.register_parquet(con, out)
    mean_size = con.execute("SELECT AVG(members) FROM households_yearly WHERE year = 2018").fetchone()[0]
    assert 2.6 < mean_size < 3.2
    poor_west, poor_other = con.execute(
        """SELECT AVG(CASE WHEN v.west THEN y.per_capita_net_income_fen END),
                  AVG(CASE WHEN NOT v.west THEN y.per_capita_net_income_fen END)
           FROM households_yearly y JOIN villages_yearly v USING (village_code, year)
           WHERE y.year = 2018 AND y.status = 1""").fetchone()
    assert poor_west < poor_other  # the west is poorer


def test_assess_data_rolls_provinces_up_to_the_nation(nation, county, capsys):
    out, _ = nation
    assert main(["assess", "--year", "2018", "--data", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["scope"] == {"code": "000000000000", "name": "全国", "level": "nation"}
    provinces = result["provinces"]
    assert {p["name"] for p in provinces} == {p[1] for p in PROVINCES}
    for key in ("rural_population", "poor_persons", "poor_households", "households_exited", "persons_exited",
                "households_eligible", "villages_total", "poor_villages", "poor_villages_meeting_exit"):
        assert sum(p[key] for p in provinces) == result[key], key
    assert 0.005 < result["incidence"] < 0.06  # a few per cent of the rural population poor at the end of 2018
    assert result["households_exited"] > 0 and result["poor_persons"] > 0
    assert all(result["gaps"][k] > 0 for k in ("income", "housing", "medical"))


def test_bad_arguments_are_refused(db, tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "keep.txt").write_text("mine")
    assert main(["synth", "--households", "0", "--out", str(tmp_path / "x")]) == 3
    assert main(["synth", "--households", "10", "--out", str(tmp_path / "x"), "--years", "2012"]) == 3
    assert main(["synth", "--households", "10", "--out", str(tmp_path / "x"), "--years", "2018-x"]) == 3
    assert main(["synth", "--households", "10", "--out", str(taken)]) == 3
    assert main(["synth", "--households", "ten", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "--households 0" in err and "2012 is outside 2014–2025" in err and "not an empty folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # nothing half-written
    assert [p.name for p in taken.iterdir()] == ["keep.txt"]


def test_years_are_a_year_a_range_or_a_list(db, tmp_path, capsys):
    assert parse_years("2018") == (2018,)
    assert parse_years("2016-2018") == (2016, 2017, 2018)
    assert parse_years("2018,2016") == (2016, 2018)
    assert parse_years("2019-2025") == tuple(range(2019, 2026))   # the consolidation years too (decision 1460)
    with pytest.raises(SynthRefused):
        parse_years("2024-2026")
    assert main(["synth", "--households", "300", "--out", str(tmp_path / "s"), "--years", "2016,2018"]) == 0
    assert "300 households" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "s" / "households_yearly").iterdir()) == ["year=2016", "year=2018"]


def test_household_rules_by_range_give_the_tables_of_one_pass(nation, monkeypatch):
    from tuopin.engine import derived, ranges, what_if

    out, _ = nation
    params = rules.parameters(standards.load("000000"), 2018)

    # The rules themselves, by range or in one pass: synth's derived tables (decision 1002) would skip both.
    monkeypatch.setattr(derived, "sources", lambda *args, **kwargs: {})

    flags = {}

    def run(range_size, households=True):
        monkeypatch.setattr(ranges, "RANGE_HOUSEHOLDS", range_size)
        con = duckdb_runner.connect_for_folder()
        duckdb_runner.register_parquet(con, out, year=2018)
        result = duckdb_runner.run(con, params, year=2018, levels=("nation", "province"), folder=out,
                                   households=households)
        flags[range_size, households] = what_if.flags(con, params).sort_by("household_id")
        return result

    one, by_range = run(10**9), run(700)
    assert by_range.household_result.num_rows > 3000
    assert by_range.household_result.equals(one.household_result)
    assert by_range.household_gaps.equals(one.household_gaps)
    # monitoring_candidates runs by range too, from each range's status table (decision 1450)
    assert by_range.monitoring_candidates.num_rows > 0
    assert by_range.monitoring_candidates.equals(one.monitoring_candidates)
    assert by_range.monitoring_result.equals(one.monitoring_result)
    # A national run keeps no per-household rows: its ranges keep only what the roll-ups read (decision 1620),
    # with the same roll-ups.
    for other in (by_range, run(700, households=False)):
        assert_same_roll_ups(other, one)
    # and what a what-if compares household by household (engine.what_if.flags) is there too
    assert flags[700, False].num_rows == by_range.household_result.num_rows
    assert flags[700, False].equals(flags[10**9, True])


def assert_same_roll_ups(by_range, one):
    assert by_range.village_result.equals(one.village_result)
    assert by_range.gaps_of_poor == one.gaps_of_poor
    for level in ("nation", "province"):
        assert by_range.areas[level].drop_columns(["p1", "p2"]).equals(one.areas[level].drop_columns(["p1", "p2"]))
    assert sorted(by_range.monitoring) == sorted(one.monitoring)
    for level in by_range.monitoring:
        assert by_range.monitoring[level].num_rows > 0
        assert by_range.monitoring[level].equals(one.monitoring[level])
    for level in ("nation", "province"):
        order = [("code", "ascending"), ("indicator", "ascending")]
        assert by_range.mpi[level].sort_by(order).drop_columns(["h", "a", "m0", "censored_headcount", "contribution"]) \
            .equals(one.mpi[level].sort_by(order).drop_columns(["h", "a", "m0", "censored_headcount", "contribution"]))


def test_the_command_counts_its_chunks_then_its_derived_tables(db, tmp_path, monkeypatch, capsys):
    from tests.bars import assert_counts_to_the_end, record_bars
    from tuopin.apps.demo.management.commands import synth

    bars = record_bars(monkeypatch, synth)
    assert main(["synth", "--households", "900", "--out", str(tmp_path / "x"), "--chunk", "300"]) == 0
    (calls,) = bars.opened
    total = assert_counts_to_the_end(calls)
    assert total >= 2 + len(rules.DERIVED_RULES)  # at least two chunks, then a derived table per rule
    assert "synthetic registry written to" in capsys.readouterr().out
