"""A small county for tests: two townships, three villages, households with members and yearly records,
and one account per role. Built through plain ORM calls so every test starts from known rows."""

from __future__ import annotations

import datetime as dt
import itertools

from tuopin.apps.accounts.models import Role, User
from tuopin.apps.geo.models import Level, Region, VillageYear
from tuopin.apps.organisation.models import Cadre, CadreHouseholdPairing, Unit, UnitKind
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear, StatusEvent
from tuopin.common import idnumber

PASSWORD = "correct-horse-battery-9"
_seq = itertools.count(1)


def region(code: str, name: str, level: str, parent: Region | None = None, **kw) -> Region:
    return Region.objects.create(code=code, name=name, level=level, parent=parent, **kw)


def person(household: Household, *, name: str, sex: str = "M", birth: dt.date = dt.date(1970, 5, 1),
           relation: str = c.Relation.HEAD, **kw) -> Person:
    n = next(_seq)
    pid = idnumber.make("220821", birth, n, sex)
    return Person.objects.create(
        household=household, number=f"{household.number}{n:03d}", id_number=pid, name=name, sex=sex,
        birth_date=birth, relation=relation, labour_ability=kw.pop("labour_ability", c.LabourAbility.ORDINARY), **kw
    )


def household(village: Region, number: str, *, registered: bool = True, status: str = c.PovertyStatus.POOR,
              members: int = 2, year: int = 2018, income_yuan: int = 5000) -> Household:
    hh = Household.objects.create(
        number=number, village=village, township=village.parent, is_registered=registered,
        status=status if registered else c.PovertyStatus.NOT_REGISTERED,
        attribute=c.HouseholdAttribute.GENERAL if registered else c.HouseholdAttribute.NON_POOR,
        identified_year=2015 if registered else None, primary_cause=c.Cause.ILLNESS if registered else "",
    )
    people = [person(hh, name=f"{number}户主", sex="M")]
    for i in range(1, members):
        people.append(person(hh, name=f"{number}成员{i}", sex="F", relation=c.Relation.SPOUSE,
                             birth=dt.date(1972, 3, 3)))
    rec = HouseholdYear(household=hh, year=year, members=members, wage_income_fen=income_yuan * 100 * members)
    rec.compute_income()
    rec.save()
    for p in people:
        PersonYear.objects.create(person=p, year=year, basic_medical=True, serious_illness_insurance=True)
    if registered:
        StatusEvent.objects.create(household=hh, kind=c.EventKind.IDENTIFIED, year=2015,
                                   stage=c.Stage.ANNOUNCED, effective_on=dt.date(2015, 10, 1), persons=members)
    return hh


def account(username: str, role: str, **kw) -> User:
    user = User(username=username, role=role, **kw)
    user.set_password(PASSWORD)
    user.save()
    return user


def small_county() -> dict:
    """Returns a dict of the objects tests refer to by name."""
    province = region("220000000000", "吉林省", Level.PROVINCE)
    city = region("220800000000", "白城市", Level.CITY, province)
    county = region("220821000000", "镇赉县", Level.COUNTY, city)
    t1 = region("220821100000", "镇赉镇", Level.TOWNSHIP, county, kind="镇")
    t2 = region("220821200000", "建平乡", Level.TOWNSHIP, county, kind="乡")
    v1 = region("220821100201", "西岗村", Level.VILLAGE, t1, is_poor_village=True, poor_village_since=2014)
    v2 = region("220821100202", "东岗村", Level.VILLAGE, t1)
    v3 = region("220821200201", "建平村", Level.VILLAGE, t2, is_poor_village=True, poor_village_since=2014)
    for v, pop in ((v1, 6), (v2, 4), (v3, 4)):
        VillageYear.objects.create(village=v, year=2018, population=pop, households=2, has_clinic=True,
                                   has_qualified_doctor=True, road_hardened=True, safe_water=True)
    h1 = household(v1, "220821100201001")
    h2 = household(v1, "220821100201002", members=4, income_yuan=2000)
    h3 = household(v2, "220821100202001", registered=False)
    h4 = household(v3, "220821200201001")
    unit = Unit.objects.create(name="县教育局", kind=UnitKind.DEPARTMENT, domain="education")
    cadre = Cadre.objects.create(name="王干部", unit=unit, post="科员")
    other_cadre = Cadre.objects.create(name="李干部", unit=unit, post="科员")
    CadreHouseholdPairing.objects.create(cadre=cadre, household=h1, start=dt.date(2016, 1, 1))
    CadreHouseholdPairing.objects.create(cadre=other_cadre, household=h4, start=dt.date(2016, 1, 1))
    accounts = {
        "county_admin": account("county_admin", Role.COUNTY_ADMIN, region=county),
        "commander": account("commander", Role.COMMANDER, region=t1),
        "first_secretary": account("first_secretary", Role.FIRST_SECRETARY, region=v1),
        "cadre": account("cadre", Role.CADRE, cadre=cadre),
        "department": account("department", Role.DEPARTMENT, department=unit, region=county),
        "evaluator": account("evaluator", Role.EVALUATOR, region=county),
        "system_admin": account("system_admin", Role.SYSTEM_ADMIN),
        "security_admin": account("security_admin", Role.SECURITY_ADMIN),
        "audit_admin": account("audit_admin", Role.AUDIT_ADMIN),
        "unassigned": account("unassigned", Role.UNASSIGNED),  # created, no role given yet: sees nothing
    }
    return {"county": county, "townships": [t1, t2], "villages": [v1, v2, v3], "households": [h1, h2, h3, h4],
            "cadre": cadre, "unit": unit, "accounts": accounts}
