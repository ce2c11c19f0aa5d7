"""The structured visit's services: answers checked against the checklist, proposals, conflicts, clues, 4+4 tasks,
photos, idempotency and who may send a visit (decision 1560)."""

import hashlib
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tuopin.apps.assistance.models import Task, TaskEvidence, Visit
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.fieldwork.models import ChangeStatus, ProposedChange, VisitPhoto
from tuopin.apps.fieldwork.services import Answer, FollowUp, Photo, survey_submit, visit_submit
from tuopin.apps.monitoring.models import MonitoringCase

from .conftest import ON, image_bytes


def _submit(field, by="cadre", answers=(), household=None, client_id=None, **kw):
    return visit_submit(by=field["accounts"][by], household=household or field["households"][0], on=ON,
                        client_id=client_id or uuid.uuid4(), answers=list(answers), **kw)


def test_a_visit_stores_its_answers_and_proposes_what_contradicts_the_registry(field):
    head, child = field["head"], field["child"]
    result = _submit(field, answers=[
        Answer("insurance_card", False, person=head.pk, seen=True),   # the registry says insured
        Answer("in_school", False, person=child.pk, seen=True),       # in primary school by the registry
        Answer("insurance_card", True, person=child.pk, seen=True),   # agrees: nothing proposed
        Answer("income_quarter", 3000), Answer("hardship", False),
    ], found="孩子不上学了", follow_ups=[FollowUp("联系学校")])
    visit = result.visit
    assert not result.duplicate and visit.source == "field" and len(visit.answers) == 5
    assert {(p.field, p.person_id, p.current, p.proposed) for p in result.proposals} == {
        ("person_year.basic_medical", head.pk, True, False), ("person_year.school_status", child.pk, "20", "90")}
    assert all(p.status == ChangeStatus.PENDING and not p.conflict and p.visit == visit for p in result.proposals)
    assert result.conflicts == [] and result.clue is None
    assert Task.objects.filter(kind="visit_followup", household=visit.household).count() == 1
    # Nothing written to the registry: the first secretary reviews first.
    assert head.years.get(year=2018).basic_medical is True
    assert AuditEvent.objects.filter(action="propose").count() == 2
    assert AuditEvent.objects.filter(action="field_visit", entity_id=str(visit.pk)).exists()


def test_answers_are_checked_against_the_checklist_and_nothing_is_written_when_one_is_wrong(field):
    other = field["households"][1].members.first()
    with pytest.raises(ValidationError) as refused:
        _submit(field, answers=[Answer("no_such_question", True), Answer("insurance_card", True, person=other.pk),
                                Answer("hardship", "maybe"), Answer("income_quarter", -5),
                                Answer("hardship", True, person=field["head"].pk)])
    assert set(refused.value.message_dict) == {"answers.0.question", "answers.1.person", "answers.2.value",
                                               "answers.3.value", "answers.4.person"}
    assert not Visit.objects.exists() and not ProposedChange.objects.exists()


def test_a_change_made_meanwhile_is_kept_as_a_conflict_not_lost(field):
    head = field["head"]
    # The phone showed "not insured" (its cache predates the county's update), the cadre confirmed it: the registry
    # now says insured, so the answer contradicts it and the phone's view was stale.
    result = _submit(field, answers=[Answer("insurance_card", False, person=head.pk, seen=False)])
    [change] = result.proposals
    assert change.conflict and change.seen is False and change.current is True
    assert [(c.field, c.person, c.seen, c.current, c.proposed) for c in result.conflicts] == [
        ("person_year.basic_medical", head.pk, False, True, False)]


def test_a_later_proposal_supersedes_a_pending_one_for_the_same_fact(field):
    head = field["head"]
    first = _submit(field, answers=[Answer("insurance_card", False, person=head.pk, seen=True)]).proposals[0]
    second = _submit(field, answers=[Answer("insurance_card", False, person=head.pk, seen=True)]).proposals[0]
    first.refresh_from_db()
    assert (first.status, second.status) == (ChangeStatus.SUPERSEDED, ChangeStatus.PENDING)


def test_a_sudden_difficulty_opens_a_clue_unless_a_case_is_open(field):
    result = _submit(field, answers=[Answer("hardship", True)])
    case = result.clue
    assert case is not None and case.channel == "cadre_visit" and "突发困难" in case.note
    again = _submit(field, answers=[Answer("hardship", True)])
    assert again.clue is None and again.open_case == case.pk and again.notes
    assert MonitoringCase.objects.count() == 1 and Visit.objects.count() == 2


def test_a_quarters_income_under_the_monitoring_line_opens_a_clue(field):
    # h1's yearly record counts 2 members: 300 yuan a quarter is 600 a year a head, far under the line.
    low = _submit(field, answers=[Answer("income_quarter", 300)])
    assert low.clue is not None and "低于监测线" in low.clue.note
    high = _submit(field, household=field["households"][0], answers=[Answer("income_quarter", 90_000)])
    assert high.clue is None and high.open_case is None


def test_a_yes_to_a_4_4_item_completes_the_task_with_the_visit_as_evidence(field):
    task = field["hygiene"]
    result = _submit(field, answers=[Answer("task:hygiene", True, seen=False)])
    task.refresh_from_db()
    assert result.completed_tasks == [task.pk] and task.status == "done"
    assert str(result.visit.pk) in TaskEvidence.objects.get(task=task).text
    # Already done: a second yes completes nothing and says so.
    again = _submit(field, answers=[Answer("task:hygiene", True)])
    assert again.completed_tasks == [] and again.notes


def test_a_visit_sent_twice_is_stored_once(field):
    client_id = uuid.uuid4()
    answers = [Answer("insurance_card", False, person=field["head"].pk, seen=True), Answer("hardship", True)]
    first = _submit(field, answers=answers, client_id=client_id, follow_ups=[FollowUp("再访")])
    events = AuditEvent.objects.count()
    second = _submit(field, answers=answers, client_id=client_id, follow_ups=[FollowUp("再访")])
    assert second.duplicate and second.visit.pk == first.visit.pk
    assert [p.pk for p in second.proposals] == [p.pk for p in first.proposals]
    assert (Visit.objects.count(), ProposedChange.objects.count(), MonitoringCase.objects.count(),
            Task.objects.filter(kind="visit_followup").count(), AuditEvent.objects.count()) == (1, 1, 1, 1, events)
    with pytest.raises(ValidationError, match="另一户"):
        _submit(field, by="first_secretary", household=field["households"][1], client_id=client_id)


def test_a_duplicate_arriving_while_the_first_is_being_stored_returns_the_stored_visit(field, monkeypatch):
    """Two quick submissions: the second passed the look-up before the first committed, and its insert meets the
    unique client_id — it answers with the stored visit instead of failing."""
    from tuopin.apps.fieldwork import services

    client_id = uuid.uuid4()
    first = _submit(field, client_id=client_id, answers=[Answer("hardship", False)])
    real = services._stored
    calls = []

    def not_yet(**kw):
        calls.append(1)
        return None if len(calls) == 1 else real(**kw)

    monkeypatch.setattr(services, "_stored", not_yet)
    second = _submit(field, client_id=client_id, answers=[Answer("hardship", False)])
    assert second.duplicate and second.visit.pk == first.visit.pk and Visit.objects.count() == 1


def test_who_may_send_a_structured_visit(field):
    h1, h2, _h3, h4 = field["households"]
    with pytest.raises(PermissionDenied):  # h2 is zhao's household, not this cadre's
        _submit(field, household=h2)
    with pytest.raises(PermissionDenied):  # a department records no visits
        _submit(field, by="department")
    with pytest.raises(PermissionDenied):  # the first secretary of v1 does not reach h4 in v3
        _submit(field, by="first_secretary", household=h4)
    assert not Visit.objects.exists()
    # The first secretary records a visit for the household's pairing cadre (from the paper sheet).
    visit = _submit(field, by="first_secretary", household=h2).visit
    assert visit.cadre == field["zhao"]


def test_photos_are_jpeg_or_png_within_the_limit_with_their_hash(field):
    jpeg, png = image_bytes("JPEG"), image_bytes("PNG")
    result = _submit(field, photos=[Photo(jpeg, "a.jpg"), Photo(png, "b.png")])
    stored = {p.sha256: p for p in VisitPhoto.objects.filter(visit=result.visit)}
    assert set(stored) == {hashlib.sha256(jpeg).hexdigest(), hashlib.sha256(png).hexdigest()}
    assert {p.file.name.rsplit(".", 1)[1] for p in stored.values()} == {"jpg", "png"}
    assert stored[hashlib.sha256(png).hexdigest()].bytes == len(png)
    fake = b"\xff\xd8\xff" + b"not really a jpeg" * 10
    gif = b"GIF89a" + b"\x00" * 40
    huge = b"\xff\xd8\xff" + b"\x00" * (2_097_152 + 1)
    with pytest.raises(ValidationError) as refused:
        _submit(field, photos=[Photo(fake), Photo(gif), Photo(huge)])
    assert set(refused.value.message_dict) == {"photos.0", "photos.1", "photos.2"}
    assert "KB" in refused.value.message_dict["photos.2"][0]
    assert Visit.objects.count() == 1


def test_a_survey_proposes_changes_once(field):
    client_id = uuid.uuid4()
    head = field["head"]
    made = survey_submit(by=field["accounts"]["first_secretary"], household=field["households"][0],
                         client_id=client_id, year=2018,
                         answers=[Answer("insurance_card", False, person=head.pk)])
    again = survey_submit(by=field["accounts"]["first_secretary"], household=field["households"][0],
                          client_id=client_id, year=2018, answers=[Answer("insurance_card", False, person=head.pk)])
    assert [p.pk for p in again] == [p.pk for p in made] and len(made) == 1
    assert made[0].visit is None and made[0].source == "xlsform" and not Visit.objects.exists()
