"""Visits ("1+1") with follow-up tasks, and the 1×5 group's shared trip."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tuopin.apps.accounts.scoping import visits_visible_to
from tuopin.apps.assistance.models import Task, Visit
from tuopin.apps.assistance.visits import FollowUp, mutual_group_trip_record, visit_record
from tuopin.apps.organisation.models import Cadre, CadreHouseholdPairing
from tuopin.apps.organisation.services import mutual_group_create

TODAY = dt.date(2019, 3, 1)


def test_a_visit_with_a_follow_up_task(org):
    h1 = org["households"][0]
    cadre = org["accounts"]["cadre"]
    due = timezone.localdate() + dt.timedelta(days=10)
    visit = visit_record(household=h1, cadre=org["cadre"], on=TODAY, by=cadre, found="屋顶漏雨", done="联系村委",
                         follow_ups=[FollowUp("修缮屋顶", due)])
    task = Task.objects.get(kind="visit_followup")
    assert (task.household, task.owner_cadre, task.due, task.status) == (h1, org["cadre"], due, "open")
    assert "屋顶漏雨" in task.detail
    assert list(visits_visible_to(cadre)) == [visit]
    assert list(visits_visible_to(org["accounts"]["commander"])) == [visit]
    assert not visits_visible_to(org["accounts"]["zhao"]).exists()


def test_a_cadre_records_only_its_own_visits_to_its_households(org):
    h1, h2 = org["households"][:2]
    with pytest.raises(PermissionDenied):  # h2 is zhao's household
        visit_record(household=h2, cadre=org["cadre"], on=TODAY, by=org["accounts"]["cadre"])
    with pytest.raises(PermissionDenied):  # recording for another cadre
        visit_record(household=h1, cadre=org["zhao"], on=TODAY, by=org["accounts"]["cadre"])
    with pytest.raises(ValidationError):  # the first secretary may record, but the cadre named must be paired
        visit_record(household=h1, cadre=org["zhao"], on=TODAY, by=org["accounts"]["first_secretary"])
    with pytest.raises(ValidationError):  # not before the pairing began
        visit_record(household=h1, cadre=org["cadre"], on=dt.date(2015, 6, 1), by=org["accounts"]["cadre"])
    assert not Visit.objects.exists()


def test_a_mutual_groups_trip_records_a_visit_per_household(org):
    h1, h2, h3, h4 = org["households"]
    others = [Cadre.objects.create(name=f"组员{i}", unit=org["paired_unit"]) for i in range(3)]
    group = mutual_group_create(name="镇赉镇第1互助组", members=[org["cadre"], org["zhao"], *others], vehicle="吉G12345",
                                by=org["accounts"]["county_admin"])
    visits = mutual_group_trip_record(group=group, on=TODAY, households=[h1, h2], by=org["accounts"]["zhao"],
                                      notes={h2.pk: ("房屋D级", "上报住建局")})
    assert {(v.household, v.cadre) for v in visits} == {(h1, org["cadre"]), (h2, org["zhao"])}
    assert len({v.trip for v in visits}) == 1 and all(v.mutual_group == group for v in visits)
    assert Visit.objects.get(household=h2).found == "房屋D级"
    # h4 is paired with a cadre outside the group: the whole trip is refused.
    with pytest.raises(ValidationError, match=h4.number):
        mutual_group_trip_record(group=group, on=TODAY, households=[h1, h4], by=org["accounts"]["zhao"])
    assert Visit.objects.count() == 2
    outsider = CadreHouseholdPairing.objects.get(household=h4).cadre
    assert outsider not in group.members.all()
