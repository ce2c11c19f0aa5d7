"""Reading pages: home, a region with its counts (county → township → village), a household's file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuopin.apps.geo import selectors as geo
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry import selectors as registry
from tuopin.apps.registry.models import MONEY_FIELDS, Household

from ..access import is_administrator, not_found

PAGE_SIZE = 50


@login_required
def home(request):
    user = request.user
    if is_administrator(user):
        return render(request, "web/home_admin.html", {"role": user.role})
    region = geo.home_region(user)
    if region is not None:
        return redirect("web:region", pk=region.pk)
    page = Paginator(registry.my_household_rows(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/home.html", {"page": page, "role": user.role})


def _chart(rows) -> dict:
    """Registered and still-poor persons per child region, for the ECharts bar chart (json_script)."""
    return {
        "categories": [row.region.name for row in rows],
        "series": [
            {"name": _("Registered persons"), "data": [row.counts.registered_persons for row in rows]},
            {"name": _("Persons not yet out of poverty"), "data": [row.counts.poor_persons for row in rows]},
        ],
    }


@login_required
def region(request, pk: int):
    user = request.user
    try:
        place = geo.visible_region(user, pk)
    except Region.DoesNotExist:
        raise not_found(request, entity="geo.region", entity_id=pk) from None
    overview = registry.region_overview(user, place)
    context = {
        "region": place,
        "crumbs": geo.breadcrumbs(user, place),
        "headline": overview.headline,
        "children": overview.children,
        "chart": _chart(overview.children) if overview.children else None,
    }
    if place.level == Level.VILLAGE:
        rows = registry.village_household_rows(user, place)
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/region.html", context)


@login_required
def household(request, pk: int):
    user = request.user
    try:
        found = registry.household_for(user, pk)
    except Household.DoesNotExist:
        raise not_found(request, entity="registry.household", entity_id=pk) from None
    file = registry.household_file(found)
    years = list(reversed(file.years))  # oldest on the left, like the paper form
    lines = [f for f, _label in MONEY_FIELDS] + ["production_cost_fen", "net_income_fen", "per_capita_net_income_fen"]
    income_rows = [(f, [getattr(y, f) for y in years]) for f in lines]
    return render(request, "web/household.html", {
        "household": found,
        "file": file,
        "years": years,
        "income_rows": income_rows,
        "crumbs": geo.breadcrumbs(user, found.village),
        "can_edit": user.may_edit_registry,
    })
