"""After exit (四个不摘) on one page: the four-not-removes check of a year for the county office (the whole county)
or a commander (its war zone), in its four groups with counts per township, each flag linked to the page where it
is put right, the county's funds year by year, and a button that turns the flags into rectification items
(decisions 1411, 1412). Other roles: 403. The check is monitoring's; this page only arranges and links it."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import person_years_visible_to
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.monitoring import four_not_removes as fnr

from ..access import forbidden, not_found
from ..params import asked_year
from .actions import run

ENTITY = "monitoring.four_not_removes"


def _links(flag) -> list[tuple[str, str]]:
    """(label, url) of the pages where the flag is put right."""
    kind = flag.kind
    if kind in ("household_pairing", "policies"):
        links = [(_("Household"), reverse("web:household", args=[flag.household_id]))]
        if kind == "household_pairing":
            links.append((_("Pair a cadre"), reverse("web:org_household_pair", args=[flag.household_id])))
        return links
    if kind == "unit_pairing":
        return [(_("Last pairing"), reverse("web:org_pairing", args=[flag.object_id])),
                (_("New pairing"), reverse("web:org_pairing_new"))]
    if kind == "work_team":
        return [(_("Last work team"), reverse("web:org_team", args=[flag.object_id])),
                (_("New work team"), reverse("web:org_team_new"))]
    if kind == "visits":
        return [(_("Village"), reverse("web:region", args=[flag.village_id]))]
    if kind == "overdue_rectification":
        return [(_("Rectification item"), reverse("web:task", args=[flag.object_id]))]
    if kind == "funding":
        return [(_("Funds ledger"), reverse("web:funds") + f"?year={flag.year}")]
    return []


def _year(request, years: list[int]) -> int | None:
    """The year asked, else the last one whose yearly records are in (a year not yet recorded would show every
    policy as unknown and every village as unvisited), else this year."""
    year = asked_year(request, posted=True)
    if year is None:
        if not years:
            return None
        last = person_years_visible_to(request.user).aggregate(m=Max("year"))["m"]
        recorded = [y for y in years if last is not None and y <= last]
        return recorded[-1] if recorded else years[-1]
    if year not in years:
        raise not_found(request, entity=ENTITY, entity_id=year)
    return year


def _scope(request):
    user = request.user
    if not may(user, Action.SEE_AFTER_EXIT):
        raise forbidden(request, entity=ENTITY)
    scope = Region.objects.filter(pk=user.region_id).first()
    if scope is None:
        raise forbidden(request, entity=ENTITY)
    return scope


def _rules(scope) -> dict:
    rules = fnr.thresholds(scope)
    return {"months": rules["visit_months"], "share": f"{rules['visit_share_at_least']:.0%}",
            "cut": f"{rules['funding_cut_ratio']:.0%}"}


@login_required
def four_not_removes(request):
    user = request.user
    scope = _scope(request)
    years = fnr.after_exit_years(scope)
    year = _year(request, years)
    on = fnr.check_day(year) if year else None
    flags = fnr.four_not_removes_check(account=user, on=on) if year else []
    townships = {t.code: t for t in Region.objects.filter(level=Level.TOWNSHIP, code__startswith=scope.code[:6])}
    if scope.level == Level.TOWNSHIP:
        townships = {scope.code: scope}
    per_township: dict[str, Counter] = {code: Counter() for code in townships}
    groups: dict[str, list] = {group: [] for group in fnr.GROUPS}
    for flag in flags:
        township = townships.get(flag.region_code[:9] + "000")
        if township is not None:
            per_township[township.code][flag.group] += 1
        groups[flag.group].append({"flag": flag, "township": township, "links": _links(flag)})
    count_rows = [(townships[code], [counts[g] for g in fnr.GROUPS], sum(counts.values()))
                  for code, counts in sorted(per_township.items())]
    funds = []
    if scope.level == Level.COUNTY and year:
        totals = fnr.funds_by_year(years[0] - 1, year, scope)
        funds = [(y, totals.get(y)) for y in range(years[0] - 1, year + 1)]
    return render(request, "web/four_not_removes.html", {
        "scope": scope, "years": years, "year": year, "on": on,
        "groups": [(key, label, groups[key]) for key, label in fnr.GROUPS.items()],
        "count_rows": count_rows, "totals": [len(groups[g]) for g in fnr.GROUPS], "total": len(flags),
        "funds": funds, "may_rectify": may(user, Action.MANAGE_RECTIFICATION),
        "rules": _rules(scope),
    })


@login_required
@require_POST
def four_not_removes_rectify(request):
    user = request.user
    _scope(request)
    year = _year(request, fnr.after_exit_years(Region.objects.filter(pk=user.region_id).first()))
    if year is None:
        return redirect("web:four_not_removes")
    outcome = run(request, lambda: fnr.four_not_removes_rectify(account=user, on=fnr.check_day(year)), entity=ENTITY)
    if outcome:
        messages.success(request, _("Four-not-removes check: %(flags)s findings, %(created)s new rectification "
                                    "items, %(already)s already made.") % outcome.value)
        return redirect(reverse("web:rectification_list") + "?source=check")
    return redirect(reverse("web:four_not_removes") + f"?year={year}")
