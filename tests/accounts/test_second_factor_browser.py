"""Enrolling an authenticator app in a real browser (Debian chromium): a security administrator with no second
factor yet logs in with the password, is taken to the enrolment page, reads the key shown beside the QR code,
confirms with a code computed from it, logs out, and logs in again with password and code."""

import time

import pytest

from tests.factories import PASSWORD, account
from tuopin.apps.accounts import totp
from tuopin.apps.accounts.models import Role, User

pytestmark = pytest.mark.browser


def _password(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "security1")
    page.fill("#id_password", PASSWORD)
    page.click(".login-panel button[type=submit]")


def test_enrol_then_log_in_with_the_second_factor(page, live_server, transactional_db, settings):
    settings.TOTP_ENROL_FIRST = True  # as in production: the account has no secret yet
    account("security1", Role.SECURITY_ADMIN)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    _password(page, live_server)
    page.wait_for_url("**/account/second-factor/")
    qr = page.locator(".qr svg")
    assert qr.count() == 1 and qr.bounding_box()["width"] >= 100  # drawn, not a broken image
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert len(secret) == 32
    page.fill("#id_code", totp.code_at(secret))
    page.click(".totp-enrol button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert page.url == f"{live_server.url}/"
    assert User.objects.get(username="security1").totp_secret == secret

    page.click(".user-box button[type=submit]")  # log out
    page.wait_for_url("**/login/")
    _password(page, live_server)
    page.wait_for_url("**/login/code/")
    # The enrolment used this step's code; the app's next code is accepted within its window.
    page.fill("#id_code", totp.code_at(secret, time.time() + totp.STEP))
    page.click(".login-panel button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "security1" in page.locator(".user-box").inner_text()

    assert not blocked  # the inline SVG breaks no CSP rule
    assert all(url.startswith(live_server.url) for url in requests)  # no external request
    assert not [url for url in requests if secret in url]  # the secret in no URL
