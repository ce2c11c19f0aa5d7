"""Filters narrow what the scope gives (never widen it); bad values are a 400 naming the parameter."""

import datetime as dt

from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tuopin.api.base import RegistryPagination
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import HouseholdYear, ProcedureStep, StatusEvent

from .util import HOUSEHOLDS, results


def numbers(response, key="number"):
    return sorted(row[key] for row in results(response))


def test_households_by_region_at_every_level(api):
    client = api("county_admin")
    assert numbers(client.get("/api/households/?region=220821000000")) == HOUSEHOLDS
    assert numbers(client.get("/api/households/?region=220821100000")) == HOUSEHOLDS[:3]
    assert numbers(client.get("/api/households/?region=220821100201")) == HOUSEHOLDS[:2]
    assert numbers(client.get("/api/households/?village=220821200201")) == HOUSEHOLDS[3:]


def test_a_filter_never_widens_the_scope(api):
    assert numbers(api("cadre").get("/api/households/?region=220821000000")) == HOUSEHOLDS[:1]
    assert numbers(api("commander").get("/api/households/?region=220821200000")) == []


def test_households_by_status_and_registration(api, county):
    h2 = county["households"][1]
    h2.status, h2.exit_year = c.PovertyStatus.EXITED, 2017
    h2.save()
    client = api("county_admin")
    assert numbers(client.get("/api/households/?status=1")) == [h2.number]
    assert numbers(client.get("/api/households/?status=0")) == [HOUSEHOLDS[0], HOUSEHOLDS[3]]
    assert numbers(client.get("/api/households/?registered=false")) == [HOUSEHOLDS[2]]
    assert numbers(client.get("/api/households/?exit_year=2017")) == [h2.number]


def test_yearly_records_by_year_and_region(api, county):
    h1 = county["households"][0]
    later = HouseholdYear(household=h1, year=2019, members=2, wage_income_fen=700_000)
    later.compute_income()
    later.save()
    client = api("county_admin")
    assert numbers(client.get("/api/household-years/?year=2019"), "household_number") == [h1.number]
    assert len(results(client.get("/api/household-years/?year=2018"))) == 4
    assert numbers(client.get("/api/household-years/?region=220821100201&year=2018"),
                   "household_number") == HOUSEHOLDS[:2]
    person_years = results(client.get("/api/person-years/?village=220821200201&year=2018"))
    assert {p["household"] for p in person_years} == {county["households"][3].pk}


def test_persons_by_household_and_region(api, county):
    h2 = county["households"][1]
    client = api("commander")
    assert len(results(client.get(f"/api/persons/?household={h2.pk}"))) == 4
    assert {p["household_number"] for p in results(client.get("/api/persons/?village=220821100202"))} == {
        HOUSEHOLDS[2]}


def test_regions_by_level_and_parent(api):
    client = api("county_admin")
    assert numbers(client.get("/api/regions/?level=township"), "code") == ["220821100000", "220821200000"]
    assert numbers(client.get("/api/regions/?parent=220821100000"), "code") == ["220821100201", "220821100202"]
    assert numbers(client.get("/api/regions/?poor_village=true"), "code") == ["220821100201", "220821200201"]


def test_bad_filter_values_are_refused_with_the_parameter_named(api):
    client = api("county_admin")
    response = client.get("/api/households/?region=2208&status=7&registered=maybe")
    assert response.status_code == 400
    assert set(response.json()) == {"region", "status", "registered"}
    assert client.get("/api/household-years/?year=last").status_code == 400


def test_pages_are_capped_at_500_rows():
    request = Request(APIRequestFactory().get("/api/persons/", {"limit": 100000}))
    assert RegistryPagination().get_limit(request) == 500


def test_limit_and_offset_page_through_the_list(api):
    page = api("county_admin").get("/api/persons/?limit=3&offset=3").json()
    assert page["count"] == 10 and len(page["results"]) == 3 and "offset=6" in page["next"]


def test_status_events_come_with_their_procedure_steps(api, county):
    h1 = county["households"][0]
    exit_event = StatusEvent.objects.create(household=h1, kind=c.EventKind.EXITED, year=2017,
                                            stage=c.Stage.ANNOUNCED, effective_on=dt.date(2017, 12, 20), persons=2)
    for stage, on in ((c.Stage.DEMOCRATIC_REVIEW, dt.date(2017, 11, 2)), (c.Stage.PUBLIC_NOTICE, dt.date(2017, 11, 5)),
                      (c.Stage.ANNOUNCED, dt.date(2017, 12, 20))):
        ProcedureStep.objects.create(event=exit_event, stage=stage, on=on, by_name="西岗村委会",
                                     ends_on=on + dt.timedelta(days=7) if stage == c.Stage.PUBLIC_NOTICE else None)
    events = api("first_secretary").get(f"/api/households/{h1.pk}/events/").json()
    assert [e["kind"] for e in events] == ["identified", "exited"]
    steps = events[1]["steps"]
    assert [s["stage"] for s in steps] == ["democratic_review", "public_notice", "announced"]
    assert steps[1]["ends_on"] == "2017-11-12" and steps[0]["by_name"] == "西岗村委会"
    assert api("first_secretary").get(f"/api/households/{county['households'][3].pk}/events/").status_code == 404
