"""Derived tables by partition (engine/partitions.py, decision 1395): a folder whose inputs changed in one
province derives that province again and keeps the others' files; the result is that of deriving it all."""

from __future__ import annotations

import json
import shutil
from itertools import pairwise

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from tuopin import rules, standards
from tuopin.engine import derived, duckdb_runner, partitions, ranges
from tuopin.synth.nation import generate

from .test_derived import YEAR, assert_same, assess


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Small chunks, so that a province has part files of its own."""
    out = tmp_path_factory.mktemp("partitions") / "snap"
    generate(out, households_total=3000, years=(YEAR,), seed=5, chunk_households=100)
    return out


def _copy(folder, tmp_path, name="copy"):
    copy = tmp_path / name
    shutil.copytree(folder, copy)  # copytree keeps the files' times, so the fingerprints hold
    return copy


def _part_files(folder):
    return {p.relative_to(folder): p.stat() for p in sorted((folder / "derived").rglob("*.parquet"))}


def _parts(folder):
    return json.loads((folder / "_snapshot.json").read_text())["derived"]["household_result"][str(YEAR)]["partitions"]


def _province_with_own_file(folder):
    """A province and the households_yearly files holding its households and no other's."""
    parts = _parts(folder)
    for part in parts:
        low, high = part["households"]
        own = []
        for f in sorted((folder / "households_yearly" / f"year={YEAR}").glob("*.parquet")):
            ids = pq.read_table(f, columns=["household_id"])["household_id"]
            first, last = pc.min(ids).as_py(), pc.max(ids).as_py()
            if (low is None or first >= low) and (high is None or last <= high):
                own.append(f)
        if own:
            return part, own
    raise AssertionError("no province has a part file of its own; make the chunks smaller")


def _same_derived(one, other):
    """The two folders' derived tables hold the same rows in the same order (doubles to 1e-12 relative)."""
    for name in derived.TABLES:
        a, b = (pq.read_table(f / "derived" / name / f"year={YEAR}") for f in (one, other))
        doubles = [c for c in a.column_names if pa.types.is_floating(a[c].type)]
        assert a.drop_columns(doubles).equals(b.drop_columns(doubles)), name
        for c in doubles:
            assert a[c].to_pylist() == pytest.approx(b[c].to_pylist(), rel=1e-12), (name, c)


def test_synth_writes_one_partition_per_province(folder):
    parts = _parts(folder)
    provinces = pq.read_table(folder / "households_yearly", columns=["county_code"])["county_code"]
    codes = sorted({c // partitions.PROVINCE * partitions.PROVINCE for c in provinces.to_pylist()})
    assert [p["province"] for p in parts] == codes
    assert parts[0]["households"][0] is None and parts[-1]["households"][1] is None
    for a, b in pairwise(parts):
        assert a["households"][1] + 1 == b["households"][0]
    for p in parts:
        data = pq.read_table(folder / "derived" / "household_result" / f"year={YEAR}" / p["file"])
        assert data.num_rows == p["rows"]
        assert set(pc.unique(pc.multiply(pc.divide(data["county_code"], partitions.PROVINCE),
                                         partitions.PROVINCE)).to_pylist()) <= {p["province"]}


def test_unchanged_inputs_keep_every_partition(folder, tmp_path):
    copy = _copy(folder, tmp_path)
    before, said = _part_files(copy), []
    derived.write(copy, [YEAR], say=said.append)
    assert f"derived {YEAR}: 0 of {len(_parts(copy))} partitions computed" in said[0]
    after = _part_files(copy)
    assert before.keys() == after.keys()
    assert all(after[f].st_ino == before[f].st_ino and after[f].st_mtime_ns == before[f].st_mtime_ns for f in after)
    params = rules.parameters(standards.load(derived.STANDARDS), YEAR)
    assert set(derived.sources(copy, params, YEAR)) == set(derived.TABLES)


def test_one_province_changed_derives_that_province_only(folder, tmp_path):
    copy = _copy(folder, tmp_path)
    part, files = _province_with_own_file(copy)
    for f in files:  # that province's households re-imported poorer
        table = pq.read_table(f)
        zero = pc.multiply(table["net_income_fen"], pa.scalar(0, table["net_income_fen"].type))
        pq.write_table(table.set_column(table.column_names.index("net_income_fen"), "net_income_fen", zero), f)
    before, said = _part_files(copy), []
    derived.write(copy, [YEAR], say=said.append)
    assert f"derived {YEAR}: 1 of {len(_parts(copy))} partitions computed" in said[0]
    after = _part_files(copy)
    changed = {f.name for f in after if after[f].st_ino != before[f].st_ino}
    assert changed == {part["file"]}
    assert [p["inputs"] for p in _parts(copy) if p["file"] != part["file"]] == [
        p["inputs"] for p in _parts(folder) if p["file"] != part["file"]]
    # The same tables and results as deriving the whole edited folder afresh.
    fresh = _copy(copy, tmp_path, "fresh")
    manifest = json.loads((fresh / "_snapshot.json").read_text())
    derived.drop(fresh, manifest)
    (fresh / "_snapshot.json").write_text(json.dumps(manifest))
    said.clear()
    derived.write(fresh, [YEAR], say=said.append)
    assert f"derived {YEAR}: {len(_parts(copy))} of {len(_parts(copy))} partitions computed" in said[0]
    _same_derived(copy, fresh)
    params = rules.parameters(standards.load(derived.STANDARDS), YEAR)
    assert set(derived.sources(copy, params, YEAR)) == set(derived.TABLES)
    edited, plain = assess(copy), assess(folder)
    assert_same(edited, assess(fresh))
    def income(result):
        return pc.sum(pc.equal(result.household_gaps["indicator"], "income")).as_py()

    assert income(edited) > income(plain)


def test_a_persons_file_changed_derives_the_households_naming_its_persons(folder, tmp_path):
    copy = _copy(folder, tmp_path)
    first = min((copy / "persons").glob("*.parquet"))
    pq.write_table(pq.read_table(first), first)  # the same rows, a new file
    ids = pq.read_table(first, columns=["person_id"])["person_id"]
    low, high = pc.min(ids).as_py(), pc.max(ids).as_py()
    before = [p["inputs"] for p in _parts(copy)]
    spans = [tuple(p["households"]) for p in _parts(copy)]
    after = partitions.fingerprints(copy, YEAR, spans)
    changed = {k for k, (a, b) in enumerate(zip(before, after)) if a != b}
    # The partitions whose persons_yearly rows name one of the file's persons, and only those.
    yearly = pq.read_table(copy / "persons_yearly", columns=["person_id", "household_id"])
    named = yearly.filter(pc.and_(pc.greater_equal(yearly["person_id"], low), pc.less_equal(yearly["person_id"], high)))
    holding = {k for k, (lo, hi) in enumerate(spans) for h in set(named["household_id"].to_pylist())
               if (lo is None or h >= lo) and (hi is None or h <= hi)}
    assert holding and holding <= changed and len(changed) < len(spans)


def test_provinces_sharing_id_ranges_fall_back_to_ranges_of_households(monkeypatch):
    con = duckdb_runner.connect(threads=1)
    ids = list(range(1, 2001))
    # Two provinces whose households alternate: no range of ids holds one province alone.
    counties = [110101000000 if i % 2 else 120101000000 for i in ids]
    con.register("households_yearly", pa.table({"household_id": ids, "county_code": counties,
                                                "year": [YEAR] * len(ids)}))
    monkeypatch.setattr(ranges, "RANGE_HOUSEHOLDS", 500)
    found = partitions.sized(con, YEAR)
    assert [province for _, province, _ in found] == [None] * 4
    assert found[0][0][0] is None and found[-1][0][1] is None
    assert [n for _, _, n in found] == [500] * 4


def test_partitions_past_the_households_of_one_pass_are_derived_in_several_with_the_same_rows(folder, tmp_path,
                                                                                                 monkeypatch):
    copy = _copy(folder, tmp_path)
    manifest = json.loads((copy / "_snapshot.json").read_text())
    derived.drop(copy, manifest)
    (copy / "_snapshot.json").write_text(json.dumps(manifest))
    counts = [r["rows"] for r in _parts(folder)]  # household_result: a row per yearly household
    monkeypatch.setattr(derived, "RUN_HOUSEHOLDS", 3 * max(counts))
    passes = []
    runs = derived._runs

    def recorded(stale, households):
        found = runs(stale, households)
        passes.extend(found)
        return found

    monkeypatch.setattr(derived, "_runs", recorded)
    derived.write(copy, [YEAR])
    assert len(passes) > 2 and sorted(k for run in passes for k in run) == list(range(len(counts)))
    assert all(sum(counts[k] for k in run) <= 3 * max(counts) for run in passes)
    assert all(run == list(range(run[0], run[-1] + 1)) for run in passes)  # adjacent partitions only
    _same_derived(copy, folder)


def test_a_missing_or_extra_partition_file_is_not_read(folder, tmp_path, caplog):
    copy = _copy(folder, tmp_path)
    params = rules.parameters(standards.load(derived.STANDARDS), YEAR)
    result = copy / "derived" / "household_result" / f"year={YEAR}"
    (result / _parts(copy)[-1]["file"]).unlink()
    assert "household_result" not in derived.sources(copy, params, YEAR)
    assert "derived household_result for 2018 lacks a partition's file" in caplog.text
    derived.write(copy, [YEAR])
    assert set(derived.sources(copy, params, YEAR)) == set(derived.TABLES)
    shutil.copy(result / _parts(copy)[0]["file"], result / "part-99999.parquet")
    assert "household_result" not in derived.sources(copy, params, YEAR)
