"""Row counts and content checksums of every table: what a backup promises and a restore must give back.

The checksum of a table is order-independent (the sum of one hash per row, modulo 2**64), so it needs no
ORDER BY and no primary key; it compares a database with its own restored copy on the same engine.
"""

from __future__ import annotations

import hashlib

# Filled by `migrate` itself: a migrated but otherwise untouched database still counts as empty.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}


def _quote(cursor, name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [r[0] for r in cursor.fetchall()]


def table_summary(cursor, vendor: str) -> dict[str, dict]:
    """{table: {"rows": n, "checksum": hex}} for every table of the database."""
    out = {}
    for name in table_names(cursor, vendor):
        cursor.execute(f"SELECT * FROM {_quote(cursor, name)}")
        total, rows = 0, 0
        while batch := cursor.fetchmany(2000):
            for row in batch:
                digest = hashlib.blake2b(repr(tuple(row)).encode(), digest_size=8).digest()
                total = (total + int.from_bytes(digest, "big")) % 2**64
            rows += len(batch)
        out[name] = {"rows": rows, "checksum": f"{total:016x}"}
    return out


def non_empty_tables(cursor, vendor: str) -> list[str]:
    full = []
    for name in table_names(cursor, vendor):
        if name in BOOKKEEPING:
            continue
        cursor.execute(f"SELECT 1 FROM {_quote(cursor, name)} LIMIT 1")
        if cursor.fetchone():
            full.append(name)
    return full
