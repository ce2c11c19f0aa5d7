"""Backup and restore of the whole registry (decision 0951).

A backup is one tar file:
    manifest.json        engine, sha256 of the data file, {table: {rows, checksum}}, evidence files, administrators
    database.sqlite3     SQLite: a consistent copy taken with the online backup API (safe while serving)
    database.pgdump      PostgreSQL: `pg_dump -Fc` of the snapshot the row counts were taken in
    evidence/…           every file under MEDIA_ROOT (visit photos), with its sha256 in the manifest
and a copy of the manifest beside it (FILE.manifest.json) for a person to read.

A restore goes only into an empty database of the same engine, checks every sha256 before touching it,
then checks that every table has the row count and checksum the manifest promises, and records
"restored from <sha256>" in the audit trail.

Details: the tar is written as `FILE.partial` and renamed. A table's checksum is order-independent (the sum of
one hash per row). "Empty" excepts the migration bookkeeping, so a freshly migrated database qualifies. SQLite
restores by the backup API copying every page into the target; PostgreSQL by `pg_restore --clean --if-exists
--single-transaction`. The account named by `restore --as` must be an active system administrator in the
manifest (the target has no accounts yet), and is then found in the restored data for the audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction

from tuopin.common.steps import Progress, Steps

from . import tables

FORMAT = "tuopin-backup/1"
DATA_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class RestoreRefused(Exception):
    """The backup cannot go into this database (not empty, another engine, damaged file): exit code 3."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _administrators(cursor) -> list[str]:
    from tuopin.apps.accounts.models import Role, User

    cursor.execute(f'SELECT username FROM "{User._meta.db_table}" WHERE role = %s AND is_active = %s ORDER BY username',
                   [Role.SYSTEM_ADMIN.value, True])
    return [r[0] for r in cursor.fetchall()]


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _dump_database(work: Path) -> tuple[Path, dict, list[str]]:
    vendor = connection.vendor
    data = work / DATA_FILES[vendor]
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(data)
        with target:
            connection.connection.backup(target)
        with target:
            cur = target.cursor()
            summary = tables.table_summary(cur, vendor)
            admins = [r[0] for r in cur.execute(
                "SELECT username FROM accounts_user WHERE role = 'system_admin' AND is_active = 1 ORDER BY username")]
        target.close()
        return data, summary, admins
    # PostgreSQL: count in a repeatable-read transaction and let pg_dump read that very snapshot.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(data)],
                       env=_pg_env(), check=True, capture_output=True)
        summary = tables.table_summary(cur, vendor)
        admins = _administrators(cur)
    return data, summary, admins


def database_summary() -> dict[str, dict]:
    """Row counts and checksums of the live database, read the way a backup reads them (for SQLite a plain
    sqlite3 connection: Django's converts dates and times, which would change the checksums)."""
    if connection.vendor == "sqlite":
        raw = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        try:
            return tables.table_summary(raw.cursor(), "sqlite")
        finally:
            raw.close()
    with connection.cursor() as cur:
        return tables.table_summary(cur, connection.vendor)


def _evidence_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def backup_create(*, actor, out: Path, progress: Progress | None = None) -> BackupResult:
    """`progress(done, total)` counts the steps: the database copied and hashed, each evidence file hashed,
    then each file put into the backup."""
    from tuopin.apps.audit.services import audit_event

    out = Path(out)
    files = _evidence_files()
    step = Steps(2 + 2 * len(files) + 1, progress)
    with tempfile.TemporaryDirectory(prefix="tuopin-backup-") as tmp:
        data, summary, admins = _dump_database(Path(tmp))
        step()
        root = Path(settings.MEDIA_ROOT)
        evidence = []
        for p in files:
            evidence.append({"path": p.relative_to(root).as_posix(), "size": p.stat().st_size, "sha256": _sha256(p)})
            step()
        data_sha256 = _sha256(data)
        step()
        manifest = {
            "format": FORMAT, "engine": connection.vendor, "created": dt.datetime.now(dt.UTC).isoformat(),
            "by": actor.get_username(), "data_file": data.name, "sha256": data_sha256, "size": data.stat().st_size,
            "tables": summary, "evidence": evidence, "administrators": admins,
        }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            blob = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
            tar.add(data, arcname=data.name)
            step()
            for item in evidence:
                tar.add(root / item["path"], arcname=f"evidence/{item['path']}")
                step()
        os.replace(partial, out)  # a crash mid-write never leaves a file that looks like a backup
    out.with_name(out.name + ".manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    audit_event(actor=actor, action="backup", source="cli", summary=f"backup {manifest['sha256']} to {out.name}")
    return BackupResult(out, manifest)


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r") as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
    except (tarfile.TarError, KeyError, ValueError, OSError) as exc:
        raise RestoreRefused(f"{Path(path).name}: not a tuopin backup ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"{Path(path).name}: not a tuopin backup (format {manifest.get('format')!r})")
    return manifest


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts


def restore_refusal(manifest: dict, username: str) -> str | None:
    """Why this backup may not go into the current database, or None. Checked before anything is written."""
    if manifest["engine"] != connection.vendor:
        return f"the backup is of a {manifest['engine']} database; this one is {connection.vendor}"
    with connection.cursor() as cur:
        full = tables.non_empty_tables(cur, connection.vendor)
    if full:
        return f"the database is not empty ({len(full)} tables hold rows, e.g. {full[0]}): restore needs an empty one"
    if username not in manifest.get("administrators", []):
        return f"{username!r} is not an active system administrator in this backup"
    return None


def backup_restore(*, path: Path, username: str, progress: Progress | None = None) -> dict:
    """`progress(done, total)` counts the steps: the backup unpacked, the database and each evidence file
    checked, the database loaded, each evidence file put in place, the tables checked."""
    from tuopin.apps.accounts.models import User
    from tuopin.apps.audit.services import audit_event

    path = Path(path)
    manifest = read_manifest(path)
    if reason := restore_refusal(manifest, username):
        raise RestoreRefused(f"{path.name}: {reason}")
    step = Steps(4 + 2 * len(manifest["evidence"]), progress)
    with tempfile.TemporaryDirectory(prefix="tuopin-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(path, "r") as tar:
            members = [m for m in tar.getmembers() if m.isfile() and _safe_member(m.name)]
            tar.extractall(work, members=members, filter="data")
        step()
        data = work / manifest["data_file"]
        if not data.exists() or _sha256(data) != manifest["sha256"]:
            raise RestoreRefused(f"{path.name}: the database file does not match its sha256 {manifest['sha256']}")
        step()
        for item in manifest["evidence"]:
            f = work / "evidence" / item["path"]
            if not f.exists() or _sha256(f) != item["sha256"]:
                raise RestoreRefused(f"{path.name}: evidence file {item['path']} is missing or damaged")
            step()
        _load_database(data, manifest["engine"])
        step()
        media = Path(settings.MEDIA_ROOT)
        for item in manifest["evidence"]:
            dest = media / item["path"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / "evidence" / item["path"], dest)
            step()
    connection.close()  # the schema changed under Django's connection
    now = database_summary()
    step()
    if now != manifest["tables"]:
        wrong = sorted(t for t in set(now) | set(manifest["tables"]) if now.get(t) != manifest["tables"].get(t))
        raise RestoreRefused(f"{path.name}: restored tables differ from the manifest: {', '.join(wrong[:5])}")
    actor = User.objects.get(username=username)
    audit_event(actor=actor, action="restore", source="cli", summary=f"restored from {manifest['sha256']}")
    return manifest


def _load_database(data: Path, engine: str) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(data)
        source.backup(connection.connection)  # replaces every page of the (empty) target database
        source.close()
        return
    run = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists",
                          "--single-transaction", "--exit-on-error", "-d", settings.DATABASES["default"]["NAME"],
                          str(data)], env=_pg_env(), capture_output=True, text=True)
    if run.returncode:
        raise RestoreRefused(f"pg_restore failed: {run.stderr.strip()[-500:]}")
