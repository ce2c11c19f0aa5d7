"""Optimistic locking on the organisation records people edit (decision 0906): pairings, work teams and their
members, 1×5 groups and war zones carry a version and who saved it when; an edit made from a stale read is
refused, naming them, and nothing is written."""

import datetime as dt

import pytest
from django.utils import timezone

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.organisation.models import (Cadre, CadreHouseholdPairing, UnitVillagePairing, WarZone,
                                             WorkTeamMember)
from tuopin.apps.organisation.services import (cadre_household_handover, mutual_group_create,
                                               mutual_group_set_members, pairing_end, period_end,
                                               war_zone_set_commanders)
from tuopin.apps.registry.services import StaleEdit


def _when(instance) -> str:
    return timezone.localtime(instance.updated_at).strftime("%Y-%m-%d %H:%M")


def test_records_made_by_the_bulk_loaders_start_at_version_1(org):
    # The fixture makes them with objects.create; the demo and imports insert plain rows (db_default).
    assert set(CadreHouseholdPairing.objects.values_list("version", flat=True)) == {1}
    assert set(WorkTeamMember.objects.values_list("version", flat=True)) == {1}
    assert CadreHouseholdPairing.objects.filter(updated_by__isnull=False).count() == 0


@pytest.mark.parametrize("model", [CadreHouseholdPairing, UnitVillagePairing, WorkTeamMember])
def test_ending_a_period_from_a_stale_read_is_refused(org, model):
    admin, commander = org["accounts"]["county_admin"], org["accounts"]["commander"]
    record = model.objects.order_by("pk").first()
    read = record.version
    first = period_end(instance=record, end=dt.date(2020, 12, 31), by=commander, version=read)
    assert (first.version, first.updated_by) == (read + 1, commander)
    with pytest.raises(StaleEdit) as refused:
        period_end(instance=record, end=dt.date(2019, 12, 31), by=admin, version=read, reason="另一个人")
    assert "commander" in str(refused.value) and _when(first) in str(refused.value)
    record.refresh_from_db()
    assert record.end == dt.date(2020, 12, 31) and record.version == read + 1
    assert not AuditEvent.objects.filter(summary="另一个人").exists()


def test_a_handover_moves_the_old_pairings_version(org):
    admin, h2 = org["accounts"]["county_admin"], org["households"][1]
    old = CadreHouseholdPairing.objects.get(household=h2, cadre=org["zhao"])
    cadre_household_handover(household=h2, to=org["cadre"], on=dt.date(2019, 7, 1), by=admin)
    with pytest.raises(StaleEdit, match="county_admin"):
        pairing_end(instance=old, end=dt.date(2019, 12, 31), by=org["accounts"]["commander"], version=1)


def test_a_mutual_groups_members_from_a_stale_read_are_refused(org):
    admin, commander = org["accounts"]["county_admin"], org["accounts"]["commander"]
    cadres = [Cadre.objects.create(name=f"干部{i}", unit=org["paired_unit"]) for i in range(7)]
    group = mutual_group_create(name="互助组", members=cadres[:5], by=admin, township=org["townships"][0])
    assert group.version == 1
    mutual_group_set_members(group=group, members=cadres[1:6], by=commander, version=1)
    with pytest.raises(StaleEdit) as refused:
        mutual_group_set_members(group=group, members=cadres[2:7], by=admin, version=1)
    assert "commander" in str(refused.value)
    group.refresh_from_db()
    assert sorted(group.members.values_list("pk", flat=True)) == sorted(c.pk for c in cadres[1:6])
    assert (group.version, group.updated_by) == (2, commander)


def test_war_zone_commanders_from_a_stale_read_are_refused(org):
    from tests.factories import account
    from tuopin.apps.accounts.models import Role

    # The county office names a zone's commanders (decision 1220): two clerks of it edit the same zone.
    admin = org["accounts"]["county_admin"]
    commander = account("office2", Role.COUNTY_ADMIN, region=org["county"])
    t1 = org["townships"][0]
    zone = WarZone.objects.get(township=t1)
    other_leader = Cadre.objects.create(name="李县长", unit=org["paired_unit"], is_county_leader=True)
    war_zone_set_commanders(township=t1, county_leader=other_leader, party_secretary=org["secretary"], by=commander,
                            version=zone.version)
    with pytest.raises(StaleEdit, match="office2"):
        war_zone_set_commanders(township=t1, county_leader=org["leader"], party_secretary=org["secretary"], by=admin,
                                version=1)
    zone.refresh_from_db()
    assert (zone.county_leader, zone.version, zone.updated_by) == (other_leader, 2, commander)
