"""Audit records are append-only in the database itself: triggers refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL) on audit_auditevent, whatever the application or a hand-typed SQL statement tries (decision 0905).

On PostgreSQL the triggers are ENABLE ALWAYS: the demo build's `session_replication_role = replica`, which
silences ordinary triggers, does not silence these. Emptying the whole database (`tuopin flush`,
`tuopin demo --reset`, the test runner between live-server tests) lifts them for that one transaction only.
"""

from __future__ import annotations

import contextlib

from django.db import connection as default_connection
from django.db import transaction

TABLE = "audit_auditevent"
MESSAGE = "audit records are append-only"

SQLITE_CREATE = [
    (f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
     f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"),
    (f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
     f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"),
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

POSTGRES_CREATE = [
    ("CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
     f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$"),
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}",
    (f"CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
     "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"),
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
    (f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
     "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"),
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER audit_no_change",
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER audit_no_truncate",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
]


def _statements(vendor: str, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    return []


def create_triggers(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, True):
            cursor.execute(sql)


def drop_triggers(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, False):
            cursor.execute(sql)


@contextlib.contextmanager
def triggers_lifted(connection=default_connection):
    """Within one transaction: drop the triggers, run the body (a flush), put them back. DDL is transactional
    on both engines, so a failure in between leaves the triggers in place."""
    with transaction.atomic(using=connection.alias):
        drop_triggers(connection)
        yield
        create_triggers(connection)
