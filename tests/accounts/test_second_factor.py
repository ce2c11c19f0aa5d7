"""The second factor, completed: enrolling an authenticator app (QR code and key, confirmed by
a current code, audited, the secret in no URL and no log), a code good only once, enrolment forced on the roles
that require it, and the security administrator's release of a login lockout."""

import logging
import re
import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD, account
from tuopin.apps.accounts import totp
from tuopin.apps.accounts.models import Role
from tuopin.apps.audit.models import AuditEvent

LOGIN, CODE, ENROL = "/login/", "/login/code/", "/account/second-factor/"


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_matching_step_names_the_step_of_the_code():
    secret, now = totp.new_secret(), 1_700_000_000
    step = now // totp.STEP
    assert totp.matching_step(secret, totp.code_at(secret, now), at=now) == step
    assert totp.matching_step(secret, totp.code_at(secret, now - 30), at=now) == step - 1
    assert totp.matching_step(secret, totp.code_at(secret, now + 30), at=now) == step + 1
    assert totp.matching_step(secret, totp.code_at(secret, now - 90), at=now) is None


def test_the_provisioning_uri_is_what_authenticator_apps_read():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "县 admin")
    assert uri.startswith("otpauth://totp/tuopin:%E5%8E%BF%20admin?secret=JBSWY3DPEHPK3PXP&issuer=tuopin")
    assert "digits=6" in uri and "period=30" in uri


# ---- replay --------------------------------------------------------------------------------------------



def _password(client, username="admin1"):
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == CODE
    return response


def test_a_code_cannot_be_used_twice(client, admin):
    code = totp.code_at(admin.totp_secret)
    _password(client)
    assert client.post(CODE, {"code": code}).status_code == 302
    client.post("/logout/")
    _password(client)
    replay = client.post(CODE, {"code": code})
    assert replay.status_code == 200 and "_auth_user_id" not in client.session
    assert "已经用过" in replay.content.decode() or "already been used" in replay.content.decode()
    assert AuditEvent.objects.filter(action="login_failed", actor=admin, summary__startswith="reused").exists()
    # The next step's code (the app shows it within 30 seconds) logs in.
    assert client.post(CODE, {"code": totp.code_at(admin.totp_secret, time.time() + 30)}).status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_a_code_of_an_earlier_step_than_the_last_used_is_refused(client, admin):
    secret = admin.totp_secret
    _password(client)
    assert client.post(CODE, {"code": totp.code_at(secret, time.time() + 30)}).status_code == 302
    client.post("/logout/")
    _password(client)
    # Still inside the ±1 step window, but older than the code just used.
    assert client.post(CODE, {"code": totp.code_at(secret)}).status_code == 200
    assert "_auth_user_id" not in client.session


# ---- enrolment -----------------------------------------------------------------------------------------

def _shown_secret(body: str) -> str:
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")


def test_enrolment_shows_a_qr_code_and_the_key_and_stores_the_secret_only_when_confirmed(db, client, caplog):
    caplog.set_level(logging.DEBUG)
    user = account("cadre1", Role.CADRE)
    client.force_login(user)
    page = client.get(ENROL)
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "<path" in body  # inline SVG: no request, CSP-clean
    assert "unsafe-inline" not in page["Content-Security-Policy"] and page["Cache-Control"] == "no-store"
    secret = _shown_secret(body)
    assert len(secret) == 32
    assert _shown_secret(client.get(ENROL).content.decode()) == secret  # a reload keeps the scanned key

    refused = client.post(ENROL, {"code": _wrong(totp.code_at(secret))})
    assert refused.status_code == 400
    user.refresh_from_db()
    assert user.totp_secret == ""
    assert AuditEvent.objects.filter(action="totp_enrol_failed", actor=user).exists()

    done = client.post(ENROL, {"code": totp.code_at(secret)})
    assert done.status_code == 302 and done.url == reverse("web:home")
    user.refresh_from_db()
    assert user.totp_secret == secret and user.totp_last_step is not None
    event = AuditEvent.objects.get(action="totp_enrol", actor=user)
    assert event.changes == {"totp_secret": [None, "(set)"]}
    # The secret is in no audit record, no log line, no redirect.
    assert not [e for e in AuditEvent.objects.all() if secret in f"{e.summary} {e.changes}"]
    assert secret not in caplog.text and secret not in done.url

    # From now on the account logs in with the second factor — and the enrolment code is already used.
    client.post("/logout/")
    _password(client, "cadre1")
    assert client.post(CODE, {"code": totp.code_at(secret)}).status_code == 200
    assert client.post(CODE, {"code": totp.code_at(secret, time.time() + 30)}).status_code == 302


def test_re_enrolment_replaces_the_app(client, admin):
    old = admin.totp_secret
    client.force_login(admin)
    new = _shown_secret(client.get(ENROL).content.decode())
    assert new != old
    assert client.post(ENROL, {"code": totp.code_at(new)}).status_code == 302
    admin.refresh_from_db()
    assert admin.totp_secret == new
    assert AuditEvent.objects.get(action="totp_enrol").changes == {"totp_secret": ["(set)", "(set)"]}


@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_a_role_that_requires_the_code_enrols_before_anything_else(db, client, settings, role):
    settings.TOTP_ENROL_FIRST = True  # the production profile's value (test below)
    account("needs2fa", role)
    response = client.post(LOGIN, {"username": "needs2fa", "password": PASSWORD})
    assert response.status_code == 302 and response.url == ENROL
    for page in ("/", "/search/", "/admin/accounts/", "/admin/roles/", "/admin/audit/", "/api/regions/"):
        blocked = client.get(page)
        assert blocked.status_code == 302 and blocked.url == ENROL, page
    secret = _shown_secret(client.get(ENROL).content.decode())
    assert client.post(ENROL, {"code": totp.code_at(secret)}).status_code == 302
    assert client.get("/").status_code == 200


def test_the_production_profile_sends_those_roles_to_enrol_first(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TUOPIN_", "DJANGO_"))}
    env.update(TUOPIN_ENV="production", TUOPIN_VAR=str(tmp_path), TUOPIN_SECRET_KEY="k" * 60,
               DJANGO_SETTINGS_MODULE="tuopin.config.settings")
    code = "from django.conf import settings; print(settings.TOTP_ENROL_FIRST, settings.MIDDLEWARE)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("True") and "EnrolmentRequiredMiddleware" in out.stdout


def test_a_role_without_the_requirement_is_not_sent_to_enrol(db, client, settings):
    settings.TOTP_ENROL_FIRST = True
    account("cadre1", Role.CADRE)
    response = client.post(LOGIN, {"username": "cadre1", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"


# ---- lockout release -----------------------------------------------------------------------------------

def _lock(client, settings, username="cadre1", address="10.0.0.7"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": username, "password": "wrong-password-1"}, REMOTE_ADDR=address)
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=address).status_code == 429


def test_the_security_administrator_lists_and_releases_a_lockout(db, client, settings):
    from django.test import Client

    cadre = account("cadre1", Role.CADRE)
    security = account("security1", Role.SECURITY_ADMIN)
    _lock(client, settings)
    admin_client = Client()
    admin_client.force_login(security)
    page = admin_client.get("/admin/lockouts/").content.decode()
    assert 'data-username="cadre1"' in page and "10.0.0.7" in page
    attempt = AccessAttempt.objects.get(username="cadre1")
    assert admin_client.post(f"/admin/lockouts/{attempt.pk}/release/").status_code == 302
    assert not AccessAttempt.objects.filter(username="cadre1").exists()
    event = AuditEvent.objects.get(action="lockout_release")
    assert event.actor == security and event.entity_id == str(cadre.pk) and "10.0.0.7" in event.summary
    assert 'data-username="cadre1"' not in admin_client.get("/admin/lockouts/").content.decode()
    assert client.post(LOGIN, {"username": "cadre1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7").status_code == 302


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SECURITY_ADMIN])
def test_every_other_role_is_refused_the_lockout_pages(db, client, settings, role):
    from django.test import Client

    account("cadre1", Role.CADRE)
    _lock(client, settings)
    attempt = AccessAttempt.objects.get(username="cadre1")
    other = Client()
    other.force_login(account("someone", role))
    assert other.get("/admin/lockouts/").status_code == 403
    assert other.post(f"/admin/lockouts/{attempt.pk}/release/").status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert not AuditEvent.objects.filter(action="lockout_release").exists()
    assert AuditEvent.objects.filter(action="access_refused", summary__contains="/admin/lockouts/").count() == 2
