"""TOTP second factor (RFC 6238) and the two-step login."""

import hashlib

import pytest

from tests.factories import PASSWORD, account
from tuopin.apps.accounts import totp
from tuopin.apps.audit.models import AuditEvent

# RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890", 8 digits.
RFC_SEED = b"12345678901234567890"


@pytest.mark.parametrize("at, expected", [
    (59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
    (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130"),
])
def test_rfc_6238_test_vectors(at, expected):
    assert totp.hotp(RFC_SEED, at // 30, digits=8, digest=hashlib.sha1) == expected


def test_verify_accepts_the_current_and_adjacent_step_only():
    secret = totp.new_secret()
    now = 1_700_000_000
    assert totp.verify(secret, totp.code_at(secret, now), at=now)
    assert totp.verify(secret, totp.code_at(secret, now - 30), at=now)
    assert not totp.verify(secret, totp.code_at(secret, now - 90), at=now)
    assert not totp.verify(secret, "abcdef", at=now)


def test_new_secret_is_base32_of_160_bits():
    secret = totp.new_secret()
    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


@pytest.fixture
def admin_with_secret(db):
    user = account("admin1", "county_admin")
    user.totp_secret = totp.new_secret()
    user.save()
    return user


def test_password_alone_does_not_log_in_an_account_with_a_secret(client, admin_with_secret):
    response = client.post("/login/", {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still not logged in


def test_right_code_logs_in(client, admin_with_secret):
    client.post("/login/", {"username": "admin1", "password": PASSWORD})
    response = client.post("/login/code/", {"code": totp.code_at(admin_with_secret.totp_secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_with_secret.pk)
    assert AuditEvent.objects.filter(action="login", actor=admin_with_secret).exists()


def test_wrong_code_is_refused_and_audited(client, admin_with_secret):
    client.post("/login/", {"username": "admin1", "password": PASSWORD})
    good = totp.code_at(admin_with_secret.totp_secret)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post("/login/code/", {"code": wrong})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", actor=admin_with_secret).exists()


def test_code_page_without_password_step_goes_back_to_login(client, db):
    assert client.get("/login/code/").url == "/login/"
