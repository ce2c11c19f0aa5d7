"""Four not-removes (四个不摘): a pairing, a team, a policy, funding or supervision dropped after an exit is flagged;
what is explained (a death, a pairing handed over, a small cut, a year not yet recorded) is not."""

import datetime as dt

import pytest
from django.utils.translation import gettext as _

from tuopin.apps.assistance import rectification
from tuopin.apps.assistance.models import Visit
from tuopin.apps.monitoring.four_not_removes import POLICIES, four_not_removes_check, months_before
from tuopin.apps.organisation.models import CadreHouseholdPairing, UnitVillagePairing, WorkTeam
from tuopin.apps.organisation.services import cadre_household_handover, pairing_end
from tuopin.apps.procedures.models import AreaExit
from tuopin.apps.projects.models import Fund
from tuopin.apps.registry.models import PersonYear, StatusEvent

pytestmark = pytest.mark.django_db

EXIT = dt.date(2018, 12, 20)
CHECK = dt.date(2020, 6, 1)
ORG_KINDS = {"household_pairing", "unit_pairing", "work_team", "funding"}


def village_exit(village):
    return AreaExit.objects.create(region=village, kind="village", year=2018, stage="announced", effective_on=EXIT)


def household_exit(household, year=2017, on=dt.date(2017, 11, 20)):
    return StatusEvent.objects.create(household=household, kind="exited", year=year, stage="announced",
                                      effective_on=on, persons=household.members.count())


def kinds(flags, only=ORG_KINDS):
    return sorted((f.kind, f.household_number or f.region_code) for f in flags if f.kind in only)


def test_a_pairing_dropped_after_the_village_exit_is_flagged(org):
    admin, v1 = org["accounts"]["county_admin"], org["villages"][0]
    h1, h2 = org["households"][:2]
    village_exit(v1)
    assert four_not_removes_check(on=CHECK) == []
    pairing_end(instance=CadreHouseholdPairing.objects.get(household=h1), end=dt.date(2019, 3, 31), by=admin)
    flags = four_not_removes_check(on=CHECK)
    assert kinds(flags) == [("household_pairing", h1.number)]
    assert (flags[0].exit_on, flags[0].dropped_on, flags[0].group) == (EXIT, dt.date(2019, 3, 31), "responsibility")
    # Handing the household over to another cadre is not dropping it.
    cadre_household_handover(household=h2, to=org["cadre"], on=dt.date(2019, 5, 1), by=admin)
    assert kinds(four_not_removes_check(on=CHECK)) == [("household_pairing", h1.number)]
    # Before the pairing ended there was nothing to flag.
    assert four_not_removes_check(on=dt.date(2019, 3, 31)) == []


def test_a_unit_or_team_withdrawn_after_exit_is_flagged(org):
    v1 = org["villages"][0]
    village_exit(v1)
    UnitVillagePairing.objects.filter(village=v1).update(end=dt.date(2019, 12, 31))
    WorkTeam.objects.filter(village=v1).update(end=dt.date(2019, 12, 31))
    flags = four_not_removes_check(on=CHECK)
    assert kinds(flags) == [("unit_pairing", v1.code), ("work_team", v1.code)]
    team = next(f for f in flags if f.kind == "work_team")
    assert (team.group, team.object_id, team.dropped_on) == ("assistance", org["team"].pk, dt.date(2019, 12, 31))


def test_a_pairing_ended_before_the_exit_is_not_the_checks_business(org):
    admin, v1, h1 = org["accounts"]["county_admin"], org["villages"][0], org["households"][0]
    village_exit(v1)
    pairing_end(instance=CadreHouseholdPairing.objects.get(household=h1), end=dt.date(2018, 6, 30), by=admin)
    assert four_not_removes_check(on=CHECK) == []


def test_an_exited_household_keeps_its_cadre(org):
    admin, h4 = org["accounts"]["county_admin"], org["households"][3]
    household_exit(h4)
    pairing_end(instance=CadreHouseholdPairing.objects.get(household=h4), end=dt.date(2018, 3, 1), by=admin)
    assert kinds(four_not_removes_check(on=CHECK)) == [("household_pairing", h4.number)]


def test_funding_none_or_cut_beyond_the_threshold_is_flagged_a_small_cut_is_not(org):
    county = org["county"]
    AreaExit.objects.create(region=county, kind="county", year=2018, stage="announced",
                            effective_on=dt.date(2019, 4, 28))
    Fund.objects.create(name="整合涉农资金", year=2019, source="central", amount_fen=10**9)
    flags = [f for f in four_not_removes_check(on=CHECK) if f.kind == "funding"]
    assert [f.year for f in flags] == [2020] and "2020" in flags[0].reason and flags[0].group == "policy"
    # 15 % less: within the 20 % of the standards.
    Fund.objects.create(name="整合涉农资金", year=2020, source="central", amount_fen=85 * 10**7)
    assert not [f for f in four_not_removes_check(on=CHECK) if f.kind == "funding"]
    # 2021: 40 % below 2020 — a cut, with both years' figures in yuan.
    Fund.objects.create(name="整合涉农资金", year=2021, source="central", amount_fen=51 * 10**7)
    flags = [f for f in four_not_removes_check(on=dt.date(2021, 12, 31)) if f.kind == "funding"]
    assert [f.year for f in flags] == [2021] and "40%" in flags[0].reason
    assert [what for what, _ in flags[0].figures] == ["2020", "2021"]
    assert "5,100,000" in flags[0].figures[1][1]


def person_years(household, year, **policies):
    for person in household.members.all():
        PersonYear.objects.update_or_create(person=person, year=year, defaults=policies)


def test_a_policy_dropped_for_a_living_member_is_flagged_a_dead_ones_is_not(org):
    h4 = org["households"][3]
    head, spouse = h4.members.order_by("pk")
    household_exit(h4)
    person_years(h4, 2017, dibao=True, medical_assistance=True, basic_medical=True)
    # 2019 not recorded yet: nothing judged.
    assert not [f for f in four_not_removes_check(on=dt.date(2019, 12, 31)) if f.kind == "policies"]
    person_years(h4, 2019, dibao=False, medical_assistance=True, basic_medical=True)
    flags = [f for f in four_not_removes_check(on=dt.date(2019, 12, 31)) if f.kind == "policies"]
    assert [(f.household_number, f.year, f.household_id) for f in flags] == [(h4.number, 2019, h4.pk)]
    assert "低保" in flags[0].reason and "医疗救助" not in flags[0].reason
    dibao = str(POLICIES["dibao"])
    assert dict(flags[0].figures) == {dibao: _("%(n)s person(s)") % {"n": 2}}
    # The spouse died in 2019: her 低保 ending is explained; the head's is still flagged.
    spouse.active, spouse.left_on, spouse.left_reason = False, dt.date(2019, 6, 1), "death"
    spouse.save()
    flags = [f for f in four_not_removes_check(on=dt.date(2019, 12, 31)) if f.kind == "policies"]
    assert dict(flags[0].figures) == {dibao: _("%(n)s person(s)") % {"n": 1}}
    head.active, head.left_on, head.left_reason = False, dt.date(2019, 8, 1), "death"
    head.save()
    assert not [f for f in four_not_removes_check(on=dt.date(2019, 12, 31)) if f.kind == "policies"]
    # Checked as of 2018's end, the head was still a member: a death after the day does not explain it.
    person_years(h4, 2018, dibao=False)
    assert [f.year for f in four_not_removes_check(on=dt.date(2018, 12, 31)) if f.kind == "policies"] == [2018]


def test_a_village_whose_exited_households_go_unvisited_is_flagged(org):
    h1, h2 = org["households"][:2]
    household_exit(h1)
    household_exit(h2)
    on = dt.date(2019, 12, 31)
    Visit.objects.create(household=h1, cadre=org["cadre"], on=dt.date(2019, 11, 5))
    Visit.objects.create(household=h2, cadre=org["zhao"], on=dt.date(2019, 9, 20))  # more than 3 months before
    flags = [f for f in four_not_removes_check(on=on) if f.kind == "visits"]
    assert [(f.region_code, f.village_id, f.group) for f in flags] == [(h1.village.code, h1.village_id, "supervision")]
    figures = dict(flags[0].figures)
    assert (figures[_("Visited")], figures[_("Exited households")], figures[_("Share")]) == ("1", "2", "50%")
    Visit.objects.create(household=h2, cadre=org["zhao"], on=dt.date(2019, 10, 8))
    assert not [f for f in four_not_removes_check(on=on) if f.kind == "visits"]
    assert months_before(dt.date(2020, 5, 31), 3) == dt.date(2020, 2, 29)


def test_an_overdue_rectification_item_is_flagged_until_done(org):
    h1 = org["households"][0]
    admin = org["accounts"]["county_admin"]
    today = dt.date.today()
    task = rectification.rectification_create(title="补齐帮扶手册", household=h1, by=admin,
                                              due=today + dt.timedelta(days=5))
    later = today + dt.timedelta(days=12)
    flags = [f for f in four_not_removes_check(on=later) if f.kind == "overdue_rectification"]
    assert [(f.object_id, f.key) for f in flags] == [(task.pk, "")]
    assert (_("Days overdue"), "7") in flags[0].figures
    assert not [f for f in four_not_removes_check(on=today) if f.kind == "overdue_rectification"]
    type(task).objects.filter(pk=task.pk).update(status="done", closed_on=today + dt.timedelta(days=4))
    assert not [f for f in four_not_removes_check(on=later) if f.kind == "overdue_rectification"]
