"""Writing the audit trail. Services call these inside their own transaction.

Every event records the client's address when it is written while a request is served (audit.context)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable

from django.db import models

from .context import ReadCollector, client_address, id_ranges
from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _actor_fields(actor) -> dict:
    address = client_address()
    if actor is None:
        return {"actor": None, "actor_name": "system", "ip_address": address}
    return {"actor": actor, "actor_name": actor.get_username(), "ip_address": address}


def diff(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields whose value changed."""
    return {k: [_plain(before.get(k)), _plain(v)] for k, v in after.items() if _plain(before.get(k)) != _plain(v)}


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    return {f: _plain(getattr(instance, f)) for f in fields}


def entity_name(instance: models.Model) -> str:
    """The name a record's events carry: its model's label, or the name the model kept when it moved to another
    app (`audit_entity`), so that one record's history is found under one name."""
    return getattr(instance, "audit_entity", "") or instance._meta.label_lower


def audit_change(*, actor, action: str, instance: models.Model, changes: dict, source: str = "web",
                 summary: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        **_actor_fields(actor), action=action, entity=entity_name(instance), entity_id=str(instance.pk),
        changes=changes, source=source, summary=summary[:300],
    )


def audit_batch(*, actor, action: str, entity: str, batch: dict, source: str, summary: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        **_actor_fields(actor), action=action, entity=entity, batch=batch, source=source, summary=summary[:300],
    )


def audit_event(*, actor, action: str, summary: str, source: str = "web", entity: str = "",
                entity_id: str = "", batch: dict | None = None) -> AuditEvent:
    """An event that changes no row: an export, a refused access, a login."""
    return AuditEvent.objects.create(
        **_actor_fields(actor), action=action, entity=entity, entity_id=entity_id, source=source,
        summary=summary[:300], batch=batch or {},
    )


def read_batch(collector: ReadCollector) -> dict:
    """{entity: id_ranges} of the records read, in the order each entity was first read (decision 1152)."""
    return {entity: id_ranges(ids) for entity, ids in collector.ids.items() if ids}


def audit_read(*, actor, collector: ReadCollector, source: str, summary: str) -> AuditEvent | None:
    """One `read` event for everything a request or command read: `entity` the entity read first (the page's
    or the endpoint's own: a person list reads persons, then their households), `entity_id` its id when it is
    one record (a household's page), `batch` every id read, by entity."""
    if not collector:
        return None
    batch = read_batch(collector)
    entity = next(iter(batch))
    ids = collector.ids[entity]
    return AuditEvent.objects.create(
        **_actor_fields(actor), action="read", entity=entity, entity_id=str(next(iter(ids))) if len(ids) == 1 else "",
        batch=batch, source=source, summary=summary[:300],
    )
