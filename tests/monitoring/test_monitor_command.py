"""`tuopin monitor --json`: the rules' candidates, the cases and the returns of the account's scope, per township."""

import datetime as dt
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.apps.geo.models import VillageYear
from tuopin.apps.monitoring.models import MonitoringCase
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import StatusEvent

from .helpers import exited, yearly

D = dt.date


@pytest.fixture
def watched(county):
    """2021: h1 exited and below the monitoring line (a candidate), h4 exited and well off but returned in 2021,
    h3 never registered and monitored (marginal) since June, with a case."""
    h1, h2, h3, h4 = county["households"]
    for village in county["villages"]:
        VillageYear.objects.create(village=village, year=2021, population=6, households=2, has_clinic=True,
                                   has_qualified_doctor=True, road_hardened=True, safe_water=True)
    exited(h1)
    exited(h4)
    yearly(h1, 2021, income_yuan_per_person=5000)
    yearly(h2, 2021, income_yuan_per_person=3000)
    yearly(h3, 2021, income_yuan_per_person=9000)
    yearly(h4, 2021, income_yuan_per_person=9000)
    StatusEvent.objects.create(household=h4, kind=c.EventKind.RETURNED, year=2021, stage=c.Stage.ANNOUNCED,
                               effective_on=D(2021, 9, 1), persons=2)
    MonitoringCase.objects.create(household=h3, village=h3.village, kind="marginal", channel="cadre_visit",
                                  risks=",illness,", stage="assistance", clue_on=D(2021, 6, 1),
                                  decided_on=D(2021, 6, 10), included_on=D(2021, 6, 10))
    StatusEvent.objects.create(household=h3, kind=c.EventKind.MONITORING_IN, year=2021, stage=c.Stage.ANNOUNCED,
                               effective_on=D(2021, 6, 10), persons=2)
    cache.clear()
    return county


def _monitor(*args) -> dict:
    out = io.StringIO()
    call_command("monitor", "--year", "2021", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_county_office_sees_the_county_and_its_townships(watched):
    got = _monitor("--as", "county_admin")
    assert got["scope"] == {"code": "220821000000", "name": "镇赉县", "level": "county"}
    assert got["candidates"] == 1  # h1: exited, 5,000 yuan a person against the 2021 line of 6,000
    assert got["monitored_households"] == {"unstable": 0, "marginal": 1, "sudden": 0}
    assert (got["cases_open"], got["cases_overdue"], got["risk_removed"]) == (1, 0, 0)
    assert (got["returned_households"], got["returned_persons"]) == (1, 2)
    by_code = {t["code"]: t for t in got["townships"]}
    assert set(by_code) == {"220821100000", "220821200000"}
    town, other = by_code["220821100000"], by_code["220821200000"]
    assert town["candidates"] == 1 and town["monitored_households"]["marginal"] == 1
    assert town["returned_households"] == 0 and other["returned_households"] == 1
    assert set(town) == set(got) - {"year", "scope", "townships"} | {"code", "name"}


def test_a_commander_sees_its_zone_and_its_villages(watched):
    got = _monitor("--as", "commander")
    assert got["scope"]["code"] == "220821100000"
    assert [v["code"] for v in got["villages"]] == ["220821100201", "220821100202"]
    assert got["returned_households"] == 0 and got["candidates"] == 1


def test_a_region_outside_the_scope_is_refused(watched):
    with pytest.raises(CommandError):
        _monitor("--as", "commander", "--region", "220821200000")


def test_the_dashboard_shows_the_cases_and_returns_beside_the_exit_figures(watched, client):
    from django.urls import reverse

    county = watched["county"]
    client.force_login(watched["accounts"]["county_admin"])
    body = client.get(reverse("web:region", args=[county.pk]), {"year": 2021}).content.decode()
    panel = body[body.index('class="panel monitoring-watch"'):]
    panel = panel[:panel.index("</section>")]
    assert 'data-figure="monitored">1<' in panel and 'data-figure="returned">1 / 2<' in panel
    assert 'data-area="220821200000"' in panel  # 建平乡, where the return was
    before = client.get(reverse("web:region", args=[county.pk]), {"year": 2018}).content.decode()
    assert "monitoring-watch" not in before  # no monitoring before 2020
