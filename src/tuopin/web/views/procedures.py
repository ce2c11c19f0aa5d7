"""Work pages of the household exit procedure (脱贫程序): who has reached which stage, and batch actions.

The services in `registry/procedure.py` validate, write and audit; these views decide who may act:
each stage belongs to the role that decides it (decision 0605), everyone else sees the lists read-only and
gets 403 when posting. Households are always reached through the scoping layer (404 outside it).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import STAGE_OWNERS, Action, may
from tuopin.apps.geo import selectors as geo
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import procedure as services
from tuopin.apps.registry import procedure_selectors as selectors
from tuopin.apps.registry.models import Household, NoticeObjection, StatusEvent

from .. import figures
from ..access import forbidden, not_found
from ..forms import ObjectionForm, ProposeForm, ResolveForm, StageForm
from ..params import asked_year, posted_ids, this_year

S = c.Stage
LIST_LIMIT = 300


def owns(user, stage: str) -> bool:
    return may(user, Action.RECORD_STAGE, stage)


def _work_region(request):
    region = geo.home_region(request.user)
    if region is None or not may(request.user, Action.PROPOSE_EXIT):
        raise forbidden(request, entity="registry.statusevent")
    return region


def _year(request, region) -> int:
    """The year asked for (checked: decision 1140), else the latest year the area has records for, else this one."""
    asked = asked_year(request, posted=True)
    if asked is not None:
        return asked
    recorded = [year for year in figures.years_with_records(region) if year <= this_year()]
    return recorded[-1] if recorded else this_year()


def _default_on(year: int) -> dt.date:
    return min(timezone.localdate(), dt.date(year, 12, 31))


def _back(year: int):
    return redirect(f"{reverse('web:procedures')}?year={year}")


@login_required
def procedures(request):
    user = request.user
    region = _work_region(request)
    year = _year(request, region)
    on = _default_on(year)
    counts = selectors.exit_procedure_counts(user, region=region, year=year)
    sections = []
    for stage in c.STAGE_ORDER[:-1]:  # open procedures wait at every stage but the last
        recording = services.next_stage(stage, c.STAGE_ORDER)
        events = list(selectors.exit_procedures_open(user, region=region, year=year, stage=stage)[:LIST_LIMIT])
        sections.append({
            "stage": stage, "records": recording, "count": counts.get(stage, 0), "events": events,
            "more": counts.get(stage, 0) > len(events), "may_act": owns(user, recording),
            "form": StageForm(initial={"on": on, "year": year, "stage": recording}, stage=recording),
        })
    candidates = figures.exit_candidates(user, region, year)
    record_years = figures.years_with_records(region)
    return render(request, "web/procedures.html", {
        "region": region, "year": year, "years": sorted({year, *record_years}), "record_years": record_years,
        "sections": sections, "open_count": sum(counts.values()), "candidates": candidates[:LIST_LIMIT], "more_candidates": len(candidates) > LIST_LIMIT,
        "may_propose": may(user, Action.PROPOSE_EXIT),
        "propose_form": ProposeForm(initial={"on": on, "year": year}),
    })


@login_required
@require_POST
def procedure_propose(request):
    user = request.user
    region = _work_region(request)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was proposed: %(errors)s") % {"errors": _errors(form)})
        return _back(_year(request, region))
    year = form.cleaned_data["year"]
    eligible = {h.pk for h in figures.exit_candidates(user, region, year)}
    chosen = eligible if form.cleaned_data["all"] else posted_ids(request, "household", entity="registry.household")
    if not chosen <= eligible:
        # A household outside the list (another area's, or not eligible): nothing is proposed.
        raise not_found(request, entity="registry.household", entity_id=",".join(map(str, sorted(chosen - eligible)))[:40])
    if not chosen:
        messages.error(request, _("Choose at least one household."))
        return _back(year)
    try:
        result = services.exit_propose(household_ids=sorted(chosen), year=year, by=user, on=form.cleaned_data["on"],
                                       by_name=form.cleaned_data["by_name"])
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s households proposed to exit poverty.") % {"n": len(result.created)})
    return _back(year)


@login_required
@require_POST
def procedure_advance(request):
    user = request.user
    region = _work_region(request)
    stage = request.POST.get("stage", "")
    if stage not in STAGE_OWNERS:
        raise not_found(request, entity="registry.statusevent", entity_id=stage[:20])
    if not owns(user, stage):
        # Whatever households are named: a stage another office decides reveals nothing about them.
        raise forbidden(request, entity="registry.statusevent", entity_id=stage)
    previous = c.STAGE_ORDER[c.STAGE_ORDER.index(stage) - 1]
    form = StageForm(request.POST, stage=stage)
    year = _year(request, region)
    waiting = selectors.exit_procedures_open(user, region=region, year=year, stage=previous)
    chosen = posted_ids(request, "event", entity="registry.statusevent")
    found = set(waiting.filter(pk__in=chosen).values_list("pk", flat=True))
    if chosen - found:
        raise not_found(request, entity="registry.statusevent", entity_id=",".join(map(str, sorted(chosen - found)))[:40])
    if not form.is_valid():
        messages.error(request, _("Nothing was recorded: %(errors)s") % {"errors": _errors(form)})
        return _back(year)
    ids = list(waiting.values_list("pk", flat=True)) if form.cleaned_data["all"] else sorted(found)
    if not ids:
        messages.error(request, _("Choose at least one household."))
        return _back(year)
    passed = request.POST.get("decision") != "refuse"
    data = form.cleaned_data
    try:
        done = services.exit_advance_many(events=ids, stage=stage, by=user, on=data["on"], passed=passed,
                                          note=data["note"], ends_on=data.get("ends_on"), by_name=data["by_name"])
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        label = str(_stage_label(stage))
        if passed:
            messages.success(request, _("%(stage)s recorded for %(n)s households.") % {"stage": label, "n": len(done)})
        else:
            messages.success(request, _("%(n)s households sent back at %(stage)s.") % {"stage": label, "n": len(done)})
    return _back(year)


def _stage_label(stage: str):
    from ..labels import label

    return label("Stage", stage)


def _errors(form) -> str:
    return "; ".join(f"{form.fields[name].label if name in form.fields else ''} {' '.join(errs)}".strip()
                     for name, errs in form.errors.items())


# --- one procedure: its steps and the objections to its public notice ----------------------------------------

def _event_for(request, pk: int) -> StatusEvent:
    try:
        event = StatusEvent.objects.select_related("household__village").get(pk=pk, kind=c.EventKind.EXITED)
        history = selectors.household_procedure_history(request.user, event.household)
    except (StatusEvent.DoesNotExist, Household.DoesNotExist):
        raise not_found(request, entity="registry.statusevent", entity_id=pk) from None
    event.history = next(e for e in history if e.pk == event.pk)
    return event


@login_required
def procedure_event(request, pk: int):
    event = _event_for(request, pk)
    notice = next((s for s in event.history.steps.all() if s.stage == S.PUBLIC_NOTICE), None)
    may_object = may(request.user, Action.RECORD_OBJECTION) and notice is not None and event.stage == S.PUBLIC_NOTICE
    return render(request, "web/procedure_event.html", {
        "event": event, "household": event.household, "steps": event.history.steps.all(), "notice": notice,
        "may_object": may_object, "may_resolve": may(request.user, Action.RECORD_OBJECTION),
        "objection_form": ObjectionForm(initial={"received_on": timezone.localdate()}),
        "resolve_form": ResolveForm(initial={"on": timezone.localdate()}),
        "crumbs": geo.breadcrumbs(request.user, event.household.village),
    })


@login_required
@require_POST
def objection_record(request, pk: int):
    event = _event_for(request, pk)
    if not may(request.user, Action.RECORD_OBJECTION):
        raise forbidden(request, entity="registry.statusevent", entity_id=pk)
    notice = next((s for s in event.history.steps.all() if s.stage == S.PUBLIC_NOTICE), None)
    form = ObjectionForm(request.POST)
    if notice is None or not form.is_valid():
        messages.error(request, _("Nothing was recorded: %(errors)s") % {"errors": _errors(form) or _("no public notice")})
    else:
        try:
            services.notice_objection_record(step=notice, received_on=form.cleaned_data["received_on"],
                                             content=form.cleaned_data["content"], by=request.user)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Objection recorded. The township review waits until it is resolved."))
    return redirect("web:procedure_event", pk=event.pk)


@login_required
@require_POST
def objection_resolve(request, pk: int, objection_pk: int):
    event = _event_for(request, pk)
    if not may(request.user, Action.RECORD_OBJECTION):
        raise forbidden(request, entity="registry.noticeobjection", entity_id=objection_pk)
    try:
        objection = NoticeObjection.objects.get(pk=objection_pk, step__event=event)
    except NoticeObjection.DoesNotExist:
        raise not_found(request, entity="registry.noticeobjection", entity_id=objection_pk) from None
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was recorded: %(errors)s") % {"errors": _errors(form)})
    else:
        try:
            services.notice_objection_resolve(objection=objection, resolution=form.cleaned_data["resolution"],
                                              on=form.cleaned_data["on"], by=request.user)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Objection resolved."))
    return redirect("web:procedure_event", pk=event.pk)
