"""One import at a time per database (decision 0907).

An import plans its writes from what the registry holds (which persons exist, their versions) and then writes
them; two imports planning from the same state would each write as if the other had not happened. So the whole
import — plan and write — runs under one lock per database. A second import waits for it (up to
`IMPORT_LOCK_WAIT` seconds, saying so) and then plans from the first one's result, exactly as if the two had
been run one after the other; if the wait runs out it is refused, nothing written, with who holds the lock.

- PostgreSQL: a session-level advisory lock; the server drops it when the holder's connection ends, so a killed
  import never leaves it behind.
- SQLite: an exclusive flock(2) on a file next to the database; the kernel drops it when the holder dies. SQLite
  lives on one machine, so a file lock is seen by every process that can open the database. A lock row or a
  long BEGIN IMMEDIATE would also block every web edit while the import plans; this blocks only imports.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

# "tuopin" in ASCII: the advisory lock key of imports (one namespace per database, nothing else uses it).
PG_KEY = 0x74756F70696E
POLL_SECONDS = 0.5
log = logging.getLogger("tuopin.import")


class ImportBusy(Exception):
    """Another import holds the lock and did not finish within the wait."""


@contextmanager
def import_lock(*, what: str, wait: float | None = None):
    """Hold the database's import lock for the block; `what` ("batch.xlsx by county_admin") names the holder to
    anyone who has to wait."""
    wait = float(settings.IMPORT_LOCK_WAIT if wait is None else wait)
    label = f"{what}, {timezone.localtime():%H:%M:%S}"  # in no language: another process, another language
    if connection.vendor == "postgresql":
        lock = _PostgresLock(label)
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
        lock = _FileLock(Path(str(connection.settings_dict["NAME"]) + ".import-lock"), label)
    else:  # an in-memory database is seen by this process only
        yield
        return
    _acquire(lock, wait)
    try:
        yield
    finally:
        lock.release()


def _acquire(lock, wait: float) -> None:
    deadline, told = time.monotonic() + wait, False
    while not lock.try_acquire():
        holder = lock.holder() or "?"
        if time.monotonic() >= deadline:
            raise ImportBusy(_("another import is running on this database (%(holder)s); nothing was written — "
                               "run this import again when it has finished") % {"holder": holder})
        if not told:
            log.warning("waiting for another import to finish (%s); up to %d s", holder, wait)
            told = True
        time.sleep(POLL_SECONDS)


class _PostgresLock:
    def __init__(self, label: str):
        self.label = label[:63]  # application_name is cut at 63 bytes by the server anyway

    def try_acquire(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [PG_KEY])
            got = cursor.fetchone()[0]
            if got:
                # The holder's description, for whoever waits (pg_stat_activity shows it to them).
                cursor.execute("SELECT set_config('application_name', %s, false)", [self.label])
        return got

    def holder(self) -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND ((l.classid::bigint << 32) | l.objid::bigint) = %s AND a.pid <> pg_backend_pid()", [PG_KEY])
            row = cursor.fetchone()
        return row[0] if row else ""

    def release(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PG_KEY])
            cursor.execute("SELECT set_config('application_name', '', false)")


class _FileLock:
    def __init__(self, path: Path, label: str):
        self.path, self.label, self.fd = path, label, None

    def try_acquire(self) -> bool:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{self.label} (pid {os.getpid()})".encode())
        self.fd = fd
        return True

    def holder(self) -> str:
        try:
            return self.path.read_text(errors="replace").strip()
        except OSError:
            return ""

    def release(self) -> None:
        import fcntl

        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
