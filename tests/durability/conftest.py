"""Helpers for the durability tests: each database is a real one (a SQLite file, or a PostgreSQL database
when DATABASE_URL names one) driven through the `tuopin` command in child processes, as an operator would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUOPIN = str(ROOT / ".venv" / "bin" / "tuopin")

BUILD = """
import django, json
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import small_county
from tuopin.apps.audit.services import audit_event
c = small_county()
audit_event(actor=c["accounts"]["county_admin"], action="update", summary="a change before the backup")
photo = settings.MEDIA_ROOT / "visits" / "2018" / "photo-1.jpg"
photo.parent.mkdir(parents=True, exist_ok=True)
photo.write_bytes(b"\\xff\\xd8\\xff\\xe0 not really a jpeg " * 50)
"""

SUMMARY = """
import django, json
django.setup()
from django.db import connection
from tuopin.apps.durability.services import database_summary
from tuopin.apps.audit.models import AuditEvent
s = database_summary()
audit = [e.summary for e in AuditEvent.objects.order_by("id")] if "audit_auditevent" in s else []
print(json.dumps({"tables": s, "audit": audit}))
"""


class Site:
    """One installation: its own var folder and database."""

    def __init__(self, var: Path, database_url: str | None):
        self.var = var
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TUOPIN_", "DJANGO_"))}
        self.env.pop("DATABASE_URL", None)
        self.env.update(TUOPIN_VAR=str(var), DJANGO_SETTINGS_MODULE="tuopin.config.settings",
                        PYTHONPATH=str(ROOT))
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def python(self, code: str) -> subprocess.CompletedProcess:
        run = subprocess.run([sys.executable, "-c", code], env=self.env, cwd=ROOT, capture_output=True, text=True,
                             timeout=300)
        assert run.returncode == 0, run.stderr
        return run

    def tuopin(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([TUOPIN, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=300)

    def build(self):
        self.python(BUILD)

    def summary(self) -> dict:
        return json.loads(self.python(SUMMARY).stdout.strip().splitlines()[-1])


def _on_server(url: str, database: str) -> str:
    """The URL of another database on the server of `url`."""
    return f"{url.rpartition('/')[0]}/{database}"


def _psql(url: str, sql: str, check: bool = True) -> None:
    """Run `sql` on the server of `url`, connected to its `postgres` database."""
    subprocess.run(["psql", _on_server(url, "postgres"), "-qc", sql], check=check, capture_output=True)


def _drop(url: str, database: str, check: bool = True) -> None:
    _psql(url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', check)


def _pg(url: str | None, name: str) -> str | None:
    if not url or not url.startswith("postgres"):
        return None
    _drop(url, name)
    _psql(url, f'CREATE DATABASE "{name}"')
    return _on_server(url, name)


class Sites:
    """Makes sites under one folder, each with an empty database (PostgreSQL when DATABASE_URL names a server), and
    drops their databases at the end."""

    def __init__(self, folder: Path, scope: str):
        self.folder = folder
        self.url = os.environ.get("DATABASE_URL")
        # One set of databases per test worker and fixture scope: two workers' sites of the same name, or a module's
        # site and a test's, would drop each other's database.
        self.prefix = f"test_dur_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{scope}_"
        self.made: list[str] = []

    def __call__(self, name: str) -> Site:
        self.made.append(self.prefix + name)
        return Site(self.folder / name, _pg(self.url, self.prefix + name))

    def drop(self):
        if self.url and self.url.startswith("postgres"):
            for database in self.made:
                _drop(self.url, database, check=False)


@pytest.fixture
def make_site(tmp_path):
    """make_site("a") → a Site with an empty database, dropped after the test."""
    sites = Sites(tmp_path, "t")
    yield sites
    sites.drop()


@pytest.fixture(scope="module")
def make_module_site(tmp_path_factory):
    """The same for sites a module's tests share (built once: a build and a backup take half a minute)."""
    sites = Sites(tmp_path_factory.mktemp("sites"), "m")
    yield sites
    sites.drop()
