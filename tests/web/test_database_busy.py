"""A database busy with another writer answers 503 "busy, try again" with Retry-After, in Chinese, and writes
nothing — an edit page, the API and a login alike; reads go on; once the writer is done, the same edit works
(decision 1141).

SQLite for real: the small county is copied into a database file, and a child process (settings as deployed,
a busy timeout of 1 s instead of the web server's 5) serves requests through Django's test client while another
connection of its own holds a write transaction, as an import does for its whole file (decision 0954).
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sqlite3, time
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()  # the test client records each page's context
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # how the tests made the accounts
from django.db import connection
from django.test import Client
from tuopin.apps.accounts.models import User
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry.models import Household

household = Household.objects.order_by("pk").first()
edit = f"/households/{household.pk}/edit/"
client = Client(raise_request_exception=False)
client.force_login(User.objects.get(username="county_admin"))
form = client.get(edit).context["form"]  # the session's first request writes its last-seen time: before the lock
data = {name: value for name, value in form.initial.items() if value is not None}
data.update(address="新地址", version=household.version)
events = AuditEvent.objects.count()

holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)  # the import's connection
holder.execute("BEGIN IMMEDIATE")
holder.execute("UPDATE registry_household SET updated_at = updated_at WHERE id = ?", [household.pk])

def answer(response, started):
    return {"status": response.status_code, "retry_after": response.get("Retry-After"),
            "type": response.get("Content-Type"), "body": response.content.decode(),
            "seconds": time.monotonic() - started}

out = {}
started = time.monotonic()
out["edit"] = answer(client.post(edit, data), started)
started = time.monotonic()
out["api"] = answer(client.patch(f"/api/households/{household.pk}/", {"version": household.version, "address": "api"},
                                 content_type="application/json"), started)
started = time.monotonic()
out["login"] = answer(Client(raise_request_exception=False).post("/login/", {"username": "county_admin",
                                                                           "password": PASSWORD}), started)
started = time.monotonic()
out["read"] = answer(client.get(f"/households/{household.pk}/"), started)
household.refresh_from_db()
out["address_while_busy"] = household.address
out["events_while_busy"] = AuditEvent.objects.count() - events
holder.execute("ROLLBACK")
holder.close()
started = time.monotonic()
out["edit_after"] = answer(client.post(edit, data), started)
household.refresh_from_db()
out["address_after"] = household.address
print("RESULT " + json.dumps(out))
"""


@pytest.fixture
def site(transactional_db, tmp_path):
    """The small county in a SQLite file of its own, where the child process's settings will find it."""
    from tests.factories import small_county

    small_county()  # committed (transactional_db): a backup copies what is committed
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "tuopin.sqlite3")
    connection.connection.backup(target)
    target.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TUOPIN_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(TUOPIN_VAR=str(tmp_path), TUOPIN_SQLITE_TIMEOUT="1", DJANGO_SETTINGS_MODULE="tuopin.config.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    return env


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's one-writer lock; on PostgreSQL writers wait "
                    "on row locks (no lock_timeout is set, see docs/security.md)")
def test_a_write_while_another_connection_writes_is_503_busy(site):
    run = subprocess.run([sys.executable, "-c", f"PASSWORD = {PASSWORD!r}\n" + CHILD], env=site, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))[7:])
    for name in ("edit", "api", "login"):
        answer = out[name]
        assert answer["status"] == 503, (name, answer["status"], answer["body"][:500])
        assert answer["retry_after"] == "10", name
        assert "数据库正忙" in answer["body"] and "未保存" in answer["body"], name
        assert answer["seconds"] < 10, name  # the busy timeout (1 s here), then the answer
    assert out["edit"]["type"].startswith("text/html") and "系统繁忙，请稍后重试" in out["edit"]["body"]
    assert out["api"]["type"] == "application/json"
    # A page of personal data writes its read event (decision 1152): on SQLite it waits for the writer too, and
    # answers "busy" rather than show data whose reading was not recorded.
    assert out["read"]["status"] == 503 and out["read"]["seconds"] < 10
    assert out["address_while_busy"] != "新地址" and out["events_while_busy"] == 0
    assert out["edit_after"]["status"] == 302 and out["address_after"] == "新地址"


def test_busy_errors_are_recognised():
    from django.db import OperationalError

    from tuopin.apps.durability.busy import database_busy

    assert database_busy(OperationalError("database is locked"))
    assert database_busy(sqlite3.OperationalError("database table is locked: registry_household"))
    assert not database_busy(OperationalError("no such table: registry_household"))
    assert not database_busy(ValueError("database is locked"))
    assert not database_busy(None)
