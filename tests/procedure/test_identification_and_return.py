"""Identification of new poor households (建档立卡 新识别) and returns to poverty (返贫): the household machinery of
the exit procedure with their own stages; each stage by its owner, objections hold the next stage."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.factories import household
from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, StatusEvent
from tuopin.apps.procedures.objections import objection_record, objection_resolve
from tuopin.apps.procedures.procedure import (
    identification_apply,
    procedure_advance,
    procedure_advance_many,
    return_propose,
)

pytestmark = pytest.mark.django_db
S = c.Stage
D = dt.date
IDENTIFICATION_DATES = {
    S.DEMOCRATIC_REVIEW: (D(2018, 6, 5), None),
    S.PUBLIC_NOTICE: (D(2018, 6, 6), D(2018, 6, 12)),
    S.TOWNSHIP_REVIEW: (D(2018, 6, 15), None),
    S.SECOND_NOTICE: (D(2018, 6, 16), D(2018, 6, 22)),
    S.COUNTY_APPROVAL: (D(2018, 6, 25), None),
    S.ANNOUNCED: (D(2018, 6, 30), None),
}


@pytest.fixture
def applicant(county):
    """A household of 西岗村 (the first secretary's village) not registered as poor."""
    return household(county["villages"][0], "220821100201009", registered=False)


def walk(event, upto, by, dates=IDENTIFICATION_DATES):
    event = StatusEvent.objects.get(pk=event.pk)
    order = list(dates)
    for stage in order[order.index(event.stage) + 1 if event.stage in order else 0:]:
        on, ends_on = dates[stage]
        event = procedure_advance(event=event, stage=stage, by=by, on=on, ends_on=ends_on)
        if stage == upto:
            break
    return event


def test_identification_runs_its_seven_stages_and_registers_the_household(county, applicant):
    admin = county["accounts"]["county_admin"]
    result = identification_apply(household_ids=[applicant.pk], year=2018, by=admin, on=D(2018, 6, 1),
                                  by_name="户主本人", note="因病致贫，申请纳入")
    [event] = result.created
    assert event.kind == c.EventKind.IDENTIFIED and event.stage == S.APPLIED
    assert event.steps.get().by_name == "户主本人" and event.steps.get().note == "因病致贫，申请纳入"
    event = walk(event, S.ANNOUNCED, admin)
    assert event.stage == S.ANNOUNCED and event.effective_on == D(2018, 6, 30) and event.persons == 2
    assert [s.stage for s in event.steps.order_by("on", "id")] == c.IDENTIFICATION_ORDER
    applicant.refresh_from_db()
    assert applicant.status == c.PovertyStatus.POOR and applicant.is_registered and applicant.identified_year == 2018
    assert AuditEvent.objects.filter(action="identification:applied").exists()
    assert AuditEvent.objects.filter(action="event:identified", entity="registry.household").exists()


def test_identification_refuses_skipping_and_a_poor_household(county, applicant):
    admin = county["accounts"]["county_admin"]
    [event] = identification_apply(household_ids=[applicant.pk], year=2018, by=admin, on=D(2018, 6, 1)).created
    with pytest.raises(ValidationError, match=r"下一环节是 民主评议 .*环节不能跳过"):
        procedure_advance(event=event, stage=S.PUBLIC_NOTICE, by=admin, on=D(2018, 6, 6), ends_on=D(2018, 6, 12))
    walk(event, S.TOWNSHIP_REVIEW, admin)
    with pytest.raises(ValidationError, match=r"下一环节是 第二次公示"):
        procedure_advance(event=event, stage=S.COUNTY_APPROVAL, by=admin, on=D(2018, 6, 25))
    poor = county["households"][0]
    result = identification_apply(household_ids=[poor.pk], year=2018, by=admin, on=D(2018, 6, 1))
    assert not result.created and "状态为未脱贫" in result.refused[poor.pk]


def test_each_identification_stage_belongs_to_its_role(county, applicant):
    accounts = county["accounts"]
    secretary, commander, admin = accounts["first_secretary"], accounts["commander"], accounts["county_admin"]
    [event] = identification_apply(household_ids=[applicant.pk], year=2018, by=secretary, on=D(2018, 6, 1)).created
    with pytest.raises(Refused):
        procedure_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=commander, on=D(2018, 6, 5))
    walk(event, S.PUBLIC_NOTICE, secretary)
    with pytest.raises(Refused):
        procedure_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=secretary, on=D(2018, 6, 15))
    walk(event, S.TOWNSHIP_REVIEW, commander)
    walk(event, S.SECOND_NOTICE, secretary)
    for wrong in (secretary, commander):
        with pytest.raises(Refused):
            procedure_advance(event=event, stage=S.COUNTY_APPROVAL, by=wrong, on=D(2018, 6, 25))
    assert walk(event, S.ANNOUNCED, admin).stage == S.ANNOUNCED
    with pytest.raises(Refused):  # a cadre does not record applications
        identification_apply(household_ids=[applicant.pk], year=2018, by=accounts["cadre"], on=D(2018, 6, 1))


def test_an_objection_to_the_second_notice_holds_the_county_approval(county, applicant):
    admin = county["accounts"]["county_admin"]
    [event] = identification_apply(household_ids=[applicant.pk], year=2018, by=admin, on=D(2018, 6, 1)).created
    walk(event, S.PUBLIC_NOTICE, admin)
    first = event.steps.get(stage=S.PUBLIC_NOTICE)
    walk(event, S.SECOND_NOTICE, admin)
    with pytest.raises(ValidationError, match=r"户 .*的公示已结束"):  # the first notice has ended
        objection_record(step=first, received_on=D(2018, 6, 17), content="x", by=admin)
    second = event.steps.get(stage=S.SECOND_NOTICE)
    objection = objection_record(step=second, received_on=D(2018, 6, 18), content="该户有营运车辆", by=admin)
    with pytest.raises(ValidationError, match="1 条异议"):
        procedure_advance(event=event, stage=S.COUNTY_APPROVAL, by=admin, on=D(2018, 6, 25))
    objection_resolve(objection=objection, resolution="经核实车辆已转让", on=D(2018, 6, 23), by=admin)
    assert procedure_advance(event=event, stage=S.COUNTY_APPROVAL, by=admin, on=D(2018, 6, 25)).stage == \
        S.COUNTY_APPROVAL


def test_second_notice_runs_its_minimum_length(county, applicant):
    admin = county["accounts"]["county_admin"]
    [event] = identification_apply(household_ids=[applicant.pk], year=2018, by=admin, on=D(2018, 6, 1)).created
    walk(event, S.TOWNSHIP_REVIEW, admin)
    with pytest.raises(ValidationError, match="至少 7 天"):
        procedure_advance(event=event, stage=S.SECOND_NOTICE, by=admin, on=D(2018, 6, 16), ends_on=D(2018, 6, 20))


@pytest.fixture
def exited(county):
    hh = county["households"][3]
    Household.objects.filter(pk=hh.pk).update(status=c.PovertyStatus.EXITED, exit_year=2017)
    StatusEvent.objects.create(household=hh, kind=c.EventKind.EXITED, year=2017, stage=S.ANNOUNCED,
                               effective_on=D(2017, 11, 20), persons=2)
    return Household.objects.get(pk=hh.pk)


RETURN_DATES = {
    S.DEMOCRATIC_REVIEW: (D(2018, 9, 3), None),
    S.PUBLIC_NOTICE: (D(2018, 9, 4), D(2018, 9, 10)),
    S.TOWNSHIP_REVIEW: (D(2018, 9, 12), None),
    S.COUNTY_APPROVAL: (D(2018, 9, 20), None),
    S.ANNOUNCED: (D(2018, 9, 28), None),
}


def test_a_return_to_poverty_needs_reason_and_evidence_and_ends_returned(county, exited):
    admin = county["accounts"]["county_admin"]
    with pytest.raises(ValidationError, match="返贫需要填写原因和依据"):
        return_propose(household_ids=[exited.pk], year=2018, by=admin, on=D(2018, 9, 1), reason="因灾", evidence=" ")
    result = return_propose(household_ids=[exited.pk, county["households"][0].pk], year=2018, by=admin,
                            on=D(2018, 9, 1), reason="因灾返贫：房屋倒塌", evidence="乡镇民政所核查记录")
    [event] = result.created
    assert "状态为未脱贫" in result.refused[county["households"][0].pk]  # a poor household does not return
    assert event.kind == c.EventKind.RETURNED and event.reason == "因灾返贫：房屋倒塌"
    assert event.steps.get().note == "乡镇民政所核查记录"
    event = walk(event, S.ANNOUNCED, admin, RETURN_DATES)
    exited.refresh_from_db()
    assert event.stage == S.ANNOUNCED and exited.status == c.PovertyStatus.RETURNED
    assert AuditEvent.objects.filter(action="return:proposed").exists()


def test_a_batch_does_not_mix_kinds_and_a_refusal_ends_a_return(county, exited):
    admin = county["accounts"]["county_admin"]
    [event] = return_propose(household_ids=[exited.pk], year=2018, by=admin, on=D(2018, 9, 1), reason="因病",
                             evidence="住院记录").created
    identified = StatusEvent.objects.get(household=county["households"][0], kind=c.EventKind.IDENTIFIED)
    with pytest.raises(ValidationError, match="不属于返贫程序"):
        procedure_advance_many(events=[event, identified], stage=S.DEMOCRATIC_REVIEW, by=admin, on=D(2018, 9, 3))
    event = procedure_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=D(2018, 9, 3), passed=False,
                              note="收入核实后高于标准")
    exited.refresh_from_db()
    assert event.stage == S.REFUSED and exited.status == c.PovertyStatus.EXITED
