"""The field app's JSON endpoints: the sheets, a batch of visits (each stored, duplicate or refused on its own),
session auth and CSRF, the roles that may use them (decision 1560)."""

import base64
import uuid

import pytest
from django.test import Client

from tuopin.apps.assistance.models import Visit
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.fieldwork.models import VisitPhoto

from .conftest import image_bytes

URL_SHEETS, URL_VISITS = "/field/api/households/", "/field/api/visits/"


def _visit(field, household=None, **kw) -> dict:
    return {"client_id": str(uuid.uuid4()), "household": (household or field["households"][0]).pk, "on": "2018-06-01",
            "answers": [], "found": "", "done": "", "follow_ups": [], "photos": [], **kw}


def _post(client, *visits):
    return client.post(URL_VISITS, {"visits": list(visits)}, content_type="application/json")


def test_the_sheets_of_a_cadre(client, field):
    client.force_login(field["accounts"]["cadre"])
    body = client.get(URL_SHEETS, {"year": 2018}).json()
    assert body["year"] == 2018 and [h["number"] for h in body["households"]] == [field["households"][0].number]
    assert {q["key"] for q in body["questions"]} >= {"in_school", "insurance_card", "income_quarter", "task:fences"}
    assert field["head"].id_number not in str(body)
    assert client.get(URL_SHEETS, {"year": "20x8"}).status_code == 400


def test_a_township_or_the_county_names_the_village_it_takes_offline(client, field):
    client.force_login(field["accounts"]["commander"])
    assert client.get(URL_SHEETS, {"year": 2018}).status_code == 400
    v1, _v2, v3 = field["villages"]
    body = client.get(URL_SHEETS, {"year": 2018, "village": v1.pk}).json()
    assert len(body["households"]) == 2
    assert client.get(URL_SHEETS, {"year": 2018, "village": v3.pk}).status_code == 404  # the other war zone


@pytest.mark.parametrize("role", ["department", "evaluator", "system_admin", "security_admin", "audit_admin",
                                  "unassigned"])
def test_roles_that_record_no_visits_get_neither_endpoint(client, field, role):
    client.force_login(field["accounts"][role])
    assert client.get(URL_SHEETS, {"year": 2018}).status_code == 403
    assert _post(client, _visit(field)).status_code == 403
    assert not Visit.objects.exists()


def test_a_batch_stores_each_visit_on_its_own(client, field):
    client.force_login(field["accounts"]["cadre"])
    photo = base64.b64encode(image_bytes()).decode()
    good = _visit(field, answers=[{"question": "insurance_card", "person": field["head"].pk, "value": False,
                                   "seen": False}, {"question": "hardship", "value": False}],
                  follow_ups=[{"title": "联系医保站", "due": None}], photos=[{"name": "a.jpg", "data": photo}])
    not_mine = _visit(field, household=field["households"][1])  # zhao's household
    wrong = _visit(field, answers=[{"question": "hardship", "value": "yes"}], on="someday")
    body = _post(client, good, not_mine, wrong, good).json()["results"]
    assert [r["status"] for r in body] == ["stored", "refused", "refused", "duplicate"]
    assert body[0]["visit"] == body[3]["visit"] and len(body[0]["proposals"]) == 1
    assert body[0]["conflicts"] == [{"field": "person_year.basic_medical", "person": field["head"].pk, "seen": False,
                                     "current": True, "proposed": False}]
    assert set(body[1]["errors"]) == {"household"} and body[1]["visit"] is None
    assert set(body[2]["errors"]) == {"on"}
    assert Visit.objects.count() == 1 and VisitPhoto.objects.count() == 1
    assert AuditEvent.objects.filter(action="access_refused", entity="registry.household").exists()
    # Errors per field, from the service too, in the user's language.
    wrong["on"] = "2018-06-01"
    again = client.post(URL_VISITS, {"visits": [wrong]}, content_type="application/json",
                        headers={"accept-language": "zh-hans"}).json()["results"][0]
    assert again["status"] == "refused" and again["errors"] == {"answers.0.value": ["请回答“是”或“否”"]}
    english = client.post(URL_VISITS, {"visits": [wrong]}, content_type="application/json",
                          headers={"accept-language": "en"}).json()["results"][0]
    assert english["errors"] == {"answers.0.value": ["answer yes or no"]}


def test_the_endpoints_ask_for_a_session_and_the_csrf_token(field):
    anonymous = Client()
    assert anonymous.get(URL_SHEETS).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(field["accounts"]["cadre"])
    assert _post(strict, _visit(field)).status_code == 403
    assert not Visit.objects.exists()


def test_a_malformed_batch_is_a_400(client, field):
    client.force_login(field["accounts"]["cadre"])
    assert client.post(URL_VISITS, "not json", content_type="application/json").status_code == 400
    assert client.post(URL_VISITS, {"visits": {}}, content_type="application/json").status_code == 400
    body = _post(client, "x", _visit(field, client_id="nope", photos=[{"data": "%%%"}])).json()["results"]
    assert set(body[0]["errors"]) == {"visit"} and set(body[1]["errors"]) == {"client_id", "photos.0"}
