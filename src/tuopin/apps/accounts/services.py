"""Writes on accounts (三员分立): the system administrator creates and disables accounts, the security
administrator gives roles and scopes. Each write asks the permission layer, is one transaction and one audit
event; a grant of a role that reads personal data is marked so the audit administrator sees it (decision 1102)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.audit.services import audit_change, diff, snapshot

from .models import Role, User
from .passwords import random_password
from .permissions import PERSONAL_DATA_ROLES, Action, missing_scope_field, require

SCOPE_FIELDS = ("role", "region_id", "cadre_id", "department_id")


def end_sessions(account: User) -> int:
    """Delete every live session of the account (db sessions carry the user id only inside the data)."""
    ended = [s.session_key for s in Session.objects.filter(expire_date__gt=timezone.now())
             if s.get_decoded().get("_auth_user_id") == str(account.pk)]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def account_disable(*, account: User, by: User | None, source: str = "web") -> int:
    """Disable the account and end all its sessions at once; returns how many sessions were ended."""
    require(by, Action.DISABLE_ACCOUNT, account)
    account.is_active = False
    account.save(update_fields=["is_active"])
    ended = end_sessions(account)
    audit_change(actor=by, action="account_disable", instance=account, changes={"is_active": [True, False]},
                 source=source, summary=f"disabled account {account.username}; {ended} session(s) ended")
    return ended


@transaction.atomic
def password_reset(*, account: User, by: User | None, source: str = "cli") -> str:
    """A forgotten password replaced by a one-time one, returned to be handed over: its holder must replace it at
    the next login (decision 1200), and every session of the account ends. The audit event names the reset,
    never the password."""
    require(by, Action.RESET_PASSWORD, account)
    password = random_password()
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    ended = end_sessions(account)
    audit_change(actor=by, action="password_reset", instance=account, changes={"must_change_password": [None, True]},
                 source=source, summary=f"reset the password of {account.username}; {ended} session(s) ended")
    return password


@transaction.atomic
def account_create(*, username: str, password: str, by: User | None, source: str = "web") -> User:
    """A new account with no role and no scope: the security administrator gives it both (三员分立), so the
    administrator who knows its first password cannot also make it read personal data. Its holder must replace
    that password at the first login (decision 1200)."""
    require(by, Action.CREATE_ACCOUNT)
    role = Role.UNASSIGNED
    account = User(username=username, role=role, must_change_password=True)
    validate_password(password, account)
    account.set_password(password)
    account.full_clean(exclude=["password"])
    account.save()
    audit_change(actor=by, action="account_create", instance=account,
                 changes={"username": [None, username], "role": [None, role]}, source=source,
                 summary=f"created account {username} ({role})")
    return account


@transaction.atomic
def account_set_scope(*, account: User, by: User | None, role: str, region=None, cadre=None, department=None,
                      source: str = "web") -> User:
    """Change an account's role and the region / cadre / department it works on. The scope must be the one
    the role needs (a commander's township, a cadre's person …): a role without its scope would see nothing."""
    account = User.objects.select_for_update().get(pk=account.pk)
    require(by, Action.ASSIGN_ROLE, (account, role))
    before = snapshot(account, SCOPE_FIELDS)
    account.role, account.region, account.cadre, account.department = role, region, cadre, department
    field, missing = missing_scope_field(account) if role != Role.UNASSIGNED else ("", "")
    if missing:
        raise ValidationError({field: f"{account.get_role_display()}: {missing}"})
    account.save(update_fields=["role", "region", "cadre", "department"])
    changes = diff(before, snapshot(account, SCOPE_FIELDS))
    if changes:
        end_sessions(account)  # a narrowed scope applies at once, not at the next login
    grant = role in PERSONAL_DATA_ROLES and bool(changes)
    audit_change(actor=by, action="grant_personal_data" if grant else "account_scope", instance=account,
                 changes=changes, source=source,
                 summary=f"{'granted a role that reads personal data to' if grant else 'role and scope of'} "
                         f"{account.username}: {role}")
    return account


@transaction.atomic
def password_change(*, account: User, new_password: str, source: str = "web") -> User:
    """The holder replaces their own password (the caller has checked the current one). A password someone else
    chose (`tuopin init`, the accounts page) stops being one here: the account is free of the change page. The
    new password must pass the policy and differ from the current one; the audit event records neither."""
    account = User.objects.select_for_update().get(pk=account.pk)
    validate_password(new_password, account)
    if account.check_password(new_password):
        raise ValidationError(_("The new password must differ from the current one."), code="password_unchanged")
    forced = account.must_change_password
    account.set_password(new_password)
    account.must_change_password = False
    account.save(update_fields=["password", "must_change_password"])
    audit_change(actor=account, action="password_change", instance=account, source=source,
                 changes={"password": ["(set)", "(changed)"], **({"must_change_password": [True, False]}
                                                                  if forced else {})},
                 summary=f"{account.username} changed their password{' (first login)' if forced else ''}")
    return account
