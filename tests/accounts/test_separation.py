"""三员分立 pages: each administrator's page is theirs alone (403, audited, for every other role); each write
is audited; the audit administrator reads a masked, filterable trail and changes nothing."""

import pytest
from django.contrib.sessions.models import Session

from tests.factories import account
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.services import audit_event

ROLES = ["county_admin", "commander", "first_secretary", "cadre", "department", "evaluator", "system_admin",
         "security_admin", "audit_admin"]
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
    response = client.post("/admin/accounts/", {"username": "newcadre", "role": "cadre",
                                                "password": "Grass-seed-2025"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="account_create", actor=accounts["system_admin"]).exists()
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
    event = AuditEvent.objects.get(action="account_scope")
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
