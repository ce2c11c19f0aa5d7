"""Reading the audit trail: filters shared by the audit page and `tuopin audit`; every value masked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from tuopin.common.masking import mask_birth_date, mask_text

from .models import AuditEvent


def events(*, since: dt.date | None = None, until: dt.date | None = None, user: str = "", action: str = "",
           entity: str = "") -> QuerySet[AuditEvent]:
    """Newest first. `since` / `until` are calendar days in the project's time zone, both included."""
    qs = AuditEvent.objects.all()
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=tz))
    if until:
        qs = qs.filter(at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if user:
        qs = qs.filter(actor_name=user)
    if action:
        qs = qs.filter(action=action)
    if entity:
        qs = qs.filter(entity=entity)
    return qs.order_by("-at", "-id")


def _masked(value: Any, key: str = "") -> Any:
    if key == "birth_date":  # the masked ID number's hidden digits (decision 1110); stored as ISO text
        return [_masked(v, key) for v in value] if isinstance(value, list) else _birth_date(value)
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v, k) for k, v in value.items()}
    return value


def _birth_date(value: Any) -> Any:
    try:
        return mask_birth_date(dt.date.fromisoformat(value))
    except (TypeError, ValueError):
        return mask_text(value) if isinstance(value, str) else value


def as_row(event: AuditEvent) -> dict:
    """One event as plain data: `at` in ISO 8601 with the +08:00 offset, ID and phone numbers and birth dates
    masked (the audit administrator may not see ID numbers)."""
    return {
        "id": event.pk,
        "at": timezone.localtime(event.at).isoformat(),
        "user": event.actor_name,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "source": event.source,
        "summary": mask_text(event.summary),
        "changes": _masked(event.changes),
        "batch": _masked(event.batch),
    }
