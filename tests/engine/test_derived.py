"""Derived tables in a snapshot folder (engine/derived.py, decision 1002): read instead of running their
rules only under the hash of today's rule text, with exactly the results of running the rules."""

from __future__ import annotations

import json
import logging
import shutil

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import sqlglot

from tuopin import rules, standards
from tuopin.engine import derived, duckdb_runner, ranges, what_if
from tuopin.engine import snapshot as snap
from tuopin.synth.nation import generate

YEAR = 2018


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The same synthetic registry twice: as `tuopin synth` writes it (derived tables included) and
    without its derived tables."""
    root = tmp_path_factory.mktemp("derived")
    with_derived = root / "with"
    generate(with_derived, households_total=3000, years=(2017, YEAR), seed=11, chunk_households=1000)
    without = root / "without"
    shutil.copytree(with_derived, without)
    manifest = json.loads((without / "_snapshot.json").read_text())
    derived.drop(without, manifest)
    (without / "_snapshot.json").write_text(json.dumps(manifest))
    return with_derived, without


def assess(folder, year=YEAR):
    params = rules.parameters(standards.load(derived.STANDARDS), year)
    con = duckdb_runner.connect_for_folder()
    duckdb_runner.register_parquet(con, folder, year=year)
    result = duckdb_runner.run(con, params, year=year, levels=("village", "county", "nation"), folder=folder)
    con.close()
    return result


def tables(result) -> dict[str, pa.Table]:
    found = {"household_gaps": result.household_gaps, "household_result": result.household_result,
             "village_result": result.village_result, "gaps_of_poor": pa.table({"v": [json.dumps(result.gaps_of_poor,
                                                                                           sort_keys=True)]})}
    found.update({f"area_{k}": v for k, v in result.areas.items()})
    found.update({f"mpi_{k}": v for k, v in result.mpi.items()})
    return found


def _sorted(found: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Rows in the order of their non-double columns (mpi.sql's rows per area come in no fixed order)."""
    return {name: t.sort_by([(c, "ascending") for c in t.column_names if not pa.types.is_floating(t[c].type)])
            for name, t in found.items()}


def assert_same(a, b):
    """Equal tables; doubles equal to 1e-12 relative — DuckDB's parallel SUM of doubles differs in the last
    bit from run to run of the same folder (MPI's m0 and a), whatever the input."""
    ta, tb = (_sorted(t) for t in (tables(a), tables(b)))
    assert ta.keys() == tb.keys()
    for name in ta:
        assert ta[name].schema.equals(tb[name].schema) and ta[name].num_rows == tb[name].num_rows, name
        for column in ta[name].column_names:
            x, y = ta[name][column], tb[name][column]
            if pa.types.is_floating(x.type):
                assert x.is_null().equals(y.is_null()), (name, column)
                pairs = [(u, v) for u, v in zip(x.to_pylist(), y.to_pylist()) if u is not None]
                assert [u for u, _ in pairs] == pytest.approx([v for _, v in pairs], rel=1e-12, nan_ok=True), (
                    name, column)
            else:
                assert x.equals(y), (name, column)


def test_synth_writes_derived_tables_sorted_with_their_hashes(folders):
    with_derived, _ = folders
    manifest = json.loads((with_derived / "_snapshot.json").read_text())
    for name in derived.TABLES:
        for year in (2017, YEAR):
            params = rules.parameters(standards.load(derived.STANDARDS), year)
            entry = manifest["derived"][name][str(year)]
            run_order = (*rules.HOUSEHOLD_RULES, *rules.MPI_INPUT_RULES, rules.MPI_SCORE_RULE,
                         *rules.MONITORING_RULES)
            upto = run_order[:run_order.index(name) + 1]
            assert entry["sha256"] == derived.digest("\n;\n".join(rules.render(n, params) for n in upto))
            assert set(entry["parameters"]) == set(rules.placeholders(name))
            data = pq.read_table(with_derived / "derived" / name / f"year={year}")
            assert data.num_rows == entry["rows"] > 0
            if name in rules.PER_VILLAGE_RULES:  # one row per village and partition, villages in order
                keys = list(zip(*(data[c].to_pylist() for c in derived.ORDER[name])))
                assert keys == sorted(keys) and len(set(keys)) == len(keys), f"{name} {year} not sorted"
                continue
            ids = data["unit" if name == rules.MPI_SCORE_RULE else "household_id"].to_numpy()
            if name in ("household_gaps", "exits", "monitoring_candidates"):
                assert (ids[1:] >= ids[:-1]).all(), f"{name} {year} not sorted by household"
            else:
                assert (ids[1:] > ids[:-1]).all(), f"{name} {year} not sorted by household, or a household twice"


@pytest.mark.parametrize("range_size", [None, 700])
@pytest.mark.parametrize("kept", [derived.TABLES, ("household_status", "household_person_facts")])
def test_a_folder_with_derived_tables_gives_the_results_of_the_same_folder_without(folders, tmp_path, monkeypatch,
                                                                                  caplog, range_size, kept):
    """All derived tables, or only status and person facts (the rest run, by ranges in a large folder: each
    range reads its part of the stored status)."""
    with_derived, without = folders
    if kept != derived.TABLES:
        copy = tmp_path / "copy"
        shutil.copytree(with_derived, copy)
        manifest = json.loads((copy / "_snapshot.json").read_text())
        manifest["derived"] = {name: manifest["derived"][name] for name in kept}
        (copy / "_snapshot.json").write_text(json.dumps(manifest))
        with_derived = copy
    used = []
    if range_size:
        monkeypatch.setattr(ranges, "RANGE_HOUSEHOLDS", range_size)
        real = ranges.household_rules
        monkeypatch.setattr(ranges, "household_rules", lambda *a, **k: used.append(k.get("stored")) or real(*a, **k))
    with caplog.at_level(logging.INFO, logger=derived.__name__):
        plain = assess(without)
        assert "no derived household_status" in caplog.text
        caplog.clear()
        read = assess(with_derived)
        assert "household_status" not in caplog.text  # read, not run
        assert all(f"no derived {name}" in caplog.text for name in derived.TABLES if name not in kept)
    if range_size and kept != derived.TABLES:  # ranges ran, with the stored status and facts
        assert used[-1] is not None and set(used[-1]) == set(kept)
    assert plain.household_result.num_rows > 2000
    assert pc.sum(plain.household_result["poor_at_end"]).as_py() > 0
    assert set(pc.unique(plain.household_gaps["indicator"]).to_pylist()) >= {"education", "medical"}
    assert_same(plain, read)


def _tamper(folder, name, year=YEAR):
    """Rewrite a derived table without its last row (same columns, same hash recorded)."""
    path = folder / "derived" / name / f"year={year}" / "part-00000.parquet"
    data = pq.read_table(path)
    pq.write_table(data.slice(0, data.num_rows - 1), path)


@pytest.mark.parametrize("name", derived.TABLES)
def test_a_derived_table_with_a_stale_hash_is_ignored_and_recomputed(folders, tmp_path, caplog, name):
    with_derived, without = folders
    copy = tmp_path / "copy"
    shutil.copytree(with_derived, copy)
    # A change of a rule's text changes the hash of it and of every derived rule after it (they may read it).
    after = derived.TABLES[derived.TABLES.index(name):]
    for rule in after:
        _tamper(copy, rule)
    # Under their recorded hashes the tampered tables are read: the results differ, so they are really used.
    tampered, plain = tables(assess(copy)), tables(assess(without))
    assert any(not tampered[t].equals(plain[t]) for t in plain)
    manifest = json.loads((copy / "_snapshot.json").read_text())
    for rule in after:
        manifest["derived"][rule][str(YEAR)]["sha256"] = derived.digest("an older text of the rule")
    (copy / "_snapshot.json").write_text(json.dumps(manifest))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=derived.__name__):
        stale = assess(copy)
    for rule in after:
        assert f"derived {rule} for {YEAR} was written from other rule text or standards; running the rule" \
            in caplog.text
    assert_same(stale, assess(without))


def test_other_standards_make_the_derived_tables_stale(folders, caplog):
    with_derived, without = folders
    params = rules.parameters(standards.load(derived.STANDARDS), YEAR)
    params["school_born_to"] = rules.literal(__import__("datetime").date(2012, 8, 31))
    assert set(derived.sources(with_derived, params, YEAR)) == {"household_status"}
    assert "derived household_person_facts for 2018 was written from other rule text" in caplog.text


def test_writing_a_table_again_drops_the_derived_tables(folders, tmp_path):
    with_derived, _ = folders
    copy = tmp_path / "copy"
    shutil.copytree(with_derived, copy)
    regions = snap.read_table(copy, "regions")
    manifest = snap.write_snapshot(copy, {"regions": regions})
    assert "derived" not in manifest and not (copy / "derived").exists()
    assert derived.sources(copy, rules.parameters(standards.load(derived.STANDARDS), YEAR), YEAR) == {}


def test_the_snapshot_derive_command_rewrites_them(folders, tmp_path, db, capsys, monkeypatch):
    from tests.bars import assert_counts_to_the_end, record_bars
    from tuopin.apps.registry.management.commands import snapshot
    from tuopin.cli import main

    _, without = folders
    copy = tmp_path / "copy"
    shutil.copytree(without, copy)
    bars = record_bars(monkeypatch, snapshot)
    assert main(["snapshot", "derive", str(copy), "--year", str(YEAR)]) == 0
    assert assert_counts_to_the_end(bars.opened[0]) == len(derived.TABLES)  # a table per rule in the year
    statuses = pq.read_table(folders[0] / "derived" / "household_status" / f"year={YEAR}")
    assert f"household_status {YEAR} {statuses.num_rows:,} rows" in capsys.readouterr().out
    params = rules.parameters(standards.load(derived.STANDARDS), YEAR)
    assert set(derived.sources(copy, params, YEAR)) == set(derived.TABLES)
    assert_same(assess(copy), assess(without))
    assert main(["snapshot", "derive", str(tmp_path / "nowhere")]) == 3
    assert main(["snapshot", "derive", str(copy), "--year", "2016"]) == 3
    assert "not a snapshot folder" in capsys.readouterr().err
    broken = tmp_path / "broken"
    shutil.copytree(without, broken)
    shutil.rmtree(broken / "persons")
    before = (broken / "_snapshot.json").read_text()
    assert main(["snapshot", "derive", str(broken)]) == 3
    assert "lacks the snapshot table(s) persons" in capsys.readouterr().err
    (broken / "persons").mkdir()  # there, but without files: the rules fail, and nothing is left behind
    assert main(["snapshot", "derive", str(broken)]) == 3
    assert "cannot run the rules over it" in capsys.readouterr().err
    assert (broken / "_snapshot.json").read_text() == before and not (broken / "derived").exists()
    assert not [p for p in broken.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("name", ["household_person_facts", "household_gaps", "household_status",
                                  "village_households"])
def test_the_rules_still_transpile_to_spark(name):
    params = rules.parameters(standards.load(derived.STANDARDS), YEAR)
    spark = sqlglot.transpile(rules.render(name, params), read="duckdb", write="spark")[0]
    if name == "household_person_facts":
        assert "FULL OUTER JOIN" in spark and "children_out_of_school" in spark
    if name == "household_gaps":
        assert "household_person_facts" in spark


def test_export_parquet_writes_derived_tables_that_assess_the_same(county, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "snap"
    call_command("export", "--format", "parquet", "--out", str(out), "--as", "county_admin")
    manifest = json.loads((out / "_snapshot.json").read_text())
    assert set(manifest["derived"]) == set(derived.TABLES)
    params = rules.parameters(standards.load(derived.STANDARDS), YEAR)
    assert set(derived.sources(out, params, YEAR)) == set(derived.TABLES)
    plain = tmp_path / "plain"
    shutil.copytree(out, plain)
    manifest.pop("derived")
    derived.drop(plain, manifest)
    (plain / "_snapshot.json").write_text(json.dumps(manifest))
    assert_same(assess(out), assess(plain))


def test_an_input_table_changed_by_hand_makes_every_derived_table_stale(folders, tmp_path, caplog):
    """Not through write_snapshot (which drops them): a part file rewritten in place, as a script might."""
    with_derived, without = folders
    copy = tmp_path / "copy"
    shutil.copytree(with_derived, copy)
    part = sorted((copy / "households_yearly" / f"year={YEAR}").glob("*.parquet"))[0]
    table = pq.read_table(part)
    poorer = pc.multiply(table["net_income_fen"], pa.scalar(0, table["net_income_fen"].type))
    pq.write_table(table.set_column(table.column_names.index("net_income_fen"), "net_income_fen", poorer), part)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=derived.__name__):
        assert derived.sources(copy, rules.parameters(standards.load(derived.STANDARDS), YEAR), YEAR) == {}
    assert "the tables changed after the derived tables were written" in caplog.text
    # The rules run on the edited rows: more households fail the income standard than in the untouched folder.
    edited, plain = assess(copy), assess(without)
    income = lambda r: pc.sum(pc.equal(r.household_gaps["indicator"], "income")).as_py()  # noqa: E731
    assert income(edited) > income(plain)


def test_the_village_sums_count_the_gaps_of_the_poor_households_and_nobody_else(folders):
    """village_households sums only the gap rows of households poor at the end of the year (decision 1450):
    the summary's gaps and each village's poor counts equal a count over the per-household rows."""
    _, without = folders
    result = assess(without)
    households = result.household_result.to_pylist()
    poor = {r["household_id"] for r in households if r["poor_at_end"]}
    expected: dict[str, int] = {}
    for row in result.household_gaps.to_pylist():
        if row["household_id"] in poor:
            expected[row["indicator"]] = expected.get(row["indicator"], 0) + 1
    assert len(poor) > 50 and len(expected) >= 3
    assert any(r["household_id"] not in poor for r in result.household_gaps.to_pylist())  # some not counted
    assert result.gaps_of_poor == expected
    by_village: dict[int, list[int]] = {}
    for r in households:
        counts = by_village.setdefault(r["village_code"], [0, 0, 0])
        counts[0] += r["members"] if r["poor_at_end"] else 0
        counts[1] += 1 if r["poor_at_end"] else 0
        counts[2] += 1 if r["eligible"] else 0
    for v in result.village_result.to_pylist():
        persons, count, eligible = by_village.get(v["village_code"], [0, 0, 0])
        assert (v["poor_persons"], v["poor_households"], v["households_eligible"]) == (persons, count, eligible)


def _assess_reading(folder, only: tuple[str, ...]):
    params = rules.parameters(standards.load(derived.STANDARDS), YEAR)
    con = duckdb_runner.connect_for_folder()
    duckdb_runner.register_parquet(con, folder, year=YEAR)
    found = derived.sources(folder, params, YEAR, only=only)
    result = duckdb_runner.run(con, params, year=YEAR, levels=("village", "county", "nation"), folder=folder,
                               derived_tables=found)
    con.close()
    return result


def test_a_run_told_which_derived_tables_to_read_runs_the_others(folders, tmp_path):
    """A what-if with budget lines adds income to households_yearly: it reads the derived tables of the rules that
    read none of it (engine.what_if.BUDGET_UNCHANGED) and runs every other rule itself."""
    params = rules.parameters(standards.load(derived.STANDARDS), YEAR)
    for name in what_if.BUDGET_UNCHANGED:
        assert name in derived.TABLES and "households_yearly" not in rules.render(name, params)
    with_derived, without = folders
    copy = tmp_path / "copy"
    shutil.copytree(with_derived, copy)
    for rule in derived.TABLES:
        if rule not in what_if.BUDGET_UNCHANGED:
            _tamper(copy, rule)
    assert_same(_assess_reading(copy, what_if.BUDGET_UNCHANGED), assess(without))  # the tampered ones not read
    for rule in what_if.BUDGET_UNCHANGED:
        _tamper(copy, rule)
    read, plain = tables(_assess_reading(copy, what_if.BUDGET_UNCHANGED)), tables(assess(without))
    assert any(not read[t].equals(plain[t]) for t in plain)  # the ones named are read
