"""The public application form: no login, CSRF-protected, throttled per client address, audited, and never
telling the applicant whether the ID number matched a household or echoing what was typed."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.test import Client
from django.urls import reverse

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.monitoring.models import MonitoringCase
from tuopin.common import idnumber

URL = "web:monitoring_apply"


def _form(county, id_number, **kw):
    return {"name": "张三", "id_number": id_number, "village": county["villages"][0].pk, "phone": "13900001111",
            "description": "今年住院花了很多钱", **kw}


@pytest.fixture
def stranger():
    return idnumber.make("220821", __import__("datetime").date(1980, 1, 1), 777, "M")


def test_matched_and_unmatched_applications_get_the_same_answer(county, client, stranger):
    member = county["households"][0].members.first()
    first = client.post(reverse(URL), _form(county, member.id_number), REMOTE_ADDR="10.0.0.1")
    second = client.post(reverse(URL), _form(county, stranger), REMOTE_ADDR="10.0.0.2")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    page = client.get(first["Location"]).content.decode()
    for secret in (member.id_number, stranger, "13900001111", "张三", "住院"):
        assert secret not in page
    matched, unmatched = MonitoringCase.objects.order_by("pk")
    assert (matched.household, matched.channel, matched.from_public_form, matched.applicant_id_number) == (
        county["households"][0], "self_application", True, "")
    assert (unmatched.household, unmatched.village, unmatched.applicant_id_number) == (
        None, county["villages"][0], stranger)
    events = AuditEvent.objects.filter(action="monitoring:clue", source="public")
    assert events.count() == 2 and {e.ip_address for e in events} == {"10.0.0.1", "10.0.0.2"}
    assert all(stranger not in str(e.changes) for e in events)


def test_an_invalid_number_is_refused_without_echoing_the_form(county, client):
    response = client.post(reverse(URL), _form(county, "22082119800101777X"), REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 400
    page = response.content.decode()
    assert "22082119800101777X" not in page and "13900001111" not in page and "张三" not in page
    assert not MonitoringCase.objects.exists()


def test_applications_are_throttled_per_address(county, client, stranger, settings):
    settings.PUBLIC_APPLICATION_LIMIT = 2
    for _ in range(2):
        assert client.post(reverse(URL), _form(county, stranger), REMOTE_ADDR="10.0.0.4").status_code == 302
    refused = client.post(reverse(URL), _form(county, stranger), REMOTE_ADDR="10.0.0.4")
    assert refused.status_code == 429
    assert MonitoringCase.objects.count() == 2
    # Another address is not held back by the first one's applications.
    assert client.post(reverse(URL), _form(county, stranger), REMOTE_ADDR="10.0.0.5").status_code == 302


def test_the_form_needs_its_csrf_token(county, stranger):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse(URL), _form(county, stranger)).status_code == 403
    page = strict.get(reverse(URL))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_the_village_finds_the_unmatched_application_and_links_its_household(county, client, stranger):
    from tuopin.apps.monitoring import services

    client.post(reverse(URL), _form(county, stranger), REMOTE_ADDR="10.0.0.6")
    case = MonitoringCase.objects.get()
    fs = county["accounts"]["first_secretary"]
    from tuopin.apps.monitoring.selectors import cases_for

    assert list(cases_for(fs)) == [case]
    assert list(cases_for(county["accounts"]["cadre"])) == []  # a cadre sees its households' cases only
    h3 = county["households"][2]  # in another village
    with translation.override("en"), pytest.raises(ValidationError, match="not in the case's village"):
        services.case_review(case=case, version=case.version, by=county["accounts"]["county_admin"],
                             on=case.clue_on, household=h3, kind="marginal", risks=["illness"])
    h2 = county["households"][1]
    case = services.case_review(case=case, version=case.version, by=fs, on=case.clue_on, household=h2,
                                kind="marginal", risks=["illness"])
    assert (case.household, case.applicant_id_number, case.applicant_name) == (h2, "", "")
