"""The exit procedure work pages: each role acts on the stages it decides (403 on the others), households are
proposed from the engine's eligible list, objections hold the township review, refusals need a reason."""

import datetime as dt

import pytest

from tests.web.conftest import url
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import StatusEvent
from tuopin.apps.procedures.procedure import exit_advance, exit_propose

pytestmark = pytest.mark.django_db
S = c.Stage


def advance(client, stage, events, *, on, decision="pass", **extra):
    data = {"year": 2018, "stage": stage, "on": on, "event": [e.pk for e in events], "decision": decision, **extra}
    return client.post(url("procedure_advance"), data)


@pytest.fixture
def at_township_review(county):
    """Household 1 (西岗村) with its notice over: waiting for the township review."""
    admin = county["accounts"]["county_admin"]
    [event] = exit_propose(household_ids=[county["households"][0].pk], year=2018, by=admin,
                           on=dt.date(2018, 10, 8)).created
    exit_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 10, 10))
    exit_advance(event=event, stage=S.PUBLIC_NOTICE, by=admin, on=dt.date(2018, 10, 12), ends_on=dt.date(2018, 10, 18))
    return StatusEvent.objects.get(pk=event.pk)


def test_candidates_come_from_the_engine_and_the_scope(login, county):
    h1, h2, _, h4 = county["households"]
    admin = login(county["accounts"]["county_admin"]).get(url("procedures") + "?year=2018")
    # Household 2 has an income gap; households 1 and 4 meet the standard.
    assert [h.number for h in admin.context["candidates"]] == [h1.number, h4.number]
    secretary = login(county["accounts"]["first_secretary"]).get(url("procedures") + "?year=2018")
    assert [h.number for h in secretary.context["candidates"]] == [h1.number]


def test_first_secretary_proposes_and_runs_the_village_stages(login, county):
    h1 = county["households"][0]
    client = login(county["accounts"]["first_secretary"])
    response = client.post(url("procedure_propose"), {"year": 2018, "on": "2018-10-08", "household": [h1.pk],
                                                      "by_name": "西岗村两委"})
    assert response.status_code == 302
    event = StatusEvent.objects.get(household=h1, kind=c.EventKind.EXITED)
    assert event.stage == S.PROPOSED and event.steps.get().by_name == "西岗村两委"
    advance(client, S.DEMOCRATIC_REVIEW, [event], on="2018-10-10", note="农户签字认可")
    advance(client, S.PUBLIC_NOTICE, [event], on="2018-10-12", ends_on="2018-10-18")
    event.refresh_from_db()
    assert event.stage == S.PUBLIC_NOTICE
    page = client.get(url("procedures") + "?year=2018")
    assert page.context["sections"][2]["events"] == [event] and not page.context["sections"][2]["may_act"]
    # The household can no longer be proposed: its procedure is open.
    assert page.context["candidates"] == []


def test_first_secretary_cannot_propose_another_villages_household(login, county):
    other = county["households"][3]  # 建平村
    client = login(county["accounts"]["first_secretary"])
    response = client.post(url("procedure_propose"), {"year": 2018, "on": "2018-10-08", "household": [other.pk]})
    assert response.status_code == 404
    assert not StatusEvent.objects.filter(household=other, kind=c.EventKind.EXITED).exists()


def test_commander_acts_on_township_review_but_not_on_county_approval(login, county, at_township_review):
    event = at_township_review
    client = login(county["accounts"]["commander"])
    refused = advance(client, S.COUNTY_APPROVAL, [event], on="2018-11-05")
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(action="access_refused", summary__startswith="403 POST").exists()
    event.refresh_from_db()
    assert event.stage == S.PUBLIC_NOTICE
    response = advance(client, S.TOWNSHIP_REVIEW, [event], on="2018-10-22", by_name="镇赉镇党委")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.stage == S.TOWNSHIP_REVIEW
    # The county office then approves and announces: the household is out of poverty.
    admin = login(county["accounts"]["county_admin"])
    assert advance(admin, S.COUNTY_APPROVAL, [event], on="2018-11-05").status_code == 302
    assert advance(admin, S.ANNOUNCED, [event], on="2018-11-20").status_code == 302
    event.household.refresh_from_db()
    assert event.household.status == c.PovertyStatus.EXITED


def test_first_secretary_gets_403_on_township_review(login, county, at_township_review):
    response = advance(login(county["accounts"]["first_secretary"]), S.TOWNSHIP_REVIEW, [at_township_review],
                       on="2018-10-22")
    assert response.status_code == 403


def test_roles_without_a_stage_get_403_and_other_areas_404(login, county, at_township_review):
    assert login(county["accounts"]["cadre"]).get(url("procedures")).status_code == 403
    assert login(county["accounts"]["evaluator"]).get(url("procedures")).status_code == 403
    # A commander of another township would not find the procedure: simulated by moving the commander.
    commander = county["accounts"]["commander"]
    commander.region = county["townships"][1]
    commander.save()
    response = advance(login(commander), S.TOWNSHIP_REVIEW, [at_township_review], on="2018-10-22")
    assert response.status_code == 404


def test_objection_holds_the_township_review_until_resolved(login, county):
    admin = county["accounts"]["county_admin"]
    [event] = exit_propose(household_ids=[county["households"][0].pk], year=2018, by=admin,
                           on=dt.date(2018, 10, 8)).created
    exit_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 10, 10))
    exit_advance(event=event, stage=S.PUBLIC_NOTICE, by=admin, on=dt.date(2018, 10, 12), ends_on=dt.date(2018, 10, 18))
    secretary = login(county["accounts"]["first_secretary"])
    page = secretary.get(url("procedure_event", event.pk))
    assert page.status_code == 200 and page.context["may_object"]
    secretary.post(url("objection_record", event.pk), {"received_on": "2018-10-14", "content": "该户家中有轿车"})
    objection = event.steps.get(stage=S.PUBLIC_NOTICE).objections.get()
    commander = login(county["accounts"]["commander"])
    response = advance(commander, S.TOWNSHIP_REVIEW, [event], on="2018-10-22")
    event.refresh_from_db()
    assert event.stage == S.PUBLIC_NOTICE  # held: the service named the unresolved objection
    assert "异议尚未处理" in " ".join(str(m) for m in response.wsgi_request._messages)
    commander.post(url("objection_resolve", event.pk, objection.pk),
                   {"on": "2018-10-20", "resolution": "核实为亲属车辆，不影响退出"})
    advance(commander, S.TOWNSHIP_REVIEW, [event], on="2018-10-22")
    event.refresh_from_db()
    assert event.stage == S.TOWNSHIP_REVIEW
    assert "该户家中有轿车" in login(county["accounts"]["county_admin"]).get(url("procedure_event", event.pk)).content.decode()


def test_sending_back_needs_a_reason(login, county, at_township_review):
    event = at_township_review
    client = login(county["accounts"]["commander"])
    advance(client, S.TOWNSHIP_REVIEW, [event], on="2018-10-22", decision="refuse")
    event.refresh_from_db()
    assert event.stage == S.PUBLIC_NOTICE  # the form refused: no reason
    advance(client, S.TOWNSHIP_REVIEW, [event], on="2018-10-22", decision="refuse", note="收入不稳定，需再观察")
    event.refresh_from_db()
    assert event.stage == S.REFUSED and event.reason == "收入不稳定，需再观察"
    # Sent back, the household is a candidate again.
    page = login(county["accounts"]["county_admin"]).get(url("procedures") + "?year=2018")
    assert event.household.number in [h.number for h in page.context["candidates"]]


def test_all_at_this_stage_acts_on_every_listed_procedure(login, county):
    admin = county["accounts"]["county_admin"]
    events = exit_propose(household_ids=[county["households"][0].pk, county["households"][3].pk], year=2018,
                          by=admin, on=dt.date(2018, 10, 8)).created
    for event in events:
        exit_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 10, 10))
        exit_advance(event=event, stage=S.PUBLIC_NOTICE, by=admin, on=dt.date(2018, 10, 12),
                     ends_on=dt.date(2018, 10, 18))
        exit_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=admin, on=dt.date(2018, 10, 22))
    client = login(admin)
    client.post(url("procedure_advance"), {"year": 2018, "stage": S.COUNTY_APPROVAL, "on": "2018-11-05",
                                           "all": "on", "decision": "pass"})
    assert set(StatusEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("stage", flat=True)) == {
        S.COUNTY_APPROVAL}
