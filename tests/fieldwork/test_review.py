"""Proposed changes reviewed: accepted, the change goes through the registry's service (audited, versioned); a
registry that moved on since the proposal refuses the accept; rejected with a reason (decision 1561)."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import account
from tuopin.apps.accounts.models import Role
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.fieldwork.models import ChangeStatus
from tuopin.apps.fieldwork.services import Answer, change_accept, change_reject, visit_submit
from tuopin.apps.registry.models import HouseholdYear, PersonYear

from .conftest import ON


def _proposal(field, answer):
    return visit_submit(by=field["accounts"]["cadre"], household=field["households"][0], on=ON,
                        client_id=uuid.uuid4(), answers=[answer]).proposals[0]


def test_accepting_applies_the_change_through_the_registry_and_audits_it(field):
    child = field["child"]
    change = _proposal(field, Answer("in_school", False, person=child.pk, seen=True))
    record = PersonYear.objects.get(person=child, year=2018)
    accepted = change_accept(change=change, version=change.version, by=field["accounts"]["first_secretary"],
                             note="核实属实")
    record.refresh_from_db()
    assert record.school_status == "90" and record.version == 2
    assert (accepted.status, accepted.reviewed_by, accepted.note) == (
        ChangeStatus.ACCEPTED, field["accounts"]["first_secretary"], "核实属实")
    assert AuditEvent.objects.filter(entity="registry.personyear", entity_id=str(record.pk), action="update",
                                     changes__school_status=["20", "90"]).exists()
    assert AuditEvent.objects.filter(action="change:accepted", entity_id=str(change.pk)).exists()
    with pytest.raises(ValidationError, match="不是待审核"):
        change_accept(change=accepted, version=accepted.version, by=field["accounts"]["first_secretary"])


def test_a_house_repaired_is_recorded_as_renovated(field):
    HouseholdYear.objects.filter(household=field["households"][0], year=2018).update(housing_grade="D")
    change = _proposal(field, Answer("house_safe", True, seen=False))
    assert change.current == {"renovation": "", "renovation_year": None}
    change_accept(change=change, version=change.version, by=field["accounts"]["county_admin"])
    record = HouseholdYear.objects.get(household=field["households"][0], year=2018)
    assert (record.renovation, record.renovation_year, record.housing_grade) == ("repair", 2018, "D")


def test_a_change_whose_registry_value_moved_on_is_refused_as_a_conflict(field):
    head = field["head"]
    change = _proposal(field, Answer("insurance_card", False, person=head.pk, seen=True))
    PersonYear.objects.filter(person=head, year=2018).update(basic_medical=False)  # someone recorded it meanwhile
    with pytest.raises(ValidationError, match="已被修改"):
        change_accept(change=change, version=change.version, by=field["accounts"]["first_secretary"])
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING
    with pytest.raises(ValidationError):  # a rejection says why
        change_reject(change=change, version=change.version, by=field["accounts"]["first_secretary"], note=" ")
    rejected = change_reject(change=change, version=change.version, by=field["accounts"]["first_secretary"],
                             note="已由乡镇更新")
    assert rejected.status == ChangeStatus.REJECTED


def test_who_reviews_a_proposed_change(field):
    head = field["head"]
    change = _proposal(field, Answer("insurance_card", False, person=head.pk, seen=True))
    other_village = account("fs3", Role.FIRST_SECRETARY, region=field["villages"][2])
    for who in (field["accounts"]["cadre"], field["accounts"]["commander"], field["accounts"]["department"],
                other_village):
        with pytest.raises(PermissionDenied):
            change_accept(change=change, version=change.version, by=who)
    assert PersonYear.objects.get(person=head, year=2018).basic_medical is True
