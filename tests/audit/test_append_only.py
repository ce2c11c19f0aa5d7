"""No UPDATE or DELETE on the audit trail, by the ORM or by raw SQL, on SQLite and PostgreSQL (decision 0905).

Run on PostgreSQL too: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_auth pytest tests/audit
"""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tests.factories import account
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.services import audit_event


@pytest.fixture
def event(db):
    return audit_event(actor=None, action="export", summary="an export")


def _refused(run):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            run()


def test_orm_update_is_refused(event):
    event.summary = "rewritten"
    _refused(lambda: event.save())
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten"))
    assert AuditEvent.objects.get(pk=event.pk).summary == "an export"


def test_orm_delete_is_refused(event):
    _refused(lambda: event.delete())
    _refused(lambda: AuditEvent.objects.all().delete())
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def _raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_update_and_delete_are_refused(event):
    _refused(lambda: _raw("UPDATE audit_auditevent SET summary = 'x' WHERE id = %s", event.pk))
    _refused(lambda: _raw("DELETE FROM audit_auditevent WHERE id = %s", event.pk))
    assert AuditEvent.objects.get(pk=event.pk).summary == "an export"


def test_deleting_an_account_with_audit_records_is_refused(db):
    # SET NULL on the actor would rewrite the records: accounts are disabled, never deleted.
    user = account("cadre1", "cadre")
    audit_event(actor=user, action="login", summary="login")
    _refused(lambda: user.delete())


def test_inserts_still_work(event):
    audit_event(actor=None, action="export", summary="another")
    assert AuditEvent.objects.count() == 2


def test_triggers_hold_against_truncate_and_replica_role(event):
    if connection.vendor == "postgresql":
        # The demo build runs as replica (no ordinary triggers); these are ENABLE ALWAYS.
        def truncate():
            _raw("SET CONSTRAINTS ALL IMMEDIATE")  # settle the deferred foreign-key checks of the insert
            _raw("TRUNCATE audit_auditevent CASCADE")

        _refused(truncate)

        def as_replica():
            _raw("SET LOCAL session_replication_role = replica")
            _raw("DELETE FROM audit_auditevent")

        _refused(as_replica)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'")
            assert {r[0] for r in cursor.fetchall()} == {"audit_no_update", "audit_no_delete"}
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_flush_still_empties_the_database_and_keeps_the_triggers(transactional_db):
    audit_event(actor=None, action="export", summary="an export")
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    event = audit_event(actor=None, action="export", summary="after the flush")
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())


def test_the_address_column_and_the_marker_index_keep_the_table_append_only(transactional_db):
    """Migrations 0003 (a nullable column) and 0004 (a partial index) applied to a table that already holds
    events: the events stay, and UPDATE and DELETE are still refused — the new column included."""
    from django.db.migrations.executor import MigrationExecutor

    def migrate(target):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("audit", target)])

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("audit")[0][1]
    migrate("0002_append_only_triggers")
    try:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_auditevent (at, actor_name, action, entity, entity_id, changes, batch, "
                           "source, summary) VALUES (CURRENT_TIMESTAMP, 'system', 'export', '', '', '{}', '{}', "
                           "'cli', 'before 0003')")
    finally:
        migrate(latest)
    old = AuditEvent.objects.get(summary="before 0003")
    assert old.ip_address is None
    _refused(lambda: AuditEvent.objects.filter(pk=old.pk).update(ip_address="10.0.0.1"))
    _refused(lambda: AuditEvent.objects.filter(pk=old.pk).delete())
    new = audit_event(actor=None, action="export", summary="after 0004")
    _refused(lambda: _raw("UPDATE audit_auditevent SET ip_address = '10.0.0.2' WHERE id = %s", new.pk))
    assert AuditEvent.objects.filter(summary__in=("before 0003", "after 0004")).count() == 2
