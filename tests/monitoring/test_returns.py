"""A monitored household that falls into poverty goes through the return or identification procedure, and the
announcement ends its open case (decision 1442)."""

import datetime as dt

from django.utils import translation

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.monitoring.choices import Stage
from tuopin.apps.monitoring.models import CaseStep, MonitoringCase
from tuopin.apps.monitoring.selectors import case_counts
from tuopin.apps.procedures.procedure import identification_apply, procedure_advance, return_propose
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household

from .helpers import exited
from .test_services import _included

D = dt.date
S = c.Stage
RETURN = [(S.DEMOCRATIC_REVIEW, D(2025, 6, 3), None), (S.PUBLIC_NOTICE, D(2025, 6, 4), D(2025, 6, 10)),
          (S.TOWNSHIP_REVIEW, D(2025, 6, 12), None), (S.COUNTY_APPROVAL, D(2025, 6, 20), None),
          (S.ANNOUNCED, D(2025, 6, 28), None)]
IDENTIFICATION = [(S.DEMOCRATIC_REVIEW, D(2025, 6, 3), None), (S.PUBLIC_NOTICE, D(2025, 6, 4), D(2025, 6, 10)),
                  (S.TOWNSHIP_REVIEW, D(2025, 6, 12), None), (S.SECOND_NOTICE, D(2025, 6, 13), D(2025, 6, 19)),
                  (S.COUNTY_APPROVAL, D(2025, 6, 22), None), (S.ANNOUNCED, D(2025, 6, 28), None)]


def _walk(event, stages, by):
    for stage, on, ends_on in stages:
        event = procedure_advance(event=event, stage=stage, by=by, on=on, ends_on=ends_on)
    return event


def test_a_return_announced_ends_the_open_case_on_its_day(county):
    admin = county["accounts"]["county_admin"]
    h1 = exited(county["households"][0])
    case = _included(county, h1)
    h1.refresh_from_db()
    assert h1.status == c.PovertyStatus.MONITORED and h1.is_registered
    proposal = return_propose(household_ids=[h1.pk], year=2025, by=admin, on=D(2025, 6, 1), reason="因病返贫",
                              evidence="乡镇核查")
    [event] = proposal.created
    _walk(event, RETURN[:-1], admin)
    case.refresh_from_db()
    assert case.stage == Stage.ASSISTANCE  # still monitored until the return is announced
    _walk(event, RETURN[-1:], admin)
    case.refresh_from_db()
    h1.refresh_from_db()
    assert (case.stage, case.returned_on, h1.status) == (Stage.RETURNED, D(2025, 6, 28), c.PovertyStatus.RETURNED)
    step = CaseStep.objects.filter(case=case).latest("id")
    assert (step.stage, step.on, step.by_role) == (Stage.RETURNED, D(2025, 6, 28), "county_admin")
    assert AuditEvent.objects.filter(action="monitoring:returned", entity_id=str(case.pk)).exists()
    figures = case_counts(county["county"], 2025, on=D(2025, 7, 1))
    assert figures["cases_open"] == 0 and sum(figures["monitored_households"].values()) == 0


def test_a_never_registered_monitored_household_is_identified_not_returned(county):
    admin = county["accounts"]["county_admin"]
    marginal = county["households"][0]  # the cadre's household, here never registered (边缘易致贫户)
    Household.objects.filter(pk=marginal.pk).update(is_registered=False, status=c.PovertyStatus.NOT_REGISTERED)
    case = _included(county, marginal, kind="marginal")
    marginal.refresh_from_db()
    assert marginal.status == c.PovertyStatus.MONITORED and not marginal.is_registered
    with translation.override("en"):
        refused = return_propose(household_ids=[marginal.pk], year=2025, by=admin, on=D(2025, 6, 1),
                                 reason="因灾", evidence="核查").refused
    assert "never registered" in refused[marginal.pk]
    [event] = identification_apply(household_ids=[marginal.pk], year=2025, by=admin, on=D(2025, 6, 1)).created
    _walk(event, IDENTIFICATION, admin)
    case.refresh_from_db()
    assert (case.stage, case.returned_on) == (Stage.RETURNED, D(2025, 6, 28))
    assert CaseStep.objects.filter(case=case, stage=Stage.RETURNED).get().note == "识别为贫困户，监测结束"


def test_a_refused_return_leaves_the_case_open(county):
    admin = county["accounts"]["county_admin"]
    h1 = exited(county["households"][0])
    case = _included(county, h1)
    [event] = return_propose(household_ids=[h1.pk], year=2025, by=admin, on=D(2025, 6, 1), reason="因病",
                             evidence="核查").created
    procedure_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=D(2025, 6, 3), passed=False,
                      note="收入稳定，不返贫")
    case.refresh_from_db()
    assert case.stage == Stage.ASSISTANCE and MonitoringCase.objects.filter(stage=Stage.RETURNED).count() == 0

