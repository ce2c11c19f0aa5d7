"""An account whose password someone else chose (`tuopin init`, the system administrator's accounts page) must
choose its own at the first login: every page sends it to the change page until it has; then, where the role
needs a second factor and the profile asks for it first, to the enrolment page."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, account
from tuopin.apps.accounts.models import Role, User
from tuopin.apps.accounts.services import account_create
from tuopin.apps.audit.models import AuditEvent

CHANGE = "/account/password/"
NEW = "Spring-wheat-2026"


@pytest.fixture
def forced(county):
    user = account("office1", Role.COUNTY_ADMIN, region=county["county"], must_change_password=True)
    return user


def _login(client, username="office1", password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def test_first_login_goes_to_the_change_page_and_nothing_else_opens(client, forced, county):
    response = _login(client)
    assert response.status_code == 302 and response.url == CHANGE
    for path in ("/", "/search/", f"/households/{county['households'][0].pk}/", "/tasks/", "/api/households/"):
        page = client.get(path)
        assert page.status_code == 302 and page.url == CHANGE, path
    page = client.get(CHANGE)
    assert page.status_code == 200 and "请先设置您自己的密码" in page.content.decode()


def test_changing_the_password_frees_the_account_and_is_audited(client, forced):
    _login(client)
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response.url == "/"
    home = client.get("/", follow=True)  # the same session goes on, to the county office's home: its county
    assert home.status_code == 200 and home.request["PATH_INFO"].startswith("/regions/")
    user = User.objects.get(username="office1")
    assert not user.must_change_password and user.check_password(NEW)
    event = AuditEvent.objects.get(action="password_change")
    assert event.actor == user and event.changes["must_change_password"] == [True, False]
    assert NEW not in str(event.changes) + event.summary
    client.post("/logout/")
    assert _login(client, password=NEW).url == "/"  # no detour any more
    assert client.get("/").url != CHANGE


@pytest.mark.parametrize("new, message", [
    (PASSWORD, "不能与当前密码相同"),     # keeping the password someone else chose
    ("short1A!", "has-error"),             # Django's length rule (its Chinese does not match Django 5.2's msgid)
    ("alllowercaseletters", "至少"),       # the character classes
])
def test_a_new_password_must_pass_the_policy_and_differ(client, forced, new, message):
    _login(client)
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 400 and message in response.content.decode()
    assert User.objects.get(username="office1").must_change_password


def test_the_current_password_is_asked(client, forced):
    _login(client)
    response = client.post(CHANGE, {"old_password": "Wrong-password-1", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 400 and User.objects.get(username="office1").must_change_password


def test_then_the_second_factor_where_the_profile_asks_it_first(client, forced, settings):
    settings.TOTP_ENROL_FIRST = True
    assert _login(client).url == CHANGE
    assert client.get("/account/second-factor/").url == CHANGE  # the password comes first
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.url == "/account/second-factor/"
    assert client.get("/").url == "/account/second-factor/"


def test_an_account_with_a_second_factor_changes_after_its_code(client, county):
    from tuopin.apps.accounts import totp

    user = account("office3", Role.COUNTY_ADMIN, region=county["county"], must_change_password=True,
                   totp_secret=totp.new_secret())
    assert _login(client, "office3").url == "/login/code/"
    response = client.post("/login/code/", {"code": totp.code_at(user.totp_secret)})
    assert response.status_code == 302
    assert client.get(response.url).url == CHANGE  # logged in, and held at the change page


def test_accounts_made_by_the_system_administrator_must_change_too(db):
    admin = account("sys1", Role.SYSTEM_ADMIN)
    made = account_create(username="clerk7", password="Grass-seed-2025", by=admin)
    assert made.must_change_password


def test_anyone_may_change_their_password_from_the_menu(client, county):
    user = account("office2", Role.COUNTY_ADMIN, region=county["county"])
    client.force_login(user)
    assert f'href="{CHANGE}"' in client.get("/", follow=True).content.decode()
    assert client.get(CHANGE).status_code == 200
