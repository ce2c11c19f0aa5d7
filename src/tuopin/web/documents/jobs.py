"""Heavy documents as background jobs, made once per data version and served from files (decision 1130).

A document is asked for by a view that has already checked scope (404) and role (403). `obtain` then looks for
the file made for the current data version — the id of the latest write in the audit trail (`figures.
write_marker`), so any change to the registry makes a new version — and the language; if it is not there, it
makes sure exactly one background task is making it: a `DocumentJob` row per (document, language, version)
under a unique constraint, inserted in the same transaction as the task (django-tasks' database backend), so
requests that race insert one row and one task. The worker (`tuopin worker`, or `tuopin serve` in the demo
profile) runs `make_document`, which writes the file under `settings.DOCUMENTS_DIR` (write to a temporary name,
then rename; mode 0600) and removes every kept file and row of an older version: no request asks for one again.

Who may get a file is never decided here: the file is found only after the view's checks, and its name is not a
URL. The area reports are the same for every account allowed to open the area, so one file serves them all
(`account_id` 0); a household's file depends on the account (which ID numbers it may see, which steps of the
procedure), so it is made and kept per account.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from tuopin.apps.assessment import figures
from tuopin.apps.geo.models import Region

from ..models import DocumentJob
from . import report_xlsx
from .pdf import render_pdf
from .supervisor import QUEUE

try:  # Django 6 has the framework itself; 5.2 has the backport
    from django.tasks import TaskResultStatus, task
    from django.tasks.exceptions import TaskResultDoesNotExist
except ImportError:
    from django_tasks import TaskResultStatus, task
    from django_tasks.exceptions import TaskResultDoesNotExist

READY, WAITING, FAILED = "ready", "waiting", "failed"


class NoFigures(Exception):
    """The area has no figures for the year (the view checks the year's records first; this is the rare rest)."""


@dataclass(frozen=True)
class Document:
    kind: str  # a key of KINDS
    object_id: int  # the region's or household's primary key
    year: int = 0
    account_id: int = 0  # 0: the same for every account allowed to open it

    def stem(self, language: str, version: int) -> str:
        return f"{self.kind}-{self.object_id}-{self.year}-{self.account_id}-{language}-v{version}"

    def path(self, language: str, version: int) -> Path:
        return Path(settings.DOCUMENTS_DIR) / f"{self.stem(language, version)}.{KINDS[self.kind].extension}"


@dataclass(frozen=True)
class Outcome:
    state: str  # READY, WAITING or FAILED
    path: Path | None = None
    version: int = 0
    ahead: int = 0  # WAITING: document tasks queued or running before this one


def obtain(document: Document) -> Outcome:
    """The file if it is made for the current data version; else the state of the one job making it."""
    version = figures.write_marker()
    language = translation.get_language() or settings.LANGUAGE_CODE
    path = document.path(language, version)
    if path.exists():
        return Outcome(READY, path, version)
    job, created = _job(document, language, version)
    status, started_at, enqueued_at = _task_state(job.task_id)
    if not created:
        if path.exists():  # finished between the first look and now
            return Outcome(READY, path, version)
        if status == TaskResultStatus.FAILED:
            # Told once; the row goes, so asking again starts a new job.
            DocumentJob.objects.filter(pk=job.pk, task_id=job.task_id).delete()
            return Outcome(FAILED, version=version)
        stale = started_at is not None and timezone.now() - started_at > dt.timedelta(
            seconds=settings.DOCUMENT_JOB_TIMEOUT)
        if status is None or status == TaskResultStatus.SUCCESSFUL or (status == TaskResultStatus.RUNNING and stale):
            # The task is gone, or it finished and the file is not there (removed by hand), or its worker was
            # killed while making it: a new task takes over the row, once however many requests see this at once.
            _restart(job)
            status, enqueued_at = TaskResultStatus.READY, timezone.now()
    return Outcome(WAITING, version=version, ahead=_ahead(enqueued_at) if status == TaskResultStatus.READY else 0)


def _ahead(enqueued_at) -> int:
    """How many document tasks the worker takes before one enqueued then (they are taken in that order)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(queue_name=QUEUE, enqueued_at__lt=enqueued_at, status__in=(
        TaskResultStatus.READY, TaskResultStatus.RUNNING)).count()


def refresh_seconds(outcome: Outcome) -> int:
    """When the waiting page reloads: soon when the document is next, later the longer the queue before it, so
    that many people waiting do not load the server with reloads (decision 1130)."""
    every = settings.DOCUMENT_REFRESH_SECONDS * (1 + outcome.ahead / max(settings.DOCUMENT_JOBS, 1))
    return int(min(max(every, settings.DOCUMENT_REFRESH_SECONDS), settings.DOCUMENT_REFRESH_MAX_SECONDS))


def _job(document: Document, language: str, version: int) -> tuple[DocumentJob, bool]:
    fields = {"kind": document.kind, "object_id": document.object_id, "year": document.year,
              "account_id": document.account_id, "language": language, "version": version}
    found = _existing(fields)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            job = DocumentJob.objects.create(**fields, task_id="")
            job.task_id = str(make_document.enqueue(job.pk).id)
            job.save(update_fields=["task_id"])
    except IntegrityError:  # another request inserted it first: its task makes the document
        return DocumentJob.objects.get(**fields), False
    return job, True


def _existing(fields: dict) -> DocumentJob | None:
    return DocumentJob.objects.filter(**fields).first()


def _restart(job: DocumentJob) -> None:
    with transaction.atomic():
        task_id = str(make_document.enqueue(job.pk).id)
        if not DocumentJob.objects.filter(pk=job.pk, task_id=job.task_id).update(task_id=task_id):
            transaction.set_rollback(True)  # another request restarted it: its task is enough


def _task_state(task_id: str):
    """(status, started_at, enqueued_at) of the task, or Nones when there is no such task."""
    try:
        result = make_document.get_result(task_id)
    except (TaskResultDoesNotExist, ValueError):
        return None, None, None
    return result.status, result.started_at, result.enqueued_at


def forget_unfinished() -> int:
    """When the workers start: tasks still marked running were cut short with the last run (one `tuopin worker`
    per site, decision 1130). They are marked failed and their rows go, so the next request makes the document
    again at once instead of after DOCUMENT_JOB_TIMEOUT. Returns how many."""
    from django_tasks_db.models import DBTaskResult

    cut = DBTaskResult.objects.filter(queue_name=QUEUE, status=TaskResultStatus.RUNNING)
    ids = [str(pk) for pk in cut.values_list("id", flat=True)]
    if not ids:
        return 0
    cut.filter(id__in=ids).update(status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                                  exception_class_path="tuopin.web.documents.jobs.WorkerStopped",
                                  traceback="the worker stopped while making the document")
    return DocumentJob.objects.filter(task_id__in=ids).delete()[0]


@task(queue_name=QUEUE)
def make_document(job_id: int) -> str | None:
    """Run by the worker: make the job's document and keep it; returns the file's name, or None when there was
    nothing to make (the row is gone, or a write came after it: every request now asks for the newer version)."""
    job = DocumentJob.objects.filter(pk=job_id).first()
    if job is None:
        return None
    latest = figures.write_marker()
    if job.version < latest:
        DocumentJob.objects.filter(pk=job.pk).delete()
        return None
    document = Document(job.kind, job.object_id, job.year, job.account_id)
    path = document.path(job.language, job.version)
    if not path.exists():
        with translation.override(job.language):
            body = KINDS[job.kind].build(document, job.version)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        # Readable by the server's account only: a household's file holds personal data.
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            out.write(body)
        os.replace(partial, path)  # readers see the whole file or none
    forget_older(job.version)
    return path.name


_VERSION = re.compile(r"-v(\d+)\.")  # also a partial file left by a killed worker


def forget_older(version: int) -> int:
    """Every kept file and job row of a version before `version`: no request will ask for them again (requests
    ask for the current version only), so no copy of a document outlives the next write by more than one job.
    Returns how many files went."""
    gone = 0
    folder = Path(settings.DOCUMENTS_DIR)
    for kept in folder.iterdir() if folder.exists() else ():
        found = _VERSION.search(kept.name)
        if found and int(found.group(1)) < version:
            kept.unlink(missing_ok=True)
            gone += 1
    DocumentJob.objects.filter(version__lt=version).delete()
    return gone


# --- the documents ---------------------------------------------------------------------------------------------

def _area(document: Document, version: int):
    place = Region.objects.get(pk=document.object_id)
    found = figures.area_figures(place, document.year)
    if not found:
        raise NoFigures(f"{place.code} {document.year}")
    return place, found, figures.trend(place, figures.years_with_records(place))


def funds_rows(place, year: int) -> list[tuple[str, str, dict]]:
    """(group, label, {allocated, spent, balance} in fen) of the area's funds of the year, by source then by kind
    of project: the consolidation ledger's (decision 1506); the same for every account that opens the area."""
    from tuopin.apps.projects.choices import FundSource, ProjectKind
    from tuopin.apps.projects.ledger import funds_figures

    found = funds_figures(place, year)
    by_source = [("source", str(label), found["by_source"][code]) for code, label in FundSource.choices
                 if code in found["by_source"]]
    by_kind = [("kind", str(label), found["by_kind"][code]) for code, label in ProjectKind.choices
               if code in found["by_kind"]]
    return by_source + by_kind


def pv_figures(place, year: int) -> dict | None:
    """The area's village PV stations of the year (资产收益: kWh, revenue, paid to posts and as dividends, balance,
    in fen; decision 1514), or None where the area has none."""
    from tuopin.apps.revenue.figures import pv

    found = pv(place, year)
    return found if found["stations"] else None


def area_report_pdf(document: Document, version: int) -> bytes:
    place, found, history = _area(document, version)
    summary = found["summary"]
    # The same file for every account that may open the area: it names the data version, not who printed it
    # (each download is in the audit trail with its account).
    return render_pdf("web/documents/area_report.html", {
        "summary": summary, "year": document.year, "villages": found["villages"], "history": history,
        "generated_at": timezone.localtime(), "version": version,
        "gap_rows": [(k, summary["gaps"].get(k, 0)) for k in figures.INDICATORS],
        "funds": funds_rows(place, document.year), "pv": pv_figures(place, document.year),
    })


def area_report_xlsx(document: Document, version: int) -> bytes:
    place, found, history = _area(document, version)
    return report_xlsx.build(place, document.year, found, history, funds=funds_rows(place, document.year),
                             pv=pv_figures(place, document.year))


def household_file_pdf(document: Document, version: int) -> bytes:
    from tuopin.apps.accounts.models import User
    from tuopin.apps.organisation.household_rows import household_file
    from tuopin.apps.registry import selectors as registry
    from tuopin.apps.registry.models import MONEY_FIELDS
    from tuopin.apps.procedures.selectors import household_procedure_history

    user = User.objects.get(pk=document.account_id)
    found = registry.household_for(user, document.object_id)  # the account's scope, as the view checked it
    file = household_file(found)
    years = list(reversed(file.years))
    lines = [f for f, _label in MONEY_FIELDS] + ["production_cost_fen", "net_income_fen", "per_capita_net_income_fen"]
    return render_pdf("web/documents/household_file.html", {
        "household": found, "file": file, "years": years, "user": user, "generated_at": timezone.localtime(),
        "income_rows": [(f, [getattr(y, f) for y in years]) for f in lines],
        "indicator_names": figures.INDICATORS,
        "indicator_years": [(y.year, figures.household_indicators(found, y.year)) for y in years],
        "history": household_procedure_history(user, found),
    })


@dataclass(frozen=True)
class Kind:
    extension: str
    build: object  # (Document, version) -> bytes


KINDS = {
    "area-report-pdf": Kind("pdf", area_report_pdf),
    "area-report-xlsx": Kind("xlsx", area_report_xlsx),
    "household-file": Kind("pdf", household_file_pdf),
}
