"""Funds and projects (decisions 1500–1505): the funds and the consolidation ledger of a year, with the workbook
import and its template (the county office); the project list, filtered by kind, township and status, and a
project's page. Scoped by the scoping layer: a commander sees its zone's projects and what reached them, a village
its own projects; others 403."""

from __future__ import annotations


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.files.import_lock import ImportBusy
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.projects import funds as fs
from tuopin.apps.projects import ledger as ledgers
from tuopin.apps.projects import selectors
from tuopin.apps.projects import services as ps
from tuopin.apps.projects.choices import ProjectKind, ProjectStatus
from tuopin.apps.projects.imports import projects_import
from tuopin.apps.projects.models import Allocation, Project, Spending
from tuopin.apps.projects.sheets import template_bytes

from ..uploads import saved_upload
from ..access import forbidden, not_found
from ..params import asked_year
from ..project_forms import CheckForm, EntryForm, HandoverForm, ReverseForm, StartForm
from .actions import run

PAGE_SIZE = 100


@login_required
def funds(request):
    user = request.user
    if not may(user, Action.SEE_FUNDS):
        raise forbidden(request, entity="projects.fund")
    may_record = may(user, Action.RECORD_FUNDS) and may(user, Action.RECORD_PROJECTS)
    result = None
    if request.method == "POST":
        if not may_record:
            raise forbidden(request, entity="projects.fund")
        result = _import_upload(request)
    years = selectors.ledger_years_for(user)
    year = asked_year(request)
    if year is None:
        this = timezone.localdate().year
        year = max((y for y in years if y <= this), default=years[-1] if years else None)
    elif year not in years:
        raise not_found(request, entity="projects.fund", entity_id=year)
    book = selectors.ledger_for(user, year) if year else None
    by_kind = [(code, label, book.by_kind[code]) for code, label in ProjectKind.choices
               if book is not None and code in book.by_kind]
    return render(request, "web/projects/funds.html", {
        "years": years, "year": year, "ledger": book, "by_kind": by_kind, "may_import": may_record,
        "result": result})


def _import_upload(request) -> dict:
    upload = request.FILES.get("file")
    if upload is None:
        return {"error": _("Choose the workbook to import.")}
    with saved_upload(upload) as (path, _name):
        try:
            result = projects_import(path=path, by=request.user, origin="web")
        except ImportBusy as exc:
            return {"error": str(exc)}
    return {"ok": result.ok, "file": result.file, "rows": result.rows, "problems": result.problems[:200],
            "problem_count": len(result.problems), "counts": result.counts}


@login_required
def funds_template(request):
    if not may(request.user, Action.RECORD_FUNDS):
        raise forbidden(request, entity="projects.fund")
    response = HttpResponse(template_bytes(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="funds-projects-template.xlsx"'
    return response


@login_required
def project_list(request):
    user = request.user
    if not may(user, Action.SEE_PROJECTS):
        raise forbidden(request, entity="projects.project")
    kind = request.GET.get("kind", "") if request.GET.get("kind") in ProjectKind.values else ""
    status = request.GET.get("status", "") if request.GET.get("status") in ProjectStatus.values else ""
    region = Region.objects.filter(pk=user.region_id).first()
    townships = list(Region.objects.filter(level=Level.TOWNSHIP, code__startswith=region.code[:6]).order_by("code")) \
        if region is not None and region.level == Level.COUNTY else []
    township = next((t for t in townships if str(t.pk) == request.GET.get("township")), None)
    rows = selectors.projects(user, kind=kind, township=township, status=status)
    page = Paginator(rows.prefetch_related("villages"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/projects/list.html", {
        "page": page, "count": page.paginator.count, "kind": kind, "status": status, "township": township,
        "kinds": ProjectKind.choices, "statuses": ProjectStatus.choices, "townships": townships})


@login_required
def project_detail(request, pk: int):
    user = request.user
    project = Project.objects.filter(pk=pk).first()
    if project is None or not may(user, Action.SEE_PROJECTS, project):
        if not may(user, Action.SEE_PROJECTS):
            raise forbidden(request, entity="projects.project", entity_id=pk)
        raise not_found(request, entity="projects.project", entity_id=pk)
    return render(request, "web/projects/detail.html", {
        "project": project, **selectors.project_page(project), "sees_funds": may(user, Action.SEE_FUNDS),
        **record_forms(project, user)})


@login_required
@require_POST
def project_record(request, pk: int):
    """One write on a project's page, named by `what`: start, check, handover, entry, reverse. The services ask
    permission, validate and audit; a refusal is a message on the project's page."""
    user = request.user
    project = Project.objects.filter(pk=pk).first()
    if project is None or not may(user, Action.SEE_PROJECTS, project):
        raise not_found(request, entity="projects.project", entity_id=pk)
    what = request.POST.get("what", "")
    write = _WRITES.get(what)
    if write is None:
        raise not_found(request, entity="projects.project", entity_id=pk)
    form, call, done = write(request, project)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{form.fields[k].label or k}: {' '.join(v)}" if k in form.fields
                                          else " ".join(v) for k, v in form.errors.items()))
    else:
        run(request, lambda: call(form.cleaned_data), entity="projects.project", entity_id=pk, done=done)
    return redirect("web:project", pk=pk)


def _start(request, project):
    form = StartForm(request.POST)
    return form, lambda d: ps.project_start(project=project, by=request.user, version=d["version"], on=d["on"]), \
        _("Recorded: the project is under way.")


def _check(request, project):
    form = CheckForm(request.POST)
    return form, lambda d: ps.project_check(project=project, by=request.user, version=d["version"],
                                            checked_on=d["checked_on"], checked_by=d["checked_by"],
                                            passed=d["passed"], notes=d["notes"]), _("Completion check recorded.")


def _handover(request, project):
    villages = list(project.villages.order_by("code"))
    form = HandoverForm(request.POST, villages=villages)
    by_pk = {v.pk: v for v in villages}
    return form, lambda d: ps.project_hand_over(
        project=project, by=request.user, version=d["version"], village=by_pk[d["village"]], on=d["on"],
        assets=d["assets"], value_fen=d["value"], received_by=d["received_by"]), _("Handover recorded.")


def _entry(request, project):
    funds = list(ledgers.county_funds(project.county).order_by("-year", "source", "name"))
    form = EntryForm(request.POST, funds=funds)
    by_pk = {f.pk: f for f in funds}

    def call(d):
        service = fs.allocate if d["entry"] == "allocate" else fs.spend
        return service(by=request.user, fund=by_pk[d["fund"]], project=project, amount_fen=d["amount"], on=d["on"],
                       document=d["document"])
    return form, call, _("Entry recorded.")


def _reverse(request, project):
    form = ReverseForm(request.POST)

    def call(d):
        model = Allocation if d["entry"] == "allocation" else Spending
        entry = model.objects.filter(pk=d["entry_id"], project=project).first()
        if entry is None:
            raise ValidationError(_("no such entry on this project"))
        if model is Allocation:
            return fs.reverse_allocation(by=request.user, allocation=entry, note=d["note"])
        return fs.reverse_spending(by=request.user, spending=entry, note=d["note"])
    return form, call, _("Entry reversed.")


_WRITES = {"start": _start, "check": _check, "handover": _handover, "entry": _entry, "reverse": _reverse}


def record_forms(project, user) -> dict:
    """The forms a project's page offers the account (none for a reader)."""
    out: dict = {}
    if may(user, Action.RECORD_PROJECTS, project):
        initial = {"version": project.version}
        if project.status == ProjectStatus.PLANNED:
            out["start_form"] = StartForm(initial=initial)
        if project.status == ProjectStatus.UNDER_WAY:
            out["check_form"] = CheckForm(initial=initial)
        if project.status in (ProjectStatus.COMPLETED, ProjectStatus.HANDED_OVER):
            handed = set(project.handovers.values_list("village_id", flat=True))
            left = [v for v in project.villages.order_by("code") if v.pk not in handed]
            if left:
                out["handover_form"] = HandoverForm(initial=initial, villages=left)
    if may(user, Action.RECORD_FUNDS) and may(user, Action.RECORD_PROJECTS, project):
        out["entry_form"] = EntryForm(funds=ledgers.county_funds(project.county).order_by("-year", "source", "name"))
        out["may_reverse"] = True
        out["reversed_ids"] = {
            "allocation": set(Allocation.objects.filter(project=project, reverses__isnull=False)
                              .values_list("reverses_id", flat=True)),
            "spending": set(Spending.objects.filter(project=project, reverses__isnull=False)
                            .values_list("reverses_id", flat=True))}
    titles = {"start_form": ("start", _("Start")), "check_form": ("check", _("Completion check")),
              "handover_form": ("handover", _("Hand over to a village")),
              "entry_form": ("entry", _("Allocation or spending"))}
    out["record_forms"] = [(titles[k][0], out[k], titles[k][1]) for k in titles if k in out]
    return out
