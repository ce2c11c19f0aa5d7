"""The id of the latest audit event that records a write: the key under which the engine's figures are cached
(assessment/figures.py, decision 0600), found in constant time however many reads follow it (decision 1152).

Reads are now most of the trail (one event per request), so "the latest event that is not a read" would scan
back over every read since the last write. A partial index holds only the events that may record a write:
`SELECT MAX(id)` over it is one index lookup. The query repeats the index's predicate word for word (SQLite
matches partial-index predicates textually, and not against bound parameters) and, on SQLite, names the index:
without statistics (no ANALYZE) its planner would rather scan the index on `action`.

Changing NO_WRITE_ACTIONS needs a migration that creates the index again (drop, create): on SQLite the query
fails loudly ("no query solution") rather than run slowly if the two disagree; a test checks the plan.
"""

from __future__ import annotations

from django.db import connection as default_connection

TABLE = "audit_auditevent"
INDEX = "audit_write_marker"
# Audit actions that change no row: they must not throw away the cached figures.
NO_WRITE_ACTIONS = ("export", "access_refused", "login", "logout", "login_failed", "read")
PREDICATE = "action NOT IN (" + ", ".join(f"'{a}'" for a in NO_WRITE_ACTIONS) + ")"

CREATE = f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} (id) WHERE {PREDICATE}"
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def query(vendor: str) -> str:
    hint = f" INDEXED BY {INDEX}" if vendor == "sqlite" else ""
    return f"SELECT MAX(id) FROM {TABLE}{hint} WHERE {PREDICATE}"


def latest_write_id(connection=default_connection) -> int:
    """The id of the latest audit event that may record a write (0 before the first one)."""
    with connection.cursor() as cursor:
        cursor.execute(query(connection.vendor))
        row = cursor.fetchone()
    return (row[0] if row else None) or 0
