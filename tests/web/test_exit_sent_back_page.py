"""On the exit page, sending a household back at its democratic review opens its rectification item and says so
(decision 1237)."""

import datetime as dt

import pytest

from tests.web.conftest import url
from tuopin.apps.assistance.models import Task
from tuopin.apps.procedures.procedure import exit_propose

pytestmark = pytest.mark.django_db


def test_the_village_sends_an_exit_back_and_the_cadre_gets_an_item(login, county):
    hh = county["households"][0]
    [event] = exit_propose(household_ids=[hh.pk], year=2018, by=county["accounts"]["county_admin"],
                           on=dt.date(2018, 10, 8)).created
    client = login(county["accounts"]["first_secretary"])
    response = client.post(url("procedure_advance"), {"kind": "exit", "year": 2018, "stage": "democratic_review",
                                                      "on": "2018-10-10", "event": [event.pk], "decision": "refuse",
                                                      "note": "务工收入未核实"}, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any("整改任务" in t for t in texts), texts
    task = Task.objects.get(kind="rectification", household=hh)
    assert task.owner_cadre == county["cadre"] and task.detail == "务工收入未核实"
