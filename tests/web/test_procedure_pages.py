"""The pages of identification, returns to poverty and village/county exits: each role acts on its own stages
(403 on the others), notices print without any ID number, phone, bank or health data."""

import datetime as dt

import pytest

from tests.factories import household
from tests.web.conftest import url
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, StatusEvent
from tuopin.apps.procedures.models import AreaExit

pytestmark = pytest.mark.django_db
S = c.Stage


@pytest.fixture
def applicant(county):
    hh = household(county["villages"][0], "220821100201009", registered=False)
    Household.objects.filter(pk=hh.pk).update(phone="13912345678")
    return hh


def test_first_secretary_records_an_application_and_the_democratic_review(login, county, applicant):
    client = login(county["accounts"]["first_secretary"])
    page = client.get(url("identification_procedures") + "?year=2018")
    assert page.status_code == 200
    assert [h.number for h in page.context["candidates"]] == [applicant.number]  # not registered, in the village
    response = client.post(url("procedure_propose"), {"kind": "identification", "year": 2018, "on": "2018-06-01",
                                                      "household": [applicant.pk], "by_name": "户主本人",
                                                      "note": "因病"})
    assert response.status_code == 302 and response["Location"].startswith(url("identification_procedures"))
    event = StatusEvent.objects.get(household=applicant, kind=c.EventKind.IDENTIFIED)
    assert event.stage == S.APPLIED
    response = client.post(url("procedure_advance"), {"kind": "identification", "year": 2018,
                                                      "stage": S.DEMOCRATIC_REVIEW, "on": "2018-06-05",
                                                      "event": [event.pk], "decision": "pass"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.stage == S.DEMOCRATIC_REVIEW
    # The township's stage is not the village's.
    refused = client.post(url("procedure_advance"), {"kind": "identification", "year": 2018,
                                                     "stage": S.TOWNSHIP_REVIEW, "on": "2018-06-15",
                                                     "event": [event.pk], "decision": "pass"})
    assert refused.status_code == 403
    detail = client.get(url("procedure_event", event.pk))
    assert detail.status_code == 200 and applicant.number in detail.content.decode()


def test_identification_notice_shows_no_id_phone_or_cause(login, county, applicant, rendered):
    admin = county["accounts"]["county_admin"]
    from tuopin.apps.procedures.procedure import identification_apply

    identification_apply(household_ids=[applicant.pk], year=2018, by=admin, on=dt.date(2018, 6, 1))
    response = login(admin).get(url("notice_list_pdf", county["villages"][0].pk, 2018) + "?kind=identification")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    html = rendered[0]
    head = applicant.members.get(relation="01")
    assert applicant.number in html and head.name in html
    assert head.id_number not in html and head.id_number[-4:] not in html and "13912345678" not in html
    assert "因病" not in html
    assert login(admin).get(url("notice_list_pdf", county["villages"][0].pk, 2018) + "?kind=x").status_code == 404


@pytest.fixture
def rendered(monkeypatch):
    from tuopin.web.documents import pdf as pdf_module

    pages = []
    real = pdf_module.render_to_string

    def capture(*args, **kwargs):
        pages.append(real(*args, **kwargs))
        return pages[-1]

    monkeypatch.setattr(pdf_module, "render_to_string", capture)
    return pages


def test_county_office_proposes_a_return_with_reason_and_evidence(login, county):
    hh = county["households"][3]
    Household.objects.filter(pk=hh.pk).update(status=c.PovertyStatus.EXITED)
    client = login(county["accounts"]["county_admin"])
    page = client.get(url("return_procedures") + "?year=2018&q=220821200201")
    assert [h.number for h in page.context["candidates"]] == [hh.number]
    missing = client.post(url("procedure_propose"), {"kind": "returns", "year": 2018, "on": "2018-09-01",
                                                     "household": [hh.pk], "reason": "因灾"})
    assert missing.status_code == 302 and not StatusEvent.objects.filter(kind=c.EventKind.RETURNED).exists()
    client.post(url("procedure_propose"), {"kind": "returns", "year": 2018, "on": "2018-09-01",
                                           "household": [hh.pk], "reason": "因灾", "evidence": "民政所核查"})
    event = StatusEvent.objects.get(household=hh, kind=c.EventKind.RETURNED)
    assert event.reason == "因灾" and event.stage == S.PROPOSED
    # A household that is not out of poverty is not on the list: 404, nothing proposed.
    poor = county["households"][0]
    assert client.post(url("procedure_propose"), {"kind": "returns", "year": 2018, "on": "2018-09-01",
                                                  "household": [poor.pk], "reason": "x", "evidence": "y"}
                       ).status_code == 404


def test_village_exit_list_propose_and_stages_by_owner(login, county):
    village = county["villages"][0]
    commander = login(county["accounts"]["commander"])
    page = commander.get(url("village_exits") + "?year=2018")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r["region"].code for r in rows] == [village.code]  # the township's poor villages only
    assert rows[0]["engine"] is not None and "meets_exit_standard" in rows[0]["engine"]
    response = commander.post(url("area_exit_propose"), {"region": village.pk, "year": 2018, "on": "2018-11-20"})
    case = AreaExit.objects.get(region=village)
    assert response.status_code == 302 and response["Location"] == url("area_exit", case.pk)
    detail = commander.get(url("area_exit", case.pk))
    assert detail.context["may_act"] and detail.context["next_stage"] == "township_review"
    commander.post(url("area_exit_advance", case.pk), {"stage": "township_review", "on": "2018-11-25",
                                                       "decision": "pass"})
    case.refresh_from_db()
    assert case.stage == "township_review"
    secretary = login(county["accounts"]["first_secretary"])
    assert secretary.post(url("area_exit_advance", case.pk), {"stage": "public_notice", "on": "2018-11-26",
                                                              "ends_on": "2018-12-02"}).status_code == 403
    assert not secretary.get(url("area_exit", case.pk)).context["may_act"]


def test_county_exit_page_is_the_county_offices(login, county):
    assert login(county["accounts"]["commander"]).get(url("county_exits")).status_code == 403
    client = login(county["accounts"]["county_admin"])
    page = client.get(url("county_exits") + "?year=2018")
    assert page.status_code == 200 and page.context["county"]["region"] == county["county"]
    client.post(url("area_exit_propose"), {"region": county["county"].pk, "year": 2018, "on": "2019-01-10"})
    assert AreaExit.objects.get(region=county["county"]).kind == "county"


def test_area_notice_pdf_names_no_one(login, county, rendered):
    from tuopin.apps.procedures.area_procedure import area_exit_propose

    admin = county["accounts"]["county_admin"]
    case = area_exit_propose(region=county["villages"][0], year=2018, by=admin, on=dt.date(2018, 11, 20))
    response = login(admin).get(url("area_exit_notice_pdf", case.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    html = rendered[0]
    assert county["villages"][0].name in html
    for hh in county["households"]:
        assert all(p.name not in html and p.id_number not in html for p in hh.members.all())
    assert login(county["accounts"]["cadre"]).get(url("area_exit_notice_pdf", case.pk)).status_code in (403, 404)
