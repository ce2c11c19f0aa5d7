"""PySpark is the optional `spark` extra: where it is not installed, every way into the Spark engine says in one
line how to get it, with the exit code of a usage error, and nothing else of tuopin needs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tuopin.cli import main
from tuopin.engine import spark_runner, spark_submit

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def without_pyspark(monkeypatch):
    """The process as if PySpark were not installed: importing it fails, and no session was started before."""
    for name in [m for m in sys.modules if m == "pyspark" or m.startswith("pyspark.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setattr(spark_runner, "_session", None)


def _one_line_saying_how(err: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "pip install 'tuopin[spark]'" in lines[0] and "Java 17" in lines[0]


@pytest.mark.parametrize("where", ["live", "folder"])
def test_assess_on_spark_without_pyspark_says_how_to_install_it(county, tmp_path, without_pyspark, capsys, where):
    args = ["assess", "--year", "2018", "--engine", "spark", "--json"]
    if where == "folder":
        args += ["--data", str(tmp_path)]
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    _one_line_saying_how(err)


def test_assess_on_duckdb_needs_no_pyspark(county, without_pyspark, capsys):
    assert main(["assess", "--year", "2018", "--json"]) == 0
    assert '"incidence"' in capsys.readouterr().out


def test_spark_submit_without_pyspark_says_how_to_install_it(tmp_path, without_pyspark, capsys):
    assert spark_submit.main(["--data", str(tmp_path), "--year", "2018"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    _one_line_saying_how(err)


def test_a_process_without_pyspark_imports_the_engine_and_is_told(tmp_path):
    # A fresh interpreter in which `import pyspark` fails, as in an installation without the extra.
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['pyspark'] = None\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hide), str(SRC)])}
    run = subprocess.run([sys.executable, "-m", "tuopin.engine.spark_submit", "--data", str(tmp_path),
                          "--year", "2018"], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    _one_line_saying_how(run.stderr)
