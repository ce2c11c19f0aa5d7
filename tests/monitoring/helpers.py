"""Households of the small county made ready for monitoring: exited, with a recent yearly record."""

from __future__ import annotations

import datetime as dt

from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import HouseholdYear, PersonYear, StatusEvent


def exited(household, on: dt.date = dt.date(2019, 11, 1)):
    """The household exited poverty on `on` (an announced event and the cached status)."""
    StatusEvent.objects.create(household=household, kind=c.EventKind.EXITED, year=on.year, stage=c.Stage.ANNOUNCED,
                               effective_on=on, persons=household.members.count())
    household.status, household.exit_year = c.PovertyStatus.EXITED, on.year
    household.save()
    return household


def yearly(household, year: int, *, income_yuan_per_person: int, insured: bool = True) -> HouseholdYear:
    """A yearly record with the given income per person and, by default, nothing else missing."""
    members = household.members.filter(active=True).count()
    record = HouseholdYear(household=household, year=year, members=members,
                           wage_income_fen=income_yuan_per_person * 100 * members)
    record.compute_income()
    record.save()
    for person in household.members.filter(active=True):
        PersonYear.objects.create(person=person, year=year, basic_medical=insured, serious_illness_insurance=insured)
    return record
