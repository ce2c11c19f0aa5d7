import datetime as dt

import pytest

from tests.factories import person
from tests.web.conftest import live_county  # noqa: F401  (the browser test's county)
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, PersonYear


@pytest.fixture
def covered_county(county):
    return add_policy_persons(county)


@pytest.fixture
def live_covered_county(live_county):  # noqa: F811  (the fixture imported above)
    return add_policy_persons(live_county)


def add_policy_persons(county):
    """The small county with persons each policy reaches (2018):
    西岗村 h1 (2 adults 46/48): + a pupil (小学); h2 (4 adults) made 低保, two of them with 低保 on the yearly record:
    + a man of 68 with pension insurance, a senior-high pupil, a vocational student; 建平村 h4: + a man of 38, disabled
    grade 1 with a serious illness and medical assistance. h3 (not registered) has 低保 on a member's record."""
    h1, h2, h3, h4 = county["households"]
    Household.objects.filter(pk=h2.pk).update(attribute=c.HouseholdAttribute.DIBAO)
    added = {
        "pupil": (h1, dict(birth=dt.date(2010, 3, 1), school_status="20"), dict(school_status="20")),
        "elder": (h2, dict(birth=dt.date(1950, 3, 1)), dict(pension_insurance=True)),
        "senior": (h2, dict(birth=dt.date(2002, 3, 1), school_status="40"), dict(school_status="40")),
        "vocational": (h2, dict(birth=dt.date(2001, 3, 1), school_status="41"), dict(school_status="41")),
        "disabled": (h4, dict(birth=dt.date(1980, 3, 1), disabled=True, disability_grade=1, serious_illness=True,
                              labour_ability=c.LabourAbility.LOST), dict(medical_assistance=True)),
    }
    persons = {}
    for key, (hh, fields, yearly) in added.items():
        p = person(hh, name=key, relation=c.Relation.OTHER, **fields)
        PersonYear.objects.create(person=p, year=2018, basic_medical=True, serious_illness_insurance=True, **yearly)
        persons[key] = p
    PersonYear.objects.filter(person__household=h2, person__name__startswith=h2.number).exclude(
        person__name__endswith="户主").update(dibao=True)
    PersonYear.objects.filter(person__household=h3).update(dibao=True)
    return {**county, "persons": persons}
