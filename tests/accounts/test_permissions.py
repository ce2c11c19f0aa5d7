"""The role-by-role suite for writes: every role tries every action through the service that takes it (the door
every page, API endpoint and command goes through), on an object inside the role's area where it has one. The
table below is the specification, written out here rather than read from `permissions.ROLES`, so that a change
to the permission layer that lets a role do more (or less) fails here until the table is changed on purpose.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tuopin.apps.accounts import lockouts
from tuopin.apps.accounts.permissions import Action, Refused, may, require
from tuopin.apps.accounts.services import account_create, account_disable, account_set_scope
from tuopin.apps.assistance import rectification
from tuopin.apps.assistance import services as assistance
from tuopin.apps.assistance.models import Task
from tuopin.apps.evaluation import services as evaluation
from tuopin.apps.evaluation.export import round_xlsx
from tuopin.apps.procedures import procedure
from tuopin.apps.registry import services as registry
from tuopin.apps.registry.models import HouseholdYear

pytestmark = pytest.mark.django_db

ROLES = ("county_admin", "commander", "first_secretary", "cadre", "department", "evaluator", "system_admin",
         "security_admin", "audit_admin", "unassigned")
# action → the roles that may take it (on household h1 of 西岗村, 镇赉镇, paired with the cadre account).
SPEC = {
    "edit household": {"county_admin", "commander", "first_secretary", "cadre"},
    "edit yearly record": {"county_admin", "commander", "first_secretary"},  # decision 1101
    "propose exit": {"county_admin", "commander", "first_secretary"},
    "record identification application": {"county_admin", "commander", "first_secretary"},
    "propose return to poverty": {"county_admin", "commander", "first_secretary"},
    "record second notice": {"county_admin", "first_secretary"},
    "apply for village exit": {"county_admin", "commander", "first_secretary"},
    "record village exit township review": {"county_admin", "commander"},
    "record village exit county approval": {"county_admin"},
    "apply for county exit": {"county_admin"},
    "record county exit province verification": {"county_admin"},
    "record visit": {"county_admin", "commander", "first_secretary", "cadre"},
    "create task": {"county_admin", "commander", "first_secretary", "cadre"},
    "complete the cadre's task": {"cadre"},  # a task owned by a cadre is that cadre's alone
    "create account": {"system_admin"},
    "disable account": {"system_admin"},
    "assign role": {"security_admin"},
    "release lockout": {"security_admin"},
    "see ID numbers": {"county_admin"},
    # decision 1240: the county office or the evaluator draws; only the third party records what it found
    "draw evaluation round": {"county_admin", "evaluator"},
    "record evaluation finding": {"evaluator"},
    "record evaluation survey": {"evaluator"},
    "export evaluation sample": {"county_admin", "evaluator"},
    # decision 1241: rectification items by hand, and reopened, by the county office and commanders
    "make rectification item": {"county_admin", "commander"},
    "reopen rectification item": {"county_admin", "commander"},
    # The organisation (decision 1220): county-wide records by the county office, a zone's own by its commander too.
    "edit county organisation": {"county_admin"},
    "edit zone organisation": {"county_admin", "commander"},
    # decision 1412: the after-exit check (四个不摘) is the county office's and the commanders'
    "see the after-exit check": {"county_admin", "commander"},
    "make items from the after-exit check": {"county_admin", "commander"},
    # decision 1530: aid paid per person, by the department that pays the kind (the education bureau here) or the
    # county office naming it
    "record education aid": {"county_admin", "department"},
    # decision 1535: the county office sets up campaigns; the village and its township log their progress
    "create a campaign": {"county_admin"},
    "log campaign progress": {"county_admin", "commander", "first_secretary"},
    "add a unit to a campaign": {"county_admin"},
    "remove a unit from a campaign": {"county_admin"},  # decision 1537
    # decision 1610: a mistaken log is corrected by whoever may log the village's progress
    "correct a campaign log": {"county_admin", "commander", "first_secretary"},
    # decisions 1522, 1611: the village, the township and the county inspect a house; the township and the county
    # accept the works; a department only when it is the housing department (the one here is the education bureau)
    "record a house's inspection": {"county_admin", "commander", "first_secretary"},
    "accept a renovation's works": {"county_admin", "commander"},
    # decision 1501: the county office keeps the funds and the projects; the zone and the village read theirs
    "record a fund": {"county_admin"},
    "allocate a fund to a project": {"county_admin"},
    "record a completion check": {"county_admin"},
    "see the village's project": {"county_admin", "commander", "first_secretary"},
    "see the funds ledger": {"county_admin", "commander"},
    # decision 1554: policy coverage (倒查正推) — the county office, commanders, a department its domain's policies
    # (the education bureau here)
    "see the coverage of 两免一补": {"county_admin", "commander", "department"},
    "see the coverage of 低保": {"county_admin", "commander"},
    # decision 1542: a department uploads the roster kinds its domain owns (the education bureau: enrolment), the
    # county office any; the county office, the township and the village read the rows of the households they reach
    "upload an enrolment roster": {"county_admin", "department"},
    "upload a death roster": {"county_admin"},
    "see a death roster's row of the household": {"county_admin", "commander", "first_secretary"},
    # decision 1543: a match by likeness is confirmed by whoever reads the row (here an enrolment row of household 1)
    "confirm an enrolment roster's match": {"county_admin", "commander", "first_secretary", "department"},
    # decision 1593: signals that figures may be gamed — the county office runs them, it and the zone's commander read
    "run the signals": {"county_admin"},
    "see a signal of the zone": {"county_admin", "commander"},
}


def _door(name: str, org, user):
    h1 = org["households"][0]
    h1.refresh_from_db()
    cadre = org["cadre"]
    if name == "edit household":
        registry.household_update(household=h1, version=h1.version, by=user, address="probe 1")
    elif name == "edit yearly record":
        record = HouseholdYear.objects.get(household=h1, year=2018)
        registry.household_year_update(record=record, version=record.version, by=user, wage_income_fen=record.wage_income_fen + 100)
    elif name == "propose exit":
        result = procedure.exit_propose(household_ids=[h1.pk], year=2018, by=user, on=dt.date(2018, 10, 8))
        assert result.created, result.refused
    elif name == "record identification application":
        from tests.factories import household

        applicant = household(h1.village, "220821100201077", registered=False)
        result = procedure.identification_apply(household_ids=[applicant.pk], year=2018, by=user,
                                                on=dt.date(2018, 6, 1))
        assert result.created, result.refused
    elif name == "propose return to poverty":
        from tuopin.apps.registry.models import Household

        Household.objects.filter(pk=h1.pk).update(status="1")
        result = procedure.return_propose(household_ids=[h1.pk], year=2018, by=user, on=dt.date(2018, 9, 1),
                                          reason="因灾", evidence="核查记录")
        assert result.created, result.refused
    elif name == "record second notice":
        from tests.factories import household

        applicant = household(h1.village, "220821100201078", registered=False)
        [event] = procedure.identification_apply(household_ids=[applicant.pk], year=2018, by=None,
                                                 on=dt.date(2018, 6, 1)).created
        for stage, on, ends in (("democratic_review", dt.date(2018, 6, 5), None),
                                ("public_notice", dt.date(2018, 6, 6), dt.date(2018, 6, 12)),
                                ("township_review", dt.date(2018, 6, 15), None)):
            procedure.procedure_advance(event=event, stage=stage, by=None, on=on, ends_on=ends)
        procedure.procedure_advance(event=event, stage="second_notice", by=user, on=dt.date(2018, 6, 16),
                                    ends_on=dt.date(2018, 6, 22))
    elif name.startswith(("apply for", "record village exit", "record county")):
        _area_door(name, org, user)
    elif name == "record visit":
        assistance.visit_record(household=h1, cadre=cadre, on=dt.date(2018, 5, 1), by=user, found="probe")
    elif name == "create task":
        assistance.task_create(kind="rectification", title="probe", household=h1, owner_cadre=cadre, by=user)
    elif name == "complete the cadre's task":
        task = Task.objects.create(kind="rectification", title="probe", household=h1, village=h1.village,
                                   year=2018, owner_cadre=cadre)
        assistance.task_complete(task=task, by=user, text="done", version=task.version)
    elif name == "create account":
        account_create(username="probe-new", password="Grass-seed-2025", by=user)
    elif name == "disable account":
        account_disable(account=org["accounts"]["zhao"], by=user)
    elif name == "assign role":
        account_set_scope(account=org["accounts"]["zhao"], by=user, role="evaluator", region=org["county"])
    elif name == "release lockout":
        from axes.models import AccessAttempt

        attempt = AccessAttempt.objects.create(username="zhao", ip_address="10.0.0.9", failures_since_start=9,
                                               user_agent="probe", get_data="", post_data="", http_accept="",
                                               path_info="/login/")
        lockouts.lockout_release(attempt=attempt, by=user)
    elif name == "draw evaluation round":
        evaluation.evaluation_round_create(county=org["county"], data_year=2018, held_in=2019, name="probe",
                                           by=user, villages=1)
    elif name in ("record evaluation finding", "record evaluation survey", "export evaluation sample"):
        round_ = evaluation.evaluation_round_create(county=org["county"], data_year=2018, held_in=2019,
                                                    name="probe", by=None, villages=3)
        if name == "record evaluation finding":
            evaluation.sample_finding_record(sample=round_.households.first(), finding="ok", by=user,
                                             on=dt.date(2019, 7, 1))
        elif name == "record evaluation survey":
            evaluation.round_survey_record(round_=round_, surveyed=10, approving=9, by=user)
        else:
            round_xlsx(round_, by=user)
    elif name == "make rectification item":
        rectification.rectification_create(title="probe", household=h1, by=user)
    elif name == "reopen rectification item":
        task = Task.objects.create(kind="rectification", title="probe", household=h1, village=h1.village,
                                   year=2018, owner_cadre=cadre, status="done")
        rectification.rectification_reopen(task=task, by=user, note="not put right")
    elif name == "see the after-exit check":
        from tuopin.apps.accounts.permissions import require

        require(user, Action.SEE_AFTER_EXIT)
    elif name == "make items from the after-exit check":
        from tuopin.apps.monitoring.four_not_removes import four_not_removes_rectify

        four_not_removes_rectify(account=user, on=dt.date(2020, 6, 1))
    elif name == "edit county organisation":
        from tuopin.apps.organisation.services import unit_create

        unit_create(name="县统计局", kind="department", domain="statistics", by=user)
    elif name == "edit zone organisation":
        from tuopin.apps.organisation.services import unit_village_pairing_create

        unit_village_pairing_create(unit=org["other_unit"], village=h1.village, start=dt.date(2020, 1, 1), by=user)
    elif name.startswith("see the coverage of"):
        from tuopin.apps.policy.coverage import check_policy

        check_policy(by=user, policy="two_exemptions" if name.endswith("两免一补") else "dibao")
    elif name == "record education aid":
        from tuopin.apps.aid.services import payment_record

        payment_record(by=user, person=h1.members.first(), year=2018, kind="two_exemptions", amount_fen=100_000,
                       paid_on=dt.date(2018, 6, 30), reference="probe", department=org["departments"]["education"])
    elif name in ("record a house's inspection", "accept a renovation's works"):
        from tuopin.apps.housing import services as housing

        by = user if name == "record a house's inspection" else None
        r = housing.renovation_inspect(household=h1, grade="D", on=dt.date(2018, 3, 1), inspector="probe",
                                       floor_area_m2=50, by=by)
        if name == "accept a renovation's works":
            r = housing.renovation_choose(renovation=r, version=r.version, option="reinforce", on=dt.date(2018, 3, 2),
                                          by=None)
            r = housing.renovation_approve(renovation=r, version=r.version, on=dt.date(2018, 3, 3), by=None,
                                           approved_by_name="probe")
            r = housing.renovation_start(renovation=r, version=r.version, on=dt.date(2018, 3, 4), by=None)
            housing.renovation_accept(renovation=r, version=r.version, on=dt.date(2018, 6, 1), accepted_by_name="probe",
                                      passed=True, cost_fen=100, by=user)
    elif name in ("create a campaign", "log campaign progress", "add a unit to a campaign", "correct a campaign log",
                  "remove a unit from a campaign"):
        from tuopin.apps.campaigns import services as campaigns

        campaign = campaigns.campaign_create(by=user if name == "create a campaign" else None, name="probe",
                                             start=dt.date(2018, 4, 10), end=dt.date(2018, 7, 18))
        if name == "add a unit to a campaign":
            campaigns.participant_add(campaign=campaign, by=user, unit=org["unit"], role="包村")
        elif name == "remove a unit from a campaign":
            taking_part = campaigns.participant_add(campaign=campaign, by=None, unit=org["unit"], role="包村")
            campaigns.participant_remove(participant=taking_part, by=user)
        elif name in ("log campaign progress", "correct a campaign log"):
            correcting = name == "correct a campaign log"
            campaigns.target_set(campaign=campaign, by=None, village=h1.village, kind="visits_made", count=5)
            log = campaigns.progress_record(campaign=campaign, by=None if correcting else user, village=h1.village,
                                            day=dt.date(2018, 5, 1), kind="visits_made", count=1)
            if correcting:
                campaigns.progress_correct(log=log, by=user, day=dt.date(2018, 5, 1), kind="visits_made", count=2,
                                           note="probe")
    elif name in ("record a fund", "allocate a fund to a project", "record a completion check",
                  "see the village's project", "see the funds ledger"):
        _projects_door(name, org, user)
    elif name in ("upload an enrolment roster", "upload a death roster", "see a death roster's row of the household"):
        _roster_door(name, org, user)
    elif name == "confirm an enrolment roster's match":
        from tuopin.apps.policy.models import Roster, RosterEntry
        from tuopin.apps.policy.review import match_review

        person = org["households"][0].members.first()
        roster = Roster.objects.create(kind="enrolment", year=2018, filename="probe.csv", sha256="0" * 64, rows=1)
        entry = RosterEntry.objects.create(roster=roster, row=2, name=person.name, person=person, how="review")
        match_review(entry=entry, by=user, decision="confirmed")
    elif name == "run the signals":
        from tuopin.apps.integrity.services import signals_run

        signals_run(year=2018, by=user)
    elif name == "see a signal of the zone":
        from tuopin.apps.accounts.permissions import require as check
        from tuopin.apps.integrity.models import Finding

        finding = Finding.objects.create(year=2018, kind="income_jump", key="2018|income_jump|probe",
                                         township=h1.village.parent, village=h1.village, households=[h1.pk],
                                         explanation="probe", found_on=dt.date(2019, 1, 1), seen_on=dt.date(2019, 1, 1))
        check(user, Action.SEE_SIGNALS, finding)
    elif name == "see ID numbers":
        if not may(user, Action.SEE_ID_NUMBERS):
            raise Refused(user, Action.SEE_ID_NUMBERS, "masked")


def _roster_door(name, org, user):
    import tempfile
    from pathlib import Path

    from tuopin.apps.accounts.scoping import roster_entries_visible_to
    from tuopin.apps.policy.roster_import import roster_import
    from tuopin.standards.rosters import layout

    person = org["households"][0].members.first()
    kind = "enrolment" if name == "upload an enrolment roster" else "death"
    columns = [c.name for c in layout(kind).columns]
    cells = {"姓名": person.name, "证件号码": person.id_number, "死亡日期": "2018-01-01"}
    reading = name.startswith("see")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        path.write_text(",".join(columns) + "\n" + ",".join(cells.get(c, "") for c in columns) + "\n",
                        encoding="utf-8")
        result = roster_import(path, kind=kind, year=2018, by=None if reading else user)
    assert result.ok, result.problems
    if reading:
        require(user, Action.SEE_ROSTERS, layout(kind).departments)
        if not roster_entries_visible_to(user).filter(roster=result.roster, person=person).exists():
            raise Refused(user, Action.SEE_ROSTERS, "out of reach")


def _projects_door(name, org, user):
    from tuopin.apps.projects import funds, services

    village, county = org["households"][0].village, org["county"]
    if name == "record a fund":
        funds.fund_record(by=user, year=2018, source="pooled", name="probe", amount_fen=100, county=county)
        return
    project = services.project_create(by=None, kind="water", name="probe", villages=[village], county=county)
    if name == "allocate a fund to a project":
        fund = funds.fund_record(by=None, year=2018, source="pooled", name="probe", amount_fen=100, county=county)
        funds.allocate(by=user, fund=fund, project=project, amount_fen=100, on=dt.date(2018, 3, 1))
    elif name == "record a completion check":
        services.project_start(project=project, by=None, version=None, on=dt.date(2018, 4, 1))
        services.project_check(project=project, by=user, version=None, checked_on=dt.date(2018, 9, 1),
                               checked_by="probe", passed=True)
    elif name == "see the village's project":
        require(user, Action.SEE_PROJECTS, project)
    else:
        require(user, Action.SEE_FUNDS)


def _area_door(name, org, user):
    from tuopin.apps.evaluation.models import EvaluationRound
    from tuopin.apps.procedures import area_procedure as area

    village, county = org["villages"][0], org["county"]
    if name == "apply for village exit":
        area.area_exit_propose(region=village, year=2018, by=user, on=dt.date(2018, 11, 20))
    elif name == "apply for county exit":
        area.area_exit_propose(region=county, year=2018, by=user, on=dt.date(2019, 1, 10))
    elif name.startswith("record village exit"):
        case = area.area_exit_propose(region=village, year=2018, by=None, on=dt.date(2018, 11, 20))
        if name.endswith("county approval"):
            area.area_exit_advance(procedure=case, stage="township_review", by=None, on=dt.date(2018, 11, 25))
            area.area_exit_advance(procedure=case, stage="public_notice", by=None, on=dt.date(2018, 11, 26),
                                   ends_on=dt.date(2018, 12, 2))
            area.area_exit_advance(procedure=case, stage="county_approval", by=user, on=dt.date(2018, 12, 5))
        else:
            area.area_exit_advance(procedure=case, stage="township_review", by=user, on=dt.date(2018, 11, 25))
    else:
        case = area.area_exit_propose(region=county, year=2018, by=None, on=dt.date(2019, 1, 10))
        area.area_exit_advance(procedure=case, stage="city_review", by=None, on=dt.date(2019, 1, 20))
        evaluation = EvaluationRound.objects.create(name="probe", held_in=2019, data_year=2018, county=county)
        area.area_exit_advance(procedure=case, stage="province_verification", by=user, on=dt.date(2019, 4, 1),
                               evaluation_round=evaluation)


CASES = [pytest.param(action, role, id=f"{action}-{role}") for action in SPEC for role in ROLES]


@pytest.mark.parametrize("action,role", CASES)
def test_each_role_takes_exactly_its_actions(org, action, role):
    user = org["accounts"][role]
    allowed = role in SPEC[action]
    try:
        _door(action, org, user)
    except PermissionDenied:
        assert not allowed, f"{role} was refused {action}"
    else:
        assert allowed, f"{role} could {action}"


def test_a_commander_cannot_complete_a_task_a_cadre_owns_even_in_its_zone(org):
    h1 = org["households"][0]
    task = Task.objects.create(kind="rectification", title="probe", household=h1, village=h1.village, year=2018,
                               owner_cadre=org["cadre"])
    for role in ("commander", "first_secretary", "county_admin"):
        with pytest.raises(Refused):
            assistance.task_complete(task=task, by=org["accounts"][role], text="done", version=task.version)
    task.refresh_from_db()
    assert task.status == "open"


def test_a_refused_page_write_is_audited_after_the_rollback(client, org):
    from tuopin.apps.audit.models import AuditEvent

    record = HouseholdYear.objects.get(household=org["households"][0], year=2018)
    client.force_login(org["accounts"]["cadre"])
    response = client.post(f"/household-years/{record.pk}/edit/", {"version": record.version})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access_refused", actor=org["accounts"]["cadre"]).exists()
    record.refresh_from_db()
    assert record.version == 1 or record.updated_by_id is None
