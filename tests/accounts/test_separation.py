"""三员分立 pages: each administrator's page is theirs alone (403, audited, for every other role); each write
is audited; the audit administrator reads a masked, filterable trail and changes nothing."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError

from tests.factories import account
from tuopin.apps.accounts.models import User
from tuopin.apps.accounts.permissions import Action, Refused, may
from tuopin.apps.accounts.scoping import households_visible_to, regions_visible_to
from tuopin.apps.accounts.services import account_create, account_disable, account_set_scope
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.services import audit_event

ROLES = ["county_admin", "commander", "first_secretary", "cadre", "department", "evaluator", "system_admin",
         "security_admin", "audit_admin", "unassigned"]
PAGES = {"/admin/accounts/": "system_admin", "/admin/roles/": "security_admin", "/admin/audit/": "audit_admin"}


@pytest.fixture
def accounts(db):
    return {role: account(role, role) for role in ROLES}


@pytest.mark.parametrize("path, owner", PAGES.items())
def test_each_page_is_its_administrator_s_alone(client, accounts, path, owner):
    for role, user in accounts.items():
        client.force_login(user)
        status = client.get(path).status_code
        assert status == (200 if role == owner else 403), (role, path)
    refused = AuditEvent.objects.filter(action="access_refused", summary__contains=path)
    assert refused.count() == len(ROLES) - 1


def test_system_admin_creates_and_disables_accounts(client, accounts):
    client.force_login(accounts["system_admin"])
    response = client.post("/admin/accounts/", {"username": "newcadre", "role": "county_admin",
                                                "password": "Grass-seed-2025"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="account_create", actor=accounts["system_admin"]).exists()
    # A role sent with the form is ignored: the new account has none until the security administrator gives one.
    assert User.objects.get(username="newcadre").role == "unassigned"
    # A weak password is refused by the policy.
    response = client.post("/admin/accounts/", {"username": "weak", "role": "cadre", "password": "password"})
    assert response.status_code == 200 and not AuditEvent.objects.filter(summary__contains="weak").exists()

    from django.test import Client

    victim = accounts["cadre"]
    other = Client()
    other.force_login(victim)
    response = client.post(f"/admin/accounts/{victim.pk}/disable/")
    assert response.status_code == 302
    victim.refresh_from_db()
    assert not victim.is_active
    assert all(s.get_decoded().get("_auth_user_id") != str(victim.pk) for s in Session.objects.all())
    assert AuditEvent.objects.filter(action="account_disable", entity_id=str(victim.pk)).exists()


def test_system_admin_sees_no_household_data(client, county):
    client.force_login(county["accounts"]["system_admin"])
    household = county["households"][0]
    assert client.get(f"/households/{household.pk}/").status_code in (403, 404)


def test_security_admin_changes_role_and_scope(client, county):
    accounts = county["accounts"]
    client.force_login(accounts["security_admin"])
    target = accounts["evaluator"]
    village = county["villages"][0]
    assert client.post(f"/admin/roles/{target.pk}/", {"role": "first_secretary", "region": village.pk}).status_code == 302
    target.refresh_from_db()
    assert target.role == "first_secretary" and target.region == village
    event = AuditEvent.objects.get(action="grant_personal_data")
    assert event.changes["role"] == ["evaluator", "first_secretary"] and event.actor == accounts["security_admin"]


def test_audit_admin_filters_a_masked_trail_and_cannot_write(client, accounts):
    audit_event(actor=accounts["cadre"], action="export", summary="exported 360426199101010071")
    audit_event(actor=accounts["commander"], action="update", summary="edited a household")
    client.force_login(accounts["audit_admin"])
    page = client.get("/admin/audit/", {"user": "cadre", "action": "export"}).content.decode()
    assert "exported" in page and "edited a household" not in page
    assert "360426199101010071" not in page and "360426" in page
    # No edit rights anywhere: registry pages and writes are refused.
    assert client.post("/admin/audit/").status_code in (200, 405)
    assert AuditEvent.objects.count() >= 2
    assert not accounts["audit_admin"].may_edit_registry


# --- 三员分立 that no single administrator can break (decision 1102) ---------------------------------------------

def test_the_security_administrator_cannot_change_its_own_role(client, county):
    security = county["accounts"]["security_admin"]
    client.force_login(security)
    assert client.get(f"/admin/roles/{security.pk}/").status_code == 403
    assert client.post(f"/admin/roles/{security.pk}/", {"role": "county_admin",
                                                        "region": county["county"].pk}).status_code == 403
    security.refresh_from_db()
    assert security.role == "security_admin"
    with pytest.raises(Refused):
        account_set_scope(account=security, by=security, role="county_admin", region=county["county"])
    assert User.objects.get(pk=security.pk).role == "security_admin"


@pytest.mark.parametrize("target", ["system_admin", "audit_admin"])
def test_the_security_administrator_cannot_change_another_administrator(client, county, target):
    other = county["accounts"][target]
    client.force_login(county["accounts"]["security_admin"])
    assert client.post(f"/admin/roles/{other.pk}/", {"role": "county_admin",
                                                     "region": county["county"].pk}).status_code == 403
    with pytest.raises(Refused):
        account_set_scope(account=other, by=county["accounts"]["security_admin"], role="county_admin",
                          region=county["county"])
    other.refresh_from_db()
    assert other.role == target


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_administrative_roles_are_not_granted_from_inside(client, county, role):
    target = county["accounts"]["unassigned"]
    security = county["accounts"]["security_admin"]
    client.force_login(security)
    client.post(f"/admin/roles/{target.pk}/", {"role": role})
    target.refresh_from_db()
    assert target.role == "unassigned"
    with pytest.raises(Refused):
        account_set_scope(account=target, by=security, role=role)


def test_a_role_without_its_scope_is_refused(county):
    target = county["accounts"]["unassigned"]
    security = county["accounts"]["security_admin"]
    for role, scope in [("county_admin", {}), ("commander", {"region": county["villages"][0]}),
                        ("cadre", {}), ("department", {"region": county["county"]})]:
        with pytest.raises(ValidationError):
            account_set_scope(account=target, by=security, role=role, **scope)
        target.refresh_from_db()
        assert target.role == "unassigned", role


@pytest.mark.parametrize("role", ["county_admin", "commander", "first_secretary", "cadre", "department", "evaluator",
                                  "audit_admin", "unassigned"])
def test_only_the_security_administrator_assigns_roles(client, county, role):
    target = county["accounts"]["unassigned"]
    actor = county["accounts"][role]
    client.force_login(actor)
    assert client.post(f"/admin/roles/{target.pk}/", {"role": "county_admin",
                                                      "region": county["county"].pk}).status_code == 403
    with pytest.raises(Refused):
        account_set_scope(account=target, by=actor, role="county_admin", region=county["county"])
    target.refresh_from_db()
    assert target.role == "unassigned"


@pytest.mark.parametrize("target", ["system_admin", "security_admin", "audit_admin"])
def test_the_system_administrator_disables_no_administrator(client, county, target):
    victim = county["accounts"][target]
    client.force_login(county["accounts"]["system_admin"])
    assert client.post(f"/admin/accounts/{victim.pk}/disable/").status_code == 403
    victim.refresh_from_db()
    assert victim.is_active
    with pytest.raises(Refused):
        account_disable(account=victim, by=county["accounts"]["system_admin"])


@pytest.mark.parametrize("role", ["county_admin", "commander", "security_admin", "audit_admin", "cadre"])
def test_only_the_system_administrator_creates_and_disables(client, county, role):
    actor = county["accounts"][role]
    with pytest.raises(Refused):
        account_create(username="made-by-" + role, password="Grass-seed-2025", by=actor)
    with pytest.raises(Refused):
        account_disable(account=county["accounts"]["unassigned"], by=actor)
    assert not User.objects.filter(username="made-by-" + role).exists()
    assert User.objects.get(username="unassigned").is_active


def test_no_superuser_can_be_created(county, capsys):
    from tuopin.cli import main

    assert main(["createsuperuser", "--noinput", "--username", "root", "--email", "r@example.org"]) == 3
    assert "tuopin init" in capsys.readouterr().err  # the one way administrators are made
    with pytest.raises(PermissionError):
        User.objects.create_superuser("root", "r@example.org", "Grass-seed-2025")
    assert not User.objects.filter(username="root").exists()


def test_a_superuser_flag_gives_nothing(client, county):
    # Set behind the application's back (straight in the database): every decision reads the role, not the flag.
    User.objects.filter(username="unassigned").update(is_superuser=True, is_staff=True)
    user = User.objects.get(username="unassigned")
    assert not households_visible_to(user).exists() and not may(user, Action.SEE_ID_NUMBERS)
    client.force_login(user)
    assert client.get(f"/households/{county['households'][0].pk}/").status_code == 404
    assert client.get("/api/households/").json()["results"] == []


@pytest.mark.parametrize("role", ["county_admin", "commander", "first_secretary", "department", "evaluator"])
def test_an_account_without_its_region_sees_nothing(client, county, role):
    user = county["accounts"][role]
    User.objects.filter(pk=user.pk).update(region=None)
    user = User.objects.get(pk=user.pk)
    assert not households_visible_to(user).exists()
    assert not regions_visible_to(user).exists()
    assert not may(user, Action.SEE_ID_NUMBERS) and not may(user, Action.EDIT_REGISTRY)
    client.force_login(user)
    assert client.get("/api/households/").json()["results"] == []
    assert client.get(f"/households/{county['households'][0].pk}/").status_code == 404


def test_a_grant_of_personal_data_is_shown_to_the_audit_administrator(client, county):
    target = county["accounts"]["unassigned"]
    account_set_scope(account=target, by=county["accounts"]["security_admin"], role="commander",
                      region=county["townships"][0])
    client.force_login(county["accounts"]["audit_admin"])
    page = client.get("/admin/audit/", {"action": "grant_personal_data"}).content.decode()
    assert "unassigned" in page and "security_admin" in page
