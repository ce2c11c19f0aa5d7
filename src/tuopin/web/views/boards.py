"""The commander's zone board (战区) and the county accountability board, with the proposal and veto forms.

Who may act is the scoring service's rule (decision 0713); the pages only decide what to show: a zone board to
its commanders and the county office, the county board to the county office. Outside that: 404 for a zone or
an assessment (it hides whether it exists), 403 for the county board.

Zone board (`/zones/<township>/`): villages by exit readiness from the figures layer (not meeting first, then by
incidence), overdue tasks by owner, unit and work-team scores for a period (`?period=`, default the newest
assessed) with a proposal and a veto form per row; a vetoed row shows who vetoed, when, why, and the computed
result. County board (`/accountability/`): vetoes of the period, units and cadres ranked by the scoring reports (a
vetoed unit ranks below the others), overdue tasks by owner. An assessment is reached through the zones it served
in (`scoring.zone_townships_of`): outside the account's zones — or the county office's county — it is 404 before
the service is called.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import tasks_visible_to
from tuopin.apps.assessment import figures
from tuopin.apps.assistance import accountability as acc
from tuopin.apps.assistance import config, services
from tuopin.apps.assistance.models import Assessment
from tuopin.apps.assistance.selectors import overdue_by_owner
from tuopin.apps.geo import selectors as geo
from tuopin.apps.geo.models import Level, Region

from ..access import forbidden, not_found
from ..params import asked_year
from ..task_forms import ProposalForm, VetoForm
from .actions import run

BOARD_ROWS = 50


@login_required
def zone_home(request):
    zone = acc.zone_of(request.user)
    if zone is None:
        raise forbidden(request, entity="geo.region")
    return redirect("web:zone_board", pk=zone.pk)


@login_required
def zone_board(request, pk: int):
    user = request.user
    township = Region.objects.filter(pk=pk, level=Level.TOWNSHIP).first()
    if township is None or not acc.may_open_zone(user, township):
        raise not_found(request, entity="geo.region", entity_id=pk)
    year, years = figures.chosen_year(township, asked_year(request))
    area = figures.area_figures(township, year) if year else None
    villages = sorted((area or {}).get("villages", []),
                      key=lambda v: (v["meets_exit_standard"], -v["incidence"], v["name"]))
    ids = dict(Region.objects.filter(parent=township).values_list("code", "pk"))
    for v in villages:
        v["pk"] = ids.get(v["code"])
    period = acc.chosen_period(request.GET.get("period"))
    zone_tasks = tasks_visible_to(user).filter(village__parent=township)
    return render(request, "web/zone_board.html", {
        "township": township, "crumbs": geo.breadcrumbs(user, township) if _opens(user, township) else [],
        "year": year, "years": years, "villages": villages,
        "overdue": overdue_by_owner(user, township)[:BOARD_ROWS],
        "open_tasks": zone_tasks.filter(status="open").count(),
        "period": period, "rows": acc.zone_assessments(township, period),
        "proposal_form": ProposalForm(), "veto_form": VetoForm(),
    })


def _opens(user, region) -> bool:
    from tuopin.apps.accounts.scoping import regions_visible_to

    return regions_visible_to(user).filter(pk=region.pk).exists()


@login_required
def county_board(request):
    """One period throughout (decision 1261): the rankings, paged, and the overdue counts by owner come from the
    same rows — the recorded scores, or, for a period nobody has scored, scores computed now (provisional)."""
    user = request.user
    if not may(user, Action.COUNTY_BOARD):
        raise forbidden(request, entity="assistance.assessment")
    period = acc.chosen_period(acc.asked_period(request.GET))
    board = acc.county_board(period)
    recorded = acc.recorded_periods()
    query_units = _pages_query(request, period, "units_page")
    query_cadres = _pages_query(request, period, "cadres_page")
    weights = config.scoring()
    return render(request, "web/county_board.html", {
        "period": period, "board": board, "recorded_periods": recorded,
        "years": acc.period_years(recorded), "year": int(period[:4]), "part": period[4:],
        "parts": _period_parts(),
        "units": Paginator(board.units, BOARD_ROWS).get_page(request.GET.get("units_page")),
        "cadres": Paginator(board.cadres, BOARD_ROWS).get_page(request.GET.get("cadres_page")),
        "query_units": query_units, "query_cadres": query_cadres, "vetoes": _veto_rows(period),
        "overdue": board.overdue_by_owner(),
        "weights": weights["weights"], "penalties": weights["penalties"],
    })


def _pages_query(request, period: str, paging: str) -> str:
    """The board's query for the pager of one table: the period, and the page the other table is on."""
    query = request.GET.copy()
    for key in (paging, "year", "part"):
        query.pop(key, None)
    query["period"] = period
    return query.urlencode()


def _period_parts() -> list[tuple[str, str]]:
    return [("", _("whole year")), ("H1", _("first half")), ("H2", _("second half")), ("Q1", _("first quarter")),
            ("Q2", _("second quarter")), ("Q3", _("third quarter")), ("Q4", _("fourth quarter"))]


def _veto_rows(period: str) -> list[dict]:
    from tuopin.apps.organisation.models import Unit, WorkTeam

    found = list(acc.vetoes(period))
    units = dict(Unit.objects.filter(pk__in=[a.subject_id for a in found if a.subject_kind == "unit"])
                 .values_list("pk", "name"))
    teams = {t.pk: f"{t.village.name} · {t.unit.name if t.unit else ''}" for t in
             WorkTeam.objects.filter(pk__in=[a.subject_id for a in found if a.subject_kind == "work_team"])
             .select_related("village", "unit")}
    return [{"assessment": a, "name": units.get(a.subject_id) if a.subject_kind == "unit" else teams.get(a.subject_id)}
            for a in found]


def _assessment(request, pk: int) -> Assessment:
    try:
        return acc.assessment_for(request.user, pk)
    except Assessment.DoesNotExist:
        raise not_found(request, entity="assistance.assessment", entity_id=pk) from None


def _back(request, assessment) -> str:
    zone = acc.zone_of(request.user)
    if request.user.role == "county_admin" or zone is None:
        return reverse("web:county_board") + f"?period={assessment.period}"
    return reverse("web:zone_board", args=[zone.pk]) + f"?period={assessment.period}"


@login_required
@require_POST
def assessment_propose(request, pk: int):
    assessment = _assessment(request, pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the proposal."))
        return redirect(_back(request, assessment))
    run(request, lambda: services.assessment_propose(assessment=assessment, text=form.cleaned_data["text"], by=request.user),
        entity="assistance.assessment", entity_id=pk, done=_("Proposal recorded."))
    return redirect(_back(request, assessment))


@login_required
@require_POST
def assessment_veto(request, pk: int):
    assessment = _assessment(request, pk)
    form = VetoForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A veto needs a reason."))
        return redirect(_back(request, assessment))
    run(request, lambda: services.assessment_veto(assessment=assessment, reason=form.cleaned_data["reason"], by=request.user),
        entity="assistance.assessment", entity_id=pk, done=_("Veto recorded: the result is now fail."))
    return redirect(_back(request, assessment))
