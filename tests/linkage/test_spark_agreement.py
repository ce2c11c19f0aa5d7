"""`tuopin match --engine spark` against `tuopin match` on one small registry and a roster with every kind of
fault planted: the same rows matched to the same persons the same way, the same weights, the same model, the same
files and summary (decision 1575). One Spark run, on a few hundred rows: Spark's cost here is its planning and jobs,
not the rows."""

import dataclasses
import json

import duckdb
import pyarrow.parquet as pq
import pytest

from tuopin.cli import main
from tuopin.linkage import settings as linkage_settings
from tuopin.synth.nation.generate import generate
from tuopin.synth.rosters import roster


@pytest.fixture
def small_u_sample(monkeypatch):
    """u sampled even from these few rows (the thresholds are for a real roster): the agreement is then of a fitted
    model, not only of the priors."""
    sampled = dataclasses.replace(linkage_settings.load(), u_sampling_min_rows=20, u_sampling_min_pairs=1000,
                                  u_sampling_max_pairs=50_000)
    monkeypatch.setattr(linkage_settings, "load", lambda: sampled)


def test_spark_matches_what_duckdb_matches(db, spark, small_u_sample, tmp_path, capsys):
    registry, roster_path = tmp_path / "registry", tmp_path / "roster.parquet"
    generate(registry, households_total=300, unmasked=True)
    planted = roster(registry, kind="dibao", rate=0.1, out=roster_path, rows=400, seed=5)
    assert all(planted[f] for f in ("name_typo", "id_transposed", "id_missing", "outsider", "duplicate"))
    summaries = {}
    for engine in ("duckdb", "spark"):
        capsys.readouterr()
        assert main(["match", "--registry", str(registry), "--roster", str(roster_path), "--kind", "dibao",
                     "--out", str(tmp_path / engine), "--engine", engine, "--json"]) == 0
        summaries[engine] = json.loads(capsys.readouterr().out)
    duck, spark_ = summaries["duckdb"], summaries["spark"]
    assert set(duck) == set(spark_)
    counted = ("rows", "matched_by_id", "matched_by_likeness", "queued_for_review", "unmatched")
    assert {k: spark_[k] for k in counted} == {k: duck[k] for k in counted}
    assert duck["matched_by_likeness"] > 0 and duck["unmatched"] > 0

    files = {engine: tmp_path / engine / "matches.parquet" for engine in summaries}
    assert pq.read_schema(files["spark"]).names == pq.read_schema(files["duckdb"]).names
    assert pq.read_schema(files["spark"]).types == pq.read_schema(files["duckdb"]).types
    rows, differing, weighed, largest = duckdb.sql(f"""
        SELECT count(*), count(*) FILTER (d.how IS DISTINCT FROM s.how OR d.person_id IS DISTINCT FROM s.person_id),
               count(d.match_weight), max(abs(d.match_weight - s.match_weight))
        FROM '{files["duckdb"]}' d FULL JOIN '{files["spark"]}' s USING (row)""").fetchall()[0]
    assert rows == duck["rows"] and differing == 0
    assert weighed >= duck["matched_by_likeness"] and largest < 1e-6
    assert pq.read_table(files["spark"])["row"].to_pylist() == list(range(1, rows + 1))

    models = {engine: json.loads((tmp_path / engine / "model.json").read_text()) for engine in summaries}
    assert models["spark"]["tuopin"]["u"] == models["duckdb"]["tuopin"]["u"] != "priors"
    assert models["spark"]["comparisons"] == models["duckdb"]["comparisons"]
    assert models["spark"]["probability_two_random_records_match"] == \
        models["duckdb"]["probability_two_random_records_match"]
