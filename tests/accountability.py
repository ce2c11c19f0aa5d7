"""The `county` fixture plus an organisation: departments, township governments, a paired unit, a war zone
with its two commanders, a work team, a third cadre for household h2 (which has income and housing gaps in
2018). Shared by tests/organisation and tests/assistance."""

from __future__ import annotations

import datetime as dt

import pytest

from tuopin.apps.accounts.models import Role
from tuopin.apps.organisation.models import (Cadre, CadreHouseholdPairing, Unit, UnitKind, UnitVillagePairing, WarZone,
                                             WorkTeam, WorkTeamMember)
from tuopin.apps.registry.models import HouseholdYear

START = dt.date(2016, 1, 1)


@pytest.fixture
def org(county):
    from tests.factories import account

    t1, t2 = county["townships"]
    v1, v2, v3 = county["villages"]
    h1, h2, h3, h4 = county["households"]
    departments = {"education": county["unit"]}
    for name, domain in (("县住房和城乡建设局", "housing"), ("县民政局", "civil_affairs"),
                         ("县医疗保障局", "medical_insurance"), ("县水利局", "water")):
        departments[domain] = Unit.objects.create(name=name, kind=UnitKind.DEPARTMENT, domain=domain)
    townships = {t.pk: Unit.objects.create(name=f"{t.name}人民政府", kind=UnitKind.TOWNSHIP, region=t) for t in (t1, t2)}
    paired = Unit.objects.create(name="县财政局", kind=UnitKind.PARTY_GOV)
    other_unit = Unit.objects.create(name="县农业局", kind=UnitKind.PARTY_GOV)
    for village in (v1, v2):
        UnitVillagePairing.objects.create(unit=paired, village=village, start=START)
    UnitVillagePairing.objects.create(unit=other_unit, village=v3, start=START)
    leader = Cadre.objects.create(name="陈县长", unit=paired, post="副县长", is_county_leader=True)
    secretary = Cadre.objects.create(name="周书记", unit=townships[t1.pk], post="党委书记")
    WarZone.objects.create(township=t1, county_leader=leader, party_secretary=secretary)
    zhao = Cadre.objects.create(name="赵干部", unit=paired, post="科员", phone="13912345678")
    CadreHouseholdPairing.objects.create(cadre=zhao, household=h2, start=START)
    team = WorkTeam.objects.create(village=v1, unit=paired, start=START)
    first = Cadre.objects.create(name="孙书记", unit=paired, post="第一书记")
    WorkTeamMember.objects.create(team=team, cadre=first, start=START, is_first_secretary=True)
    # h2: a D-grade house not yet renovated, on top of its low income: two gaps in 2018.
    HouseholdYear.objects.filter(household=h2, year=2018).update(housing_grade="D")
    accounts = county["accounts"]
    accounts["housing_department"] = account("housing_department", Role.DEPARTMENT, department=departments["housing"], region=county["county"])
    accounts["zhao"] = account("zhao", Role.CADRE, cadre=zhao)
    accounts["other_commander"] = account("other_commander", Role.COMMANDER, region=t2)
    return {**county, "departments": departments, "township_units": townships, "paired_unit": paired,
            "other_unit": other_unit, "leader": leader, "secretary": secretary, "zhao": zhao, "team": team,
            "first_secretary_cadre": first}
