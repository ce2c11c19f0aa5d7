"""Bulk writes for imports and the demo build: many rows, one statement, no per-row ORM save.

Django's bulk_create builds a model instance per row; at a county's 1.5 million yearly rows that
alone costs more than the whole budget, so rows go to the database as plain tuples.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from django.db import connection, models


def insert_rows(model, columns: Sequence[str], rows: Iterable[Sequence], *, chunk: int = 20_000) -> int:
    """INSERT the rows (tuples in `columns` order) into the model's table; returns the count.

    PostgreSQL gets COPY: its executemany costs a round trip per row (minutes for a county's yearly rows).
    """
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    if connection.vendor == "postgresql":
        total = 0
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                total += 1
        return total
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"
    total, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(row))
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


# The fields whose values the database takes only once prepared (insert_objects).
PREPARED_FIELDS = (models.DateField, models.JSONField)


def insert_objects(model, objects: Iterable) -> int:
    """INSERT unsaved instances of `model` as plain rows (insert_rows), without bulk_create's statement building per
    instance. Dates, times and JSON are prepared by their fields, as bulk_create would; every other value (text,
    numbers, booleans, the foreign keys' ids) must already be of the type its column takes, as an import's checked
    rows are. The instances get no primary keys."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    prepared = [i for i, f in enumerate(fields) if isinstance(f, PREPARED_FIELDS)]

    def row(obj) -> list:
        values = [getattr(obj, f.attname) for f in fields]
        for i in prepared:
            values[i] = fields[i].get_db_prep_save(values[i], connection)
        return values

    return insert_rows(model, [f.name for f in fields], (row(o) for o in objects))


def reset_sequences(*models) -> None:
    """After inserting explicit primary keys on PostgreSQL, move the id sequences past them."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
