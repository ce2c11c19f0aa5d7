"""The national match over a small generated snapshot, measured against the roster generator's truth."""

import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tuopin.linkage.match import MatchRefused, match
from tuopin.synth.nation.generate import generate
from tuopin.synth.rosters import roster, truth_path


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    out = tmp_path_factory.mktemp("linkage") / "registry"
    generate(out, households_total=6000, unmasked=True)
    return out


@pytest.fixture(scope="module")
def matched(registry, tmp_path_factory):
    work = tmp_path_factory.mktemp("matched")
    planted = roster(registry, kind="dibao", rate=0.04, out=work / "roster.parquet", rows=8000, seed=5)
    summary = match(registry, work / "roster.parquet", "dibao", work / "out")
    return work, planted, summary


def test_every_kind_of_fault_is_planted(matched):
    _, planted, _ = matched
    for fault in ("name_typo", "id_transposed", "id_missing", "dead", "duplicate", "outsider"):
        assert planted[fault] > 0, fault


def test_precision_and_recall_on_the_planted_faults(matched):
    work, _, summary = matched
    linked, right, in_registry, outsiders_linked = duckdb.sql(f"""
        SELECT count(*) FILTER (m.how IN ('id', 'likeness')),
               count(*) FILTER (m.how IN ('id', 'likeness') AND m.person_id = t.person_id),
               count(*) FILTER (t.person_id IS NOT NULL),
               count(*) FILTER (t.person_id IS NULL AND m.how IN ('id', 'likeness'))
        FROM '{work / "out" / "matches.parquet"}' m JOIN '{truth_path(work / "roster.parquet")}' t USING (row)
    """).fetchall()[0]
    assert right / linked >= 0.99
    assert right / in_registry >= 0.98
    assert outsiders_linked <= 0.01 * linked
    assert summary["matched_by_likeness"] > 0  # the rows without a valid number were linked, not only counted


def test_the_faulty_numbers_go_to_likeness_and_find_their_person(matched):
    work, _, _ = matched
    how = dict(duckdb.sql(f"""
        SELECT m.how, count(*) FROM '{work / "out" / "matches.parquet"}' m
        JOIN '{truth_path(work / "roster.parquet")}' t USING (row)
        WHERE t.faults LIKE '%id_transposed%' AND t.faults NOT LIKE '%name_typo%' AND m.person_id = t.person_id
        GROUP BY 1""").fetchall())
    assert how.get("likeness", 0) > 0 and "id" not in how


def test_one_output_row_per_roster_row_and_the_model_recorded(matched):
    work, planted, summary = matched
    out = pq.read_table(work / "out" / "matches.parquet")
    assert out.num_rows == planted["rows"] == summary["rows"]
    assert out["row"].to_pylist() == list(range(1, planted["rows"] + 1))
    assert set(out["how"].to_pylist()) <= {"id", "likeness", "review", "none"}
    assert summary["matched_by_id"] + summary["matched_by_likeness"] + summary["queued_for_review"] + \
        summary["unmatched"] == summary["rows"]
    model = json.loads((work / "out" / "model.json").read_text())
    assert model["probability_two_random_records_match"] == pytest.approx(0.9 / summary["registry_persons"])
    assert {c["output_column_name"] for c in model["comparisons"]} == {"name", "sex", "birth_date", "place"}
    assert model["tuopin"]["u"].startswith("sampled")


def test_a_masked_snapshot_and_a_roster_without_the_layout_are_refused(registry, tmp_path):
    masked = tmp_path / "masked"
    generate(masked, households_total=50)
    pq.write_table(pa.table({"name": ["王伟"]}), tmp_path / "r.parquet")
    with pytest.raises(MatchRefused, match="masked"):
        match(masked, tmp_path / "r.parquet", "dibao", tmp_path / "o1")
    with pytest.raises(MatchRefused, match="id_number"):
        match(registry, tmp_path / "r.parquet", "dibao", tmp_path / "o2")
