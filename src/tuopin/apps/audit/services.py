"""Writing the audit trail. Services call these inside their own transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable

from django.db import models

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
    if actor is None:
        return {"actor": None, "actor_name": "system"}
    return {"actor": actor, "actor_name": actor.get_username()}


def diff(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields whose value changed."""
    return {k: [_plain(before.get(k)), _plain(v)] for k, v in after.items() if _plain(before.get(k)) != _plain(v)}


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    return {f: _plain(getattr(instance, f)) for f in fields}


def audit_change(*, actor, action: str, instance: models.Model, changes: dict, source: str = "web",
                 summary: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        **_actor_fields(actor), action=action, entity=instance._meta.label_lower, entity_id=str(instance.pk),
        changes=changes, source=source, summary=summary[:300],
    )


def audit_batch(*, actor, action: str, entity: str, batch: dict, source: str, summary: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        **_actor_fields(actor), action=action, entity=entity, batch=batch, source=source, summary=summary[:300],
    )


def audit_event(*, actor, action: str, summary: str, source: str = "web", entity: str = "",
                entity_id: str = "") -> AuditEvent:
    """An event that changes no row: an export, a refused access, a login."""
    return AuditEvent.objects.create(
        **_actor_fields(actor), action=action, entity=entity, entity_id=entity_id, source=source,
        summary=summary[:300],
    )
