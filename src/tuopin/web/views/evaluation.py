"""The evaluation round (第三方评估) on the web: rounds of the account's county, drawing a sample, the sample with
each household's finding, the survey (群众认可度), 三率一度 with intervals, and the masked xlsx (decision 1240).

Out-of-reach rounds are 404; a role that may read but not record (the county office) sees no forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin import standards
from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.evaluation import services
from tuopin.apps.evaluation.export import round_xlsx
from tuopin.apps.evaluation.models import EvaluationRound, SampledHousehold
from tuopin.apps.evaluation.selectors import round_for, rounds_visible_to, samples_of, with_progress
from tuopin.apps.geo.models import Region

from ..access import forbidden, not_found
from ..evaluation_forms import FindingForm, RoundForm, SampleFilterForm, SurveyForm
from .actions import fresh, run

PAGE_SIZE = 50
ENTITY = "evaluation.evaluationround"


@login_required
def evaluation_list(request):
    user = request.user
    if not may(user, Action.SEE_EVALUATION):
        raise forbidden(request, entity=ENTITY)
    county = Region.objects.filter(pk=user.region_id).first()
    may_draw = county is not None and may(user, Action.DRAW_EVALUATION, county)
    form = RoundForm(request.POST or None) if may_draw else None
    if request.method == "POST":
        if not may_draw:
            raise forbidden(request, entity=ENTITY)
        if form.is_valid():
            data = form.cleaned_data
            outcome = run(request, lambda: services.evaluation_round_create(
                county=county, data_year=data["data_year"], held_in=data["held_in"], name=data["name"], by=user,
                seed=data["seed"]), form=form, entity=ENTITY)
            if outcome:
                round_ = outcome.value
                messages.success(request, _("Sample drawn: %(households)s households in %(villages)s villages.") % {
                    "households": round_.households.count(), "villages": round_.villages.count()})
                return redirect("web:evaluation_round", pk=round_.pk)
    rounds = with_progress(rounds_visible_to(user)).select_related("created_by").order_by("-held_in", "-pk")
    return render(request, "web/evaluation_list.html", {
        "rounds": rounds, "form": form, "county": county,
        "sizes": services.sample_sizes(county) if county else None,
    }, status=400 if request.method == "POST" else 200)


def _round(request, pk: int) -> EvaluationRound:
    try:
        return round_for(request.user, pk)
    except EvaluationRound.DoesNotExist:
        raise not_found(request, entity=ENTITY, entity_id=pk) from None


@login_required
def evaluation_round(request, pk: int):
    return _round_page(request, _round(request, pk))


def _round_page(request, round_, *, survey_form=None, failed_sample=None, status=200):
    user = request.user
    may_record = may(user, Action.RECORD_EVALUATION, round_)
    villages = [v.village for v in round_.villages.select_related("village").order_by("village__code")]
    filters = SampleFilterForm(request.GET or None, villages=villages)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    samples = samples_of(round_, village_id=chosen.get("village"), pending_only=chosen.get("pending", False))
    page = Paginator(samples, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for sample in page.object_list:
        if failed_sample is not None and failed_sample[0].pk == sample.pk:
            rows.append((sample, failed_sample[1]))
        elif may_record:
            rows.append((sample, FindingForm(kind=sample.kind, prefix=f"s{sample.pk}",
                                             initial={"finding": sample.finding or sample.suggested or "ok",
                                                      "note": sample.note, "version": sample.version})))
        else:
            rows.append((sample, None))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/evaluation_round.html", {
        "round": round_, "result": services.county_exit_result(round_), "rows": rows, "page": page,
        "filters": filters, "query": query.urlencode(), "may_record": may_record,
        "thresholds": standards.load(round_.county.code).section("county_exit"),
        "survey_form": survey_form or (SurveyForm(initial={"surveyed": round_.surveyed_households,
                                                           "approving": round_.approving_households,
                                                           "version": round_.version})
                                       if may_record else None),
    }, status=status)


@login_required
@require_POST
def evaluation_finding(request, pk: int, sample_pk: int):
    round_ = _round(request, pk)
    if not may(request.user, Action.RECORD_EVALUATION, round_):
        raise forbidden(request, entity="evaluation.sampledhousehold", entity_id=sample_pk)
    try:
        sample = round_.households.select_related("household", "round").get(pk=sample_pk)
    except SampledHousehold.DoesNotExist:
        raise not_found(request, entity="evaluation.sampledhousehold", entity_id=sample_pk) from None
    form = FindingForm(request.POST, kind=sample.kind, prefix=f"s{sample.pk}")
    if form.is_valid():
        data = form.cleaned_data
        outcome = run(request, lambda: services.sample_finding_record(
            sample=sample, finding=data["finding"], note=data["note"], on=data["on"], by=request.user,
            version=data["version"]), form=form, entity="evaluation.sampledhousehold", entity_id=sample_pk,
            done=_("Finding recorded for household %(number)s.") % {"number": sample.household.number})
        if outcome:
            return redirect(_back(request, round_))
        if outcome.stale:
            form = fresh(FindingForm, request.POST, outcome.stale, kind=sample.kind, prefix=f"s{sample.pk}")
            return _round_page(request, round_, failed_sample=(outcome.stale.instance, form), status=409)
    return _round_page(request, round_, failed_sample=(sample, form), status=400)


def _back(request, round_) -> str:
    """Back to the same page of the sample (the filters and page number travel in the form's action)."""
    from django.urls import reverse

    query = request.GET.urlencode()
    return reverse("web:evaluation_round", args=[round_.pk]) + (f"?{query}" if query else "") + "#sample"


@login_required
@require_POST
def evaluation_survey(request, pk: int):
    round_ = _round(request, pk)
    if not may(request.user, Action.RECORD_EVALUATION, round_):
        raise forbidden(request, entity=ENTITY, entity_id=pk)
    form = SurveyForm(request.POST)
    if form.is_valid():
        outcome = run(request, lambda: services.round_survey_record(
            round_=round_, surveyed=form.cleaned_data["surveyed"], approving=form.cleaned_data["approving"],
            by=request.user, version=form.cleaned_data["version"]), form=form, entity=ENTITY, entity_id=pk,
            done=_("Survey recorded."))
        if outcome:
            return redirect("web:evaluation_round", pk=round_.pk)
        if outcome.stale:
            form = fresh(SurveyForm, request.POST, outcome.stale)
            return _round_page(request, outcome.stale.instance, survey_form=form, status=409)
    return _round_page(request, round_, survey_form=form, status=400)


@login_required
def evaluation_export(request, pk: int):
    round_ = _round(request, pk)
    try:
        content = round_xlsx(round_, by=request.user)
    except PermissionDenied:
        raise forbidden(request, entity=ENTITY, entity_id=pk) from None
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="evaluation-{round_.pk}-sample.xlsx"'
    return response
