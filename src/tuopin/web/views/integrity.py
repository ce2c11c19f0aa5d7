"""Signals that figures may be gamed (数字脱贫) on the web (decision 1593): the findings of a year by kind, each with
its households (household number, the head's masked ID number) and cadres, its figures in words and a link to its
verification task. The county office sees its county's and runs the rules; a commander its war zone's. Nobody sees a
finding that names their own cadre. Wording is "to verify" throughout: a finding is a question for the township."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.assessment import services as assessment
from tuopin.apps.integrity.selectors import findings_visible_to
from tuopin.apps.organisation.models import Cadre
from tuopin.apps.registry.models import Household, Person
from tuopin.common.masking import mask_id
from tuopin.standards import signals as catalogue

from ..access import forbidden, not_found
from ..params import asked_year
from .actions import run

ENTITY = "integrity.finding"
SHOWN = 100  # findings listed per kind


@login_required
def signals_page(request):
    user = request.user
    if not may(user, Action.SEE_SIGNALS) or user.region is None:
        raise forbidden(request, entity=ENTITY)
    years = assessment.recorded_years(user.region)
    asked = asked_year(request)
    year = asked if asked in years else (max(years) if years else None)
    if asked is not None and asked not in years:
        raise not_found(request, entity=ENTITY, entity_id=str(asked)[:20])
    findings = list(findings_visible_to(user, year=year).filter(current=True)) if year else []
    texts = catalogue.catalogue()
    households = Household.objects.in_bulk({h for f in findings for h in f.households[:20]})
    heads = {p.household_id: p for p in Person.objects.filter(household_id__in=list(households), relation="01")}
    cadres = Cadre.objects.in_bulk({c for f in findings for c in f.cadres[:20]})
    kinds = []
    for kind, signal in texts.items():
        rows = [f for f in findings if f.kind == kind]
        kinds.append({"kind": kind, "title": signal.title, "count": len(rows), "findings": [{
            "finding": f, "households": [{"pk": h, "number": households[h].number if h in households else "",
                                          "id_number": mask_id(heads[h].id_number) if h in heads else ""}
                                         for h in f.households[:20]],
            "more": max(len(f.households) - 20, 0),
            "cadres": [cadres[c].name for c in f.cadres[:20] if c in cadres]} for f in rows[:SHOWN]]})
    return render(request, "web/signals.html", {
        "year": year, "years": years, "kinds": kinds, "total": len(findings),
        "may_run": may(user, Action.RUN_SIGNALS)})


@login_required
def signals_run_page(request):
    """The county office runs the year's signals (POST): findings kept, verification tasks routed."""
    from tuopin.apps.integrity.services import signals_run

    user = request.user
    if request.method != "POST" or not may(user, Action.RUN_SIGNALS):
        raise forbidden(request, entity=ENTITY)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise not_found(request, entity=ENTITY, entity_id="year") from None
    if year not in assessment.recorded_years(user.region):
        raise not_found(request, entity=ENTITY, entity_id=year)
    done = run(request, lambda: signals_run(year=year, by=user, region=user.region, source="web"), entity=ENTITY)
    if done:
        o = done.value
        messages.success(request, _("Signals found: %(found)s; new %(created)s; verification tasks made %(tasks)s.")
                         % {"found": sum(o.found.values()), "created": o.created, "tasks": o.tasks_created})
    return redirect(f"{reverse('web:signals')}?year={year}")
