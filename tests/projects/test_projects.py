"""Projects: their progress in order, the completion check and the handover to the villages, audited and
permission-checked; who sees which projects."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.accounts.permissions import Action, Refused, may
from tuopin.apps.accounts.scoping import projects_visible_to
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.projects import services as ps
from tuopin.apps.projects.models import BudgetLine

pytestmark = pytest.mark.django_db


def test_budget_by_source(books):
    road = books["road"]
    assert road.budget_fen == 400_000_00
    assert dict(BudgetLine.objects.filter(project=road).values_list("source", "amount_fen")) == \
        {"pooled": 300_000_00, "central": 100_000_00}
    road = ps.project_change(project=road, by=books["admin"], version=road.version, budget={"county": 5_00},
                             name="东岗村通村道路")
    assert road.budget_fen == 5_00 and road.name == "东岗村通村道路" and road.version == 2
    assert AuditEvent.objects.filter(action="project_change", entity_id=str(road.pk)).exists()


def test_planned_to_handed_over(books):
    admin, pv, v3 = books["admin"], books["pv"], books["villages"][2]
    with pytest.raises(ValidationError):  # not started: nothing to check
        ps.project_check(project=pv, by=admin, version=None, checked_on=dt.date(2018, 9, 1), checked_by="县发改局",
                         passed=True)
    pv = ps.project_start(project=pv, by=admin, version=pv.version, on=dt.date(2018, 4, 1))
    with pytest.raises(ValidationError):  # a failed check says why
        ps.project_check(project=pv, by=admin, version=None, checked_on=dt.date(2018, 9, 1), checked_by="县发改局",
                         passed=False)
    ps.project_check(project=pv, by=admin, version=None, checked_on=dt.date(2018, 9, 1), checked_by="县发改局",
                     passed=False, notes="并网手续未完")
    pv.refresh_from_db()
    assert pv.status == "under_way"
    with pytest.raises(ValidationError):  # handed over only after a passed check
        ps.project_hand_over(project=pv, by=admin, version=None, village=v3, on=dt.date(2018, 10, 1), assets="电站")
    ps.project_check(project=pv, by=admin, version=None, checked_on=dt.date(2018, 9, 20), checked_by="县发改局",
                     passed=True)
    pv.refresh_from_db()
    assert (pv.status, pv.completed_on) == ("completed", dt.date(2018, 9, 20))
    with pytest.raises(ValidationError):  # a village it does not serve
        ps.project_hand_over(project=pv, by=admin, version=None, village=books["villages"][0],
                             on=dt.date(2018, 10, 1), assets="电站")
    ps.project_hand_over(project=pv, by=admin, version=None, village=v3, on=dt.date(2018, 10, 1),
                         assets="500千瓦光伏电站", value_fen=3_500_000_00, received_by="建平村股份经济合作社")
    pv.refresh_from_db()
    assert (pv.status, pv.handed_over_on) == ("handed_over", dt.date(2018, 10, 1))
    assert {e.action for e in AuditEvent.objects.filter(entity_id=str(pv.pk), entity="projects.project")} >= \
        {"project_create", "project_start", "project_check", "project_hand_over"}


def test_who_sees_which_projects(books):
    acc = books["accounts"]
    everything = {books["water"].pk, books["road"].pk, books["pv"].pk}
    assert set(projects_visible_to(acc["county_admin"]).values_list("pk", flat=True)) == everything
    assert set(projects_visible_to(acc["commander"]).values_list("pk", flat=True)) == \
        {books["water"].pk, books["road"].pk}  # the zone of 镇赉镇: 西岗村, 东岗村
    assert set(projects_visible_to(acc["first_secretary"]).values_list("pk", flat=True)) == {books["water"].pk}
    for role in ("cadre", "department", "evaluator", "system_admin", "unassigned"):
        assert not projects_visible_to(acc[role]).exists()
    assert may(acc["commander"], Action.SEE_PROJECTS, books["road"])
    assert not may(acc["commander"], Action.SEE_PROJECTS, books["pv"])
    assert not may(acc["first_secretary"], Action.RECORD_PROJECTS, books["water"])
    assert not may(acc["department"], Action.SEE_PROJECTS)


@pytest.mark.parametrize("role", ["commander", "first_secretary", "department"])
def test_only_the_county_office_records_projects(books, role):
    user = books["accounts"][role]
    with pytest.raises(Refused):
        ps.project_create(by=user, kind="road", name="x", villages=[books["villages"][0]])
    with pytest.raises(Refused):
        ps.project_start(project=books["water"], by=user, version=None, on=dt.date(2018, 4, 1))


def test_unknown_kind_is_refused(books):
    with pytest.raises(ValidationError):
        ps.project_create(by=books["admin"], kind="bridge", name="x", villages=[])
