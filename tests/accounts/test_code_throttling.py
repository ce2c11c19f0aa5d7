"""The second step's code is throttled like the password (decision 1150): a few wrong codes send the person back
to the password; every wrong code counts, with the wrong passwords, towards the django-axes lockout of the
username + address, and a new password step does not reset that count; once locked, even the right code is
refused until the security administrator releases the lock (decision 0909) or the cool-off ends."""

from axes.models import AccessAttempt
from django.test import Client

from tests.factories import PASSWORD, account
from tuopin.apps.accounts import totp
from tuopin.apps.accounts.models import Role
from tuopin.apps.audit.models import AuditEvent

LOGIN, CODE = "/login/", "/login/code/"
ADDRESS = "10.6.6.6"




def _client() -> Client:
    return Client(REMOTE_ADDR=ADDRESS)


def _wrong(user) -> str:
    return f"{(int(totp.code_at(user.totp_secret)) + 500_000) % 1_000_000:06d}"


def _password(client, password=PASSWORD):
    return client.post(LOGIN, {"username": "admin1", "password": password})


def _failures() -> int:
    return sum(AccessAttempt.objects.filter(username="admin1", ip_address=ADDRESS)
               .values_list("failures_since_start", flat=True))


def test_wrong_codes_send_the_person_back_to_the_password_step(admin, settings):
    client = _client()
    assert _password(client).url == CODE
    for _ in range(settings.TOTP_CODE_ATTEMPTS - 1):
        response = client.post(CODE, {"code": _wrong(admin)})
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(CODE, {"code": _wrong(admin)}, follow=True)
    assert response.redirect_chain == [(LOGIN, 302)]
    assert "Too many wrong codes" in response.content.decode() or "验证码错误次数过多" in response.content.decode()
    # The pending login is gone: the right code no longer helps without the password.
    assert client.post(CODE, {"code": totp.code_at(admin.totp_secret)}).url == LOGIN
    assert "_auth_user_id" not in client.session
    assert _failures() == settings.TOTP_CODE_ATTEMPTS
    wrong = AuditEvent.objects.filter(action="login_failed", actor=admin, summary__startswith="wrong second-factor")
    assert wrong.count() == settings.TOTP_CODE_ATTEMPTS and {e.ip_address for e in wrong} == {ADDRESS}


def test_a_new_password_step_does_not_reset_the_wrong_codes_and_the_lockout_follows(admin, settings):
    client = _client()
    _password(client)
    for _ in range(settings.TOTP_CODE_ATTEMPTS):
        client.post(CODE, {"code": _wrong(admin)})
    assert _password(client).url == CODE  # not locked yet: the password step is passed again …
    assert _failures() == settings.TOTP_CODE_ATTEMPTS  # … and the wrong codes are still counted
    responses = [client.post(CODE, {"code": _wrong(admin)})
                 for _ in range(settings.AXES_FAILURE_LIMIT - settings.TOTP_CODE_ATTEMPTS)]
    assert responses[-1].status_code == 429 and 'id="locked"' in responses[-1].content.decode()
    assert AuditEvent.objects.filter(action="locked_out", actor=admin).exists()
    # Locked: the password step is refused, the right password too.
    assert _password(client).status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_and_wrong_codes_are_counted_together(admin, settings):
    client = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _password(client, "wrong-password-1")
    assert _password(client).url == CODE
    assert client.post(CODE, {"code": _wrong(admin)}).status_code == 429
    assert _failures() == settings.AXES_FAILURE_LIMIT


def test_once_locked_even_the_right_code_is_refused(admin, settings):
    """Two sessions from one address: the one still at the code page cannot use the right code once the other
    has locked the account there by guessing."""
    waiting, guessing = _client(), _client()
    assert _password(waiting).url == CODE
    _password(guessing)
    while _failures() < settings.AXES_FAILURE_LIMIT:
        if guessing.post(CODE, {"code": _wrong(admin)}).status_code == 302:
            _password(guessing)
    response = waiting.post(CODE, {"code": totp.code_at(admin.totp_secret)})
    assert response.status_code == 429 and "_auth_user_id" not in waiting.session
    admin.refresh_from_db()
    assert admin.totp_last_step is None  # the code was not even looked at
    assert AuditEvent.objects.filter(action="login_failed", summary__startswith="locked second-factor").exists()


def test_a_complete_login_resets_the_count(admin):
    client = _client()
    _password(client)
    client.post(CODE, {"code": _wrong(admin)})
    assert _failures() == 1
    assert client.post(CODE, {"code": totp.code_at(admin.totp_secret)}).status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk) and _failures() == 0


def test_codes_are_not_kept_in_the_lockout_records(admin):
    client = _client()
    _password(client)
    wrong = _wrong(admin)
    client.post(CODE, {"code": wrong})
    assert wrong not in "".join(AccessAttempt.objects.values_list("post_data", flat=True))


def test_five_wrong_codes_then_lockout_then_release(admin, settings):
    """The sequence of the security review, with five codes per password step and the lockout at ten."""
    settings.TOTP_CODE_ATTEMPTS, settings.AXES_FAILURE_LIMIT = 5, 10
    client = _client()
    _password(client)
    codes = [client.post(CODE, {"code": _wrong(admin)}) for _ in range(5)]
    assert [r.status_code for r in codes] == [200, 200, 200, 200, 302] and codes[-1].url == LOGIN
    assert _password(client).url == CODE  # the password step again
    codes = [client.post(CODE, {"code": _wrong(admin)}) for _ in range(5)]
    assert codes[-1].status_code == 429  # ten failures: locked
    assert _password(client).status_code == 429
    refused = client.post(CODE, {"code": totp.code_at(admin.totp_secret)})
    assert refused.status_code == 429 or refused.url == LOGIN  # no pending login left to complete
    assert "_auth_user_id" not in client.session

    security = Client()
    security.force_login(account("security1", Role.SECURITY_ADMIN))
    attempt = AccessAttempt.objects.get(username="admin1", ip_address=ADDRESS)
    assert security.post(f"/admin/lockouts/{attempt.pk}/release/").status_code == 302
    assert AuditEvent.objects.filter(action="lockout_release", entity_id=str(admin.pk)).exists()
    assert _password(client).url == CODE
    assert client.post(CODE, {"code": totp.code_at(admin.totp_secret)}).status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)
