"""A first secretary's whole village for the field app's scale test and benchmark: `n` households of three
members, one household of 30, every household paired with one cadre — built with bulk inserts (seconds, not
minutes)."""

from __future__ import annotations

import datetime as dt

from tuopin.apps.organisation.models import CadreHouseholdPairing
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear
from tuopin.common import idnumber

YEAR = 2018


def big_village(village, cadre, *, n: int = 500, members: int = 3, large: int = 30) -> list[Household]:
    """Households numbered after the village's code from 5000 (the small county's own end in 001–002); the first
    one has `large` members."""
    households = Household.objects.bulk_create([
        Household(number=f"{village.code}{5000 + i:04d}",
                  village=village, township=village.parent, is_registered=True, status=c.PovertyStatus.POOR,
                  attribute=c.HouseholdAttribute.GENERAL, identified_year=2015, primary_cause=c.Cause.ILLNESS)
        for i in range(n)])
    persons, years = [], []
    for i, hh in enumerate(households):
        size = large if i == 0 else members
        for k in range(size):
            # One birth day per person (the ID numbers stay unique): adults 1940–1981, the second member a child of
            # school age, so that each household is asked "in school?" too.
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=i * 30 + k)
            if k == 1:
                birth = dt.date(YEAR - 9, 3, 1) + dt.timedelta(days=i)
            sex = "M" if k % 2 == 0 else "F"
            persons.append(Person(household=hh, number=f"{hh.number}{k + 1:03d}",
                                  id_number=idnumber.make("220821", birth, k, sex),
                                  name=f"{hh.number[-4:]}户{'主' if k == 0 else f'成员{k}'}", sex=sex,
                                  birth_date=birth, relation=c.Relation.HEAD if k == 0 else c.Relation.SON,
                                  labour_ability=c.LabourAbility.ORDINARY))
        record = HouseholdYear(household=hh, year=YEAR, members=size, wage_income_fen=400_000 * size)
        record.compute_income()
        years.append(record)
    Person.objects.bulk_create(persons)
    HouseholdYear.objects.bulk_create(years)
    PersonYear.objects.bulk_create([PersonYear(person=p, year=YEAR, basic_medical=True, school_status="20")
                                    for p in persons])
    CadreHouseholdPairing.objects.bulk_create([CadreHouseholdPairing(cadre=cadre, household=hh,
                                                                     start=dt.date(2016, 1, 1))
                                               for hh in households])
    return households
