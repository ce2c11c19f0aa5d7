"""`tuopin demo`: builds into an empty database, writes the accounts, audits, refuses, resets."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management.base import CommandError

from tuopin import cli
from tuopin.apps.accounts.models import Role, User
from tuopin.apps.accounts.scoping import households_visible_to
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import Region, VillageYear
from tuopin.apps.organisation.models import CadreHouseholdPairing, Unit, WorkTeamMember
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear, StatusEvent


def export_content():
    """What an export shows, without primary keys."""
    return (
        sorted(Person.objects.values_list("id_number", "number", "name", "household__number", "active")),
        sorted(HouseholdYear.objects.values_list("household__number", "year", "members", "net_income_fen",
                                                 "housing_grade", "renovation")),
        sorted(PersonYear.objects.values_list("person__id_number", "year", "school_status", "basic_medical")),
        sorted(StatusEvent.objects.values_list("household__number", "kind", "year", "effective_on", "persons")),
        sorted(CadreHouseholdPairing.objects.values_list("cadre__name", "household__number", "start", "end")),
        sorted(VillageYear.objects.values_list("village__code", "year", "population", "households")),
    )


def test_demo_builds_the_county_with_one_account_per_role_and_audits_each_table(transactional_db, demo,
                                                                                 accounts_file, monkeypatch,
                                                                                 settings):
    from tests.bars import assert_counts_to_the_end, record_bars
    from tuopin.apps.demo.load import STEPS
    from tuopin.apps.demo.management.commands import demo as command

    bars = record_bars(monkeypatch, command)
    out = demo("--seed", "3")
    assert assert_counts_to_the_end(bars.opened[0]) == STEPS  # the build told every step it counts
    assert str(accounts_file) in out and "18,884" not in out  # a small build prints its own figures
    # The commanders' ranked risk list works from the start: the demo trains the model as `tuopin risk train` does.
    risk = out.split("risk score beside the monitoring rules (tuopin risk train):\n", 1)[1]
    assert risk.startswith("  trained on [2018, "), risk[:300]
    assert (settings.VAR_DIR / "models" / "risk.txt").exists()

    rows = json.loads(accounts_file.read_text(encoding="utf-8"))
    working = sorted(r for r in Role.values if r != Role.UNASSIGNED)  # one account per role that does something
    assert sorted(r["role"] for r in rows) == working
    assert (accounts_file.stat().st_mode & 0o777) == 0o600
    for row in rows:
        assert set(row) == {"role", "username", "password", "totp_secret", "scope"}
        assert row["username"] == row["role"] and len(row["password"]) >= 16
        # Administrative roles carry a TOTP secret for an authenticator app; the others none (decision 0903).
        needs_code = row["role"] in ("county_admin", "system_admin", "security_admin", "audit_admin")
        assert (row["totp_secret"] is not None) == needs_code
        if needs_code:
            assert User.objects.get(username=row["username"]).totp_secret == row["totp_secret"]
        user = User.objects.get(username=row["username"])
        assert user.role == row["role"] and user.check_password(row["password"])
    assert User.objects.count() == len(working)  # only the demo accounts have passwords

    users = {u.username: u for u in User.objects.all()}
    assert users["county_admin"].region.code == "220821000000"
    assert users["commander"].region.name == "镇赉镇"
    fs = users["first_secretary"]
    assert fs.region.is_poor_village
    assert WorkTeamMember.objects.filter(cadre=fs.cadre, team__village=fs.region, is_first_secretary=True).exists()
    assert users["department"].department == Unit.objects.get(domain="education", kind="department")
    assert Unit.objects.filter(kind="township", region__level="township").count() == 11
    cadre_households = households_visible_to(users["cadre"])
    assert cadre_households.count() >= 2
    assert all(h.is_registered for h in cadre_households)

    events = AuditEvent.objects.filter(action="demo_build", source="demo")
    entities = set(events.values_list("entity", flat=True))
    assert {"geo.region", "geo.villageyear", "registry.household", "registry.person", "registry.householdyear",
            "registry.personyear", "registry.statusevent", "registry.procedurestep", "organisation.unit",
            "organisation.cadre", "organisation.cadrehouseholdpairing", "organisation.mutualgroup",
            "accounts.user"} <= entities
    persons = events.get(entity="registry.person")
    assert persons.batch["rows"] == Person.objects.count() and persons.batch["seed"] == 3
    assert all(e.actor is None for e in events)


def test_every_registered_household_has_an_active_cadre(transactional_db, demo, accounts_file):
    demo("--no-risk-model")
    today = dt.date.today()
    open_registered = Household.objects.filter(is_registered=True, closed=False)
    without = open_registered.exclude(cadre_pairings__start__lte=today, cadre_pairings__end__isnull=True)
    assert open_registered.exists() and not without.exists()
    assert Region.objects.filter(level="village").count() == 141


def test_refuses_a_database_with_data_and_reset_rebuilds_the_same_county(transactional_db, demo, accounts_file):
    demo("--seed", "5", "--no-risk-model")
    first = export_content()
    before = json.loads(accounts_file.read_text(encoding="utf-8"))

    with pytest.raises(CommandError) as refused:
        demo("--seed", "5", "--no-risk-model")
    assert refused.value.returncode == 2 and "--reset" in str(refused.value)
    assert cli.main(["demo", "--no-serve", "--scale", "0.02"]) == 2
    assert export_content() == first  # nothing was touched

    User.objects.create(username="left-over", role=Role.EVALUATOR)
    demo("--seed", "5", "--reset", "--no-risk-model")
    assert export_content() == first  # same seed, same county
    assert not User.objects.filter(username="left-over").exists()
    after = json.loads(accounts_file.read_text(encoding="utf-8"))
    assert [r["password"] for r in after] != [r["password"] for r in before]  # fresh passwords each build
