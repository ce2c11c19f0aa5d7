"""Reading pages: home, a region with its counts (county → township → village), a household's file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.assessment import figures
from tuopin.apps.assistance import accountability
from tuopin.apps.geo import selectors as geo
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.monitoring import selectors as monitoring
from tuopin.apps.monitoring.choices import Channel
from tuopin.apps.organisation import household_rows
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import selectors as registry
from tuopin.apps.registry.models import MONEY_FIELDS, Household
from tuopin.apps.revenue import selectors as asset_income

from ..access import is_administrator, may_print_notice_list, not_found, sees_area_figures
from ..params import asked_year
from . import dashboard

PAGE_SIZE = 50


@login_required
def home(request):
    user = request.user
    if is_administrator(user):
        return render(request, "web/home_admin.html", {"role": user.role})
    region = geo.home_region(user)
    if region is not None:
        return redirect("web:region", pk=region.pk)
    if user.role == "department":
        # A department works from the gaps of its domain routed to it, not from household rows (decision 1262).
        work = accountability.department_work(user)
        page = Paginator(work.tasks, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "web/department_home.html", {"work": work, "page": page})
    page = Paginator(household_rows.my_household_rows(user), PAGE_SIZE).get_page(request.GET.get("page"))
    # A pairing cadre works from cards (phone-sized): open tasks with due dates and the last visit per household.
    cards = accountability.household_cards(user, page.object_list) if user.role == "cadre" else None
    return render(request, "web/home.html", {"page": page, "role": user.role, "cards": cards})


def _chart(rows) -> dict:
    """Registered and still-poor persons per child region, for the ECharts bar chart (json_script)."""
    return {
        "categories": [row.region.name for row in rows],
        "series": [
            {"name": _("Registered persons"), "data": [row.counts.registered_persons for row in rows]},
            {"name": _("Persons not yet out of poverty"), "data": [row.counts.poor_persons for row in rows]},
        ],
    }


def _village_projects(user, village):
    """The projects serving the village, for those who may see projects (decision 1501); None for the others."""
    from tuopin.apps.projects.selectors import village_projects

    return list(village_projects(user, village)) if may(user, Action.SEE_PROJECTS) else None


@login_required
def region(request, pk: int):
    user = request.user
    try:
        place = geo.visible_region(user, pk)
    except Region.DoesNotExist:
        raise not_found(request, entity="geo.region", entity_id=pk) from None
    context = {"region": place, "crumbs": geo.breadcrumbs(user, place), "area_figures": sees_area_figures(user)}
    if place.level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
        year, years = figures.chosen_year(place, asked_year(request))
        context.update(year=year, years=years)
    if place.level in (Level.COUNTY, Level.TOWNSHIP) and sees_area_figures(user):
        context.update(dashboard.context(user, place, context["year"], context["years"]))
        return render(request, "web/dashboard.html", context)
    overview = registry.region_overview(user, place)
    context.update(headline=overview.headline, children=overview.children,
                   chart=_chart(overview.children) if overview.children else None)
    if place.level == Level.VILLAGE:
        rows = household_rows.village_household_rows(user, place)
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        if sees_area_figures(user) and context["year"] is not None:
            context["readiness"] = readiness = figures.village_readiness(user, place, context["year"])
            if readiness and readiness.candidates and may(user, Action.RECORD_MONITORING_CLUE,
                                                          (Channel.ENGINE_CANDIDATE, None)):
                # The candidates may be ticked and recorded as clues at once, but those with an open case.
                context["clue_from_candidates"] = monitoring.households_with_open_cases(
                    row.household.pk for row in readiness.candidates)
        context["may_print_notice"] = may_print_notice_list(user)
        context["may_review_changes"] = may(user, Action.REVIEW_PROPOSED_CHANGE)
        if context["year"] is not None and may(user, Action.SEE_ASSET_INCOME):
            projects = asset_income.village_projects(user, place)  # one query when the village has none
            if ids := [p.pk for p in projects]:
                context["asset_income"] = asset_income.station_rows(projects.filter(pk__in=ids), context["year"])
        context["projects"] = _village_projects(user, place)
        return render(request, "web/village.html", context)
    return render(request, "web/region.html", context)


@login_required
def region_trend(request, pk: int):
    """The trend charts of a county or township: fetched by the dashboard when the years were not cached yet,
    or a page of their own without JavaScript."""
    user = request.user
    try:
        place = geo.visible_region(user, pk)
    except Region.DoesNotExist:
        raise not_found(request, entity="geo.region", entity_id=pk) from None
    if place.level not in (Level.COUNTY, Level.TOWNSHIP) or not sees_area_figures(user):
        raise not_found(request, entity="geo.region", entity_id=pk)
    year, years = figures.chosen_year(place, asked_year(request))
    if years and year not in years:  # the charts run over the recorded years; a later year shows them all
        year = max((y for y in years if y <= year), default=years[-1])
    trend = dashboard.trend_context(place, year, years) if year else None
    if trend is None:
        raise not_found(request, entity="geo.region", entity_id=pk)
    context = {"region": place, "crumbs": geo.breadcrumbs(user, place), "year": year, **trend}
    fragment = request.headers.get("X-Requested-With") == "fetch"
    return render(request, "web/_trend.html" if fragment else "web/trend.html", context)


@login_required
def household(request, pk: int):
    user = request.user
    try:
        found = registry.household_for(user, pk)
    except Household.DoesNotExist:
        raise not_found(request, entity="registry.household", entity_id=pk) from None
    file = household_rows.household_file(found)
    years = list(reversed(file.years))  # oldest on the left, like the paper form
    lines = [f for f, _label in MONEY_FIELDS] + ["production_cost_fen", "net_income_fen", "per_capita_net_income_fen"]
    income_rows = [(f, [getattr(y, f) for y in years]) for f in lines]
    record_years = sorted(y.year for y in file.years)
    year = _asked_year(request, record_years)
    return render(request, "web/household.html", {
        "household": found,
        "file": file,
        "years": years,
        "income_rows": income_rows,
        "crumbs": geo.breadcrumbs(user, found.village),
        "can_edit": may(user, Action.EDIT_REGISTRY, found),
        "can_edit_years": may(user, Action.EDIT_YEARLY_RECORD, found),
        "year": year,
        "record_years": record_years,
        **_checks(found, year, record_years),
        **_asset_income(user, found, year, file.years),
        "tracker": exit_tracker(file.events),
        **_work(user, found),
    })


def _checks(household, year, record_years) -> dict:
    """The exit standard's indicators and the monitoring warning of the year, from one look-up or one run."""
    indicators, watch = figures.household_checks(household, year) if year in record_years else (None, None)
    return {"indicators": indicators, "watch": watch}


def _asset_income(user, household, year, records) -> dict:
    """The ledger payments behind the year's wage and dividend lines, and what of each line was entered by hand
    (decision 1512). The household page is the cadre's view of its households' payments."""
    if year is None:
        return {}
    payments = list(asset_income.household_payments(household, year))
    if not payments:
        return {}
    record = next((r for r in records if r.year == year), None)
    lines = []
    for kind, field in (("post", "wage_income_fen"), ("dividend", "dividend_income_fen")):
        paid = sum(p.amount_fen for p in payments if p.kind == kind and p.reversed_on is None)
        if paid or any(p.kind == kind for p in payments):
            line = getattr(record, field) if record else 0
            lines.append({"field": field, "line": line, "ledger": paid, "by_hand": line - paid})
    return {"asset_payments": payments, "asset_lines": lines,
            "may_see_ledgers": may(user, Action.SEE_ASSET_INCOME)}


def _work(user, household) -> dict:
    """The household's open tasks and recent visits, as far as the account may see them (decision 0800)."""
    from tuopin.apps.assistance.selectors import visits_for
    from tuopin.apps.monitoring.selectors import cases_for

    from .housing import household_renovations

    return {"open_tasks": accountability.filtered_tasks(user, status="open", household=household)[:20],
            "visits": visits_for(user, household=household)[:5],
            "may_visit": may(user, Action.RECORD_VISIT, household), "today": timezone.localdate(),
            "monitoring_cases": cases_for(user).filter(household=household).order_by("-clue_on", "-pk")[:10],
            "may_record_clue": may(user, Action.RECORD_MONITORING_CLUE, ("cadre_visit", household)),
            **_proposed_changes(user, household),
            **_aid(user, household), **household_renovations(user, household)}


def _proposed_changes(user, household) -> dict:
    """The pending changes visits proposed for the household, for whoever reviews them (decision 1561)."""
    if not may(user, Action.REVIEW_PROPOSED_CHANGE):
        return {}
    from tuopin.apps.fieldwork.models import ChangeStatus
    from tuopin.apps.fieldwork.selectors import changes_for

    return {"pending_changes": changes_for(user).filter(household=household, status=ChangeStatus.PENDING).count()}


def _aid(user, household) -> dict:
    """The members' education and medical aid the account may see (decision 1530): one query."""
    from tuopin.apps.aid.selectors import household_aid

    return {"aid": household_aid(user, household) if may(user, Action.SEE_AID) else None}


def _asked_year(request, years: list[int]) -> int | None:
    """The year asked for (?year=), with or without a record (the page then says it has none: decision 1251);
    else the household's latest record's year."""
    asked = asked_year(request)
    return asked if asked is not None else (years[-1] if years else None)


def exit_tracker(events) -> dict | None:
    """The stages of the household's latest exit procedure (脱贫程序): done, refused, next or still to come."""
    exits = [e for e in events if e.kind == c.EventKind.EXITED]
    if not exits:
        return None
    event = max(exits, key=lambda e: (e.year, e.pk))
    steps = {step.stage: step for step in event.steps.all()}
    refused = next((s for s in event.steps.all() if not s.passed), None)
    stages, waiting = [], event.stage not in (c.Stage.ANNOUNCED, c.Stage.REFUSED)
    for stage in c.STAGE_ORDER:
        step = steps.get(stage)
        if step is not None:
            state = "done" if step.passed else "refused"
        elif waiting:
            state, waiting = "next", False
        else:
            state = "pending"
        stages.append({"stage": stage, "state": state, "step": step})
    return {"event": event, "stages": stages, "refused": refused}
