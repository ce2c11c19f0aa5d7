"""Reading the audit trail as the audit administrator does: the audit page and `tuopin audit` (decision 1151).

The audit administrator sees who did what, when, from where and to which record — never personal values. An
event is therefore shown through a whitelist, not a mask:

- always: id, time, account, client address, action, entity and entity id, source;
- `fields`: the names of the fields an event changed, without their old and new values — except on accounts
  (`accounts.user`: role, scope, active), which are the administrators' own business, not household data;
- `records`: for reads and exports, the ids read, by entity (`id_ranges` lists: [3, [10, 250]]);
- `batch`: for other bulk events, each key with a number (a count, a year) or the length of its list — never
  its text (file names, notes, names of who signed);
- `summary`: only for the actions whose summary the project composes from account and system facts (logins,
  refusals, commands with masked arguments, account changes, backups, exports, reads); other summaries can
  carry names (cadres, task titles, reasons typed by people) and are left out. ID and phone numbers are masked
  in what is shown all the same.

The values stay in the table: whoever may see a record sees its history through their own scoped pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from tuopin.common.masking import mask_birth_date, mask_text

from .models import AuditEvent

# Actions whose summary holds no personal data: composed by the project from accounts, addresses, paths with
# numeric keys, masked command lines, region codes and counts.
SUMMARY_ACTIONS = frozenset({
    "login", "logout", "login_failed", "locked_out", "lockout_release", "access_refused", "refused", "command",
    "account_create", "account_disable", "account_scope", "grant_personal_data", "totp_enrol", "totp_enrol_failed",
    "backup", "restore", "reset", "export", "read", "id_number_refused",
})
# Entities whose changed values the audit administrator sees: accounts, not households.
VALUE_ENTITIES = frozenset({"accounts.user"})
# Actions whose batch lists the records read, as {entity: id_ranges}.
RECORD_ACTIONS = frozenset({"read", "export"})


def events(*, since: dt.date | None = None, until: dt.date | None = None, user: str = "", action: str = "",
           entity: str = "", ip_address: str = "") -> QuerySet[AuditEvent]:
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
    if ip_address:
        qs = qs.filter(ip_address=ip_address)
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


def _records(batch: dict) -> dict:
    """The {entity: id_ranges} part of a read or export event: keys that name a model, lists of ids."""
    return {k: v for k, v in batch.items()
            if "." in k and isinstance(v, list) and all(isinstance(i, (int, list)) for i in v)}


def _shape(batch: dict) -> dict:
    """A bulk event's batch without its text: numbers kept, lists and objects as their length."""
    out = {}
    for key, value in batch.items():
        if isinstance(value, bool) or value is None:
            out[key] = value
        elif isinstance(value, (int, float)):
            out[key] = value
        elif isinstance(value, (list, dict)):
            out[key] = len(value)
    return out


def as_row(event: AuditEvent) -> dict:
    """One event as the audit administrator sees it (module docstring): `at` in ISO 8601 with +08:00."""
    changes = event.changes if isinstance(event.changes, dict) else {}
    batch = event.batch if isinstance(event.batch, dict) else {}
    row = {
        "id": event.pk,
        "at": timezone.localtime(event.at).isoformat(),
        "user": event.actor_name,
        "ip_address": event.ip_address,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "source": event.source,
        "summary": mask_text(event.summary) if event.action in SUMMARY_ACTIONS else "",
        "fields": sorted(changes),
    }
    if event.entity in VALUE_ENTITIES and changes:
        row["changes"] = _masked(changes)
    if event.action in RECORD_ACTIONS:
        row["records"] = _records(batch)
    elif batch:
        row["batch"] = _shape(batch)
    return row


def _ranges_text(ranges: list) -> str:
    return ", ".join(f"{r[0]}–{r[1]}" if isinstance(r, list) else str(r) for r in ranges)


def _count(ranges: list) -> int:
    return sum(r[1] - r[0] + 1 if isinstance(r, list) else 1 for r in ranges)


def as_page_row(event: AuditEvent) -> dict:
    """`as_row` with the records read and the batch written out for the audit page."""
    row = as_row(event)
    row["records_text"] = [(entity, _count(ranges), _ranges_text(ranges))
                           for entity, ranges in row.get("records", {}).items()]
    row["batch_text"] = ", ".join(f"{k} {v}" for k, v in row.get("batch", {}).items())
    row["changes_text"] = ", ".join(f"{k}: {v[0]} → {v[1]}" for k, v in row.get("changes", {}).items()
                                    if isinstance(v, list) and len(v) == 2)
    return row
