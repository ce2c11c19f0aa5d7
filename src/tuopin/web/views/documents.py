"""Downloads: the year's area report (xlsx, PDF), a village's public-notice list and a household's file (PDF).

Each is found through the scoping layer first (404 outside it), then checked against the role (403), and
every download leaves an `export` event in the audit trail (who, what, which year — no names, no ID numbers).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone

from tuopin.apps.audit.services import audit_event
from tuopin.apps.geo import selectors as geo
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry import selectors as registry
from tuopin.apps.registry.models import MONEY_FIELDS, Household
from tuopin.apps.registry.procedure import notice_days
from tuopin.apps.registry.procedure_selectors import household_procedure_history

from .. import figures
from ..access import forbidden, may_print_notice_list, not_found, sees_area_figures
from ..documents import notice, report_xlsx
from ..documents.pdf import render_pdf
from ..params import checked_year, standard_for

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


def _area_report(request, pk: int, year: int):
    place = _region(request, pk, (Level.COUNTY, Level.TOWNSHIP))
    if not sees_area_figures(request.user):
        raise forbidden(request, entity="geo.region", entity_id=pk)
    year = standard_for(place.code, checked_year(year))  # else a page: no such year, or no standard stored for it
    found = figures.area_figures(place, year)
    if not found:
        raise Http404()
    return place, found


@login_required
def area_report_xlsx(request, pk: int, year: int):
    place, found = _area_report(request, pk, year)
    body = report_xlsx.build(place, year, found, figures.trend(place, figures.years_with_records(place)))
    _exported(request, entity="geo.region", entity_id=place.pk, summary=f"area report xlsx {place.code} {year}")
    return _download(body, XLSX, f"report-{place.code}-{year}.xlsx")


@login_required
def area_report_pdf(request, pk: int, year: int):
    place, found = _area_report(request, pk, year)
    summary = found["summary"]
    body = render_pdf("web/documents/area_report.html", {
        "summary": summary, "year": year, "villages": found["villages"], "user": request.user,
        "history": figures.trend(place, figures.years_with_records(place)), "generated_at": timezone.localtime(),
        "gap_rows": [(k, summary["gaps"].get(k, 0)) for k in figures.INDICATORS],
    }, request=request)
    _exported(request, entity="geo.region", entity_id=place.pk, summary=f"area report pdf {place.code} {year}")
    return _download(body, PDF, f"report-{place.code}-{year}.pdf")


@login_required
def notice_list_pdf(request, pk: int, year: int):
    village = _region(request, pk, (Level.VILLAGE,))
    if not may_print_notice_list(request.user):
        raise forbidden(request, entity="geo.region", entity_id=pk)
    year = checked_year(year)
    rows = notice.notice_rows(request.user, village, year)
    body = render_pdf("web/documents/notice_list.html", {
        "region": village, "year": year, "rows": rows, "generated_at": timezone.localtime(),
        "notice_days": notice_days(village.code),
    }, request=request)
    _exported(request, entity="geo.region", entity_id=village.pk,
              summary=f"public notice list pdf {village.code} {year}: {len(rows)} households")
    return _download(body, PDF, f"notice-{village.code}-{year}.pdf")


@login_required
def household_file_pdf(request, pk: int):
    user = request.user
    try:
        found = registry.household_for(user, pk)
    except Household.DoesNotExist:
        raise not_found(request, entity="registry.household", entity_id=pk) from None
    file = registry.household_file(found)
    years = list(reversed(file.years))
    lines = [f for f, _label in MONEY_FIELDS] + ["production_cost_fen", "net_income_fen", "per_capita_net_income_fen"]
    body = render_pdf("web/documents/household_file.html", {
        "household": found, "file": file, "years": years, "user": user, "generated_at": timezone.localtime(),
        "income_rows": [(f, [getattr(y, f) for y in years]) for f in lines],
        "indicator_names": figures.INDICATORS,
        "indicator_years": [(y.year, figures.household_indicators(found, y.year)) for y in years],
        "history": household_procedure_history(user, found),
    }, request=request)
    _exported(request, entity="registry.household", entity_id=found.pk, summary="household file pdf")
    return _download(body, PDF, f"household-{found.number}.pdf")

