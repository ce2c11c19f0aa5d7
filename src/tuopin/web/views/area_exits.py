"""Work pages of the village and county exits (贫困村退出, 贫困县摘帽).

The list shows each poor village (or the county) of the account's area with the engine's verdict against the
exit standard for a year and where its procedure stands; one procedure's page shows its steps, takes the next
stage from the role that owns it (`permissions.AREA_STAGE_OWNERS`, decision 1233), the objections to its notice,
and prints the notice. The services in `procedures/area_procedure.py` check, write and audit; a role that does not
own a stage gets 403 before anything is looked up, a region outside the scope 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.assessment import figures
from tuopin.apps.audit.services import audit_event
from tuopin.apps.evaluation.models import EvaluationRound
from tuopin.apps.geo import selectors as geo
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.procedures import area_procedure as services
from tuopin.apps.procedures import objections as objection_service
from tuopin.apps.procedures.choices import AreaKind, AreaStage
from tuopin.apps.procedures.models import AreaExit, AreaNoticeObjection
from tuopin.apps.procedures.procedure import notice_days, stage_label
from tuopin.standards import StandardMissing
from tuopin.standards import load as load_standards

from ..access import forbidden, not_found
from ..documents.pdf import render_pdf
from ..forms import AreaProposeForm, AreaStageForm, ObjectionForm, ResolveForm
from ..form_errors import one_line
from .actions import run
from .objections import objection_posted, resolution_posted
from ..params import asked_year, this_year

S = AreaStage
LIST_PAGE = {"village": "web:village_exits", "county": "web:county_exits"}


def _allowed(request, kind: str) -> Region:
    """The account's home region, if its role works on this kind of exit (403 otherwise)."""
    region = geo.home_region(request.user)
    if region is None or not may(request.user, Action.PROPOSE_AREA_EXIT, kind):
        raise forbidden(request, entity="registry.areaexit", entity_id=kind)
    return region


def _year(request, region: Region) -> int:
    asked = asked_year(request, posted=True)
    if asked is not None:
        return asked
    recorded = [y for y in figures.years_with_records(region) if y <= this_year()]
    return recorded[-1] if recorded else this_year()


def _latest(regions) -> dict[int, AreaExit]:
    """Each region's live procedure (open or announced), else its latest refused one."""
    out: dict[int, AreaExit] = {}
    for procedure in AreaExit.objects.filter(region__in=regions).order_by("id"):
        current = out.get(procedure.region_id)
        if current is None or current.stage == S.REFUSED or procedure.stage != S.REFUSED:
            out[procedure.region_id] = procedure
    return out


def _village_rows(user, region: Region, year: int) -> list[dict]:
    visible = regions_visible_to(user).filter(level=Level.VILLAGE, is_poor_village=True)
    if region.level == Level.VILLAGE:
        villages = visible.filter(pk=region.pk)
    elif region.level == Level.TOWNSHIP:
        villages = visible.filter(parent=region)
    else:
        villages = visible.filter(parent__parent=region)
    villages = list(villages.select_related("parent").order_by("code"))
    scope = region.parent if region.level == Level.VILLAGE else region
    engine = {v["code"]: v for v in (figures.area_figures(scope, year) or {}).get("villages", [])}
    procedures = _latest(villages)
    return [{"region": v, "engine": engine.get(v.code), "procedure": procedures.get(v.pk)} for v in villages]


def _county_row(region: Region, year: int) -> dict:
    found = figures.area_figures(region, year) or {}
    rounds = []
    for round_ in EvaluationRound.objects.filter(county=region, data_year=year).order_by("id"):
        rounds.append({"round": round_, "result": _round_result(round_)})
    return {"region": region, "summary": found.get("summary"), "rounds": rounds,
            "procedure": _latest([region]).get(region.pk)}


def _round_result(round_: EvaluationRound) -> dict | None:
    """三率一度 of the round, run once per data version (a county-wide engine run: seconds on a real county)."""
    from django.core.cache import cache

    from tuopin.apps.evaluation.services import county_exit_result

    key = f"tuopin:county-exit:{round_.pk}:{figures.write_marker()}"
    found = cache.get(key)
    if found is None:
        try:
            found = county_exit_result(round_)
        except (ValidationError, StandardMissing):
            found = {}  # no village figures or no standard for the data year: the page says "no result"
        cache.set(key, found, figures.CACHE_SECONDS)
    return found or None


@login_required
def area_exits(request, kind: str):
    user = request.user
    region = _allowed(request, kind)
    if kind == "county" and region.level != Level.COUNTY:
        raise forbidden(request, entity="registry.areaexit", entity_id=kind)
    year = _year(request, region)
    context = {"kind": kind, "region": region, "year": year,
               "years": sorted({year, *figures.years_with_records(region)}),
               "propose_form": AreaProposeForm(initial={"year": year, "on": min(timezone.localdate(),
                                                                                  dt.date(year + 1, 12, 31))}),
               "list_url": LIST_PAGE[kind], "may_load_figures": may(user, Action.LOAD_VILLAGE_FIGURES)}
    if kind == "village":
        context["rows"] = _village_rows(user, region, year)
        exit_rules = _exit_rules(region, "village_exit", year)
        context["incidence_line"] = exit_rules and exit_rules["incidence_below_west" if region.west
                                                              else "incidence_below"]
    else:
        context["county"] = _county_row(region, year)
        context["county_rules"] = _exit_rules(region, "county_exit", year)
    return render(request, "web/area_exits.html", context)


def _exit_rules(region: Region, section: str, year: int):
    try:
        return load_standards(region.code).section(section)
    except (StandardMissing, KeyError):
        return None


@login_required
@require_POST
def area_exit_propose(request):
    user = request.user
    form = AreaProposeForm(request.POST)
    try:
        target = regions_visible_to(user).get(pk=int(request.POST.get("region", "")))
    except (Region.DoesNotExist, ValueError):
        raise not_found(request, entity="geo.region", entity_id=str(request.POST.get("region", ""))[:20]) from None
    kind = AreaKind.COUNTY if target.level == Level.COUNTY else AreaKind.VILLAGE
    if not may(user, Action.PROPOSE_AREA_EXIT, kind):
        raise forbidden(request, entity="registry.areaexit", entity_id=target.pk)
    if not form.is_valid():
        messages.error(request, _("Nothing was recorded: %(errors)s") % {"errors": one_line(form)})
        return redirect(LIST_PAGE[kind])
    data = form.cleaned_data
    outcome = run(request, lambda: services.area_exit_propose(region=target, year=data["year"], by=user, on=data["on"],
                                                              note=data["note"], by_name=data["by_name"]),
                  entity="registry.areaexit", entity_id=target.pk,
                  done=_("The application of %(name)s is recorded.") % {"name": target.name})
    if not outcome:
        return redirect(f"{reverse(LIST_PAGE[kind])}?year={data['year']}")
    return redirect("web:area_exit", pk=outcome.value.pk)


# --- one procedure ---------------------------------------------------------------------------------------------

def _procedure_for(request, pk: int) -> AreaExit:
    try:
        procedure = AreaExit.objects.select_related("region__parent").get(
            pk=pk, region__in=regions_visible_to(request.user).values("pk"))
    except AreaExit.DoesNotExist:
        raise not_found(request, entity="registry.areaexit", entity_id=pk) from None
    if not may(request.user, Action.PROPOSE_AREA_EXIT) and not may(request.user, Action.RECORD_AREA_STAGE):
        raise forbidden(request, entity="registry.areaexit", entity_id=pk)
    return procedure


def _next(procedure: AreaExit) -> str | None:
    if procedure.stage in (S.ANNOUNCED, S.REFUSED):
        return None
    return services.next_stage(procedure.stage, services.STAGE_ORDERS[AreaKind(procedure.kind)])


def _notice(procedure: AreaExit):
    return next((s for s in procedure.steps.all() if s.stage == S.PUBLIC_NOTICE), None)


@login_required
def area_exit_detail(request, pk: int):
    user = request.user
    procedure = _procedure_for(request, pk)
    upcoming = _next(procedure)
    may_act = upcoming is not None and may(user, Action.RECORD_AREA_STAGE, (procedure.kind, upcoming))
    notice = _notice(procedure)
    on = timezone.localdate()
    return render(request, "web/area_exit.html", {
        "procedure": procedure, "region": procedure.region, "steps": procedure.steps.order_by("on", "id"),
        "next_stage": upcoming, "may_act": may_act, "list_url": LIST_PAGE[procedure.kind],
        "form": AreaStageForm(initial={"on": on}, stage=upcoming or "", rounds=_rounds(procedure)) if may_act else None,
        "notice": notice, "may_object": may(user, Action.RECORD_OBJECTION) and notice is not None
        and procedure.stage == S.PUBLIC_NOTICE, "may_resolve": may(user, Action.RECORD_OBJECTION),
        "objection_form": ObjectionForm(initial={"received_on": on}), "resolve_form": ResolveForm(initial={"on": on}),
        "may_print": may(user, Action.PRINT_NOTICE_LIST),
    })


def _rounds(procedure: AreaExit):
    return EvaluationRound.objects.filter(county=procedure.region, data_year=procedure.year).order_by("id")


@login_required
@require_POST
def area_exit_advance(request, pk: int):
    user = request.user
    procedure = _procedure_for(request, pk)
    stage = request.POST.get("stage", "")
    if not may(user, Action.RECORD_AREA_STAGE, (procedure.kind, stage)):
        raise forbidden(request, entity="registry.areaexit", entity_id=pk)
    form = AreaStageForm(request.POST, stage=stage, rounds=_rounds(procedure))
    if not form.is_valid():
        messages.error(request, _("Nothing was recorded: %(errors)s") % {"errors": one_line(form)})
        return redirect("web:area_exit", pk=pk)
    data = form.cleaned_data
    passed = request.POST.get("decision") != "refuse"
    label = _stage_label(stage)
    run(request, lambda: services.area_exit_advance(procedure=procedure, stage=stage, by=user, on=data["on"],
                                                    passed=passed, note=data["note"], ends_on=data.get("ends_on"),
                                                    by_name=data["by_name"],
                                                    evaluation_round=data.get("evaluation_round")),
        entity="registry.areaexit", entity_id=pk,
        done=(_("%(stage)s recorded.") if passed else _("Sent back at %(stage)s.")) % {"stage": label})
    return redirect("web:area_exit", pk=pk)


def _stage_label(stage: str) -> str:
    from ..labels import label

    return label("AreaStage", stage)


@login_required
@require_POST
def area_objection_record(request, pk: int):
    procedure = _procedure_for(request, pk)
    if not may(request.user, Action.RECORD_OBJECTION):
        raise forbidden(request, entity="registry.areaexit", entity_id=pk)
    notice = _notice(procedure)
    objection_posted(request, notice=notice, record=objection_service.objection_record)
    return redirect("web:area_exit", pk=pk)


@login_required
@require_POST
def area_objection_resolve(request, pk: int, objection_pk: int):
    procedure = _procedure_for(request, pk)
    if not may(request.user, Action.RECORD_OBJECTION):
        raise forbidden(request, entity="registry.areanoticeobjection", entity_id=objection_pk)
    try:
        objection = AreaNoticeObjection.objects.get(pk=objection_pk, step__procedure=procedure)
    except AreaNoticeObjection.DoesNotExist:
        raise not_found(request, entity="registry.areanoticeobjection", entity_id=objection_pk) from None
    resolution_posted(request, objection=objection, resolve=objection_service.objection_resolve)
    return redirect("web:area_exit", pk=pk)


@login_required
def area_exit_notice_pdf(request, pk: int):
    """The notice (公示) of a village's or county's exit: the area, the checks it meets, the notice period and where
    to object. No person is named on it (decision 1234)."""
    procedure = _procedure_for(request, pk)
    if not may(request.user, Action.PRINT_NOTICE_LIST):
        raise forbidden(request, entity="registry.areaexit", entity_id=pk)
    region = procedure.region
    engine = None
    if procedure.kind == AreaKind.VILLAGE:
        engine = next((v for v in (figures.area_figures(region.parent, procedure.year) or {}).get("villages", [])
                       if v["code"] == region.code), None)
    else:
        engine = (figures.area_figures(region, procedure.year) or {}).get("summary")
    key = services.NOTICE_DAYS_KEY[AreaKind(procedure.kind)]
    body = render_pdf("web/documents/area_exit_notice.html", {
        "procedure": procedure, "region": region, "engine": engine, "notice": _notice(procedure),
        "notice_days": notice_days(region.code, key), "generated_at": timezone.localtime(),
        "stage_label": stage_label(procedure.stage, S),
    }, request=request)
    audit_event(actor=request.user, action="export", entity="registry.areaexit", entity_id=str(procedure.pk),
                summary=f"{procedure.kind} exit notice pdf {region.code} {procedure.year}")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="exit-notice-{region.code}-{procedure.year}.pdf"'
    return response
