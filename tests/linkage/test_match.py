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


def test_numbers_as_departments_type_them_and_a_number_two_persons_hold(registry, tmp_path):
    """The first lookup takes the text as written; full-width digits, spaces and a lower-case x are found by the
    second, on the normalised text. A number two registry persons hold is a review, never one of them."""
    shared = tmp_path / "registry"
    shared.mkdir()
    for entry in registry.iterdir():
        (shared / entry.name).symlink_to(entry)
    (shared / "persons").unlink()
    (shared / "persons").mkdir()
    parts = sorted((registry / "persons").glob("*.parquet"))
    for part in parts:
        (shared / "persons" / part.name).symlink_to(part)
    people = duckdb.sql(f"""SELECT person_id, id_number, name, sex, birth_date FROM '{registry}/persons/*.parquet'
        QUALIFY count(*) OVER (PARTITION BY id_number) = 1 ORDER BY person_id""").fetchall()
    with_x = next(p for p in people if p[1].endswith("X"))
    plain, twice = people[0], people[1]
    # A second person under `twice`'s number, in a part file of its own.
    extra = pq.read_table(parts[0]).slice(0, 1)
    extra = extra.set_column(extra.schema.get_field_index("person_id"), "person_id",
                             pa.array([10 ** 12], extra.schema.field("person_id").type))
    extra = extra.set_column(extra.schema.get_field_index("id_number"), "id_number", pa.array([twice[1]]))
    pq.write_table(extra, shared / "persons" / "part-extra.parquet")

    full_width = "".join(chr(ord(c) + 0xFEE0) for c in plain[1])
    numbers = [plain[1], full_width, f" {plain[1]}　", with_x[1][:17] + "x", twice[1]]
    rows = pa.table({"name": [plain[2]] * 3 + [with_x[2], twice[2]],
                     "id_number": numbers,
                     "sex": [plain[3]] * 3 + [with_x[3], twice[3]],
                     "birth_date": [plain[4]] * 3 + [with_x[4], twice[4]],
                     "county": ["?"] * 5, "township": ["?"] * 5, "village": ["?"] * 5})
    pq.write_table(rows, tmp_path / "typed.parquet")
    summary = match(shared, tmp_path / "typed.parquet", "dibao", tmp_path / "out")
    out = pq.read_table(tmp_path / "out" / "matches.parquet").to_pylist()
    assert [(r["how"], r["person_id"]) for r in out] == [
        ("id", plain[0]), ("id", plain[0]), ("id", plain[0]), ("id", with_x[0]), ("review", None)]
    assert summary["matched_by_id"] == 4 and summary["queued_for_review"] == 1
