"""A database busy with another writer (decision 1141).

SQLite lets one connection write at a time. While an import holds its write transaction (decision 0954: one
transaction for the whole file), another request that writes — an edit, a login's session and audit rows — waits
up to the busy timeout (`TUOPIN_SQLITE_TIMEOUT`; 5 s in the web server) and then gets "database is locked".
That is not a fault of the server: pages and the API answer it with 503 and Retry-After, and nothing was written
(the request's transaction was rolled back). PostgreSQL's equivalent is a lock wait cut by `lock_timeout`
(SQLSTATE 55P03), treated the same way.
"""

from __future__ import annotations

import sqlite3

from django.db import OperationalError

RETRY_AFTER_SECONDS = 10
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_PG_LOCK_NOT_AVAILABLE = "55P03"


def database_busy(exc: BaseException | None) -> bool:
    """True when `exc` says another connection holds the lock this one waited for."""
    if not isinstance(exc, (OperationalError, sqlite3.OperationalError)):
        return False
    if any(text in str(exc).lower() for text in _SQLITE_BUSY):
        return True
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE or \
        getattr(cause, "pgcode", None) == _PG_LOCK_NOT_AVAILABLE
