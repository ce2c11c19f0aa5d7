"""The county office's first login in a real browser (Debian chromium), on a county started by `tuopin init`: the
password from the accounts file, then the change page, which no other address gets round, then home; with the
second factor asked first (the production profile), the change page, then the enrolment page, then home."""

from __future__ import annotations

import json

import pytest

from tuopin import cli
from tuopin.apps.accounts import totp
from tuopin.apps.accounts.models import User

pytestmark = pytest.mark.browser
NEW = "Golden-harvest-2026"


@pytest.fixture
def initialised(transactional_db, settings, tmp_path, monkeypatch):
    """The first passwords of a county just started by `tuopin init`."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.delenv("TUOPIN_LANGUAGE", raising=False)
    out = tmp_path / "initial-accounts.json"
    assert cli.main(["init", "--county", "220821", "--accounts-out", str(out)]) == 0
    return {row["username"]: row["password"] for row in json.loads(out.read_text(encoding="utf-8"))}


def _log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click(".login-panel button[type=submit]")


def _change(page, old):
    page.fill("#id_old_password", old)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.click(".password-change button[type=submit]")


def test_the_county_office_changes_its_first_password_then_reaches_home(page, live_server, initialised):
    _log_in(page, live_server, "county_admin", initialised["county_admin"])
    page.wait_for_url("**/account/password/")
    assert "请先设置您自己的密码" in page.locator("#must-change").inner_text()
    page.goto(f"{live_server.url}/search/")  # another address: back to the change page
    page.wait_for_url("**/account/password/")

    page.fill("#id_old_password", initialised["county_admin"])  # keeping the given password is refused
    page.fill("#id_new_password1", initialised["county_admin"])
    page.fill("#id_new_password2", initialised["county_admin"])
    page.click(".password-change button[type=submit]")
    page.wait_for_selector(".has-error")
    assert "不能与当前密码相同" in page.locator(".password-change").inner_text()

    _change(page, initialised["county_admin"])
    page.wait_for_selector(".msg-success")
    page.wait_for_selector("h1:has-text('镇赉县')")  # the county office's home: its county
    assert "/account/" not in page.url
    assert "county_admin" in page.locator(".user-box").inner_text()
    user = User.objects.get(username="county_admin")
    assert not user.must_change_password and user.check_password(NEW)

    page.click(".user-box button[type=submit]")  # log out, and in with the new password: straight home
    page.wait_for_url("**/login/")
    _log_in(page, live_server, "county_admin", NEW)
    page.wait_for_selector("h1:has-text('镇赉县')")


def test_with_the_second_factor_asked_first_the_password_comes_before_it(page, live_server, initialised, settings):
    settings.TOTP_ENROL_FIRST = True  # as in the production profile
    _log_in(page, live_server, "security_admin", initialised["security_admin"])
    page.wait_for_url("**/account/password/")
    page.goto(f"{live_server.url}/account/second-factor/")
    page.wait_for_url("**/account/password/")
    _change(page, initialised["security_admin"])
    page.wait_for_url("**/account/second-factor/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.fill("#id_code", totp.code_at(secret))
    page.click(".totp-enrol button[type=submit]")
    page.wait_for_selector(".msg-success")
    assert page.url == f"{live_server.url}/"
    user = User.objects.get(username="security_admin")
    assert user.totp_secret == secret and not user.must_change_password
