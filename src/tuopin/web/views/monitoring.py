"""Monitoring after exit (防返贫动态监测) on the web: the case list of the account's area, a case with its stages,
its clock and the stage the account may record next, a clue from the household page, a department's alert, the
village notice (printable) and the public application form (no login). Decisions 1400–1403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import households_visible_to, regions_visible_to
from tuopin.apps.audit.context import client_address
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.monitoring import selectors, services
from tuopin.apps.monitoring.candidates import clues_from_candidates
from tuopin.apps.monitoring.choices import UNDECIDED, Channel, Stage
from tuopin.apps.monitoring.models import MonitoringCase
from tuopin.apps.registry.models import Household

from ..access import forbidden, not_found
from ..params import asked_year, posted_ids
from ..monitoring_forms import AlertForm, ApplicationForm, CaseFilterForm, ClueForm, MeasureForm, StageForm
from .actions import run

ENTITY = "monitoring.monitoringcase"
PAGE_SIZE = 50
# The stage each undecided (or assisted) stage leads to, and the action that records it.
NEXT = {
    Stage.CLUE: (Stage.VILLAGE_REVIEW, Action.REVIEW_MONITORING_CASE),
    Stage.VILLAGE_REVIEW: (Stage.VILLAGE_NOTICE, Action.REVIEW_MONITORING_CASE),
    Stage.VILLAGE_NOTICE: (Stage.TOWNSHIP_APPROVAL, Action.APPROVE_MONITORING_CASE),
    Stage.ASSISTANCE: (Stage.RISK_REMOVED, Action.REMOVE_MONITORING_RISK),
}


def _case(request, pk: int) -> MonitoringCase:
    try:
        return (selectors.cases_for(request.user).select_related("household", "village__parent", "department")
                .get(pk=pk))
    except MonitoringCase.DoesNotExist:
        raise not_found(request, entity=ENTITY, entity_id=pk) from None


@login_required
def case_list(request):
    user = request.user
    if not may(user, Action.SEE_MONITORING):
        raise forbidden(request, entity=ENTITY)
    form = CaseFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    cases = selectors.cases_for(user).select_related("household", "village__parent")
    if chosen.get("stage"):
        cases = cases.filter(stage=chosen["stage"])
    if chosen.get("kind"):
        cases = cases.filter(kind=chosen["kind"])
    today = timezone.localdate()
    if chosen.get("overdue"):
        cases = cases.filter(pk__in=[c.pk for c in cases.filter(stage__in=UNDECIDED)
                                     if selectors.clock(c, today).overdue])
    page = Paginator(cases.order_by("-clue_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, selectors.clock(case, today)) for case in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    # The notices to print: the villages with households on notice now.
    on_notice = selectors.cases_for(user).filter(stage=Stage.VILLAGE_NOTICE).values("village_id")
    villages = Region.objects.filter(pk__in=on_notice).order_by("code") \
        if may(user, Action.REVIEW_MONITORING_CASE) else Region.objects.none()
    return render(request, "web/monitoring/list.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(), "villages": villages,
    })


def _stage_form(case, user):
    """The form of the stage the account may record next, or None."""
    step = NEXT.get(case.stage)
    if step is None or not may(user, step[1], case):
        return None
    return StageForm(initial={"version": case.version, "stage": step[0]})


@login_required
def case_detail(request, pk: int):
    user = request.user
    case = _case(request, pk)
    today = timezone.localdate()
    stage_form = _stage_form(case, user)
    may_measure = case.stage == Stage.ASSISTANCE and may(user, Action.RECORD_MONITORING_MEASURE, case)
    return render(request, "web/monitoring/case.html", {
        "case": case, "steps": case.steps.select_related("by"), "clock": selectors.clock(case, today),
        "stage_form": stage_form, "next_stage": NEXT.get(case.stage, (None,))[0],
        "measures": case.measures.select_related("task__owner_unit", "task__owner_cadre"),
        "measure_form": MeasureForm() if may_measure else None,
        # What would stop a removal today, so that the township sees it before it tries (the engine's reasons).
        "removal_refusals": services.removal_refusals(case, today)
        if stage_form is not None and case.stage == Stage.ASSISTANCE else [],
    })


@login_required
@require_POST
def case_stage(request, pk: int):
    user = request.user
    case = _case(request, pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("web:monitoring_case", pk=pk)
    data = form.cleaned_data
    common = {"case": case, "version": data["version"], "by": user, "on": data["on"], "note": data["note"]}
    passed = data["decision"] != "refuse"
    stage = data["stage"]
    if stage == Stage.VILLAGE_REVIEW:
        household = None
        if (data.get("household") or "").strip():
            household = households_visible_to(user).filter(number=data["household"].strip()).first()
            if household is None:
                messages.error(request, _("No household with this number in your area."))
                return redirect("web:monitoring_case", pk=pk)
        write = lambda: services.case_review(**common, passed=passed, kind=data["kind"],  # noqa: E731
                                             risks=data["risks"] or None, household=household)
    elif stage == Stage.VILLAGE_NOTICE:
        if data.get("ends_on") is None:
            messages.error(request, _("A public notice needs its end date."))
            return redirect("web:monitoring_case", pk=pk)
        write = lambda: services.case_notice(**common, ends_on=data["ends_on"])  # noqa: E731
    elif stage == Stage.TOWNSHIP_APPROVAL:
        write = lambda: services.case_approve(**common, passed=passed)  # noqa: E731
    elif stage == Stage.RISK_REMOVED:
        write = lambda: services.risk_remove(**common)  # noqa: E731
    else:
        raise not_found(request, entity=ENTITY, entity_id=pk)
    run(request, write, entity=ENTITY, entity_id=pk, done=_("Recorded: %(stage)s.") % {"stage": Stage(stage).label})
    return redirect("web:monitoring_case", pk=pk)


@login_required
@require_POST
def case_measure(request, pk: int):
    case = _case(request, pk)
    form = MeasureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        outcome = run(request, lambda: services.measure_record(
            case=case, by=request.user, kind=data["kind"], description=data["description"],
            responsible=data["responsible"], on=data["on"]), entity=ENTITY, entity_id=pk)
        if outcome:
            task = outcome.value.task
            owner = task.owner_unit.name if task.owner_unit_id else task.owner_cadre.name
            messages.success(request, _("Measure recorded and routed to %(owner)s as a task.") % {"owner": owner})
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("web:monitoring_case", pk=pk)


@login_required
def clue_new(request, pk: int):
    """线索登记 from the household page."""
    user = request.user
    try:
        household = households_visible_to(user).select_related("village").get(pk=pk)
    except Household.DoesNotExist:
        raise not_found(request, entity="registry.household", entity_id=pk) from None
    channels = [c for c in Channel.values if may(user, Action.RECORD_MONITORING_CLUE, (c, household))]
    if not channels:
        raise forbidden(request, entity="registry.household", entity_id=pk)
    form = ClueForm(request.POST or None, channels=channels)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run(request, lambda: services.clue_record(
            by=user, household=household, channel=data["channel"], on=data["on"], kind=data["kind"],
            risks=data["risks"], note=data["note"]), form=form, entity=ENTITY, done=_("Clue recorded."))
        if outcome:
            return redirect("web:monitoring_case", pk=outcome.value.pk)
    return render(request, "web/monitoring/clue.html", {"form": form, "household": household},
                  status=400 if request.method == "POST" else 200)


def _villages(user=None):
    qs = regions_visible_to(user) if user is not None else Region.objects.all()
    return list(qs.filter(level=Level.VILLAGE).select_related("parent").order_by("code"))


@login_required
def alert_new(request):
    """部门筛查预警: a department names a resident of its data by ID number; it is not told whether it matched."""
    user = request.user
    if not may(user, Action.RECORD_MONITORING_CLUE, (Channel.DEPARTMENT_ALERT, None)):
        raise forbidden(request, entity=ENTITY)
    villages = _villages(user)
    form = AlertForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        village = next(v for v in villages if v.pk == data["village"])
        outcome = run(request, lambda: services.alert_record(
            by=user, id_number=data["id_number"], village=village, note=data["note"], on=data["on"],
            kind=data["kind"], risks=data["risks"]), form=form, entity=ENTITY,
            done=_("Alert recorded: the village reviews it."))
        if outcome:
            return redirect("web:monitoring_alert")
    return render(request, "web/monitoring/alert.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def notice(request, pk: int):
    """村内公示: the households the village proposes, printable; no identifiers, no health wording (1403)."""
    user = request.user
    village = regions_visible_to(user).filter(pk=pk, level=Level.VILLAGE).select_related("parent").first()
    if village is None:
        raise not_found(request, entity="geo.region", entity_id=pk)
    if not may(user, Action.REVIEW_MONITORING_CASE):
        raise forbidden(request, entity="geo.region", entity_id=pk)
    return render(request, "web/monitoring/notice.html", {
        "village": village, "rows": selectors.notice_rows(village), "today": timezone.localdate()})


# --- the public application form (no login) -------------------------------------------------------------------

def apply(request):
    """农户自主申报: anyone may apply; the answer never says whether the ID number matched a household, and a
    refused form is shown again empty — nothing typed is sent back (decision 1402)."""
    villages = _villages()
    if request.method == "POST":
        if services.throttled(client_address()):
            return render(request, "web/monitoring/apply.html", {"form": ApplicationForm(villages=villages),
                                                                 "throttled": True}, status=429)
        form = ApplicationForm(request.POST, villages=villages)
        if form.is_valid():
            data = form.cleaned_data
            village = next(v for v in villages if v.pk == data["village"])
            outcome = run(request, lambda: services.application_submit(
                name=data["name"], id_number=data["id_number"], village=village, phone=data["phone"],
                description=data["description"], client_address=client_address()), form=form, entity=ENTITY)
            if outcome:
                return redirect("web:monitoring_apply_sent", permanent=False)
        errors = [(form.fields[name].label if name in form.fields else "", list(messages_))
                  for name, messages_ in form.errors.items()]
        return render(request, "web/monitoring/apply.html", {"form": ApplicationForm(villages=villages),
                                                             "errors": errors}, status=400)
    return render(request, "web/monitoring/apply.html", {"form": ApplicationForm(villages=villages)})


def apply_sent(request):
    return render(request, "web/monitoring/apply_sent.html")


@login_required
@require_POST
def village_clues(request, pk: int):
    """The village's ticked 监测预警 candidates recorded as clues at once (decision 1443); back to the village page."""
    user = request.user
    try:
        village = regions_visible_to(user).get(pk=pk, level=Level.VILLAGE)
    except Region.DoesNotExist:
        raise not_found(request, entity="geo.region", entity_id=pk) from None
    year = asked_year(request, posted=True)
    if year is None or not may(user, Action.RECORD_MONITORING_CLUE, (Channel.ENGINE_CANDIDATE, None)):
        raise forbidden(request, entity="geo.region", entity_id=pk)
    ids = sorted(posted_ids(request, "household", entity="registry.household"))
    outcome = run(request, lambda: clues_from_candidates(by=user, household_ids=ids, year=year,
                                                         on=timezone.localdate()), entity=ENTITY)
    if outcome:
        messages.success(request, _("%(n)s clues recorded: the village reviews them next.") % {"n": len(outcome.value)})
    return redirect(f"{reverse('web:region', args=[village.pk])}?year={year}#monitoring-warnings")
