"""One objection service for every public notice: a household's and a village's objections are recorded, resolved,
audited and refused by the same code, the permission layer deciding who reaches the notice (decision 1361)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.accounts.permissions import Action, Refused, may
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.procedures.area_procedure import area_exit_advance, area_exit_propose
from tuopin.apps.procedures.choices import AreaStage
from tuopin.apps.procedures.models import AreaNoticeObjection
from tuopin.apps.procedures.objections import objection_record, objection_resolve
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import NoticeObjection

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def household_notice(county, propose, walk):
    """建平村's household (township 建平乡) at its public notice, 12–18 October 2018."""
    [event] = propose(county["households"][3]).created
    walk(event, c.Stage.PUBLIC_NOTICE)
    return event.steps.get(stage=c.Stage.PUBLIC_NOTICE)


@pytest.fixture
def village_notice(county, admin):
    """建平村's own exit at its public notice, 26 November – 2 December 2018."""
    procedure = area_exit_propose(region=county["villages"][2], year=2018, by=admin, on=D(2018, 11, 20))
    area_exit_advance(procedure=procedure, stage=AreaStage.TOWNSHIP_REVIEW, by=admin, on=D(2018, 11, 25))
    area_exit_advance(procedure=procedure, stage=AreaStage.PUBLIC_NOTICE, by=admin, on=D(2018, 11, 26),
                      ends_on=D(2018, 12, 2))
    return procedure.steps.get(stage=AreaStage.PUBLIC_NOTICE)


NOTICES = [
    # (fixture, the objection's model, the entity its audit events name — the registry's, as before the move)
    ("household_notice", NoticeObjection, "registry.noticeobjection"),
    ("village_notice", AreaNoticeObjection, "registry.areanoticeobjection"),
]


@pytest.mark.parametrize(("notice", "model", "entity"), NOTICES)
def test_each_notice_records_and_resolves_through_the_one_service(request, admin, notice, model, entity):
    step = request.getfixturevalue(notice)
    received = step.on + dt.timedelta(days=1)
    objection = objection_record(step=step, received_on=received, content="  该户（村）情况不实  ", by=admin)
    assert type(objection) is model and objection.content == "该户（村）情况不实"
    assert list(step.objections.values_list("pk", flat=True)) == [objection.pk]

    with pytest.raises(ValidationError, match="处理结果需要填写内容"):  # a resolution needs its text, whichever the notice
        objection_resolve(objection=objection, resolution=" ", on=received, by=admin)
    objection_resolve(objection=objection, resolution="经核实，异议不成立", on=received + dt.timedelta(days=2),
                      by=admin)
    stored = model.objects.get(pk=objection.pk)
    assert (stored.resolution, stored.resolved_on) == ("经核实，异议不成立", received + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        objection_resolve(objection=stored, resolution="again", on=received + dt.timedelta(days=3), by=admin)

    events = AuditEvent.objects.filter(entity=entity, entity_id=str(objection.pk)).order_by("pk")
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes["resolved_on"] == [None, (received + dt.timedelta(days=2)).isoformat()]


@pytest.mark.parametrize(("notice", "model", "entity"), NOTICES)
def test_the_permission_layer_refuses_both_alike(request, county, admin, notice, model, entity):
    step = request.getfixturevalue(notice)
    accounts = county["accounts"]
    received = step.on + dt.timedelta(days=1)
    # 西岗村's first secretary and 镇赉镇's commander reach neither 建平村 nor its households; a pairing cadre's role
    # does not record objections at all.
    for role in ("first_secretary", "commander", "cadre"):
        with pytest.raises(Refused):
            objection_record(step=step, received_on=received, content="异议", by=accounts[role])
    assert not model.objects.exists()

    objection = objection_record(step=step, received_on=received, content="异议", by=admin)
    with pytest.raises(Refused):
        objection_resolve(objection=objection, resolution="已核实", on=received, by=accounts["commander"])
    assert model.objects.get(pk=objection.pk).resolved_on is None
    assert AuditEvent.objects.filter(entity=entity).count() == 1


def test_the_rule_reaches_a_notice_by_its_household_or_region(county):
    accounts = county["accounts"]
    commander, secretary = accounts["commander"], accounts["first_secretary"]
    h1, _h2, _h3, h4 = county["households"]
    v1, _v2, v3 = county["villages"]
    assert may(commander, Action.RECORD_OBJECTION, h1) and may(commander, Action.RECORD_OBJECTION, v1)
    assert not may(commander, Action.RECORD_OBJECTION, h4) and not may(commander, Action.RECORD_OBJECTION, v3)
    assert may(secretary, Action.RECORD_OBJECTION, v1) and not may(secretary, Action.RECORD_OBJECTION, v3)
    assert may(accounts["county_admin"], Action.RECORD_OBJECTION, v3)
