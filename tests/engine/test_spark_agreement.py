"""The rules on Spark give DuckDB's results ("agree" as docs/data-formats.md §7 defines it): the live registry
of the small county, and a small build of the demo county exported as a snapshot, in two years and at every area level;
the commands (`tuopin assess --engine spark`, `spark_submit`) print the same figures."""

from __future__ import annotations

import json

from tests.engine.agreement import assert_agree, assert_export_agrees, assert_summaries_agree
from tuopin.apps.assessment import live_inputs, services
from tuopin.cli import main
from tuopin.engine import spark_runner, spark_submit


def test_division_is_double_as_in_duckdb(spark):
    # DuckDB's `/` gives a DOUBLE for decimal operands; Spark's keeps a DECIMAL rounded to 6 places.
    sql = spark_runner.to_spark("SELECT SUM(x) * 1.0 / 7 AS r FROM (SELECT 1 AS x UNION ALL SELECT 2)")
    assert "CAST(" in sql and "AS DOUBLE)" in sql
    (row,) = spark.sql(f"SELECT typeof(r) AS t, r FROM ({sql})").collect()
    assert row["t"] == "double" and row["r"] == 3 / 7


def test_live_registry_agrees_through_the_command_and_keeps_the_registry_out_of_the_query_plans(
        county, spark, capsys, monkeypatch):
    # One Spark run (each costs CI most of a minute): `tuopin assess --engine spark` on the live registry, its
    # tables (kept by a spy on the service the command calls) against DuckDB's household by household, its JSON
    # against DuckDB's command.
    results = {}
    assess = services.assess

    def kept(**kwargs):
        summary, result = assess(**kwargs)
        results[kwargs.get("engine", "duckdb")] = result
        return summary, result

    monkeypatch.setattr(services, "assess", kept)
    outputs = {}
    for engine in ("duckdb", "spark"):
        assert main(["assess", "--year", "2018", "--engine", engine, "--json", "--level", "village"]) == 0
        outputs[engine] = json.loads(capsys.readouterr().out)
    assert_summaries_agree(outputs["duckdb"], outputs["spark"])
    assert outputs["spark"]["poor_households"] > 0 and len(outputs["spark"]["villages"]) == 3
    duck, on_spark = results["duckdb"], results["spark"]
    assert duck.household_result.num_rows == 4 and duck.household_gaps.num_rows >= 1
    assert_agree(duck, on_spark)

    # The live inputs reach Spark as Arrow; below Spark's inlining threshold (48 MB, more than a county) they
    # would be written into every rule's plan as a LocalRelation, which on the demo county exhausted the heap.
    inputs = live_inputs.read(year=2018, region_code=county["county"].code)
    con = spark_runner.connect(spark)
    spark_runner.register_arrow(con, inputs)
    capsys.readouterr()
    for name in inputs:
        con.table(name).explain()
        plan = capsys.readouterr().out
        assert "Scan ExistingRDD" in plan and "LocalTableScan" not in plan, f"{name}: {plan}"


def test_small_demo_snapshot_agrees_every_household_and_area(db, settings, tmp_path, spark, capsys):
    from tuopin.apps.demo.load import demo_build

    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.json"
    demo_build(seed=1, scale=0.02)  # the demo county at 2 % of its households, 2014–2020
    small_demo_snapshot = tmp_path / "snapshot"
    # Each Spark run costs seconds, so here: 2015 (most households poor) household by household, 2017 (the
    # exits) through the commands; the slow demo-county test compares every household of 2020.
    results = assert_export_agrees(small_demo_snapshot, (2015,))
    assert results[2015].household_gaps.num_rows > 100 and results[2015].household_result.num_rows > 1000

    # 2017 through the commands: `tuopin assess --data` on DuckDB against the cluster entry point (no Django) on
    # Spark — the same runner `tuopin assess --engine spark` calls, whose own path the live command test covers.
    assert main(["assess", "--year", "2017", "--data", str(small_demo_snapshot), "--json", "--level",
                 "township"]) == 0
    on_duckdb = json.loads(capsys.readouterr().out)
    assert on_duckdb["households_exited"] > 0 and len(on_duckdb["townships"]) > 1
    assert spark_submit.main(["--data", str(small_demo_snapshot), "--year", "2017", "--level", "township"]) == 0
    submitted = json.loads(capsys.readouterr().out)
    without_mpi = {k: v for k, v in on_duckdb.items() if k != "mpi"}
    without_mpi["townships"] = [{k: v for k, v in t.items() if k != "mpi"} for t in without_mpi["townships"]]
    assert_summaries_agree(without_mpi, submitted)


def test_without_java_the_command_says_so(county, monkeypatch, capsys):
    # Also shows the command hands --engine spark to the engine for the live registry.
    def no_jvm():
        raise spark_runner.SparkUnavailable("Spark did not start: no Java. It needs Java 17 or later")

    monkeypatch.setattr(spark_runner, "session", no_jvm)
    assert main(["assess", "--year", "2018", "--engine", "spark", "--json"]) == 1
    assert "needs Java 17" in capsys.readouterr().err


def test_policy_coverage_agrees(county, spark, tmp_path):
    # 倒查正推's rules on the small county, from a snapshot folder with rosters of each use — a 低保 roster (the roster
    # basis), a death roster of the year before and a vehicle roster (signals) — and the registry's columns for the
    # policies no roster checks (every other; one Spark run: each costs a minute of CI).
    import datetime as dt

    from tuopin import rules, standards
    from tuopin.apps.registry.exchange.snapshot_export import write_parquet
    from tuopin.engine import coverage, duckdb_runner, snapshot

    h1, h2, _, h4 = county["households"]
    head1, head2 = h1.members.get(relation="01"), h2.members.get(relation="01")
    rows = [(2018, "dibao", None, None, None), (2018, "dibao", head2.pk, None, None),
            (2018, "dibao", head1.pk, None, dt.date(2018, 1, 1)), (2017, "death", head1.pk, dt.date(2017, 5, 1), None),
            (2018, "vehicle", h4.members.first().pk, None, None)]
    folder = tmp_path / "snap"
    write_parquet(user=county["accounts"]["county_admin"], out=folder, year=2018, unmasked=False)
    snapshot.write_snapshot(folder, {"roster_matches": live_inputs.roster_matches(rows)})
    params = rules.parameters(standards.load(county["county"].code), 2018)

    con = duckdb_runner.connect()
    duckdb_runner.register_parquet(con, folder, year=2018)
    duck = coverage.run(con, params, year=2018, folder=folder)
    on_spark_con = spark_runner.connect(spark)
    spark_runner.register_parquet(on_spark_con, str(folder), year=2018)
    on_spark = coverage.run_spark(on_spark_con, params, year=2018, folder=str(folder))
    assert duck.persons.num_rows > 20 and duck.signals.num_rows == 3 and duck.bases["dibao"] == "roster"
    assert duck.bases["basic_medical"] == "registry"
    _coverage_agrees(duck, on_spark)


def _coverage_agrees(duck, on_spark):
    for name in ("persons", "villages", "signals"):
        assert getattr(duck, name).to_pylist() == getattr(on_spark, name).to_pylist(), name
    for level in ("township", "county"):
        assert duck.areas[level].to_pylist() == on_spark.areas[level].to_pylist(), level
    assert duck.bases == on_spark.bases
