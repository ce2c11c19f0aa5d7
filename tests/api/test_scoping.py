"""Every endpoint lists and opens only what the scoping layer gives the account; the rest is 404."""

import pytest
from rest_framework.test import APIClient

from tuopin.apps.registry.models import HouseholdYear, Person, PersonYear

from .util import BLIND, HOUSEHOLDS, VISIBLE, results

ENDPOINTS = ("regions", "households", "persons", "household-years", "person-years")


def _household_ids(county, numbers):
    return sorted(h.pk for h in county["households"] if h.number in numbers)


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_each_role_lists_only_its_households_and_their_rows(api, county, role):
    client, numbers = api(role), VISIBLE[role]
    assert sorted(h["number"] for h in results(client.get("/api/households/"))) == numbers
    persons = results(client.get("/api/persons/?limit=500"))
    assert {p["household_number"] for p in persons} == set(numbers)
    assert len(persons) == Person.objects.filter(household__number__in=numbers).count()
    years = results(client.get("/api/household-years/"))
    assert sorted(y["household_number"] for y in years) == numbers
    person_years = results(client.get("/api/person-years/?limit=500"))
    assert sorted({p["household"] for p in person_years}) == _household_ids(county, numbers)
    assert len(person_years) == PersonYear.objects.filter(person__household__number__in=numbers).count()


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_rows_outside_the_scope_are_not_found(api, county, role):
    client = api(role)
    for household in county["households"]:
        visible = household.number in VISIBLE[role]
        expected = 200 if visible else 404
        assert client.get(f"/api/households/{household.pk}/").status_code == expected, household.number
        assert client.get(f"/api/households/{household.pk}/events/").status_code == expected
        person = household.members.first()
        assert client.get(f"/api/persons/{person.pk}/").status_code == expected
        record = HouseholdYear.objects.get(household=household)
        assert client.get(f"/api/household-years/{record.pk}/").status_code == expected
        person_year = PersonYear.objects.filter(person=person).first()
        assert client.get(f"/api/person-years/{person_year.pk}/").status_code == expected


@pytest.mark.parametrize("role", BLIND)
def test_roles_without_household_scope_see_no_household_data(api, county, role):
    client = api(role)
    for endpoint in ENDPOINTS[1:]:
        response = client.get(f"/api/{endpoint}/")
        assert results(response) == [] and response.json()["count"] == 0, endpoint
    h1 = county["households"][0]
    assert client.get(f"/api/households/{h1.pk}/").status_code == 404
    assert client.get(f"/api/persons/{h1.members.first().pk}/").status_code == 404


@pytest.mark.parametrize("role", ("system_admin", "security_admin", "audit_admin"))
def test_administrators_see_no_regions_either(api, role):
    client = api(role)
    assert results(client.get("/api/regions/")) == []
    assert client.get("/api/regions/220821000000/").status_code == 404


def test_regions_follow_the_scope(api):
    commander = {r["code"] for r in results(api("commander").get("/api/regions/?limit=100"))}
    assert {"220821100000", "220821100201", "220821100202"} <= commander
    assert "220821200201" not in commander and "220821200000" not in commander
    assert api("commander").get("/api/regions/220821200201/").status_code == 404
    secretary = {r["code"] for r in results(api("first_secretary").get("/api/regions/"))}
    assert "220821100201" in secretary and "220821100202" not in secretary
    village = api("county_admin").get("/api/regions/220821100201/").json()
    assert village == {"code": "220821100201", "name": "西岗村", "level": "village", "parent": "220821100000",
                       "kind": "", "is_rural": True, "is_poor_village": True, "poor_village_since": 2014,
                       "west": False}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_requests_are_refused(county, endpoint):
    response = APIClient().get(f"/api/{endpoint}/")
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_a_disabled_account_is_refused(api, county):
    client = api("county_admin")
    admin = county["accounts"]["county_admin"]
    admin.is_active = False
    admin.save()
    assert client.get("/api/households/").status_code in (401, 403)


def test_household_list_shows_the_documented_fields(api, county):
    row = results(api("cadre").get("/api/households/"))[0]
    assert row["number"] == HOUSEHOLDS[0]
    assert row["village"] == "220821100201" and row["township"] == "220821100000"
    assert row["village_name"] == "西岗村" and row["status"] == "0" and row["version"] == 1
    assert set(row) == {"id", "number", "village", "village_name", "township", "natural_village",
                        "is_registered", "attribute", "status", "identified_year", "exit_year", "primary_cause",
                        "other_causes", "phone", "address", "cultivated_land_mu", "housing_area_m2", "closed",
                        "split_from", "merged_into", "version", "updated_at", "updated_by"}
