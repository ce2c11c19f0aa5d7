"""Passwords, throttling, login audit, sessions (idle / absolute / ended on disable)."""

import time

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD, account
from tuopin.apps.accounts.middleware import LAST_SEEN, LOGIN_AT
from tuopin.apps.accounts.passwords import CharacterClassValidator
from tuopin.apps.accounts.services import account_disable
from tuopin.apps.audit.models import AuditEvent
from tuopin.config import settings as project_settings

LOGIN = "/login/"


def test_project_hashes_passwords_with_argon2(settings):
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password("Xy7-long-enough").startswith("argon2$argon2id$")


@pytest.mark.parametrize("password, ok", [
    ("alllowercaseletters", False),
    ("lowerUPPERletters", False),
    ("lowerUPPER1digits", True),
    ("lower-and-7digits", True),
])
def test_password_needs_three_character_classes(password, ok):
    validator = CharacterClassValidator(min_classes=3)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError):
            validator.validate(password)


def test_password_policy_is_in_settings(db):
    with pytest.raises(ValidationError):
        validate_password("short1A!")  # under 10 characters
    with pytest.raises(ValidationError):
        validate_password("onlylowercaseletters")
    validate_password("Grass-seed-2025")


def _post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_successful_and_failed_logins_are_audited(db, client):
    user = account("cadre1", "cadre")
    assert _post_login(client, "cadre1", "wrong-password-1").status_code == 200
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.actor == user and "10.0.0.7" in failed.summary
    assert _post_login(client, "cadre1", PASSWORD).status_code == 302
    ok = AuditEvent.objects.get(action="login")
    assert ok.actor == user and ok.entity_id == str(user.pk)


def test_five_failures_lock_the_account_even_for_the_right_password(db, client, settings):
    account("cadre1", "cadre")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "cadre1", "wrong-password-1")
    response = _post_login(client, "cadre1", PASSWORD)
    assert response.status_code == 429
    assert "30" in response.content.decode() and 'id="locked"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="locked_out").exists()


def test_lockout_is_by_username_and_address(db, client, settings):
    account("cadre1", "cadre")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "cadre1", "wrong-password-1")
    # The same account from another computer still logs in: an attacker cannot lock everyone out.
    response = client.post(LOGIN, {"username": "cadre1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302


def test_test_client_login_without_request_still_works(db, client):
    account("cadre1", "cadre")
    assert client.login(username="cadre1", password=PASSWORD)


def test_idle_session_ends_after_thirty_minutes(db, client, settings):
    user = account("cadre1", "cadre")
    client.force_login(user)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))


def test_active_session_ends_after_twelve_hours(db, client, settings):
    user = account("cadre1", "cadre")
    client.force_login(user)
    session = client.session
    session[LOGIN_AT] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session[LAST_SEEN] = int(time.time())
    session.save()
    response = client.get("/")
    assert response.status_code == 302


def test_recent_activity_keeps_the_session(db, client):
    user = account("cadre1", "cadre")
    client.force_login(user)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 60 * 20
    session.save()
    assert client.get("/").status_code == 200


def test_disabling_an_account_ends_all_its_sessions(db, client, django_user_model):
    from django.test import Client

    user, other = account("cadre1", "cadre"), account("cadre2", "cadre")
    second = Client()
    client.force_login(user)
    second.force_login(user)
    Client().force_login(other)
    ended = account_disable(account=user, by=None)
    assert ended == 2
    assert [s.get_decoded()["_auth_user_id"] for s in Session.objects.all()] == [str(other.pk)]
    assert client.get("/").status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert AuditEvent.objects.filter(action="account_disable", entity_id=str(user.pk)).exists()
