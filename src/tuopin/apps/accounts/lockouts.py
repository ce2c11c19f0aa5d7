"""Login lockouts (django-axes) as the security administrator sees them: who is locked out from where, and the
release of one lock before its cool-off ends (decision 0909). A release is audited; nothing else changes."""

from __future__ import annotations

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tuopin.apps.audit.services import audit_event

from .models import User
from .permissions import Action, require


def locked_out():
    """Username + address pairs locked now: the failure limit reached within the cool-off period."""
    since = timezone.now() - get_cool_off()
    return (AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
            .order_by("-attempt_time"))


@transaction.atomic
def lockout_release(*, attempt: AccessAttempt, by: User, source: str = "web") -> int:
    """Lift the lock of the attempt's username at its address (and only there); returns the records removed."""
    require(by, Action.RELEASE_LOCKOUT)
    removed = reset(ip=attempt.ip_address, username=attempt.username)
    account = User.objects.filter(username=attempt.username).first()
    audit_event(actor=by, action="lockout_release", source=source,
                entity="accounts.user" if account else "", entity_id=str(account.pk) if account else "",
                summary=f"released the login lock of {attempt.username!r} from {attempt.ip_address or '-'} "
                        f"after {attempt.failures_since_start} failures")
    return removed
