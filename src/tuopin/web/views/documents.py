"""Downloads: the year's area report (xlsx, PDF), a village's public-notice list and a household's file (PDF).

Each is found through the scoping layer first (404 outside it), then checked against the role (403), and
every download leaves an `export` event in the audit trail (who, what, which year — no names, no ID numbers).
The area reports and the household file are made by the background worker once per data version and served
from the file it keeps (decision 1130): until the file is there the answer is a page that reloads itself (202).
The checks above run on every request, before a kept file is looked for.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.assessment import figures
from tuopin.apps.audit.services import audit_event
from tuopin.apps.geo import selectors as geo
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry import selectors as registry
from tuopin.apps.registry.models import Household
from tuopin.apps.procedures.procedure import notice_days

from ..access import forbidden, may_print_notice_list, not_found, sees_area_figures
from ..documents import jobs, notice
from ..documents.pdf import render_pdf
from ..params import checked_year, standard_for

NOTICE_KINDS = {"exit": "exited", "identification": "identified", "returns": "returned"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    # Names are codes and years only: no personal data in a file name either.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _exported(request, *, entity: str, entity_id, summary: str) -> None:
    audit_event(actor=request.user, action="export", entity=entity, entity_id=str(entity_id), summary=summary)


def _region(request, pk: int, levels) -> Region:
    try:
        place = geo.visible_region(request.user, pk)
    except Region.DoesNotExist:
        raise not_found(request, entity="geo.region", entity_id=pk) from None
    if place.level not in levels:
        raise Http404()
    return place


def _area_report(request, pk: int, year: int) -> Region:
    place = _region(request, pk, (Level.COUNTY, Level.TOWNSHIP))
    if not sees_area_figures(request.user):
        raise forbidden(request, entity="geo.region", entity_id=pk)
    year = standard_for(place.code, checked_year(year))  # else a page: no such year, or no standard stored for it
    if year not in figures.years_with_records(place):
        raise Http404()  # no village records for the year: no report (checked without running the engine)
    return place


def _kept(request, document: jobs.Document, *, content_type: str, filename: str, name: str, entity: str,
          entity_id, summary: str) -> HttpResponse:
    """The document's file for the current data version, or the page saying it is being made."""
    for _attempt in range(2):
        outcome = jobs.obtain(document)
        if outcome.state != jobs.READY:
            break
        try:
            body = outcome.path.read_bytes()
        except FileNotFoundError:  # replaced by a newer version's file just now: ask again
            continue
        _exported(request, entity=entity, entity_id=entity_id, summary=summary)
        return _download(body, content_type, filename)
    failed = outcome.state == jobs.FAILED
    refresh = jobs.refresh_seconds(outcome)
    response = render(request, "web/document_wait.html", {
        "name": name, "failed": failed, "refresh": refresh, "ahead": outcome.ahead,
    }, status=500 if failed else 202)
    if not failed:
        response["Refresh"] = str(refresh)
    return response


@login_required
def area_report_xlsx(request, pk: int, year: int):
    place = _area_report(request, pk, year)
    return _kept(request, jobs.Document("area-report-xlsx", place.pk, year), content_type=XLSX,
                 filename=f"report-{place.code}-{year}.xlsx", name=_("%(area)s: report %(year)s (xlsx)") % {
                     "area": place.name, "year": year},
                 entity="geo.region", entity_id=place.pk, summary=f"area report xlsx {place.code} {year}")


@login_required
def area_report_pdf(request, pk: int, year: int):
    place = _area_report(request, pk, year)
    return _kept(request, jobs.Document("area-report-pdf", place.pk, year), content_type=PDF,
                 filename=f"report-{place.code}-{year}.pdf", name=_("%(area)s: report %(year)s (PDF)") % {
                     "area": place.name, "year": year},
                 entity="geo.region", entity_id=place.pk, summary=f"area report pdf {place.code} {year}")


@login_required
def notice_list_pdf(request, pk: int, year: int):
    village = _region(request, pk, (Level.VILLAGE,))
    if not may_print_notice_list(request.user):
        raise forbidden(request, entity="geo.region", entity_id=pk)
    year = checked_year(year)
    # Which procedure's list: ?kind=exit (the default), identification or returns.
    kind = request.GET.get("kind", "exit")
    event_kind = NOTICE_KINDS.get(kind)
    if event_kind is None:
        raise not_found(request, entity="geo.region", entity_id=pk)
    rows = notice.notice_rows(request.user, village, year, event_kind)
    body = render_pdf("web/documents/notice_list.html", {
        "region": village, "year": year, "rows": rows, "generated_at": timezone.localtime(),
        "notice_days": notice_days(village.code), "kind": kind,
    }, request=request)
    _exported(request, entity="geo.region", entity_id=village.pk,
              summary=f"public notice list pdf {village.code} {year} {kind}: {len(rows)} households")
    suffix = "" if kind == "exit" else f"-{kind}"
    return _download(body, PDF, f"notice-{village.code}-{year}{suffix}.pdf")


@login_required
def household_file_pdf(request, pk: int):
    user = request.user
    try:
        found = registry.household_for(user, pk)
    except Household.DoesNotExist:
        raise not_found(request, entity="registry.household", entity_id=pk) from None
    # Made per account: which ID numbers and procedure steps it shows depends on who asks.
    return _kept(request, jobs.Document("household-file", found.pk, account_id=user.pk), content_type=PDF,
                 filename=f"household-{found.number}.pdf", name=_("Household file %(number)s (PDF)") % {
                     "number": found.number},
                 entity="registry.household", entity_id=found.pk, summary="household file pdf")
