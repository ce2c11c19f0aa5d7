"""A small county's history for the dashboard tests: village records 2015–2020 and households exiting
over 2016–2018, built through plain ORM calls on top of `tests.factories.small_county`."""

from __future__ import annotations

import datetime as dt

from tests.factories import person
from tuopin.apps.geo.models import VillageYear
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, HouseholdYear, PersonYear, StatusEvent

YEARS = range(2015, 2021)
# Per village: (households added, the year each exits) — the first of each exits in 2016, and so on.
EXITS = (2016, 2016, 2017, 2017, 2017, 2018, 2018, 2018)


def _record(household, year, members, yuan_per_person, people):
    rec = HouseholdYear(household=household, year=year, members=members,
                        wage_income_fen=yuan_per_person * 100 * members, water_litres_per_day=60)
    rec.compute_income()
    rec.save()
    for p in people:
        PersonYear.objects.create(person=p, year=year, basic_medical=True, serious_illness_insurance=True)


def county_over_years(county: dict) -> dict:
    """Adds eight exiting households per village and yearly records for 2015–2020 (the fixture's own
    households keep their 2018 record only). Poor villages get the collective income to exit from 2018."""
    for v_index, village in enumerate(county["villages"]):
        persons = 0
        for i, exit_year in enumerate(EXITS, start=1):
            number = f"{village.code}{900 + i:03d}"
            hh = Household.objects.create(number=number, village=village, township=village.parent, is_registered=True,
                                          status=c.PovertyStatus.EXITED, exit_year=exit_year, identified_year=2015,
                                          attribute=c.HouseholdAttribute.GENERAL, primary_cause=c.Cause.ILLNESS)
            people = [person(hh, name=f"户主{v_index}{i}"), person(hh, name=f"配偶{v_index}{i}", sex="F",
                                                                    relation=c.Relation.SPOUSE)]
            persons += len(people)
            StatusEvent.objects.create(household=hh, kind=c.EventKind.IDENTIFIED, year=2015, stage=c.Stage.ANNOUNCED,
                                       effective_on=dt.date(2015, 10, 1), persons=2)
            StatusEvent.objects.create(household=hh, kind=c.EventKind.EXITED, year=exit_year, stage=c.Stage.ANNOUNCED,
                                       effective_on=dt.date(exit_year, 11, 20), persons=2)
            for year in YEARS:
                _record(hh, year, 2, 2500 if year < exit_year else 3000 + 600 * (year - 2015), people)
        base = VillageYear.objects.get(village=village, year=2018)
        for year in YEARS:
            facts = {"population": base.population + persons + 40, "households": 20, "has_clinic": True,
                     "has_qualified_doctor": year >= 2017, "road_hardened": True, "safe_water": year >= 2016,
                     "collective_income_fen": 6_000_000 if year >= 2018 else 1_000_000}
            VillageYear.objects.update_or_create(village=village, year=year, defaults=facts)
    return county
