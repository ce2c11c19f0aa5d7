"""The household exit procedure: proposal, each stage in order, notice and objections, refusal, announcement."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, NoticeObjection, ProcedureStep, StatusEvent
from tuopin.apps.procedures.objections import objection_record, objection_resolve
from tuopin.apps.procedures.procedure import (
    exit_advance,
)
from tuopin.apps.registry.services import person_leave
from tuopin.standards import load as load_standards

from .conftest import DATES

S = c.Stage


def _exits_announced_in(year):
    """docs/data-formats.md §7: households whose exit was announced in Y, and their members on that date."""
    events = StatusEvent.objects.filter(kind=c.EventKind.EXITED, stage=S.ANNOUNCED, effective_on__year=year)
    return events.count(), sum(e.persons for e in events)


def test_full_path_to_announcement_updates_status_and_counts(county, admin, propose, walk):
    hh = county["households"][1]  # four members
    member = hh.members.order_by("id").last()
    person_leave(person=member, on=dt.date(2018, 12, 1), reason="出嫁", by=admin)  # leaves after the announcement
    [event] = propose(hh).created
    assert event.stage == S.PROPOSED and event.effective_on is None
    assert _exits_announced_in(2018) == (0, 0)

    event = walk(event, S.ANNOUNCED)

    event.refresh_from_db()
    assert event.stage == S.ANNOUNCED and event.effective_on == dt.date(2018, 11, 20)
    assert event.persons == 4  # the member who left in December was a member on the announcement date
    hh.refresh_from_db()
    assert hh.status == c.PovertyStatus.EXITED and hh.exit_year == 2018 and hh.is_registered and not hh.closed
    assert hh.version == 2  # person_leave does not touch the household; the announcement does
    assert _exits_announced_in(2018) == (1, 4)
    steps = list(event.steps.order_by("on", "id"))
    assert [s.stage for s in steps] == c.STAGE_ORDER
    assert all(s.by == admin and s.by_name == "county_admin" and s.passed for s in steps)
    assert steps[2].ends_on == dt.date(2018, 10, 18)


def test_members_who_left_before_the_announcement_are_not_counted(county, admin, propose, walk):
    hh = county["households"][1]
    person_leave(person=hh.members.order_by("id").last(), on=dt.date(2018, 9, 1), reason="死亡", by=admin)
    event = walk(propose(hh).created[0], S.ANNOUNCED)
    assert event.persons == 3


def test_announcement_leaves_the_same_household_audit_as_status_event_record(county, admin, propose, walk):
    hh = county["households"][0]
    walk(propose(hh).created[0], S.ANNOUNCED)
    audit = AuditEvent.objects.get(action="event:exited", entity="registry.household", entity_id=str(hh.pk))
    assert audit.changes == {"status": ["0", "1"], "exit_year": [None, 2018]}


def test_every_step_is_audited_with_who_and_what(county, admin, propose, walk):
    hh = county["households"][0]
    event = walk(propose(hh).created[0], S.ANNOUNCED)
    proposal = AuditEvent.objects.get(action="exit:proposed")
    assert proposal.actor == admin and proposal.batch["created"] == [[event.pk, hh.number]]
    for stage in c.STAGE_ORDER[1:]:
        audit = AuditEvent.objects.get(action=f"exit:{stage}", entity="registry.statusevent", entity_id=str(event.pk))
        assert audit.actor_name == "county_admin"
        assert audit.changes["stage"][1] == stage
    assert AuditEvent.objects.get(action="exit:announced").changes["persons"] == [0, 2]


@pytest.mark.parametrize("stage", [S.PUBLIC_NOTICE, S.TOWNSHIP_REVIEW, S.COUNTY_APPROVAL, S.ANNOUNCED])
def test_skipping_a_stage_is_refused_and_writes_nothing(county, admin, propose, stage):
    event = propose(county["households"][0]).created[0]
    audits = AuditEvent.objects.count()
    on, ends_on = DATES[stage]
    with pytest.raises(ValidationError, match=r"下一环节是 民主评议 \(democratic_review\)"):
        exit_advance(event=event, stage=stage, by=admin, on=on, ends_on=ends_on)
    event.refresh_from_db()
    assert event.stage == S.PROPOSED and event.steps.count() == 1
    assert AuditEvent.objects.count() == audits


def test_a_stage_cannot_be_recorded_twice(county, admin, propose, walk):
    event = walk(propose(county["households"][0]).created[0], S.DEMOCRATIC_REVIEW)
    with pytest.raises(ValidationError, match="下一环节是 村内公示"):
        exit_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 10, 11))


def test_dates_cannot_go_backwards(county, admin, propose, walk):
    event = walk(propose(county["households"][0]).created[0], S.PUBLIC_NOTICE)
    with pytest.raises(ValidationError, match="日期不能倒退"):
        exit_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=admin, on=dt.date(2018, 10, 11))
    event = propose(county["households"][3]).created[0]
    with pytest.raises(ValidationError, match="上一环节登记于 2018-10-08"):
        exit_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 10, 7))
    assert StatusEvent.objects.get(pk=event.pk).stage == S.PROPOSED


def test_a_stage_cannot_be_dated_in_the_future(county, admin, propose):
    event = propose(county["households"][0]).created[0]
    with pytest.raises(ValidationError, match="是将来的日期"):
        exit_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date.today() + dt.timedelta(days=1))


def test_notice_shorter_than_the_standard_is_refused(county, admin, propose, walk):
    event = walk(propose(county["households"][0]).created[0], S.DEMOCRATIC_REVIEW)
    start = dt.date(2018, 10, 12)
    with pytest.raises(ValidationError, match="至少 7 天；2018-10-12 至 2018-10-17 只有 6 天"):
        exit_advance(event=event, stage=S.PUBLIC_NOTICE, by=admin, on=start, ends_on=dt.date(2018, 10, 17))
    with pytest.raises(ValidationError, match="公示需要填写结束日期"):
        exit_advance(event=event, stage=S.PUBLIC_NOTICE, by=admin, on=start)
    with pytest.raises(ValidationError, match="只有公示才有结束日期"):
        exit_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=admin, on=start, ends_on=dt.date(2018, 10, 20))
    assert StatusEvent.objects.get(pk=event.pk).stage == S.DEMOCRATIC_REVIEW
    exit_advance(event=event, stage=S.PUBLIC_NOTICE, by=admin, on=start, ends_on=dt.date(2018, 10, 18))
    assert StatusEvent.objects.get(pk=event.pk).stage == S.PUBLIC_NOTICE


def test_notice_length_comes_from_the_standards(county, admin, propose, walk, monkeypatch):
    from tuopin.apps.procedures import procedure

    monkeypatch.setattr(procedure, "notice_days", lambda code: 10)
    event = walk(propose(county["households"][0]).created[0], S.DEMOCRATIC_REVIEW)
    with pytest.raises(ValidationError, match="至少 10 天"):
        exit_advance(event=event, stage=S.PUBLIC_NOTICE, by=admin, on=dt.date(2018, 10, 12),
                     ends_on=dt.date(2018, 10, 18))
    assert load_standards("220821").section("procedure")["public_notice_days"] == 7


def test_township_review_waits_for_the_end_of_the_notice(county, admin, propose, walk):
    event = walk(propose(county["households"][0]).created[0], S.PUBLIC_NOTICE)
    with pytest.raises(ValidationError, match=r"公示结束（2018-10-18）之前不能开始"):
        exit_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=admin, on=dt.date(2018, 10, 18))
    exit_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=admin, on=dt.date(2018, 10, 19))


def test_township_review_blocked_by_unresolved_objection_allowed_after_resolution(county, admin, propose, walk):
    event = walk(propose(county["households"][0]).created[0], S.PUBLIC_NOTICE)
    notice = event.steps.get(stage=S.PUBLIC_NOTICE)
    objection = objection_record(step=notice, received_on=dt.date(2018, 10, 14),
                                 content="村民反映该户收入不实", by=admin)
    with pytest.raises(ValidationError, match="有 1 条异议尚未处理"):
        exit_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=admin, on=dt.date(2018, 10, 22))
    with pytest.raises(ValidationError, match=r"不能在 .* 处理"):
        objection_resolve(objection=objection, resolution="x", on=dt.date(2018, 10, 13), by=admin)
    with pytest.raises(ValidationError, match="处理结果需要填写内容"):
        objection_resolve(objection=objection, resolution=" ", on=dt.date(2018, 10, 20), by=admin)
    objection_resolve(objection=objection, resolution="经核实务工收入属实，异议不成立", on=dt.date(2018, 10, 20),
                      by=admin)
    assert NoticeObjection.objects.get(pk=objection.pk).resolved_on == dt.date(2018, 10, 20)
    with pytest.raises(ValidationError, match=r"该异议已于 .* 处理"):
        objection_resolve(objection=objection, resolution="again", on=dt.date(2018, 10, 21), by=admin)
    exit_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=admin, on=dt.date(2018, 10, 22))
    assert StatusEvent.objects.get(pk=event.pk).stage == S.TOWNSHIP_REVIEW
    assert AuditEvent.objects.filter(entity="registry.noticeobjection").count() == 2


def test_objections_belong_to_an_open_notice(county, admin, propose, walk):
    event = walk(propose(county["households"][0]).created[0], S.PUBLIC_NOTICE)
    review = event.steps.get(stage=S.DEMOCRATIC_REVIEW)
    with pytest.raises(ValidationError, match="异议只能针对公示登记"):
        objection_record(step=review, received_on=dt.date(2018, 10, 14), content="x", by=admin)
    notice = event.steps.get(stage=S.PUBLIC_NOTICE)
    with pytest.raises(ValidationError, match="公示开始于 2018-10-12"):
        objection_record(step=notice, received_on=dt.date(2018, 10, 11), content="x", by=admin)
    walk(event, S.TOWNSHIP_REVIEW)
    with pytest.raises(ValidationError, match=r"户 .*的公示已结束"):
        objection_record(step=notice, received_on=dt.date(2018, 10, 23), content="x", by=admin)


def test_refusal_needs_a_reason_and_ends_the_procedure(county, admin, propose, walk):
    hh = county["households"][0]
    event = walk(propose(hh).created[0], S.PUBLIC_NOTICE)
    with pytest.raises(ValidationError, match="退回需要填写理由"):
        exit_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=admin, on=dt.date(2018, 10, 22), passed=False)
    exit_advance(event=event, stage=S.TOWNSHIP_REVIEW, by=admin, on=dt.date(2018, 10, 22), passed=False,
                 note="务工收入不稳定", by_name="镇赉镇党委")
    event.refresh_from_db()
    assert event.stage == S.REFUSED and event.reason == "务工收入不稳定" and event.effective_on is None
    step = event.steps.get(stage=S.TOWNSHIP_REVIEW)
    assert not step.passed and step.by_name == "镇赉镇党委" and step.by == admin
    hh.refresh_from_db()
    assert hh.status == c.PovertyStatus.POOR and hh.exit_year is None
    with pytest.raises(ValidationError, match=r"已结束（退回 \(refused\)）"):
        exit_advance(event=event, stage=S.COUNTY_APPROVAL, by=admin, on=dt.date(2018, 11, 5))


def test_an_announcement_cannot_be_refused(county, admin, propose, walk):
    event = walk(propose(county["households"][0]).created[0], S.COUNTY_APPROVAL)
    with pytest.raises(ValidationError, match="请在 县级审定"):
        exit_advance(event=event, stage=S.ANNOUNCED, by=admin, on=dt.date(2018, 11, 20), passed=False, note="x")


def test_an_exit_is_announced_in_its_year(county, admin, propose, walk):
    event = walk(propose(county["households"][0], year=2017, on=dt.date(2017, 11, 1)).created[0], S.COUNTY_APPROVAL)
    with pytest.raises(ValidationError, match="2017 年的脱贫退出应在 2017 年公告"):
        exit_advance(event=event, stage=S.ANNOUNCED, by=admin, on=dt.date(2018, 11, 20))


def test_reproposal_after_refusal_starts_a_new_event(county, admin, propose, walk):
    hh = county["households"][0]
    first = walk(propose(hh).created[0], S.DEMOCRATIC_REVIEW)
    exit_advance(event=first, stage=S.PUBLIC_NOTICE, by=admin, on=dt.date(2018, 10, 12), passed=False,
                 note="农户不认可退出")
    result = propose(hh, on=dt.date(2018, 11, 1))
    [second] = result.created
    assert second.pk != first.pk and second.stage == S.PROPOSED
    walk(second, S.ANNOUNCED, shift=30)
    assert [e.stage for e in StatusEvent.objects.filter(household=hh, kind=c.EventKind.EXITED).order_by("id")] == \
        [S.REFUSED, S.ANNOUNCED]


def test_reproposing_an_open_procedure_is_idempotent(county, propose):
    hh = county["households"][0]
    first = propose(hh).created[0]
    again = propose(hh, hh)
    assert again.created == [] and [e.pk for e in again.already_open] == [first.pk]
    assert StatusEvent.objects.filter(household=hh, kind=c.EventKind.EXITED).count() == 1
    assert ProcedureStep.objects.filter(event__household=hh, stage=S.PROPOSED).count() == 1


def test_non_poor_households_are_refused_each_with_a_reason(county, admin, propose, walk):
    h1, h2, h3, h4 = county["households"]
    walk(propose(h4).created[0], S.ANNOUNCED)  # h4 has exited
    Household.objects.filter(pk=h2.pk).update(status=c.PovertyStatus.RETURNED)  # 返贫 is poor again
    result = propose(h1, h2, h3, h4)
    assert {e.household_id for e in result.created} == {h1.pk, h2.pk}
    assert result.refused == {h3.pk: f"户 {h3.number} 不是贫困户：未建档",
                              h4.pk: f"户 {h4.number} 不是贫困户：已脱贫"}
    audit = AuditEvent.objects.filter(action="exit:proposed").latest("id")
    assert audit.batch["refused"] == {str(h3.pk): result.refused[h3.pk], str(h4.pk): result.refused[h4.pk]}
    assert len(audit.batch["created"]) == 2


def test_unknown_and_closed_households_are_refused(county, admin, propose):
    h1 = county["households"][0]
    for person in h1.members.all():
        person_leave(person=person, on=dt.date(2018, 6, 1), reason="死亡", by=admin)
    result = propose(h1)
    assert result.created == [] and "已销户" in result.refused[h1.pk]
    from tuopin.apps.procedures.procedure import exit_propose

    assert exit_propose(household_ids=[999_999], year=2018, by=admin, on=dt.date(2018, 10, 8)).refused == \
        {999_999: "没有这一户"}


def test_proposal_is_dated_in_its_year(county, propose):
    with pytest.raises(ValidationError, match="应在 2018 年提名"):
        propose(county["households"][0], year=2018, on=dt.date(2019, 1, 3))


def test_a_household_that_leaves_poverty_otherwise_cannot_go_on(county, admin, propose, walk):
    hh = county["households"][0]
    event = walk(propose(hh).created[0], S.DEMOCRATIC_REVIEW)
    for person in hh.members.all():
        person_leave(person=person, on=dt.date(2018, 10, 11), reason="死亡", by=admin)
    with pytest.raises(ValidationError, match="该户已不是贫困户"):
        exit_advance(event=event, stage=S.PUBLIC_NOTICE, by=admin, on=dt.date(2018, 10, 12),
                     ends_on=dt.date(2018, 10, 18))


def test_only_exit_events_are_advanced(county, admin):
    identified = StatusEvent.objects.get(household=county["households"][0], kind=c.EventKind.IDENTIFIED)
    with pytest.raises(ValidationError, match="不属于脱贫退出程序"):
        exit_advance(event=identified, stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 10, 10))


@pytest.mark.parametrize("stage", [S.PROPOSED, S.REFUSED])
def test_proposal_and_refusal_are_not_stages_to_record(county, admin, propose, stage):
    event = propose(county["households"][0]).created[0]
    with pytest.raises(ValidationError, match=f"“{stage}”不是本程序记录的环节"):
        exit_advance(event=event, stage=stage, by=admin, on=dt.date(2018, 10, 10), note="x")
    with translation.override("en"), \
            pytest.raises(ValidationError, match=f"'{stage}' is not a stage this procedure records"):
        exit_advance(event=event, stage=stage, by=admin, on=dt.date(2018, 10, 10), note="x")
