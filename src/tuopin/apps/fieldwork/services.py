"""The structured visit (decision 1560): answers checked against the checklist, stored with the visit; answers that
contradict the registry become proposed changes (never written silently), monitoring clues, or a completed 4+4
task. Everything audited; who may do what is accounts/permissions.py's."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tuopin import standards
from tuopin.apps.accounts.models import Role
from tuopin.apps.accounts.permissions import Action, may, require
from tuopin.apps.assistance.models import Visit
from tuopin.apps.assistance.tasks import task_complete
from tuopin.apps.assistance.visits import FollowUp, visit_record
from tuopin.apps.audit.services import audit_change, snapshot
from tuopin.apps.monitoring.choices import CLOSED
from tuopin.apps.monitoring.models import MonitoringCase
from tuopin.apps.monitoring.services import clue_record
from tuopin.apps.organisation.models import Cadre, CadreHouseholdPairing
from tuopin.apps.organisation.selectors import in_force
from tuopin.apps.registry.models import Household

from . import checklist, photos as photo_checks
from .checklist import Facts, Question
from .facts import household_facts, open_cadre_tasks
from .models import ChangeStatus, ProposedChange, VisitPhoto
from .review import change_accept, change_reject  # the public services are all here

__all__ = ["Answer", "Conflict", "Photo", "Submitted", "change_accept", "change_reject", "survey_submit",
           "visit_submit", "FollowUp"]


@dataclass(frozen=True)
class Answer:
    question: str
    value: object
    person: int | None = None
    seen: object = None


@dataclass(frozen=True)
class Photo:
    content: bytes
    name: str = ""


@dataclass(frozen=True)
class Conflict:  # the registry changed between what the phone showed and the answer's arrival
    field: str
    person: int | None
    seen: object
    current: object
    proposed: object

    def as_json(self) -> dict:
        return {"field": self.field, "person": self.person, "seen": self.seen, "current": self.current,
                "proposed": self.proposed}


@dataclass
class Submitted:
    visit: Visit
    duplicate: bool
    proposals: list[ProposedChange]
    conflicts: list[Conflict]
    clue: MonitoringCase | None
    completed_tasks: list[int]
    # The household's open case when a clue was due but one is already open (the clue is not recorded twice).
    open_case: int | None = None
    notes: list[str] = field(default_factory=list)  # what the visit did not do, and why


# ---- answers ---------------------------------------------------------------------------------------------------

def _value(question: Question, value):
    """The answer's value in its kind, or raise ValueError with the reason."""
    if question.kind == "yes_no":
        if isinstance(value, bool):
            return value
        raise ValueError(_("answer yes or no"))
    if question.kind == "yuan":
        if isinstance(value, bool) or value is None or value == "":
            raise ValueError(_("give an amount in yuan"))
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(_("give an amount in yuan")) from None
        if not amount.is_finite() or amount < 0 or amount > checklist.YUAN_MAX:
            raise ValueError(_("must be between %(low)s and %(high)s") % {"low": 0, "high": checklist.YUAN_MAX})
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(_("has more than two decimal places"))
        return int(amount) if amount == int(amount) else float(amount)
    if value not in question.choices:
        raise ValueError(_("is not one of the question's choices"))
    return value


def checked_answers(answers, facts: Facts) -> list[Answer]:
    """The answers with their values normalised; ValidationError keyed "answers.N.question|person|value"."""
    questions = checklist.questions()
    members = {p.pk for p in facts.members}
    errors: dict[str, list[str]] = {}
    out, seen_keys = [], set()
    for i, answer in enumerate(answers):
        question = questions.get(answer.question)
        if question is None:
            errors[f"answers.{i}.question"] = [_("unknown question %(key)s") % {"key": answer.question}]
            continue
        if question.per == "member" and answer.person not in members:
            errors[f"answers.{i}.person"] = [_("name a member of the household")]
            continue
        if question.per == "household" and answer.person is not None:
            errors[f"answers.{i}.person"] = [_("this question is about the household, not a member")]
            continue
        if (question.key, answer.person) in seen_keys:
            errors[f"answers.{i}.question"] = [_("answered twice")]
            continue
        seen_keys.add((question.key, answer.person))
        try:
            out.append(Answer(question.key, _value(question, answer.value), answer.person, answer.seen))
        except ValueError as exc:
            errors[f"answers.{i}.value"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return out


def _photos_checked(photos) -> None:
    limit = checklist.load()["photo_max_per_visit"]
    if len(photos) > limit:
        raise ValidationError({"photos": [_("at most %(limit)s photos a visit") % {"limit": limit}]})
    errors = {f"photos.{i}": reasons for i, p in enumerate(photos) if (reasons := photo_checks.photo_errors(p.content))}
    if errors:
        raise ValidationError(errors)


# ---- proposals -------------------------------------------------------------------------------------------------

def _propose(*, household: Household, question: Question, answer: Answer, facts: Facts, by, visit: Visit | None,
             client_id, source: str) -> tuple[ProposedChange | None, Conflict | None]:
    """A proposed change when the answer contradicts the registry; flagged as a conflict when the registry is no
    longer what the phone showed. None when the answer agrees, or there is no yearly record to change."""
    person = next((p for p in facts.members if p.pk == answer.person), None)
    now_seen = checklist.seen(question, facts, person)
    current = checklist.raw(question, facts, person)
    if now_seen is None or current is None or answer.value == now_seen:
        return None, None
    proposed = checklist.proposed(question, answer.value, facts, person)
    conflict = answer.seen is not None and answer.seen != now_seen
    earlier = ProposedChange.objects.select_for_update().filter(
        household=household, person=person, year=facts.year, field=question.checks, status=ChangeStatus.PENDING)
    for old in earlier:
        old.status = ChangeStatus.SUPERSEDED
        old.save(update_fields=["status"])
        audit_change(actor=by, action="supersede", instance=old, source=source, changes={
            "status": [ChangeStatus.PENDING, ChangeStatus.SUPERSEDED]}, summary=f"proposed change {old.pk}")
    change = ProposedChange.objects.create(
        household=household, person=person, year=facts.year, field=question.checks, question=question.key,
        current=current, proposed=proposed, seen=answer.seen, visit=visit, client_id=client_id, source=source,
        conflict=conflict, created_by=by, updated_by=by)
    audit_change(actor=by, action="propose", instance=change, source=source,
                 summary=f"household {household.number}: {question.checks} proposed"[:300],
                 changes={k: [None, v] for k, v in snapshot(change, (
                     "household", "person", "year", "field", "current", "proposed", "seen", "conflict")).items()})
    return change, (Conflict(question.checks, answer.person, answer.seen, now_seen, answer.value)
                    if conflict else None)


def _clue_reasons(household: Household, answers: list[Answer], facts: Facts) -> list[str]:
    """What in the answers calls for a monitoring clue (decision 1560): a sudden difficulty, or a quarter's income
    that, over a year and per member, falls under the monitoring line."""
    reasons = []
    by_key = {a.question: a for a in answers if a.person is None}
    if (hardship := by_key.get("hardship")) is not None and hardship.value is True:
        reasons.append("走访发现突发困难")
    income = by_key.get("income_quarter")
    members = (facts.record.members if facts.record is not None else 0) or len(facts.members)
    if income is not None and members and facts.year is not None:
        try:
            line = standards.load(household.village.code).monitoring_line_yuan(facts.year)
        except standards.StandardMissing:
            line = None
        per_person = Decimal(str(income.value)) * 4 / members
        if line is not None and per_person < line:
            reasons.append(f"走访：本季度收入{income.value}元，折合人均年收入{per_person:.0f}元，低于监测线{line}元")
    return reasons


def _cadre_of(*, by, household: Household, on: dt.date, cadre: Cadre | None) -> Cadre:
    if cadre is not None:
        return cadre
    if by is not None and by.role == Role.CADRE:
        return by.cadre
    pairing = (CadreHouseholdPairing.objects.filter(in_force(on), household=household).select_related("cadre")
               .order_by("start", "pk").first())
    if pairing is None:
        raise ValidationError({"cadre": [_("household %(number)s has no pairing cadre on %(on)s")
                                         % {"number": household.number, "on": on}]})
    return pairing.cadre


# ---- the services ----------------------------------------------------------------------------------------------

def visit_submit(*, by, household: Household, on: dt.date, client_id: uuid.UUID, answers: list[Answer],
                 found: str = "", done: str = "", follow_ups: list[FollowUp] = (), photos: list[Photo] = (),
                 cadre: Cadre | None = None, source: str = "field") -> Submitted:
    """A structured visit, idempotent on `client_id`: sent again (the phone's retry, a re-imported form), the stored
    visit is returned with duplicate=True and nothing more is written. Each call is one transaction."""
    require(by, Action.RECORD_VISIT, household)
    client_id = uuid.UUID(str(client_id))
    stored = _stored(by=by, household=household, client_id=client_id)
    if stored is not None:
        return stored
    try:
        return _submit(by=by, household=household, on=on, client_id=client_id, answers=answers, found=found,
                       done=done, follow_ups=follow_ups, photos=photos, cadre=cadre, source=source)
    except IntegrityError:
        # The same visit arrived twice at once: the other request stored it first (the unique client_id).
        stored = _stored(by=by, household=household, client_id=client_id)
        if stored is None:
            raise
        return stored


def _stored(*, by, household: Household, client_id: uuid.UUID) -> Submitted | None:
    visit = Visit.objects.filter(client_id=client_id).first()
    if visit is None:
        return None
    if visit.household_id != household.pk:
        raise ValidationError({"client_id": [_("this visit was already sent for another household")]})
    proposals = list(visit.proposed_changes.order_by("pk"))
    conflicts = [Conflict(p.field, p.person_id, p.seen, None, p.proposed) for p in proposals if p.conflict]
    return Submitted(visit=visit, duplicate=True, proposals=proposals, conflicts=conflicts, clue=None,
                     completed_tasks=[])


@transaction.atomic
def _submit(*, by, household, on, client_id, answers, found, done, follow_ups, photos, cadre, source) -> Submitted:
    facts = household_facts(household.pk, on.year)
    answers = checked_answers(answers, facts)
    _photos_checked(photos)
    cadre = _cadre_of(by=by, household=household, on=on, cadre=cadre)
    visit = visit_record(household=household, cadre=cadre, on=on, by=by, found=found, done=done,
                         follow_ups=follow_ups, source=source, client_id=client_id,
                         answers=[{"question": a.question, "person": a.person, "value": a.value, "seen": a.seen}
                                  for a in answers])
    result = Submitted(visit=visit, duplicate=False, proposals=[], conflicts=[], clue=None, completed_tasks=[])
    hashes = []
    for photo in photos:
        file, digest = photo_checks.stored(photo.content)
        VisitPhoto.objects.create(visit=visit, file=file, sha256=digest, bytes=len(photo.content))
        hashes.append(digest)
    questions = checklist.questions()
    for answer in answers:
        question = questions[answer.question]
        if question.on_contradiction == "propose":
            change, conflict = _propose(household=household, question=question, answer=answer, facts=facts, by=by,
                                        visit=visit, client_id=None, source=source)
            if change is not None:
                result.proposals.append(change)
            if conflict is not None:
                result.conflicts.append(conflict)
        elif question.on_contradiction == "complete_task" and answer.value is True:
            _complete(result, question=question, household=household, visit=visit, by=by, on=on, source=source)
    _clue(result, household=household, answers=answers, facts=facts, by=by, on=on, source=source)
    audit_change(actor=by, action="field_visit", instance=visit, source=source,
                 summary=f"structured visit to household {household.number} on {on}",
                 changes={"client_id": [None, str(client_id)], "answers": [None, len(answers)],
                          "photos": [None, hashes], "proposals": [None, [p.pk for p in result.proposals]],
                          "conflicts": [None, len(result.conflicts)],
                          "clue": [None, result.clue.pk if result.clue else None],
                          "completed_tasks": [None, result.completed_tasks]})
    return result


def _complete(result: Submitted, *, question: Question, household, visit, by, on, source) -> None:
    task = open_cadre_tasks([household.pk]).filter(template=question.template).order_by("pk").first()
    if task is None:
        result.notes.append(_("the task “%(key)s” is no longer open") % {"key": question.template})
        return
    if not may(by, Action.COMPLETE_TASK, task):
        result.notes.append(_("the task “%(title)s” stays open: only the cadre who owns it reports it done")
                            % {"title": task.title})
        return
    task_complete(task=task, by=by, on=on, source=source, text=f"走访记录 {visit.pk}（{on}）：{question.text} 是")
    result.completed_tasks.append(task.pk)


def _clue(result: Submitted, *, household, answers, facts, by, on, source) -> None:
    reasons = _clue_reasons(household, answers, facts)
    if not reasons:
        return
    open_case = MonitoringCase.objects.filter(household=household).exclude(stage__in=CLOSED).first()
    if open_case is not None:
        result.open_case = open_case.pk
        result.notes.append(_("the household already has an open monitoring case (case %(pk)s): no new clue")
                            % {"pk": open_case.pk})
        return
    result.clue = clue_record(by=by, household=household, channel="cadre_visit", on=on, note="；".join(reasons),
                              source=source)


def survey_submit(*, by, household: Household, client_id: uuid.UUID, year: int, answers: list[Answer],
                  source: str = "xlsform") -> list[ProposedChange]:
    """A household survey (no visit): its contradicting answers become proposals, nothing else. Idempotent on
    `client_id`: sent again, the proposals it made are returned and nothing is written."""
    require(by, Action.RECORD_VISIT, household)
    client_id = uuid.UUID(str(client_id))
    earlier = ProposedChange.objects.filter(client_id=client_id)
    if earlier.exists():
        if earlier.exclude(household=household).exists():
            raise ValidationError({"client_id": [_("this survey was already sent for another household")]})
        return list(earlier.order_by("pk"))
    with transaction.atomic():
        facts = household_facts(household.pk, year)
        answers = checked_answers(answers, facts)
        questions = checklist.questions()
        made = []
        for answer in answers:
            question = questions[answer.question]
            if question.on_contradiction == "propose":
                change, _conflict = _propose(household=household, question=question, answer=answer, facts=facts,
                                             by=by, visit=None, client_id=client_id, source=source)
                if change is not None:
                    made.append(change)
        audit_change(actor=by, action="field_survey", instance=household, source=source,
                     summary=f"household survey of {household.number} ({year})",
                     changes={"client_id": [None, str(client_id)], "proposals": [None, [p.pk for p in made]]})
        return made
