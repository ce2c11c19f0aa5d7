"""A house's renovation as a workflow (decisions 1520–1522): stages in order, refusals, audit rows, who records
what, and the registry written only once the house is inspected again and graded safe — which the rule reads."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.assessment import services as assessment
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.housing import services
from tuopin.apps.housing.choices import Stage
from tuopin.apps.housing.models import HouseRenovation
from tuopin.apps.registry.models import HouseholdYear
from tuopin.common.versioning import StaleEdit

pytestmark = pytest.mark.django_db
D = dt.date


def _housing_gap(household) -> str | None:
    gaps = {g["indicator"]: g["reason"] for g in assessment.explain_household(
        household_id=household.pk, year=2018, region_code="220821000000")}
    return gaps.get("housing")


def _fresh(r):
    return HouseRenovation.objects.get(pk=r.pk)


def _to_accepted(county, household, *, grade="D", option="reinforce"):
    a = county["accounts"]
    r = services.renovation_inspect(household=household, grade=grade, on=D(2018, 3, 1), inspector="张工",
                                    agency="县住建局", floor_area_m2="62.5", by=a["first_secretary"])
    r = services.renovation_choose(renovation=r, version=r.version, option=option, on=D(2018, 3, 20),
                                   by=a["first_secretary"])
    r = services.renovation_approve(renovation=r, version=r.version, on=D(2018, 4, 2), by=a["county_admin"])
    r = services.renovation_start(renovation=r, version=r.version, on=D(2018, 5, 1), by=a["first_secretary"])
    return services.renovation_accept(renovation=r, version=r.version, on=D(2018, 9, 1), accepted_by_name="李镇长",
                                      passed=True, cost_fen=1_300_000, by=a["commander"])


def test_the_stages_in_order_write_the_registry_only_when_graded_safe(county):
    h1, a = county["households"][0], county["accounts"]
    HouseholdYear.objects.filter(household=h1, year=2018).update(housing_grade="D")
    assert _housing_gap(h1) == "住房为D级危房，尚未改造（住房安全未保障）"
    r = _to_accepted(county, h1)
    assert r.stage == Stage.ACCEPTED and r.estimated_cost_fen == 1_200_000  # the standards' D级加固 reference
    assert r.subsidy_fen == 1_300_000  # the D subsidy (14,000 yuan) capped at what the works cost
    # Accepted but not inspected again: the registry is untouched and the house unsafe.
    record = HouseholdYear.objects.get(household=h1, year=2018)
    assert record.renovation == "" and _housing_gap(h1) == "住房为D级危房，尚未改造（住房安全未保障）"
    # Inspected again and still D: stays accepted, still unsafe.
    r = services.renovation_reinspect(renovation=r, version=r.version, on=D(2018, 9, 20), grade="D",
                                      inspector="张工", by=a["commander"])
    assert r.stage == Stage.ACCEPTED and HouseholdYear.objects.get(pk=record.pk).renovation == ""
    # Graded B: safe, and the yearly record says so through the registry's audited service.
    r = services.renovation_reinspect(renovation=r, version=r.version, on=D(2018, 10, 8), grade="B",
                                      inspector="张工", by=a["commander"])
    assert r.stage == Stage.SAFE
    record = HouseholdYear.objects.get(pk=record.pk)
    assert (record.renovation, record.renovation_year, record.renovation_cost_fen, record.renovation_grade) == (
        "reinforce", 2018, 1_300_000, "B")
    assert record.version == 2 and record.updated_by == a["commander"]
    assert _housing_gap(h1) is None
    events = AuditEvent.objects.filter(entity="housing.houserenovation", entity_id=str(r.pk))
    assert list(events.order_by("id").values_list("action", flat=True)) == [
        "create", "housing:option", "housing:approve", "housing:works", "housing:accept", "housing:reinspect",
        "housing:reinspect"]
    written = AuditEvent.objects.get(entity="registry.householdyear", entity_id=str(record.pk))
    assert written.changes["renovation_grade"] == ["", "B"] and written.actor == a["commander"]


def test_stage_order_is_enforced(county):
    h1, a = county["households"][0], county["accounts"]
    r = services.renovation_inspect(household=h1, grade="C", on=D(2018, 3, 1), inspector="张工",
                                    floor_area_m2=50, by=a["first_secretary"])
    with pytest.raises(ValidationError, match="现在不能登记此阶段"):
        services.renovation_start(renovation=r, version=r.version, on=D(2018, 4, 1), by=a["county_admin"])
    with pytest.raises(ValidationError, match="现在不能登记此阶段"):
        services.renovation_reinspect(renovation=r, version=r.version, on=D(2018, 4, 1), grade="A",
                                      inspector="x", by=a["county_admin"])
    # A C house may not be reinforced or rebuilt (the standards' grades of each option).
    with pytest.raises(ValidationError):
        services.renovation_choose(renovation=r, version=r.version, option="rebuild", on=D(2018, 3, 5),
                                   by=a["first_secretary"])
    # A date before the stage before it, or in the future, is refused.
    with pytest.raises(ValidationError):
        services.renovation_choose(renovation=r, version=r.version, option="repair", on=D(2018, 2, 1),
                                   by=a["first_secretary"])
    with pytest.raises(ValidationError):
        services.renovation_choose(renovation=r, version=r.version, option="repair",
                                   on=dt.date.today() + dt.timedelta(days=2), by=a["first_secretary"])
    # One open renovation per household; A or B opens none.
    with pytest.raises(ValidationError):
        services.renovation_inspect(household=h1, grade="D", on=D(2018, 3, 2), inspector="张工", floor_area_m2=50,
                                    by=a["first_secretary"])
    with pytest.raises(ValidationError):
        services.renovation_inspect(household=county["households"][1], grade="B", on=D(2018, 3, 2),
                                    inspector="张工", floor_area_m2=50, by=a["first_secretary"])


def test_a_failed_acceptance_keeps_the_works_open(county):
    h1, a = county["households"][0], county["accounts"]
    r = services.renovation_inspect(household=h1, grade="D", on=D(2018, 3, 1), inspector="张工",
                                    floor_area_m2=50, by=a["county_admin"])
    for write, kw in ((services.renovation_choose, {"option": "rebuild"}), (services.renovation_approve, {}),
                      (services.renovation_start, {"contractor": "镇赉建筑队"})):
        r = write(renovation=r, version=r.version, on=D(2018, 4, 1), by=a["county_admin"], **kw)
    r = services.renovation_accept(renovation=r, version=r.version, on=D(2018, 8, 1), accepted_by_name="李镇长",
                                   passed=False, cost_fen=0, note="墙体裂缝", by=a["commander"])
    assert r.stage == Stage.WORKS and r.accepted is False
    assert AuditEvent.objects.filter(entity_id=str(r.pk), action="housing:accept_failed").exists()
    r = services.renovation_accept(renovation=r, version=r.version, on=D(2018, 9, 1), accepted_by_name="李镇长",
                                   passed=True, cost_fen=3_000_000, by=a["commander"])
    assert r.stage == Stage.ACCEPTED and r.subsidy_fen == 1_400_000


def test_a_stale_version_is_refused(county):
    h1, a = county["households"][0], county["accounts"]
    r = services.renovation_inspect(household=h1, grade="C", on=D(2018, 3, 1), inspector="张工",
                                    floor_area_m2=50, by=a["first_secretary"])
    services.renovation_choose(renovation=r, version=r.version, option="repair", on=D(2018, 3, 5),
                               by=a["first_secretary"])
    with pytest.raises(StaleEdit):
        services.renovation_choose(renovation=r, version=r.version, option="relocate", on=D(2018, 3, 6),
                                   by=a["first_secretary"])
    assert _fresh(r).option == "repair"


def test_who_records_which_stage(county):
    h1, h4, a = county["households"][0], county["households"][3], county["accounts"]
    # The cadre, a department and the evaluator record no stage; the village team not outside its village.
    for who in ("cadre", "department", "evaluator"):
        with pytest.raises(Refused):
            services.renovation_inspect(household=h1, grade="D", on=D(2018, 3, 1), inspector="x",
                                        floor_area_m2=50, by=a[who])
    with pytest.raises(Refused):
        services.renovation_inspect(household=h4, grade="D", on=D(2018, 3, 1), inspector="x", floor_area_m2=50,
                                    by=a["first_secretary"])
    r = services.renovation_inspect(household=h1, grade="D", on=D(2018, 3, 1), inspector="x", floor_area_m2=50,
                                    by=a["first_secretary"])
    r = services.renovation_choose(renovation=r, version=r.version, option="reinforce", on=D(2018, 3, 2),
                                   by=a["first_secretary"])
    # Only the county office approves the option and its subsidy.
    for who in ("first_secretary", "commander"):
        with pytest.raises(Refused):
            services.renovation_approve(renovation=r, version=r.version, on=D(2018, 3, 3), by=a[who])
    r = services.renovation_approve(renovation=r, version=r.version, on=D(2018, 3, 3), by=a["county_admin"])
    r = services.renovation_start(renovation=r, version=r.version, on=D(2018, 3, 4), by=a["first_secretary"])
    # The village team does not pass its own works, nor grade the house safe.
    with pytest.raises(Refused):
        services.renovation_accept(renovation=r, version=r.version, on=D(2018, 6, 1), accepted_by_name="x",
                                   passed=True, cost_fen=100, by=a["first_secretary"])
    r = services.renovation_accept(renovation=r, version=r.version, on=D(2018, 6, 1), accepted_by_name="x",
                                   passed=True, cost_fen=100, by=a["commander"])
    with pytest.raises(Refused):
        services.renovation_reinspect(renovation=r, version=r.version, on=D(2018, 6, 2), grade="B", inspector="x",
                                      by=a["first_secretary"])
    assert _fresh(r).stage == Stage.ACCEPTED


def _housing_department(county, *, domain="housing"):
    from tests.factories import account
    from tuopin.apps.organisation.models import Unit, UnitKind

    unit = Unit.objects.create(name=f"县住建局-{domain}", kind=UnitKind.DEPARTMENT, domain=domain)
    return account(f"dept-{domain}", "department", department=unit, region=county["county"])


def test_the_housing_department_records_its_technical_stages_county_wide(county):
    """Decision 1611: the housing department (住建) inspects and accepts the works anywhere in its county — the
    household of 建平村 too, which no gap task opened to it; the option, the approval, the works and the
    re-inspection that writes the registry are not its; the education bureau's account records none of them."""
    h4, a = county["households"][3], county["accounts"]
    housing = _housing_department(county)
    r = services.renovation_inspect(household=h4, grade="D", on=D(2018, 3, 1), inspector="张工", agency="县住建局",
                                    floor_area_m2=50, by=housing)
    assert AuditEvent.objects.filter(actor=housing, action="create", entity_id=str(r.pk)).exists()
    with pytest.raises(Refused):
        services.renovation_choose(renovation=r, version=r.version, option="reinforce", on=D(2018, 3, 2),
                                   by=housing)
    r = services.renovation_choose(renovation=r, version=r.version, option="reinforce", on=D(2018, 3, 2),
                                   by=a["county_admin"])
    with pytest.raises(Refused):
        services.renovation_approve(renovation=r, version=r.version, on=D(2018, 3, 3), by=housing)
    r = services.renovation_approve(renovation=r, version=r.version, on=D(2018, 3, 3), by=a["county_admin"])
    with pytest.raises(Refused):
        services.renovation_start(renovation=r, version=r.version, on=D(2018, 3, 4), by=housing)
    r = services.renovation_start(renovation=r, version=r.version, on=D(2018, 3, 4), by=a["county_admin"])
    with translation.override("en"), pytest.raises(Refused) as refused:  # the education bureau: not the housing one
        services.renovation_accept(renovation=r, version=r.version, on=D(2018, 6, 1), accepted_by_name="x",
                                   passed=True, cost_fen=100, by=a["department"])
    assert refused.value.reason == "your department does not work on housing renovations"
    r = services.renovation_accept(renovation=r, version=r.version, on=D(2018, 6, 1), accepted_by_name="县住建局",
                                   passed=True, cost_fen=1_000_000, by=housing)
    assert AuditEvent.objects.filter(actor=housing, action="housing:accept").exists()
    with pytest.raises(Refused):
        services.renovation_reinspect(renovation=r, version=r.version, on=D(2018, 6, 2), grade="B", inspector="张工",
                                      by=housing)
    r = services.renovation_reinspect(renovation=r, version=r.version, on=D(2018, 6, 2), grade="B", inspector="张工",
                                      by=a["county_admin"])
    assert _fresh(r).stage == Stage.SAFE


def test_another_department_records_no_stage_and_sees_no_renovation(county):
    from tuopin.apps.accounts.permissions import Action, may
    from tuopin.apps.housing.selectors import renovations_for

    h1, a = county["households"][0], county["accounts"]
    r = services.renovation_inspect(household=h1, grade="D", on=D(2018, 3, 1), inspector="x", floor_area_m2=50,
                                    by=a["first_secretary"])
    water = _housing_department(county, domain="water")
    for other in (a["department"], water):
        with pytest.raises(Refused):
            services.renovation_inspect(household=county["households"][3], grade="C", on=D(2018, 3, 1),
                                        inspector="x", floor_area_m2=50, by=other)
        assert not may(other, Action.SEE_HOUSING, county["county"])
        assert not renovations_for(other).exists()
    assert list(renovations_for(_housing_department(county))) == [r]
