"""The monitoring procedure's services: each stage by the role that owns it, its checks, its audit and its events."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.factories import person
from tuopin.apps.assistance.models import Task
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.monitoring import services as s
from tuopin.apps.monitoring.choices import Stage
from tuopin.apps.monitoring.models import CaseStep, MonitoringCase
from tuopin.apps.organisation.models import Unit, UnitKind
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import StatusEvent
from tuopin.common.versioning import StaleEdit

from .helpers import exited, yearly

D = dt.date
MARCH_20 = D(2025, 3, 20)


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched in English here; the one test below reads them in Chinese, the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def h1(county):
    return exited(county["households"][0])


def _included(county, household, *, included_on=MARCH_20, kind="unstable"):
    """A case taken through the village's stages to the township's approval on `included_on`."""
    a = county["accounts"]
    clue_on = included_on - dt.timedelta(days=14)
    case = s.clue_record(by=a["cadre"], household=household, channel="cadre_visit", on=clue_on,
                         kind=kind, risks=["illness"], note="住院费用高")
    case = s.case_review(case=case, version=case.version, by=a["first_secretary"], on=clue_on + dt.timedelta(days=2))
    case = s.case_notice(case=case, version=case.version, by=a["first_secretary"], on=clue_on + dt.timedelta(days=3),
                         ends_on=clue_on + dt.timedelta(days=7))
    return s.case_approve(case=case, version=case.version, by=a["commander"], on=included_on)


def test_each_stage_by_its_owner_writes_steps_audit_and_the_monitoring_event(county, h1):
    a = county["accounts"]
    case = s.clue_record(by=a["cadre"], household=h1, channel="cadre_visit", on=D(2025, 3, 1), kind="unstable",
                         risks=["illness", "disaster"], note="户主住院")
    assert (case.stage, case.risks, case.village_id) == (Stage.CLUE, ",illness,disaster,", h1.village_id)
    case = s.case_review(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 3))
    case = s.case_notice(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 4),
                         ends_on=D(2025, 3, 8))
    case = s.case_approve(case=case, version=case.version, by=a["commander"], on=D(2025, 3, 10))
    assert (case.stage, case.included_on, case.decided_on) == (Stage.ASSISTANCE, D(2025, 3, 10), D(2025, 3, 10))
    event = case.monitoring_event
    assert (event.kind, event.stage, event.effective_on) == (c.EventKind.MONITORING_IN, c.Stage.ANNOUNCED,
                                                             D(2025, 3, 10))
    h1.refresh_from_db()
    assert h1.status == c.PovertyStatus.MONITORED
    steps = list(CaseStep.objects.filter(case=case).values_list("stage", "by_role"))
    assert steps == [("clue", "cadre"), ("village_review", "first_secretary"), ("village_notice", "first_secretary"),
                     ("township_approval", "commander")]
    actions = list(AuditEvent.objects.filter(entity="monitoring.monitoringcase", entity_id=str(case.pk))
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["monitoring:clue", "monitoring:village_review", "monitoring:village_notice",
                       "monitoring:township_approval"]
    assert AuditEvent.objects.filter(action="event:monitoring_in", entity_id=str(h1.pk)).exists()


@pytest.mark.parametrize(("role", "stage"), [
    ("cadre", "review"), ("commander", "review"), ("first_secretary", "approve"), ("cadre", "approve"),
    ("department", "review"),
])
def test_a_stage_is_refused_to_a_role_that_does_not_own_it(county, h1, role, stage):
    a = county["accounts"]
    case = s.clue_record(by=a["cadre"], household=h1, channel="cadre_visit", on=D(2025, 3, 1), kind="unstable",
                         risks=["illness"], note="户主住院")
    if stage == "approve":
        case = s.case_review(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 3))
        case = s.case_notice(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 4),
                             ends_on=D(2025, 3, 8))
        with pytest.raises(PermissionDenied):
            s.case_approve(case=case, version=case.version, by=a[role], on=D(2025, 3, 10))
    else:
        with pytest.raises(PermissionDenied):
            s.case_review(case=case, version=case.version, by=a[role], on=D(2025, 3, 3))


def test_clues_only_for_households_in_reach_and_a_department_only_by_its_alerts(county, h1):
    a = county["accounts"]
    h4 = county["households"][3]  # paired with another cadre
    with pytest.raises(PermissionDenied):
        s.clue_record(by=a["cadre"], household=h4, channel="cadre_visit", on=D(2025, 3, 1), note="x")
    with pytest.raises(PermissionDenied):
        s.clue_record(by=a["department"], household=h1, channel="cadre_visit", on=D(2025, 3, 1), note="x")
    with pytest.raises(PermissionDenied):
        s.clue_record(by=a["evaluator"], household=h1, channel="cadre_visit", on=D(2025, 3, 1), note="x")
    s.alert_record(by=a["department"], id_number=h1.members.first().id_number, village=county["villages"][0],
                   note="医保报销金额超过3万元", on=D(2025, 3, 1), risks=["illness"])
    case = MonitoringCase.objects.get()
    assert (case.household, case.channel, case.department) == (h1, "department_alert", county["unit"])


def test_a_stale_version_is_refused(county, h1):
    a = county["accounts"]
    case = s.clue_record(by=a["cadre"], household=h1, channel="cadre_visit", on=D(2025, 3, 1), kind="unstable",
                         risks=["illness"], note="户主住院")
    s.case_review(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 3))
    with pytest.raises(StaleEdit):
        s.case_review(case=case, version=case.version, by=a["county_admin"], on=D(2025, 3, 3))


def test_a_short_notice_and_an_approval_before_its_end_are_refused(county, h1):
    a = county["accounts"]
    case = s.clue_record(by=a["cadre"], household=h1, channel="cadre_visit", on=D(2025, 3, 1), kind="unstable",
                         risks=["illness"], note="户主住院")
    case = s.case_review(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 3))
    with pytest.raises(ValidationError, match="at least 5 days"):
        s.case_notice(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 4),
                      ends_on=D(2025, 3, 7))
    case = s.case_notice(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 4),
                         ends_on=D(2025, 3, 8))
    with pytest.raises(ValidationError, match="after the village notice has ended"):
        s.case_approve(case=case, version=case.version, by=a["commander"], on=D(2025, 3, 8))


def test_not_included_needs_a_reason_and_closes_the_case_without_an_event(county, h1):
    a = county["accounts"]
    case = s.clue_record(by=a["cadre"], household=h1, channel="cadre_visit", on=D(2025, 3, 1), kind="unstable",
                         risks=["illness"], note="户主住院")
    with pytest.raises(ValidationError, match="reason"):
        s.case_review(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 3), passed=False)
    case = s.case_review(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 3), passed=False,
                         note="已报销，实际负担不大")
    assert (case.stage, case.decided_on, case.not_included_reason) == (Stage.NOT_INCLUDED, D(2025, 3, 3),
                                                                      "已报销，实际负担不大")
    assert not StatusEvent.objects.filter(household=h1, kind=c.EventKind.MONITORING_IN).exists()
    # Closed, so a new clue about the household may be recorded.
    s.clue_record(by=a["cadre"], household=h1, channel="cadre_visit", on=D(2025, 4, 1), note="又住院")


def test_one_open_case_per_household(county, h1):
    a = county["accounts"]
    s.clue_record(by=a["cadre"], household=h1, channel="cadre_visit", on=D(2025, 3, 1), note="户主住院")
    with pytest.raises(ValidationError, match="already has an open monitoring case"):
        s.clue_record(by=a["first_secretary"], household=h1, channel="self_application", on=D(2025, 3, 2), note="x")


def test_a_measure_is_routed_as_a_task_to_the_first_owner_found(county, h1):
    a = county["accounts"]
    case = _included(county, h1)
    measure = s.measure_record(case=case, by=a["first_secretary"], kind="education", description="申请雨露计划补助")
    task = measure.task
    # The education department exists in the small county: the routing table names it first.
    assert (task.kind, task.owner_unit, task.household) == ("monitoring", county["unit"], h1)
    measure = s.measure_record(case=case, by=a["first_secretary"], kind="employment", description="推荐公益岗位")
    assert measure.task.owner_cadre == county["cadre"]  # no 人社局 in the small county: the pairing cadre
    assert Task.objects.filter(kind="monitoring").count() == 2
    assert AuditEvent.objects.filter(action="monitoring:measure").count() == 2


def test_a_measure_is_refused_before_inclusion(county, h1):
    a = county["accounts"]
    case = s.clue_record(by=a["cadre"], household=h1, channel="cadre_visit", on=D(2025, 3, 1), note="户主住院")
    with pytest.raises(ValidationError, match="under assistance"):
        s.measure_record(case=case, by=a["first_secretary"], kind="health", description="x")


def test_a_poor_household_is_not_taken_under_monitoring(county):
    a = county["accounts"]
    h2 = county["households"][1]  # poor
    case = s.clue_record(by=a["first_secretary"], household=h2, channel="cadre_visit", on=D(2025, 3, 1),
                         kind="sudden", risks=["disaster"], note="房屋受灾")
    case = s.case_review(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 3))
    case = s.case_notice(case=case, version=case.version, by=a["first_secretary"], on=D(2025, 3, 4),
                         ends_on=D(2025, 3, 8))
    with pytest.raises(ValidationError, match="cannot be taken under monitoring"):
        s.case_approve(case=case, version=case.version, by=a["commander"], on=D(2025, 3, 10))


# --- risk removal ---------------------------------------------------------------------------------------------

def test_risk_removal_before_six_months_is_refused(county, h1):
    yearly(h1, 2025, income_yuan_per_person=9000)
    case = _included(county, h1, included_on=D(2025, 3, 20))
    with pytest.raises(ValidationError, match="no sooner than 6 months") as refused:
        s.risk_remove(case=case, version=case.version, by=county["accounts"]["commander"], on=D(2025, 9, 19))
    assert "2025-09-20" in str(refused.value)
    case = s.risk_remove(case=case, version=case.version, by=county["accounts"]["commander"], on=D(2025, 9, 20))
    assert (case.stage, case.removed_on, case.removal_event.kind) == (Stage.RISK_REMOVED, D(2025, 9, 20),
                                                                     c.EventKind.RISK_REMOVED)
    h1.refresh_from_db()
    assert h1.status != c.PovertyStatus.MONITORED


def test_risk_removal_is_refused_below_the_monitoring_line_and_with_a_gap(county, h1):
    yearly(h1, 2025, income_yuan_per_person=5000, insured=False)
    case = _included(county, h1)
    with pytest.raises(ValidationError) as refused:
        s.risk_remove(case=case, version=case.version, by=county["accounts"]["commander"], on=D(2025, 12, 1))
    text = " ".join(refused.value.messages)
    assert "monitoring line of 6000 yuan" in text
    assert "基本医疗" in text  # the engine's own reason for the uninsured members


def test_a_household_without_labour_capacity_stays_monitored(county, h1):
    yearly(h1, 2025, income_yuan_per_person=9000)
    h1.members.update(labour_ability=c.LabourAbility.LOST)
    person(h1, name="孙子", relation=c.Relation.GRANDCHILD, birth=D(2015, 1, 1), labour_ability=c.LabourAbility.NONE)
    case = _included(county, h1)
    with pytest.raises(ValidationError, match="no member of the household can work"):
        s.risk_remove(case=case, version=case.version, by=county["accounts"]["commander"], on=D(2025, 12, 1))


def test_risk_removal_is_the_townships(county, h1):
    yearly(h1, 2025, income_yuan_per_person=9000)
    case = _included(county, h1)
    with pytest.raises(PermissionDenied):
        s.risk_remove(case=case, version=case.version, by=county["accounts"]["first_secretary"], on=D(2025, 12, 1))
    case = s.risk_remove(case=case, version=case.version, by=county["accounts"]["county_admin"], on=D(2025, 12, 1))
    assert case.stage == Stage.RISK_REMOVED


def test_the_department_unit_routes_health_measures(county, h1):
    Unit.objects.create(name="县医保局", kind=UnitKind.DEPARTMENT, domain="medical_insurance")
    case = _included(county, h1)
    measure = s.measure_record(case=case, by=county["accounts"]["commander"], kind="health", description="医疗救助")
    assert measure.task.owner_unit.name == "县医保局"


def test_a_refusal_is_told_in_chinese_by_default(county, h1):
    yearly(h1, 2025, income_yuan_per_person=9000)
    case = _included(county, h1)
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="满 6 个月后方可消除风险"):
        s.risk_remove(case=case, version=case.version, by=county["accounts"]["commander"], on=D(2025, 4, 1))
