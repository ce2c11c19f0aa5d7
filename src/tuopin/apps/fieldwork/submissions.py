"""Importing an XLSForm's submissions (ODK Central, KoboToolbox) through the phone's own path (decision 1571).

Each visit submission becomes `visit_submit(..., source="xlsform", client_id=<its instanceID>)`, each household
survey `survey_submit(...)`: the same checks, proposed changes, clues and completed tasks as a visit sent from the
phone. The whole file is one transaction under the import lock: every submission is tried (each in a savepoint, so
all the problems are listed), and one problem anywhere writes nothing. A problem names the file, sheet, row, the
repeat group's row, the field (the form's column name) and the reason, in the account's language. The instanceID
makes a second import of the same file store nothing (the services are idempotent on it). The form's gate
questions (`if_…`) are not read: the services ask the registry which questions apply. Photos are file names in an
export, their files on the collecting server: they are not fetched (docs/forms.md).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may, require
from tuopin.apps.accounts.scoping import households_visible_to
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.files.guard import UnreadableFile
from tuopin.apps.files.import_lock import import_lock
from tuopin.apps.organisation.models import CadreHouseholdPairing
from tuopin.apps.organisation.selectors import in_force
from tuopin.apps.registry.models import Person
from tuopin.common.masking import mask_text
from tuopin.common.spreadsheet import cell_text

from . import services, submission_files
from .submission_files import INSTANCE_KEYS, Record
from .xlsform import FORMS, question_fields

YES = {"yes", "是", "1", "true", "y"}
NO = {"no", "否", "0", "false", "n"}
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class FormProblem:
    file: str
    sheet: str
    row: int | None  # the submission's row (or place in a JSON file); None for the whole file
    member_row: int | None  # its row in the repeat group `members`
    field: str
    value: str
    reason: str

    def masked(self, unmasked: bool) -> FormProblem:
        if unmasked:
            return self
        return FormProblem(self.file, self.sheet, self.row, self.member_row, self.field, mask_text(self.value),
                           mask_text(self.reason))

    def line(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(self.sheet)
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.member_row is not None:
            where.append(_("member row %(row)s") % {"row": self.member_row})
        value = f" {self.value!r}" if self.value else ""
        return f"{', '.join(where)}: {self.field or '-'}{value}: {self.reason}"


@dataclass
class FormImportResult:
    file: str
    form: str
    submissions: int = 0
    stored: int = 0
    duplicates: int = 0
    proposals: int = 0
    conflicts: int = 0
    problems: list[FormProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict:
        return {"file": self.file, "form": self.form, "submissions": self.submissions, "stored": self.stored,
                "duplicates": self.duplicates, "proposals": self.proposals, "conflicts": self.conflicts}


class _Refused(Exception):
    def __init__(self, record: Record, field: str, value: Any, reason: str, member: Record | None = None):
        super().__init__(reason)
        self.problem = _problem(record, field, value, reason, member)


def _problem(record: Record, field: str, value: Any, reason: str, member: Record | None = None) -> FormProblem:
    # A repeat row on a sheet of its own (Kobo's xlsx, Central's csv) is named by that sheet or file and its row.
    return FormProblem(member.file if member else record.file, member.sheet if member else record.sheet,
                       record.row, member.row if member else None, field, cell_text(value)[:200], reason)


# ---- cells ------------------------------------------------------------------------------------------------------

def _instance_id(record: Record) -> uuid.UUID:
    for key in INSTANCE_KEYS:
        text = cell_text(record.values.get(key))
        if text:
            match = _UUID.search(text)
            if match is None:
                raise _Refused(record, key, text, _("not a submission's instanceID (uuid:…)"))
            return uuid.UUID(match.group(0))
    raise _Refused(record, "instanceID", "", _("the submission has no instanceID (meta/instanceID or _uuid): "
                                                "export it with the form's metadata"))


def _date(record: Record, name: str, *, needed: bool, member: Record | None = None) -> dt.date | None:
    cell = record.values.get(name)
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = cell_text(cell)
    if not text:
        if needed:
            raise _Refused(record, name, "", _("required"))
        return None
    match = _DATE.match(text)
    try:
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        pass
    raise _Refused(record, name, text, _("not a date (write it as 2016-01-01)"))


def _value(question, cell: Any) -> Any:
    """The cell in the answer's terms; what cannot be read is passed on for the service to refuse with its reason."""
    if question.kind == "yes_no":
        if isinstance(cell, bool):
            return cell
        text = cell_text(cell).lower()
        return True if text in YES else False if text in NO else text
    if question.kind == "yuan":
        return cell if isinstance(cell, (int, float)) else cell_text(cell).replace(",", "")
    return cell_text(cell)


def _blank(cell: Any) -> bool:
    return cell is None or cell_text(cell) == ""


# ---- one submission ---------------------------------------------------------------------------------------------

class _Household:
    def __init__(self, by):
        self.by = by

    def of(self, record: Record):
        number = cell_text(record.values.get("household"))
        if not number:
            raise _Refused(record, "household", "", _("required"))
        household = households_visible_to(self.by).filter(number=number).select_related("village").first()
        if household is None:
            raise _Refused(record, "household", number, _("no such household in your scope"))
        if not may(self.by, Action.RECORD_VISIT, household):
            raise _Refused(record, "household", number, _("you may not record visits to this household"))
        return household


def _answers(record: Record, household, origins: list) -> list[services.Answer]:
    """The answers of the submission and its member rows; `origins` gets (member row or None, field) for each, so
    that a service's "answers.N.value" names the cell it came from."""
    fields = question_fields()
    answers = []
    for name, question in fields.items():
        if question.per == "household" and not _blank(record.values.get(name)):
            answers.append(services.Answer(question.key, _value(question, record.values[name])))
            origins.append((None, name))
    members = list(Person.objects.filter(household=household, active=True).only("pk", "name"))
    for row in record.members:
        name = cell_text(row.values.get("name"))
        found = [p for p in members if p.name == name]
        if not name:
            raise _Refused(record, "name", "", _("required"), row)
        if len(found) != 1:
            raise _Refused(record, "name", name, _("no member of household %(number)s has this name") % {
                "number": household.number} if not found else _("two members of the household have this name"),
                row)
        for key, question in fields.items():
            if question.per == "member" and not _blank(row.values.get(key)):
                answers.append(services.Answer(question.key, _value(question, row.values[key]), person=found[0].pk))
                origins.append((row, key))
    return answers


def _cadre(record: Record, household, on: dt.date):
    name = cell_text(record.values.get("cadre"))
    if not name:
        return None  # the service takes the account's own cadre, or the household's pairing
    found = [p.cadre for p in CadreHouseholdPairing.objects.filter(in_force(on), household=household,
                                                                   cadre__name=name).select_related("cadre")]
    if len(found) != 1:
        raise _Refused(record, "cadre", name, _("no cadre of this name was paired with household %(number)s on "
                                                "%(on)s") % {"number": household.number, "on": on})
    return found[0]


def _visit(record: Record, households: _Household, by, result: FormImportResult) -> None:
    household = households.of(record)
    client_id = _instance_id(record)
    on = _date(record, "visit_date", needed=True)
    assert on is not None
    origins: list = []
    answers = _answers(record, household, origins)
    follow_ups = []
    title = cell_text(record.values.get("follow_up"))
    if title:
        follow_ups.append(services.FollowUp(title=title[:200], due=_date(record, "follow_up_due", needed=False)))
    submitted = _call(record, origins, lambda: services.visit_submit(
        by=by, household=household, on=on, client_id=client_id, answers=answers,
        found=cell_text(record.values.get("found")), done=cell_text(record.values.get("done")),
        follow_ups=follow_ups, cadre=_cadre(record, household, on), source="xlsform"))
    if submitted.duplicate:
        result.duplicates += 1
        return
    result.stored += 1
    result.proposals += len(submitted.proposals)
    result.conflicts += len(submitted.conflicts)
    result.visits.append(submitted.visit.pk)


def _survey(record: Record, households: _Household, by, result: FormImportResult) -> None:
    household = households.of(record)
    client_id = _instance_id(record)
    text = cell_text(record.values.get("year"))
    if not text.isascii() or not text.isdigit() or not 2014 <= int(text) <= 2100:
        raise _Refused(record, "year", text, _("not a year"))
    origins: list = []
    answers = _answers(record, household, origins)
    stored_before = services.ProposedChange.objects.filter(client_id=client_id).exists()
    made = _call(record, origins, lambda: services.survey_submit(
        by=by, household=household, client_id=client_id, year=int(text), answers=answers, source="xlsform"))
    if stored_before:
        result.duplicates += 1
        return
    result.stored += 1
    result.proposals += len(made)


# A service's error key → the form's field it came from (the follow-up task's own checks speak of title and due).
_FIELDS = {"on": "visit_date", "found": "found", "done": "done", "cadre": "cadre", "client_id": "instanceID",
           "photos": "photo", "title": "follow_up", "due": "follow_up_due"}


def _call(record: Record, origins: list, submit):
    try:
        return submit()
    except PermissionDenied as exc:
        raise _Refused(record, "household", record.values.get("household"), str(exc)) from None
    except ValidationError as exc:
        problems = []
        for key, messages in (exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]):
            member, name = None, _FIELDS.get(key, "")
            match = re.fullmatch(r"answers\.(\d+)\.\w+", key)
            if match and int(match.group(1)) < len(origins):
                member, name = origins[int(match.group(1))]
            problems += [_problem(record, name, (member or record).values.get(name), m, member) for m in messages]
        raise _Many(problems) from None


class _Many(Exception):
    def __init__(self, problems: list[FormProblem]):
        super().__init__(problems)
        self.problems = problems


# ---- the file ---------------------------------------------------------------------------------------------------

@dataclass
class _Run(FormImportResult):
    visits: list[int] = field(default_factory=list)


def forms_import(paths: list[Path], *, form: str, by, source: str = "cli",
                 names: list[str] | None = None) -> FormImportResult:
    """Every submission of the files, or none (see the module's docstring)."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}")
    require(by, Action.RECORD_VISIT)
    names = names or [p.name for p in paths]
    result = _Run(file="、".join(names), form=form)
    try:
        records = submission_files.read(paths, names)
    except UnreadableFile as exc:
        result.problems.append(FormProblem(result.file, "", None, None, "", "", str(exc)))
        return result
    result.submissions = len(records)
    if not records:
        result.problems.append(FormProblem(result.file, "", None, None, "", "", _("the file holds no submissions")))
        return result
    missing = [name for name in ("household", "visit_date" if form == "visit" else "year")
               if not any(name in r.values for r in records)]
    if missing:
        result.problems.append(FormProblem(result.file, records[0].sheet, None, None, "、".join(missing), "",
                                           _("the file lacks these fields of the form: is it an export of this "
                                             "form?")))
        return result
    households, one = _Household(by), (_visit if form == "visit" else _survey)
    with import_lock(what=f"{form} submissions from {result.file}"), transaction.atomic():
        for record in records:
            try:
                with transaction.atomic():
                    one(record, households, by, result)
            except _Refused as exc:
                result.problems.append(exc.problem)
            except _Many as exc:
                result.problems += exc.problems
        if result.problems:
            transaction.set_rollback(True)
            _reset(result)
            return result
        audit_batch(actor=by, action="fieldwork:import", entity="assistance.visit" if form == "visit"
                    else "fieldwork.proposedchange", source=source,
                    batch={**result.counts(), "visits": result.visits},
                    summary=f"{result.stored} {form} submissions from {result.file}"[:300])
    return result


def _reset(result: _Run) -> None:
    """Nothing was written: no counts of what would have been."""
    result.stored = result.duplicates = result.proposals = result.conflicts = 0
    result.visits = []
