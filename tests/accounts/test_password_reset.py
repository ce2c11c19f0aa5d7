"""A forgotten password is reset by the system administrator alone, audited, to a one-time password; Django's
`changepassword`, which would set one around the permission layer and the audit trail, is refused."""

import pytest
from django.contrib.sessions.models import Session

from tuopin.apps.accounts.models import User
from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.accounts.services import password_reset
from tuopin.apps.audit.models import AuditEvent
from tuopin.cli import main


def test_the_system_administrator_resets_a_password_to_a_one_time_one(client, county, capsys):
    cadre = county["accounts"]["cadre"]
    client.force_login(cadre)
    assert Session.objects.count() == 1
    assert main(["resetpassword", cadre.username, "--as", "system_admin"]) == 0
    out = capsys.readouterr().out
    password = out.rsplit("：", 1)[-1].strip()
    assert cadre.username in out and len(password) == 20
    cadre.refresh_from_db()
    assert cadre.must_change_password and cadre.check_password(password)
    assert Session.objects.count() == 0  # whoever held the old password is out
    event = AuditEvent.objects.get(action="password_reset", entity_id=str(cadre.pk))
    assert event.actor == county["accounts"]["system_admin"] and event.source == "cli"
    assert password not in str(event.changes) + event.summary


@pytest.mark.parametrize("role", ["county_admin", "security_admin", "audit_admin", "commander", "cadre"])
def test_no_one_else_resets_a_password(county, role):
    target = county["accounts"]["first_secretary"]
    before = User.objects.get(pk=target.pk).password
    with pytest.raises(Refused):
        password_reset(account=target, by=county["accounts"][role])
    assert User.objects.get(pk=target.pk).password == before


@pytest.mark.parametrize("target", ["system_admin", "security_admin", "audit_admin"])
def test_no_administrator_s_password_is_reset(county, target, capsys):
    assert main(["resetpassword", target, "--as", "system_admin"]) == 3
    reason = "修改密码页面" if target == "system_admin" else "三员分立"  # its own, or another administrator's
    assert reason in capsys.readouterr().err
    assert not AuditEvent.objects.filter(action="password_reset").exists()


def test_django_s_changepassword_is_refused(county, capsys):
    before = User.objects.get(username="cadre").password
    assert main(["changepassword", "cadre"]) == 3
    assert "tuopin resetpassword" in capsys.readouterr().err
    assert User.objects.get(username="cadre").password == before


def test_the_accounts_page_resets_a_password_and_shows_it_once(client, county):
    cadre = county["accounts"]["cadre"]
    client.force_login(county["accounts"]["system_admin"])
    page = client.get("/admin/accounts/").content.decode()
    assert f"/admin/accounts/{cadre.pk}/reset-password/" in page
    assert f"/admin/accounts/{county['accounts']['security_admin'].pk}/reset-password/" not in page
    response = client.post(f"/admin/accounts/{cadre.pk}/reset-password/")
    html = response.content.decode()
    assert response.status_code == 200 and "一次性密码" in html
    password = html.split('id="one-time-password">', 1)[1].split("<", 1)[0]
    cadre.refresh_from_db()
    assert cadre.check_password(password) and cadre.must_change_password
    assert AuditEvent.objects.get(action="password_reset").source == "web"
    assert "no-store" in response["Cache-Control"]


def test_the_page_refuses_anyone_but_the_system_administrator(client, county):
    cadre = county["accounts"]["cadre"]
    for role in ("county_admin", "security_admin"):
        client.force_login(county["accounts"][role])
        assert client.post(f"/admin/accounts/{cadre.pk}/reset-password/").status_code == 403
    client.force_login(county["accounts"]["system_admin"])
    admin = county["accounts"]["audit_admin"]
    assert client.post(f"/admin/accounts/{admin.pk}/reset-password/").status_code == 403
    assert not AuditEvent.objects.filter(action="password_reset").exists()
