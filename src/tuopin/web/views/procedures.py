"""Work pages of the household procedures — exit (脱贫), identification (建档立卡 新识别) and return to poverty
(返贫): who has reached which stage, and batch actions.

The services in `procedures/procedure.py` validate, write and audit; these views decide who may act:
each stage belongs to the role that decides it (decisions 0605, 1232), everyone else sees the lists read-only and
gets 403 when posting. Households are always reached through the scoping layer (404 outside it). The three
procedures share these views; `KINDS` names them in URLs and forms.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import STAGE_OWNERS, Action, may
from tuopin.apps.assessment import figures
from tuopin.apps.geo import selectors as geo
from tuopin.apps.registry import choices as c
from tuopin.apps.procedures import objections as objection_service
from tuopin.apps.procedures import procedure as services
from tuopin.apps.procedures import selectors
from tuopin.apps.registry.models import Household, NoticeObjection, StatusEvent

from ..access import forbidden, not_found
from ..forms import IdentificationForm, ObjectionForm, ProposeForm, ResolveForm, ReturnForm, StageForm
from ..form_errors import one_line
from .actions import run
from .objections import objection_posted, resolution_posted
from ..params import asked_year, posted_ids, search_text, this_year

LIST_LIMIT = 300
# URL and form name of each household procedure → its status event kind, its list page and its proposal form.
KINDS = {
    "exit": (c.EventKind.EXITED, "web:procedures", ProposeForm),
    "identification": (c.EventKind.IDENTIFIED, "web:identification_procedures", IdentificationForm),
    "returns": (c.EventKind.RETURNED, "web:return_procedures", ReturnForm),
}
SLUG_OF = {spec[0]: slug for slug, spec in KINDS.items()}


def _kind(request, slug: str | None = None) -> str:
    slug = slug or request.POST.get("kind") or "exit"
    if slug not in KINDS:
        raise not_found(request, entity="registry.statusevent", entity_id=slug[:20])
    return slug


def owns(user, stage: str) -> bool:
    return may(user, Action.RECORD_STAGE, stage)


def _work_region(request, slug: str = "exit"):
    region = geo.home_region(request.user)
    if region is None or not may(request.user, services.PROCEDURES[KINDS[slug][0]].open_action):
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


def _back(year: int, slug: str = "exit"):
    return redirect(f"{reverse(KINDS[slug][1])}?year={year}")


def _candidates(user, region, year: int, slug: str, search: str = ""):
    """The households that may open the procedure, with .head_name: the engine's eligible ones for an exit."""
    if slug == "exit":
        return figures.exit_candidates(user, region, year)
    found = selectors.procedure_candidates(user, region=region, year=year, kind=KINDS[slug][0], search=search)
    # One more than the page shows, so that the page can say there are more (and offer the search).
    ids = list(found.values_list("pk", flat=True)[:LIST_LIMIT + 1])
    return sorted(figures.with_heads(ids).values(), key=lambda h: h.number)


@login_required
def procedures(request, kind: str = "exit"):
    user = request.user
    slug = _kind(request, kind)
    event_kind, _, form_class = KINDS[slug]
    order = services.PROCEDURES[event_kind].order
    region = _work_region(request, slug)
    year = _year(request, region)
    on = _default_on(year)
    counts = selectors.exit_procedure_counts(user, region=region, year=year, kind=event_kind)
    sections = []
    for stage in order[:-1]:  # open procedures wait at every stage but the last
        recording = services.next_stage(stage, order)
        events = list(selectors.exit_procedures_open(user, region=region, year=year, stage=stage,
                                                     kind=event_kind)[:LIST_LIMIT])
        sections.append({
            "stage": stage, "records": recording, "count": counts.get(stage, 0), "events": events,
            "more": counts.get(stage, 0) > len(events), "may_act": owns(user, recording),
            "form": StageForm(initial={"on": on, "year": year, "stage": recording, "kind": slug}, stage=recording),
        })
    search = search_text(request)
    candidates = _candidates(user, region, year, slug, search)
    record_years = figures.years_with_records(region)
    return render(request, "web/procedures.html", {
        "kind": slug, "list_url": KINDS[slug][1], "region": region, "year": year,
        "years": sorted({year, *record_years}), "record_years": record_years, "search": search,
        "sections": sections, "open_count": sum(counts.values()), "candidates": candidates[:LIST_LIMIT],
        "more_candidates": len(candidates) > LIST_LIMIT,
        "may_propose": may(user, services.PROCEDURES[event_kind].open_action),
        "may_register": slug == "identification" and may(user, Action.REGISTER_HOUSEHOLD),
        "propose_form": form_class(initial={"on": on, "year": year, "kind": slug}),
    })


@login_required
@require_POST
def procedure_propose(request):
    user = request.user
    slug = _kind(request)
    region = _work_region(request, slug)
    form = KINDS[slug][2](request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was proposed: %(errors)s") % {"errors": one_line(form)})
        return _back(_year(request, region), slug)
    year, data = form.cleaned_data["year"], form.cleaned_data
    chosen = posted_ids(request, "household", entity="registry.household")
    if slug == "exit":
        eligible = {h.pk for h in figures.exit_candidates(user, region, year)}
    else:
        eligible = set(selectors.procedure_candidates(user, region=region, year=year, kind=KINDS[slug][0])
                       .filter(pk__in=chosen).values_list("pk", flat=True))
    if data.get("all"):
        chosen = eligible
    if not chosen <= eligible:
        # A household outside the list (another area's, or not eligible): nothing is proposed.
        raise not_found(request, entity="registry.household", entity_id=",".join(map(str, sorted(chosen - eligible)))[:40])
    if not chosen:
        messages.error(request, _("Choose at least one household."))
        return _back(year, slug)
    common = {"household_ids": sorted(chosen), "year": year, "by": user, "on": data["on"], "by_name": data["by_name"]}

    def write():
        if slug == "exit":
            return services.exit_propose(**common)
        if slug == "identification":
            return services.identification_apply(**common, note=data["note"])
        return services.return_propose(**common, reason=data["reason"], evidence=data["evidence"])

    outcome = run(request, write, entity="registry.statusevent")
    if outcome:
        result = outcome.value
        done = {"exit": _("%(n)s households proposed to exit poverty."),
                "identification": _("%(n)s applications recorded."),
                "returns": _("%(n)s households proposed as returned to poverty.")}[slug]
        messages.success(request, done % {"n": len(result.created)})
        if result.refused:
            messages.error(request, "; ".join(result.refused.values()))
    return _back(year, slug)


@login_required
@require_POST
def procedure_advance(request):
    user = request.user
    slug = _kind(request)
    event_kind = KINDS[slug][0]
    order = list(services.PROCEDURES[event_kind].order)
    region = _work_region(request, slug)
    stage = request.POST.get("stage", "")
    if stage not in STAGE_OWNERS or stage not in order:
        raise not_found(request, entity="registry.statusevent", entity_id=stage[:20])
    if not owns(user, stage):
        # Whatever households are named: a stage another office decides reveals nothing about them.
        raise forbidden(request, entity="registry.statusevent", entity_id=stage)
    previous = order[order.index(stage) - 1]
    form = StageForm(request.POST, stage=stage)
    year = _year(request, region)
    waiting = selectors.exit_procedures_open(user, region=region, year=year, stage=previous, kind=event_kind)
    chosen = posted_ids(request, "event", entity="registry.statusevent")
    found = set(waiting.filter(pk__in=chosen).values_list("pk", flat=True))
    if chosen - found:
        raise not_found(request, entity="registry.statusevent", entity_id=",".join(map(str, sorted(chosen - found)))[:40])
    if not form.is_valid():
        messages.error(request, _("Nothing was recorded: %(errors)s") % {"errors": one_line(form)})
        return _back(year, slug)
    ids = list(waiting.values_list("pk", flat=True)) if form.cleaned_data["all"] else sorted(found)
    if not ids:
        messages.error(request, _("Choose at least one household."))
        return _back(year, slug)
    passed = request.POST.get("decision") != "refuse"
    data = form.cleaned_data
    outcome = run(request, lambda: services.procedure_advance_many(
        events=ids, stage=stage, by=user, on=data["on"], passed=passed, note=data["note"],
        ends_on=data.get("ends_on"), by_name=data["by_name"], kind=event_kind), entity="registry.statusevent")
    if outcome:
        done = outcome.value
        label = str(_stage_label(stage))
        if passed:
            messages.success(request, _("%(stage)s recorded for %(n)s households.") % {"stage": label, "n": len(done)})
        else:
            messages.success(request, _("%(n)s households sent back at %(stage)s.") % {"stage": label, "n": len(done)})
            if event_kind == c.EventKind.EXITED:  # decision 1237
                messages.info(request, _("A rectification item was opened for each, routed to whoever helps the household."))
    return _back(year, slug)


def _stage_label(stage: str):
    from ..labels import label

    return label("Stage", stage)


# --- one procedure: its steps and the objections to its public notice ----------------------------------------

def _event_for(request, pk: int) -> StatusEvent:
    try:
        event = StatusEvent.objects.select_related("household__village").get(pk=pk, kind__in=list(SLUG_OF))
        history = selectors.household_procedure_history(request.user, event.household)
    except (StatusEvent.DoesNotExist, Household.DoesNotExist):
        raise not_found(request, entity="registry.statusevent", entity_id=pk) from None
    event.history = next(e for e in history if e.pk == event.pk)
    return event


def _notices(event) -> list:
    """The event's notice steps (one, or two for an identification), oldest first."""
    stages = services.PROCEDURES[event.kind].notices
    return [s for s in event.history.steps.all() if s.stage in stages]


def _open_notice(event):
    """The notice the procedure stands at, which takes objections; None between notices."""
    return next((s for s in _notices(event) if s.stage == event.stage), None)


@login_required
def procedure_event(request, pk: int):
    event = _event_for(request, pk)
    notices = _notices(event)
    may_object = may(request.user, Action.RECORD_OBJECTION) and _open_notice(event) is not None
    return render(request, "web/procedure_event.html", {
        "event": event, "household": event.household, "steps": event.history.steps.all(), "notices": notices,
        "kind": SLUG_OF[event.kind], "list_url": KINDS[SLUG_OF[event.kind]][1],
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
    notice = _open_notice(event) or next(iter(_notices(event)), None)
    objection_posted(request, notice=notice, record=objection_service.objection_record)
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
    resolution_posted(request, objection=objection, resolve=objection_service.objection_resolve)
    return redirect("web:procedure_event", pk=event.pk)
