"""ID and phone numbers are masked for every role that may not see them, in lists, details and edits."""

import pytest

from tuopin.apps.evaluation.models import EvaluationRound, SampledHousehold
from tuopin.common.masking import mask_id

from .util import results

PHONE = "13812345678"


@pytest.fixture
def h1(county):
    household = county["households"][0]
    household.phone = PHONE
    household.save()
    household.members.update(phone=PHONE)
    return household


@pytest.fixture
def sampled(county, h1):
    """The evaluator sees the households of its sample."""
    rnd = EvaluationRound.objects.create(name="2019 第三方评估", held_in=2019, data_year=2018, county=county["county"])
    SampledHousehold.objects.create(round=rnd, household=h1)


def test_the_county_office_sees_full_numbers(api, h1):
    client = api("county_admin")
    persons = results(client.get(f"/api/persons/?household={h1.pk}"))
    assert {p["id_number"] for p in persons} == set(h1.members.values_list("id_number", flat=True))
    assert {p["phone"] for p in persons} == {PHONE}
    born = dict(h1.members.values_list("pk", "birth_date"))
    assert {p["id"]: (p["birth_date"], p["birth_year"]) for p in persons} == {
        pk: (b.isoformat(), b.year) for pk, b in born.items()}
    assert client.get(f"/api/households/{h1.pk}/").json()["phone"] == PHONE


@pytest.mark.parametrize("role", ("commander", "first_secretary", "cadre", "evaluator"))
def test_other_roles_see_masked_numbers(api, h1, sampled, role):
    client = api(role)
    persons = results(client.get(f"/api/persons/?household={h1.pk}"))
    real = dict(h1.members.values_list("pk", "id_number"))
    assert len(persons) == len(real) > 0
    for p in persons:
        assert p["id_number"] == mask_id(real[p["id"]]) and p["id_number"].startswith("220821********")
        assert p["phone"] == "138****5678"
        # The birth date is the masked number's hidden middle (decision 1110): the year only.
        assert p["birth_date"] == f"{p['birth_year']}-**-**" and p["birth_year"] in (1970, 1972)
    detail = client.get(f"/api/persons/{persons[0]['id']}/").json()
    assert "*" in detail["id_number"] and real[detail["id"]] not in str(detail)
    assert "-**-**" in detail["birth_date"] and not any(d in str(detail) for d in ("1970-05-01", "1972-03-03"))
    assert client.get(f"/api/households/{h1.pk}/").json()["phone"] == "138****5678"


def test_the_edit_response_is_masked_too(api, h1):
    person = h1.members.first()
    response = api("cadre").patch(f"/api/persons/{person.pk}/", {"version": 1, "work_months": 2}, format="json")
    assert response.status_code == 200
    assert response.json()["id_number"] == mask_id(person.id_number)
    assert person.id_number not in response.content.decode()


def test_free_text_in_status_events_is_masked(api, county, h1):
    event = h1.events.first()
    event.reason = f"户主 {h1.members.first().id_number} 电话 {PHONE}"
    event.save()
    masked = api("cadre").get(f"/api/households/{h1.pk}/events/").json()[0]["reason"]
    assert h1.members.first().id_number not in masked and PHONE not in masked and "138****5678" in masked
    full = api("county_admin").get(f"/api/households/{h1.pk}/events/").json()[0]["reason"]
    assert PHONE in full
