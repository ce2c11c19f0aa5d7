"""Refusals of ID numbers held outside an account's area, counted so that guessing cannot find a number (1103).

An account that sees masked numbers knows a person's first six and last four characters and year of birth:
about 33 numbers fit. A refusal says only "held by a person outside your area", yet trying the candidates one by
one would still find the real number — and a clash inside the area, if it named the holder, would give that
person's number away too. So for such an account every clash is refused in the same words, naming nobody; each
refusal goes into the audit trail, where the audit administrator sees probing; and after `ID_REFUSALS_LIMIT`
refusals within `ID_REFUSALS_WINDOW_DAYS` every further new ID number the account writes is refused alike,
registered or not, so the answer stops telling anything. The county office, which sees the numbers, resolves
duplicates.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.services import audit_event

ACTION = "id_number_refused"


class IdNumberRefused(ValidationError):
    """A refusal that may be a probe: recorded by the caller once the write's transaction has rolled back."""


def counted(account) -> bool:
    """Refusals count for accounts that may not see ID numbers (the others are told who holds the number)."""
    return account is not None and not account.may_see_id_numbers


def over_limit(account) -> bool:
    if not counted(account):
        return False
    since = timezone.now() - dt.timedelta(days=settings.ID_REFUSALS_WINDOW_DAYS)
    return AuditEvent.objects.filter(actor=account, action=ACTION, at__gte=since).count() >= settings.ID_REFUSALS_LIMIT


def record(account, *, how_many: int = 1, source: str = "web", entity_id: str = "") -> None:
    if counted(account):
        for _ in range(how_many):
            audit_event(actor=account, action=ACTION, entity="registry.person", entity_id=entity_id, source=source,
                        summary="an ID number was refused: already registered, or "
                                "the account's recent refusals are over the limit")
