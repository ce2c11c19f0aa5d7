"""The after-exit page (/after-exit/): the county office sees the county, a commander its war zone only, other roles
are refused; the year choice runs from the county's exit to this year; the flags become rectification items once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.web.conftest import login, url  # noqa: F401  (the fixture)
from tuopin.apps.assistance.models import Rectification, Task
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.monitoring.four_not_removes import (after_exit_years, four_not_removes_check,
                                                     four_not_removes_rectify)
from tuopin.apps.organisation.models import CadreHouseholdPairing
from tuopin.apps.procedures.models import AreaExit
from tuopin.apps.projects.models import Fund

pytestmark = pytest.mark.django_db
ON = dt.date(2020, 12, 31)


@pytest.fixture
def dropped(org):
    """The county exited in April 2019; h1 (镇赉镇) and h4 (建平乡) lost their pairing cadres in 2020."""
    AreaExit.objects.create(region=org["county"], kind="county", year=2018, stage="announced",
                            effective_on=dt.date(2019, 4, 28))
    h1, h4 = org["households"][0], org["households"][3]
    CadreHouseholdPairing.objects.filter(household__in=[h1, h4]).update(end=dt.date(2020, 3, 31))
    Fund.objects.create(name="整合涉农资金", year=2019, source="central", amount_fen=10**9)
    Fund.objects.create(name="整合涉农资金", year=2020, source="central", amount_fen=6 * 10**8)
    return org


def numbers(flags):
    return sorted(f.household_number for f in flags if f.household_number)


def test_a_commander_sees_its_zone_the_county_office_the_county(dropped):
    h1, h4 = dropped["households"][0], dropped["households"][3]
    accounts = dropped["accounts"]
    county_flags = four_not_removes_check(account=accounts["county_admin"], on=ON)
    assert numbers(county_flags) == [h1.number, h4.number]
    assert "funding" in {f.kind for f in county_flags}
    zone_flags = four_not_removes_check(account=accounts["commander"], on=ON)  # 镇赉镇
    assert numbers(zone_flags) == [h1.number] and "funding" not in {f.kind for f in zone_flags}
    assert numbers(four_not_removes_check(account=accounts["other_commander"], on=ON)) == [h4.number]


def test_the_page_is_for_the_county_office_and_commanders(login, dropped):  # noqa: F811
    h1, h4 = dropped["households"][0], dropped["households"][3]
    accounts = dropped["accounts"]
    page = login(accounts["county_admin"]).get(url("four_not_removes"), {"year": 2020})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert h1.number in html and h4.number in html
    assert reverse("web:household", args=[h1.pk]) in html and reverse("web:org_household_pair", args=[h4.pk]) in html
    assert 'data-year="2020"' in html and "6,000,000.00" in html  # the funds, in yuan
    assert page.context["years"] == list(range(2019, dt.date.today().year + 1))
    rows = {t.code: total for t, _counts, total in page.context["count_rows"]}
    assert rows == {"220821100000": 1, "220821200000": 1}  # h1, h4: the funding cut is the county's, no township's
    assert page.context["total"] == 3
    zone = login(accounts["commander"]).get(url("four_not_removes"), {"year": 2020}).content.decode()
    assert h1.number in zone and h4.number not in zone
    for role in ("cadre", "first_secretary", "department", "evaluator", "system_admin"):
        assert login(accounts[role]).get(url("four_not_removes")).status_code == 403, role
    assert login(accounts["county_admin"]).get(url("four_not_removes"), {"year": 2018}).status_code == 404


def test_the_flags_become_rectification_items_once(login, dropped):  # noqa: F811
    h1, h4 = dropped["households"][0], dropped["households"][3]
    accounts = dropped["accounts"]
    outcome = four_not_removes_rectify(account=accounts["commander"], on=ON)
    assert outcome["created"] == 1 and Task.objects.get(kind="rectification").household == h1
    with pytest.raises(PermissionDenied):
        four_not_removes_rectify(account=accounts["cadre"], on=ON)
    client = login(accounts["county_admin"])
    response = client.post(url("four_not_removes_rectify"), {"year": 2020})
    assert response.status_code == 302 and response["Location"].startswith(url("rectification_list"))
    items = Rectification.objects.filter(source="check").select_related("task")
    assert sorted(i.task.household.number for i in items) == [h1.number, h4.number]
    assert {i.check_kind for i in items} == {"household_pairing"}  # the funding cut has no village to route to
    assert client.post(url("four_not_removes_rectify"), {"year": 2020}).status_code == 302
    assert Task.objects.filter(kind="rectification").count() == 2
    assert AuditEvent.objects.filter(action="rectification_check").count() == 3
    assert login(accounts["cadre"]).post(url("four_not_removes_rectify"), {"year": 2020}).status_code == 403


def test_the_years_run_from_the_county_exit_to_this_year(org):
    assert after_exit_years(org["county"]) == []
    AreaExit.objects.create(region=org["villages"][0], kind="village", year=2017, stage="announced",
                            effective_on=dt.date(2017, 12, 10))
    assert after_exit_years(org["county"])[0] == 2017
    AreaExit.objects.create(region=org["county"], kind="county", year=2018, stage="announced",
                            effective_on=dt.date(2019, 4, 28))
    assert after_exit_years(org["townships"][1]) == list(range(2019, dt.date.today().year + 1))
