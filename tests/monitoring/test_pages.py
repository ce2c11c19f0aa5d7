"""The monitoring pages: the list in scope with its filters, a case with the stage the account may record, the clue
from the household page, the notice, and 404 for a case outside the account's area."""

import datetime as dt

from django.urls import reverse

from tuopin.apps.monitoring import services as s
from tuopin.apps.monitoring.models import MonitoringCase

from .helpers import exited

D = dt.date


def _url(name, *args):
    return reverse(f"web:{name}", args=args)


def _clue(county, household=None, on=None):
    household = household or exited(county["households"][0])
    return s.clue_record(by=county["accounts"]["cadre"], household=household, channel="cadre_visit",
                         on=on or D(2025, 3, 1),
                         kind="unstable", risks=["illness"], note="户主住院")


def test_the_list_shows_the_cases_in_scope_with_overdue_flagged(county, client):
    case = _clue(county)
    client.force_login(county["accounts"]["first_secretary"])
    page = client.get(_url("monitoring"))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert f'data-case="{case.pk}"' in html and 'class="overdue"' in html  # a clue of March 2025, undecided
    assert f'data-case="{case.pk}"' in client.get(_url("monitoring") + "?overdue=on").content.decode()
    assert f'data-case="{case.pk}"' not in client.get(_url("monitoring") + "?stage=assistance").content.decode()
    # The commander of the other township sees nothing of it; an evaluator may not open the list.
    client.force_login(county["accounts"]["evaluator"])
    assert client.get(_url("monitoring")).status_code == 403


def test_a_case_offers_the_next_stage_to_its_owner_only(county, client):
    case = _clue(county)
    client.force_login(county["accounts"]["cadre"])
    html = client.get(_url("monitoring_case", case.pk)).content.decode()
    assert 'id="stage-form"' not in html and "户主住院" in html
    client.force_login(county["accounts"]["first_secretary"])
    html = client.get(_url("monitoring_case", case.pk)).content.decode()
    assert 'id="stage-form"' in html
    response = client.post(_url("monitoring_stage", case.pk), {"version": case.version, "stage": "village_review",
                                                                "decision": "pass", "on": "2025-03-03", "note": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "village_review"
    # A stale form (the version read before the review) changes nothing and says who changed the case.
    client.post(_url("monitoring_stage", case.pk), {"version": case.version - 1, "stage": "village_notice",
                                                     "on": "2025-03-04", "ends_on": "2025-03-08"})
    case.refresh_from_db()
    assert case.stage == "village_review"


def test_a_case_outside_the_area_is_not_found(county, client):
    case = _clue(county)
    client.force_login(county["accounts"]["commander"])
    assert client.get(_url("monitoring_case", case.pk)).status_code == 200
    MonitoringCase.objects.filter(pk=case.pk).update(village=county["villages"][2])  # another township
    assert client.get(_url("monitoring_case", case.pk)).status_code == 404


def test_a_clue_from_the_household_page(county, client):
    h1 = exited(county["households"][0])
    client.force_login(county["accounts"]["cadre"])
    html = client.get(_url("household", h1.pk)).content.decode()
    assert _url("monitoring_clue", h1.pk) in html
    response = client.post(_url("monitoring_clue", h1.pk), {"channel": "cadre_visit", "kind": "unstable",
                                                            "risks": ["disaster"], "on": "2025-06-01",
                                                            "note": "洪水冲毁大棚"})
    case = MonitoringCase.objects.get()
    assert response["Location"] == _url("monitoring_case", case.pk)
    assert (case.channel, case.risks) == ("cadre_visit", ",disaster,")
    assert f"#{case.pk}" in client.get(_url("household", h1.pk)).content.decode()
    # A department's alert is not a channel a cadre records.
    assert "department_alert" not in client.get(_url("monitoring_clue", h1.pk)).content.decode()


def test_the_notice_page_prints_no_identifiers(county, client):
    h1 = exited(county["households"][0])
    h1.phone = "13912345678"
    h1.save()
    h1.members.filter(relation="01").update(name="赵大山")
    case = _clue(county, h1)
    fs = county["accounts"]["first_secretary"]
    case = s.case_review(case=case, version=case.version, by=fs, on=D(2025, 3, 3), risks=["illness", "disability"])
    s.case_notice(case=case, version=case.version, by=fs, on=D(2025, 3, 4), ends_on=D(2025, 3, 8))
    client.force_login(fs)
    html = client.get(_url("monitoring_notice", county["villages"][0].pk)).content.decode()
    head = h1.members.get(relation="01")
    assert head.name in html and "因刚性支出" in html
    for secret in (head.id_number, "13912345678", "因病", "因残", h1.number):
        assert secret not in html
    client.force_login(county["accounts"]["cadre"])
    assert client.get(_url("monitoring_notice", county["villages"][0].pk)).status_code == 403


def test_a_department_sends_an_alert_without_learning_whether_it_matched(county, client):
    client.force_login(county["accounts"]["department"])
    member = county["households"][0].members.first()
    response = client.post(_url("monitoring_alert"), {"id_number": member.id_number,
                                                      "village": county["villages"][0].pk, "on": "2025-05-01",
                                                      "note": "医疗费用自付超过2万元", "risks": ["illness"]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert member.id_number not in page and county["households"][0].number not in page
    assert MonitoringCase.objects.get().household == county["households"][0]
