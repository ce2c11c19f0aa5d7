"""A command run against a database that was never migrated (or lacks this version's migrations) says so in
one line, exit 2, instead of a traceback (decision 1342); any other database error keeps its traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import BaseCommand
from django.db import OperationalError

from tuopin.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"


def tuopin(var: Path, *args: str, language: str = "en") -> subprocess.CompletedProcess:
    # A fresh TUOPIN_VAR holds no database: SQLite creates an empty one on first connection.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TUOPIN_", "DJANGO_", "DATABASE_URL"))}
    env.update(TUOPIN_VAR=str(var), TUOPIN_LANGUAGE=language, PYTHONPATH=str(SRC))
    return subprocess.run([sys.executable, "-m", "tuopin", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def one_line(run: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_assess_of_a_snapshot_on_an_unmigrated_database_says_to_initialise_it(tmp_path):
    run = tuopin(tmp_path / "var", "assess", "--data", str(tmp_path), "--year", "2018", "--json")
    assert run.returncode == 2 and run.stdout == ""
    line = one_line(run)
    assert line.startswith("tuopin assess: the database is not initialised")
    assert "`tuopin init --county CODE`" in line and "`tuopin migrate`" in line


def test_in_chinese_and_for_another_command(tmp_path):
    run = tuopin(tmp_path / "var", "audit", language="zh-hans")
    assert run.returncode == 2
    line = one_line(run)
    assert "数据库尚未初始化" in line and "tuopin init" in line


def test_a_database_without_this_versions_migrations_says_to_migrate(tmp_path):
    var = tmp_path / "var"
    assert tuopin(var, "migrate", "contenttypes", "--verbosity", "0").returncode == 0
    run = tuopin(var, "org", "--json")
    assert run.returncode == 2 and run.stdout == ""
    line = one_line(run)
    assert "migrations of this version" in line and "`tuopin migrate`" in line


def test_another_database_error_on_a_migrated_database_is_not_hidden(db, monkeypatch):
    def locked(self, *args, **options):
        raise OperationalError("database is locked")

    monkeypatch.setattr(BaseCommand, "execute", locked)
    with pytest.raises(OperationalError, match="locked"):
        main(["check"])
