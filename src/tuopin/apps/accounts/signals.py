"""Logins, failed logins and lockouts go into the audit trail (等保2.0: audit of every user)."""

from __future__ import annotations

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from tuopin.apps.audit.services import audit_event

from .middleware import LAST_SEEN, LOGIN_AT


def _client(request) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "") or "-"


def _account(username: str):
    from .models import User

    return User.objects.filter(username=username).first() if username else None


@receiver(user_logged_in, dispatch_uid="tuopin_audit_login")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now
    audit_event(actor=user, action="login", summary=f"login from {_client(request)}",
                entity="accounts.user", entity_id=str(user.pk))


@receiver(user_login_failed, dispatch_uid="tuopin_audit_login_failed")
def on_login_failed(sender, credentials, request=None, second_factor: str = "", **kwargs):
    """A wrong password, or (`second_factor` = wrong / reused / locked) a code refused at the second step, which
    the login view signals so that django-axes counts it too (decision 1150)."""
    username = str(credentials.get("username") or "")[:150]
    account = _account(username)
    summary = (f"{second_factor} second-factor code from {_client(request)}" if second_factor
               else f"failed login as {username!r} from {_client(request)}")
    audit_event(actor=account, action="login_failed", summary=summary,
                entity="accounts.user" if account else "", entity_id=str(account.pk) if account else "")


@receiver(user_locked_out, dispatch_uid="tuopin_audit_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    account = _account(username or "")
    audit_event(actor=account, action="locked_out",
                summary=f"login locked for {username!r} from {ip_address or '-'} after repeated failures",
                entity="accounts.user" if account else "", entity_id=str(account.pk) if account else "")
