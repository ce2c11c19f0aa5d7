"""Housing renovation (危房改造) on the web: the list of the account's area by stage with the overdue ones and the
figures per area and year, a renovation with its stages, the option comparison for its house and the form of the
stage the account may record next, and the inspection that opens one from the household page (decisions
1521, 1522)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import HOUSING_STAGE_OWNERS, Action, may
from tuopin.apps.accounts.scoping import housing_households_visible_to, regions_visible_to
from tuopin.apps.geo import selectors as geo
from tuopin.apps.housing import figures, options, selectors, services
from tuopin.apps.housing.choices import ORDER, Stage
from tuopin.apps.housing.models import HouseRenovation
from tuopin.apps.registry.models import Household


from ..access import forbidden, not_found
from ..housing_forms import STAGE_FORMS, InspectionForm, ListFilterForm
from ..params import asked_year
from .actions import run

ENTITY = "housing.houserenovation"
PAGE_SIZE = 50
# The stage each stage leads to.
NEXT = {ORDER[i]: ORDER[i + 1] for i in range(len(ORDER) - 1)}


def _code(renovation_or_region) -> str:
    region = getattr(renovation_or_region, "household", None)
    return (region.township.code if region is not None else renovation_or_region.code)[:6]


def _area(request):
    """The area the list covers: ?region= among the account's regions, else the account's own."""
    regions = regions_visible_to(request.user)
    asked = request.GET.get("region", "")
    if asked.isdigit():
        found = regions.filter(pk=int(asked)).first()
        if found is not None:
            return found
    return request.user.region


@login_required
def renovation_list(request):
    user = request.user
    if user.region is None or not may(user, Action.SEE_HOUSING, user.region):
        raise forbidden(request, entity=ENTITY)
    region, today = _area(request), timezone.localdate()
    years = sorted(set(HouseRenovation.objects.dates("inspected_on", "year").values_list("inspected_on__year",
                                                                                        flat=True)))
    year = asked_year(request)
    year = year if year is not None else (years[-1] if years else None)
    form = ListFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    rows = selectors.renovations_for(user).filter(figures.area_filter(region))
    if year is not None:
        rows = rows.filter(inspected_on__year=year)
    if chosen.get("stage"):
        rows = rows.filter(stage=chosen["stage"])
    if chosen.get("overdue"):
        rows = rows.filter(selectors.overdue_q(today, code=_code(region)))
    page = Paginator(rows.select_related("household__village").order_by("-inspected_on", "-pk"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = set(rows.filter(selectors.overdue_q(today, code=_code(region)), pk__in=[r.pk for r in page])
                  .values_list("pk", flat=True))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/housing/list.html", {
        "region": region, "crumbs": geo.breadcrumbs(user, region), "year": year, "years": years, "form": form,
        "page": page, "overdue": overdue,
        "query": query.urlencode(), "figures": figures.summary(region, year, today=today), "stages": Stage,
        "may_inspect": user.role in HOUSING_STAGE_OWNERS[Stage.INSPECTED],
    })


@login_required
def renovation_find(request):
    """A house to inspect, found by its household's number (户编号): the way in for the housing department,
    which opens no household page (decision 1611); the others may come here or from the household page."""
    user = request.user
    if user.region is None or not may(user, Action.SEE_HOUSING, user.region):
        raise forbidden(request, entity=ENTITY)
    number = request.GET.get("number", "").strip()[:24]
    household = (housing_households_visible_to(user).filter(number=number).first()
                 if number and number.isprintable() else None)
    if household is None:
        messages.error(request, _("No household numbered %(number)s in your area.") % {"number": number or "—"})
        return redirect("web:housing")
    return redirect("web:housing_new", pk=household.pk)


def _renovation(request, pk: int) -> HouseRenovation:
    user = request.user
    if user.region is None or not may(user, Action.SEE_HOUSING, user.region):
        raise forbidden(request, entity=ENTITY, entity_id=pk)
    try:
        return (selectors.renovations_for(request.user).select_related("household__village__parent",
                                                                        "household__township").get(pk=pk))
    except HouseRenovation.DoesNotExist:
        raise not_found(request, entity=ENTITY, entity_id=pk) from None


def _next_form(renovation: HouseRenovation, user):
    """(stage, form) the account may record next, or (None, None)."""
    stage = NEXT.get(Stage(renovation.stage))
    if renovation.stage == Stage.OPTION_CHOSEN and may(user, Action.RECORD_HOUSING_STAGE,
                                                       (Stage.OPTION_CHOSEN, renovation.household)) and \
            not may(user, Action.RECORD_HOUSING_STAGE, (Stage.APPROVED, renovation.household)):
        stage = Stage.OPTION_CHOSEN  # the option may be chosen again until the county approves it
    if stage is None or not may(user, Action.RECORD_HOUSING_STAGE, (stage, renovation.household)):
        return None, None
    initial = {"version": renovation.version}
    if stage == Stage.OPTION_CHOSEN and renovation.option:
        initial["option"] = renovation.option
    return stage, STAGE_FORMS[stage](initial=initial)


def _detail(request, renovation: HouseRenovation, *, stage=None, form=None):
    code = _code(renovation)
    compared = options.compare(grade=renovation.grade, floor_area_m2=renovation.floor_area_m2,
                               members=renovation.members, code=code)
    if form is None:
        stage, form = _next_form(renovation, request.user)
    return render(request, "web/housing/detail.html", {
        "renovation": renovation, "household": renovation.household, "options": compared,
        "proposed": options.proposed(compared), "subsidy": options.subsidy_entry(renovation.grade, code=code),
        "due_on": selectors.due_on(renovation, code=code), "today": timezone.localdate(),
        "next_stage": Stage(stage) if stage else None, "form": form, "reached": ORDER.index(renovation.stage),
        "order": [Stage(s) for s in ORDER],
    })


@login_required
def renovation_detail(request, pk: int):
    return _detail(request, _renovation(request, pk))


@login_required
@require_POST
def renovation_stage(request, pk: int, stage: str):
    renovation = _renovation(request, pk)
    if stage not in STAGE_FORMS:
        raise not_found(request, entity=ENTITY, entity_id=pk)
    form = STAGE_FORMS[Stage(stage)](request.POST)
    if not form.is_valid():
        return _detail(request, renovation, stage=stage, form=form)
    data = form.cleaned_data
    common = {"renovation": renovation, "version": data["version"], "on": data["on"], "by": request.user}
    writes = {
        Stage.OPTION_CHOSEN: lambda: services.renovation_choose(**common, option=data["option"]),
        Stage.APPROVED: lambda: services.renovation_approve(**common, approved_by_name=data["approved_by_name"]),
        Stage.WORKS: lambda: services.renovation_start(**common, contractor=data["contractor"]),
        Stage.ACCEPTED: lambda: services.renovation_accept(
            **common, accepted_by_name=data["accepted_by_name"], cost_fen=form.cost_fen(),
            passed=request.POST.get("decision") != "fail", note=data["note"]),
        Stage.SAFE: lambda: services.renovation_reinspect(**common, grade=data["grade"],
                                                          inspector=data["inspector"]),
    }
    done = run(request, writes[Stage(stage)], form=form, entity=ENTITY, entity_id=pk,
               done=_("Recorded: %(stage)s.") % {"stage": Stage(stage).label})
    if not done:
        return _detail(request, renovation, stage=stage, form=form)
    return redirect("web:housing_renovation", pk=pk)


@login_required
def renovation_new(request, pk: int):
    """鉴定 from the household page: the inspection that opens a renovation."""
    household = housing_households_visible_to(request.user).filter(pk=pk).first()
    if household is None:
        raise not_found(request, entity="registry.household", entity_id=pk)
    if not may(request.user, Action.RECORD_HOUSING_STAGE, (Stage.INSPECTED, household)):
        raise forbidden(request, entity="registry.household", entity_id=pk)
    form = InspectionForm(request.POST or None, initial={"floor_area_m2": household.housing_area_m2 or None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run(request, lambda: services.renovation_inspect(
            household=household, grade=data["grade"], on=data["on"], inspector=data["inspector"],
            agency=data["agency"], floor_area_m2=data["floor_area_m2"], by=request.user),
            form=form, entity="registry.household", entity_id=pk, done=_("Recorded: %(stage)s.") % {
                "stage": Stage.INSPECTED.label})
        if done:
            return redirect("web:housing_renovation", pk=done.value.pk)
    return render(request, "web/housing/new.html", {"household": household, "form": form})


def household_renovations(user, household: Household) -> dict:
    """The household page's section: its renovations and whether the account may open one."""
    if not may(user, Action.SEE_HOUSING, household):
        return {"renovations": None}
    return {"renovations": list(selectors.renovations_for(user).filter(household=household)[:5]),
            "may_inspect": may(user, Action.RECORD_HOUSING_STAGE, (Stage.INSPECTED, household))}
