"""A county office working on many households at once: one proposal, batch stages, all or nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import household
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, ProcedureStep, StatusEvent
from tuopin.apps.procedures.procedure import exit_advance, exit_advance_many, exit_propose

from .conftest import DATES, PROPOSED_ON

S = c.Stage


def _advance_all(events, stage, admin, **kw):
    on, ends_on = DATES[stage]
    return exit_advance_many(events=events, stage=stage, by=admin, on=on, ends_on=ends_on, **kw)


def test_batch_path_to_announcement(county, admin, propose):
    h1, h2, _, h4 = county["households"]
    events = propose(h1, h2, h4).created
    for stage in c.STAGE_ORDER[1:]:
        events = _advance_all(events, stage, admin)
    assert {e.stage for e in StatusEvent.objects.filter(pk__in=[e.pk for e in events])} == {S.ANNOUNCED}
    assert {h.status for h in Household.objects.filter(pk__in=[h1.pk, h2.pk, h4.pk])} == {c.PovertyStatus.EXITED}
    assert sorted(e.persons for e in StatusEvent.objects.filter(pk__in=[e.pk for e in events])) == [2, 2, 4]
    audit = AuditEvent.objects.get(action="exit:announced")
    assert audit.entity == "registry.statusevent" and len(audit.batch["events"]) == 3
    assert audit.batch["households"][h2.number] == {"status": ["0", "1"], "exit_year": [None, 2018]}
    # One audit event per call: the proposal and five batch stages.
    assert AuditEvent.objects.filter(action__startswith="exit:").count() == 6


def test_batch_is_all_or_nothing_and_names_the_household(county, admin, propose):
    h1, h2, _, h4 = county["households"]
    events = propose(h1, h2, h4).created
    late = next(e for e in events if e.household_id == h4.pk)
    exit_advance(event=late, stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 10, 15))  # ahead of the others
    audits, steps = AuditEvent.objects.count(), ProcedureStep.objects.count()
    with pytest.raises(ValidationError) as err:
        _advance_all(events, S.DEMOCRATIC_REVIEW, admin)
    [message] = err.value.messages
    assert message.startswith(f"户 {h4.number}：下一环节是 村内公示")
    assert StatusEvent.objects.filter(pk__in=[e.pk for e in events], stage=S.PROPOSED).count() == 2
    assert (AuditEvent.objects.count(), ProcedureStep.objects.count()) == (audits, steps)


def test_batch_reports_every_household_that_cannot_go_on(county, admin, propose):
    h1, h2, _, h4 = county["households"]
    events = propose(h1, h2, h4).created
    with pytest.raises(ValidationError) as err:
        _advance_all(events, S.PUBLIC_NOTICE, admin)
    assert len(err.value.messages) == 3
    assert {m.split("：")[0] for m in err.value.messages} == {f"户 {h.number}" for h in (h1, h2, h4)}


def test_batch_refusal_needs_a_reason_and_ends_every_procedure(county, admin, propose):
    events = propose(*county["households"][:2]).created
    with pytest.raises(ValidationError, match="退回需要填写理由"):
        _advance_all(events, S.DEMOCRATIC_REVIEW, admin, passed=False)
    _advance_all(events, S.DEMOCRATIC_REVIEW, admin, passed=False, note="村民代表大会未通过")
    assert set(StatusEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("stage", "reason")) == \
        {(S.REFUSED, "村民代表大会未通过")}


def test_a_batch_of_unknown_events_is_refused(county, admin):
    with pytest.raises(ValidationError, match="没有这些脱贫退出程序：987654"):
        exit_advance_many(events=[987654], stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 10, 10))
    with pytest.raises(ValidationError, match="没有给出退出程序"):
        exit_advance_many(events=[], stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 10, 10))


def test_proposal_and_batch_stages_take_a_constant_number_of_queries(county, admin):
    # A county proposes thousands at once: the number of queries must not grow with the households.
    village = county["villages"][0]
    many = [household(village, f"2208211002019{i:02d}", members=1) for i in range(40)]

    def count(fn):
        with CaptureQueriesContext(connection) as ctx:
            out = fn()
        return len(ctx.captured_queries), out

    few_q, few = count(lambda: exit_propose(household_ids=[h.pk for h in many[:5]], year=2018, by=admin,
                                            on=PROPOSED_ON))
    more_q, more = count(lambda: exit_propose(household_ids=[h.pk for h in many[5:]], year=2018, by=admin,
                                              on=PROPOSED_ON))
    assert len(more.created) == 35 and few_q == more_q
    stage_few, _ = count(lambda: _advance_all(few.created, S.DEMOCRATIC_REVIEW, admin))
    stage_more, _ = count(lambda: _advance_all(more.created, S.DEMOCRATIC_REVIEW, admin))
    assert stage_few == stage_more
