"""Rectification items (问题整改): routed to one owner by the table, made from evaluation findings (and closed or
reopened as the finding changes), from the four-not-removes check once per flag, by hand, and reopened."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tuopin.apps.assistance import rectification
from tuopin.apps.assistance.models import Rectification, Task, TaskEvent
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.evaluation import services as evaluation
from tuopin.apps.monitoring.four_not_removes import Flag
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services as registry

pytestmark = pytest.mark.django_db


def test_routing_takes_the_first_owner_the_place_has(org):
    h1, h2, h3, h4 = org["households"]
    v1, v2, v3 = org["villages"]
    assert rectification.route_owner(village=v1, household=h1) == (None, org["cadre"].pk)
    assert rectification.route_owner(village=v1, household=h2) == (None, org["zhao"].pk)
    # h3 has no pairing cadre and 东岗村 no work team: its paired unit
    assert rectification.route_owner(village=v2, household=h3) == (org["paired_unit"].pk, None)
    # a village item: 西岗村's work team (sent by 县财政局), 建平村's paired unit
    assert rectification.route_owner(village=v1) == (org["team"].unit_id, None)
    assert rectification.route_owner(village=v3) == (org["other_unit"].pk, None)


def test_an_item_by_hand_is_routed_audited_and_refused_outside_the_area(org):
    h1, _h2, _h3, h4 = org["households"]
    commander = org["accounts"]["commander"]
    task = rectification.rectification_create(title="补齐帮扶手册", household=h1, by=commander,
                                              due=dt.date.today() + dt.timedelta(days=10))
    assert (task.kind, task.owner_cadre, task.village, task.status) == ("rectification", org["cadre"], h1.village, "open")
    assert task.rectification.source == "manual" and task.rectification.created_by == commander
    assert AuditEvent.objects.filter(action="create", entity="assistance.task", entity_id=str(task.pk)).exists()
    with pytest.raises(PermissionDenied):
        rectification.rectification_create(title="越界", household=h4, by=commander)  # 建平乡 is not its zone
    with pytest.raises(ValidationError):
        rectification.rectification_create(title="过期", household=h1, by=commander, due=dt.date(2020, 1, 1))


def test_nobody_to_route_to_is_refused(county):
    h3 = county["households"][2]  # no cadre, no team, no paired unit, no township unit in the bare county
    with pytest.raises(ValidationError, match=r"无人可分派|Nobody to route"):
        rectification.rectification_create(title="x", household=h3, by=county["accounts"]["county_admin"])


def test_a_wrong_exit_finding_opens_an_item_that_follows_the_finding(org):
    h1 = org["households"][0]
    registry.status_event_record(household=h1, kind=c.EventKind.EXITED, year=2018, effective_on=dt.date(2018, 12, 1),
                                 by=org["accounts"]["county_admin"])
    round_ = evaluation.evaluation_round_create(county=org["county"], data_year=2018, held_in=2019, name="评估",
                                                by=None, villages=3)
    sample = round_.households.get(household=h1)
    evaluator = org["accounts"]["evaluator"]
    evaluation.sample_finding_record(sample=sample, finding="ok", by=evaluator, on=dt.date(2019, 7, 1))
    assert not Task.objects.filter(kind="rectification").exists()
    evaluation.sample_finding_record(sample=sample, finding="wrongly_exited", by=evaluator, on=dt.date(2019, 7, 1),
                                     note="收入不稳定")
    task = Task.objects.get(kind="rectification")
    assert (task.owner_cadre, task.household, task.status, task.year) == (org["cadre"], h1, "open", 2019)
    assert "错退" in task.title and task.detail == "收入不稳定"
    evaluation.sample_finding_record(sample=sample, finding="ok", by=evaluator, on=dt.date(2019, 7, 2))
    task.refresh_from_db()
    assert task.status == "resolved"
    evaluation.sample_finding_record(sample=sample, finding="wrongly_exited", by=evaluator, on=dt.date(2019, 7, 3))
    task.refresh_from_db()
    assert task.status == "open" and Task.objects.filter(kind="rectification").count() == 1
    assert list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True)) == ["opened", "closed", "reopened"]


def test_the_four_not_removes_check_makes_one_item_per_flag(org):
    h1 = org["households"][0]
    flags = [Flag("household_pairing", h1.village.code, h1.number, dt.date(2018, 12, 1), dt.date(2019, 3, 1),
                  "its pairing cadre left on 2019-03-01"),
             Flag("funding", org["county"].code, "", dt.date(2019, 12, 1), None, "no funds in 2020")]
    admin = org["accounts"]["county_admin"]
    outcome = rectification.rectifications_from_check(scope=org["county"], by=admin, flags=flags)
    assert outcome == {"flags": 2, "created": 1, "already": 0, "unrouted": 0}
    item = Rectification.objects.get()
    assert (item.source, item.check_kind, item.task.household) == ("check", "household_pairing", h1)
    assert rectification.rectifications_from_check(scope=org["county"], by=admin, flags=flags)["created"] == 0
    assert AuditEvent.objects.filter(action="rectification_check").count() == 2
    with pytest.raises(PermissionDenied):
        rectification.rectifications_from_check(scope=org["county"], by=org["accounts"]["cadre"], flags=flags)


def test_a_done_item_is_reopened_with_a_reason(org):
    h1 = org["households"][0]
    admin = org["accounts"]["county_admin"]
    task = rectification.rectification_create(title="修缮危房", household=h1, by=admin)
    Task.objects.filter(pk=task.pk).update(status="done", closed_on=dt.date.today())
    with pytest.raises(ValidationError):
        rectification.rectification_reopen(task=task, by=admin, note=" ")
    task = rectification.rectification_reopen(task=task, by=admin, note="复查仍漏雨",
                                              due=dt.date.today() + dt.timedelta(days=7))
    assert (task.status, task.closed_on, task.due) == ("open", None, dt.date.today() + dt.timedelta(days=7))
    assert task.events.last().kind == "reopened"
    with pytest.raises(ValidationError):
        rectification.rectification_reopen(task=task, by=admin, note="again")  # already open
