"""The second factor's writes: enrolling a TOTP secret, and accepting a code once (decision 0908).

A code is accepted when it matches one of the three steps around now (totp.matching_step) and its step is later
than the last step this account used: the conditional UPDATE makes that check and the record one statement, so
two requests racing with the same code cannot both pass. The secret itself never goes into the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from tuopin.apps.audit.services import audit_change, audit_event

from . import totp
from .models import User

ACCEPTED, WRONG, REPLAYED = "accepted", "wrong", "replayed"


def required_for(account: User) -> bool:
    return str(account.role) in settings.TOTP_REQUIRED_ROLES


def _use_step(account: User, step: int) -> bool:
    used = (User.objects.filter(pk=account.pk)
            .filter(Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step))
            .update(totp_last_step=step))
    if used:
        account.totp_last_step = step
    return bool(used)


def code_accept(*, account: User, code: str, at: float | None = None) -> str:
    """ACCEPTED, WRONG (no step matches) or REPLAYED (a step already used, or an earlier one)."""
    step = totp.matching_step(account.totp_secret, code, at)
    if step is None:
        return WRONG
    return ACCEPTED if _use_step(account, step) else REPLAYED


@transaction.atomic
def totp_enrol(*, account: User, secret: str, code: str, source: str = "web", at: float | None = None) -> bool:
    """Store `secret` as the account's second factor if `code` is a current code of it; False (nothing stored)
    otherwise. The code's step counts as used, so it cannot log in afterwards."""
    step = totp.matching_step(secret, code, at)
    if step is None:
        audit_event(actor=account, action="totp_enrol_failed", entity="accounts.user", entity_id=str(account.pk),
                    source=source, summary="second factor not enrolled: the confirmation code was not right")
        return False
    account = User.objects.select_for_update().get(pk=account.pk)
    again = bool(account.totp_secret)
    account.totp_secret, account.totp_last_step = secret, step
    account.save(update_fields=["totp_secret", "totp_last_step"])
    audit_change(actor=account, action="totp_enrol", instance=account, source=source,
                 changes={"totp_secret": ["(set)" if again else None, "(set)"]},
                 summary=f"{account.username} {'re-enrolled' if again else 'enrolled'} an authenticator app")
    return True
