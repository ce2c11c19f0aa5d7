"""The checks `make lint` and CI run before the tests, run by `make test` too (decisions 1330, 1331): ruff's
bug-catching rules over the whole tree and mypy over the core, as configured in pyproject.toml. A finding fails
here with ruff's or mypy's own report (file, line, rule)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ["common", "standards", "rules", "engine", "synth"]


def _run(*args: str) -> subprocess.CompletedProcess:
    # From the repository's root, as `make lint` runs them: both read their settings from pyproject.toml there.
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    done = _run("ruff", "check", "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing_in_the_core():
    done = _run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout


def test_mypy_checks_every_core_package():
    # The core is framework-free: it is checked whole. Widening adds packages; none of these leaves the list.
    files = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]["files"]
    assert {f"src/tuopin/{name}" for name in CORE} <= set(files)
