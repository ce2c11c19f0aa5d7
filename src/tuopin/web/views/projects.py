"""Funds and projects (decisions 1500–1505): the funds and the consolidation ledger of a year, with the workbook
import and its template (the county office); the project list, filtered by kind, township and status, and a
project's page. Scoped by the scoping layer: a commander sees its zone's projects and what reached them, a village
its own projects; others 403."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.files.import_lock import ImportBusy
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.projects import selectors
from tuopin.apps.projects.choices import ProjectKind, ProjectStatus
from tuopin.apps.projects.imports import projects_import
from tuopin.apps.projects.models import Project
from tuopin.apps.projects.sheets import template_bytes

from ..access import forbidden, not_found
from ..params import asked_year

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
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(upload.name).stem[:80] + Path(upload.name).suffix.lower())
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
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
        "project": project, **selectors.project_page(project), "sees_funds": may(user, Action.SEE_FUNDS)})
