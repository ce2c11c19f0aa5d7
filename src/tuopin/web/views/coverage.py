"""倒查正推 on the web (decision 1554): per policy of the catalogue, the persons eligible, covered and the gaps both ways
by township (or village), the eligible persons not covered with links to their households, and the rosters' signals.
The county office sees every policy, a commander its war zone, a department its domain's policies (not the signals,
which are about the registry itself). Figures come from the policy rules through apps.policy.figures, cached."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.apps.accounts.models import Role
from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.assessment import figures as assessment
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.policy import coverage
from tuopin.apps.policy.figures import area_coverage
from tuopin.apps.registry.models import Person
from tuopin.common.masking import mask_id
from tuopin.standards import policies

from ..access import forbidden, not_found
from ..params import asked_area, asked_year
from .actions import run

ENTITY = "policy.coverage"
BASES = {"roster": gettext_lazy("department roster"), "registry": gettext_lazy("registry record"),
         "none": gettext_lazy("not checked")}
SIGNALS = {"deceased_registered": gettext_lazy("deceased, still registered"),
           "deceased_paid": gettext_lazy("deceased, still paid 低保 or 特困"),
           "vehicle": gettext_lazy("owns a vehicle"), "property": gettext_lazy("owns property"),
           "business": gettext_lazy("runs a registered business"),
           "public_employee": gettext_lazy("paid from public funds")}
PAGE_SIZE = 50


@login_required
def coverage_page(request):
    user = request.user
    try:
        shown = coverage.policies_for(user)
    except PermissionDenied:
        raise forbidden(request, entity=ENTITY) from None
    place = asked_area(request, user)
    year, years = assessment.chosen_year(place, asked_year(request))
    context = {"place": place, "year": year, "years": years, "found": None}
    found = area_coverage(place, year) if year in years else None  # a year without records says so (decision 1251)
    if found:
        catalogue = policies.catalogue()
        chosen = request.GET.get("policy") or (shown[0] if shown else "")
        if chosen not in shown:
            raise not_found(request, entity=ENTITY, entity_id=chosen[:40])
        children = {r.code: r for r in Region.objects.filter(code__in=found["children"])}
        rows = [(catalogue[p["code"]], p, BASES.get(found["bases"].get(p["code"], ""), ""))
                for p in found["summary"]["policies"] if p["code"] in shown]
        context.update(
            found=found, rows=rows, chosen=catalogue[chosen],
            children=[(children.get(code), {p: by[p] for p in shown}) for code, by in found["children"].items()],
            shown=[catalogue[p] for p in shown],
            page=_persons_page(request, found["gaps"].get(chosen, [])),
            query=urlencode({"year": year, "policy": chosen, **({"region": place.pk} if place != user.region else {})}),
            signals=_signals(found["signals"]) if user.role != Role.DEPARTMENT else None,
            may_make_tasks=may(user, Action.SYNC_TASKS) and place.level == Level.COUNTY,
        )
    return render(request, "web/coverage.html", context)


@login_required
def coverage_tasks(request):
    """The county office turns the year's uncovered persons and signals into tasks (POST, decision 1555)."""
    from tuopin.apps.assistance.coverage_tasks import coverage_tasks_sync

    user = request.user
    if request.method != "POST" or not may(user, Action.SYNC_TASKS):
        raise forbidden(request, entity="assistance.task")
    place = asked_area(request, user)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise not_found(request, entity=ENTITY, entity_id="year") from None
    if year not in assessment.chosen_year(place, year)[1]:
        raise not_found(request, entity=ENTITY, entity_id=year)
    done = run(request, lambda: coverage_tasks_sync(year=year, by=user, region=place, source="web"),
               entity="assistance.task")
    if done:
        o = done.value
        messages.success(request, _("Tasks made: %(created)s new, %(reopened)s reopened, %(closed)s closed.")
                         % {"created": o.created, "reopened": o.reopened, "closed": o.closed})
    return redirect(f"{reverse('web:coverage')}?year={year}")


def _persons_page(request, rows: list):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_persons(page.object_list)
    return page


def _with_persons(rows) -> None:
    """Names and masked ID numbers of the rows shown (one query), in place of the bare ids."""
    people = Person.objects.in_bulk([r[0] for r in rows])
    for i, (pid, hid, village, *rest) in enumerate(rows):
        p = people.get(pid)
        rows[i] = {"name": p.name if p else "", "id_number": mask_id(p.id_number) if p else "", "household_id": hid,
                   "village": village, "kind": SIGNALS.get(rest[0], rest[0]) if rest else ""}


def _signals(rows: list) -> list[dict]:
    shown = list(rows[:200])
    _with_persons(shown)
    return shown
