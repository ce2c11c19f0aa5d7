"""Pairings with periods and history, work teams, 1×5 groups, war zones."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.organisation.models import Cadre, CadreHouseholdPairing, MutualGroup
from tuopin.apps.organisation.selectors import household_pairing_history, responsible_cadres, village_units
from tuopin.apps.organisation.services import (cadre_household_handover, cadre_household_pairing_create,
                                               mutual_group_create, pairing_end, unit_village_pairing_create,
                                               war_zone_set_commanders, work_team_member_add)

HANDOVER = dt.date(2019, 7, 1)


def test_who_was_responsible_on_a_date(org):
    admin, h2 = org["accounts"]["county_admin"], org["households"][1]
    cadre_household_handover(household=h2, to=org["cadre"], on=HANDOVER, by=admin, reason="赵干部调离")
    assert responsible_cadres(h2, dt.date(2015, 12, 31)) == []
    assert responsible_cadres(h2, HANDOVER - dt.timedelta(days=1)) == [org["zhao"]]
    assert responsible_cadres(h2, HANDOVER) == [org["cadre"]]
    history = [(p.cadre.name, p.start, p.end) for p in household_pairing_history(h2)]
    assert history == [("赵干部", dt.date(2016, 1, 1), dt.date(2019, 6, 30)), ("王干部", HANDOVER, None)]
    ended = AuditEvent.objects.get(action="end")
    assert ended.changes == {"end": [None, "2019-06-30"]} and ended.summary == "赵干部调离"


def test_ending_a_pairing_keeps_it_as_history(org):
    admin, h1 = org["accounts"]["county_admin"], org["households"][0]
    pairing = CadreHouseholdPairing.objects.get(household=h1)
    pairing_end(instance=pairing, end=dt.date(2020, 12, 31), by=admin)
    assert CadreHouseholdPairing.objects.filter(household=h1).count() == 1
    assert responsible_cadres(h1, dt.date(2020, 12, 31)) == [org["cadre"]]
    assert responsible_cadres(h1, dt.date(2021, 1, 1)) == []
    with pytest.raises(ValidationError):
        pairing_end(instance=pairing, end=dt.date(2015, 1, 1), by=admin)  # before it started


def test_overlapping_pairings_of_the_same_cadre_and_household_are_refused(org):
    admin, h1 = org["accounts"]["county_admin"], org["households"][0]
    with pytest.raises(ValidationError):
        cadre_household_pairing_create(cadre=org["cadre"], household=h1, start=dt.date(2018, 1, 1), by=admin)
    with pytest.raises(ValidationError):
        cadre_household_pairing_create(cadre=org["zhao"], household=h1, start=dt.date(2018, 1, 1),
                                       end=dt.date(2017, 1, 1), by=admin)


def test_unit_village_pairing_history(org):
    admin, v3 = org["accounts"]["county_admin"], org["villages"][2]
    unit_village_pairing_create(unit=org["paired_unit"], village=v3, start=dt.date(2019, 1, 1), by=admin)
    assert village_units(v3, dt.date(2018, 6, 1)) == [org["other_unit"]]
    assert village_units(v3, dt.date(2019, 6, 1)) == [org["other_unit"], org["paired_unit"]]
    with pytest.raises(ValidationError):
        unit_village_pairing_create(unit=org["paired_unit"], village=org["townships"][0], start=dt.date(2019, 1, 1),
                                    by=admin)


def test_a_mutual_group_has_exactly_five_cadres(org):
    admin = org["accounts"]["county_admin"]
    cadres = [Cadre.objects.create(name=f"干部{i}", unit=org["paired_unit"]) for i in range(6)]
    for members in (cadres[:4], cadres[:6], cadres[:4] + [cadres[0]]):
        with pytest.raises(ValidationError, match="5 名不同"):
            mutual_group_create(name="互助组", members=members, by=admin)
    assert not MutualGroup.objects.exists()
    group = mutual_group_create(name="互助组", members=cadres[:5], vehicle="吉G00001", by=admin)
    assert group.members.count() == 5


def test_one_first_secretary_at_a_time_within_the_teams_period(org):
    admin, team = org["accounts"]["county_admin"], org["team"]
    newcomer = Cadre.objects.create(name="新书记", unit=org["paired_unit"])
    with pytest.raises(ValidationError, match="第一书记"):
        work_team_member_add(team=team, cadre=newcomer, start=dt.date(2019, 1, 1), first_secretary=True, by=admin)
    with pytest.raises(ValidationError, match="工作队期间之内"):
        work_team_member_add(team=team, cadre=newcomer, start=dt.date(2015, 1, 1), by=admin)
    member = work_team_member_add(team=team, cadre=newcomer, start=dt.date(2019, 1, 1), by=admin)
    assert not member.is_first_secretary


def test_war_zone_commanders(org):
    admin, t2 = org["accounts"]["county_admin"], org["townships"][1]
    with pytest.raises(ValidationError, match="县级领导"):
        war_zone_set_commanders(township=t2, county_leader=org["zhao"], party_secretary=org["secretary"], by=admin)
    zone = war_zone_set_commanders(township=t2, county_leader=org["leader"], party_secretary=org["secretary"], by=admin)
    assert (zone.county_leader, zone.party_secretary) == (org["leader"], org["secretary"])
    with pytest.raises(ValidationError, match="不是乡镇"):
        war_zone_set_commanders(township=org["villages"][0], county_leader=org["leader"],
                                party_secretary=org["secretary"], by=admin)
