"""`tuopin synth --unmasked`, `tuopin synth roster` and `tuopin match --json` run as commands (the run is audited,
hence the database)."""

import json

import pyarrow.parquet as pq

from tuopin.cli import main


def test_synth_a_roster_then_match_it(db, tmp_path, capsys):
    registry, roster = tmp_path / "registry", tmp_path / "roster.parquet"
    assert main(["synth", "--households", "1500", "--out", str(registry), "--unmasked"]) == 0
    assert json.loads((registry / "_snapshot.json").read_text())["masked"] is False
    assert main(["synth", "roster", "--registry", str(registry), "--kind", "medical_aid", "--rate", "0.05",
                 "--rows", "1000", "--out", str(roster)]) == 0
    assert (tmp_path / "roster.truth.parquet").is_file()
    assert pq.read_table(roster)["kind"].unique().to_pylist() == ["medical_aid"]
    capsys.readouterr()
    assert main(["match", "--registry", str(registry), "--roster", str(roster), "--kind", "medical_aid",
                 "--out", str(tmp_path / "out"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == {"kind", "rows", "matched_by_id", "matched_by_likeness", "queued_for_review",
                            "unmatched", "seconds", "model"}
    assert summary["rows"] == pq.read_metadata(roster).num_rows
    assert summary["matched_by_id"] > 0.8 * summary["rows"]
    assert summary["matched_by_likeness"] > 0
    assert json.loads(open(summary["model"]).read())["link_type"] == "link_only"


def test_a_masked_registry_is_refused_with_exit_3(db, tmp_path, capsys):
    registry = tmp_path / "registry"
    assert main(["synth", "--households", "50", "--out", str(registry)]) == 0
    assert main(["synth", "roster", "--registry", str(registry), "--out", str(tmp_path / "r.parquet")]) == 0
    assert main(["match", "--registry", str(registry), "--roster", str(tmp_path / "r.parquet"), "--kind", "dibao",
                 "--out", str(tmp_path / "out")]) == 3
    assert "masked" in capsys.readouterr().err
    assert main(["synth", "roster", "--registry", str(tmp_path / "nothing"), "--out", str(tmp_path / "x")]) == 3
    assert main(["synth", "--out", str(tmp_path / "y")]) == 3  # a registry needs --households
