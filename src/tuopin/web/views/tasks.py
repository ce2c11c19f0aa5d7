"""Tasks and visits on the web: the task list with filters, a task with its history and completion, and the
visit form ("1+1", a few taps on a phone). Services validate, write and audit; out of scope is 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.assistance import accountability as acc
from tuopin.apps.assistance import services
from tuopin.apps.assistance.models import Task
from tuopin.apps.assistance.selectors import task_history, visits_for
from tuopin.apps.assistance.visits import FollowUp
from tuopin.apps.geo import selectors as geo
from tuopin.apps.organisation.selectors import responsible_cadres
from tuopin.apps.registry import selectors as registry
from tuopin.apps.registry.models import Household

from ..access import forbidden, not_found
from ..task_forms import CompleteForm, TaskFilterForm, VisitForm
from .actions import fresh, run

PAGE_SIZE = 50


@login_required
def task_list(request):
    user = request.user
    if not may(user, Action.WORK_ON_TASKS):
        raise forbidden(request, entity="assistance.task")
    owners = _owner_choices(user)
    form = TaskFilterForm(request.GET or None, owners=owners)
    filters = form.cleaned_data if form.is_valid() else {}
    tasks = acc.filtered_tasks(user, status=filters.get("status", ""), overdue=filters.get("overdue", False),
                               indicator=filters.get("indicator", ""), owner=filters.get("owner", ""))
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/tasks.html", {"form": form, "page": page, "query": query.urlencode()})


def _owner_choices(user) -> list[tuple[str, str]]:
    """Owners of the account's open tasks, for the owner filter (ids in the value, names shown)."""
    rows = (acc.filtered_tasks(user, status="open").order_by()
            .values_list("owner_unit_id", "owner_unit__name", "owner_cadre_id", "owner_cadre__name").distinct())
    out = {}
    for unit_id, unit, cadre_id, cadre in rows[:500]:
        if unit_id:
            out[f"u{unit_id}"] = unit
        if cadre_id:
            out[f"c{cadre_id}"] = cadre
    return sorted(out.items(), key=lambda kv: kv[1])


@login_required
def task_detail(request, pk: int):
    user = request.user
    try:
        task = acc.task_for(user, pk)
    except Task.DoesNotExist:
        raise not_found(request, entity="assistance.task", entity_id=pk) from None
    return _task_page(request, task, CompleteForm(initial={"version": task.version}))


def _task_page(request, task, form, status=200):
    user = request.user
    return render(request, "web/task.html", {
        "task": task, "history": task_history(task).select_related("by"), "form": form,
        "evidence": task.evidence.select_related("by").order_by("at", "pk"),
        "may_complete": task.status == "open" and may(user, Action.COMPLETE_TASK, task),
        "crumbs": geo.breadcrumbs(user, task.village) if task.village_id and _may_open(user, task.village) else [],
    }, status=status)


def _may_open(user, region) -> bool:
    from tuopin.apps.accounts.scoping import regions_visible_to

    return regions_visible_to(user).filter(pk=region.pk).exists()


@login_required
@require_POST
def task_complete(request, pk: int):
    user = request.user
    try:
        task = acc.task_for(user, pk)
    except Task.DoesNotExist:
        raise not_found(request, entity="assistance.task", entity_id=pk) from None
    if not may(user, Action.COMPLETE_TASK, task):
        raise forbidden(request, entity="assistance.task", entity_id=pk)
    form = CompleteForm(request.POST, request.FILES)
    if form.is_valid():
        outcome = run(request, lambda: services.task_complete(
            task=task, by=user, text=form.cleaned_data["text"], photo=form.cleaned_data.get("photo"),
            version=form.cleaned_data["version"], source="web"), form=form, entity="assistance.task", entity_id=pk,
            done=_("Task completed."))
        if outcome:
            return redirect("web:task", pk=task.pk)
        if outcome.stale:
            form = fresh(CompleteForm, request.POST, outcome.stale, request.FILES)
            if request.FILES:
                form.add_error("photo", _("Attach the photo again: a browser does not keep a chosen file."))
            return _task_page(request, outcome.stale.instance, form, status=409)
    return _task_page(request, task, form, status=400)


@login_required
def visit_record(request, pk: int):
    """走访: GET the short form, POST records the visit (and its follow-up task) through the visits service."""
    user = request.user
    try:
        household = registry.household_for(user, pk)
    except Household.DoesNotExist:
        raise not_found(request, entity="registry.household", entity_id=pk) from None
    if not may(user, Action.RECORD_VISIT, household):
        raise forbidden(request, entity="assistance.visit")
    cadres = [] if user.role == "cadre" else responsible_cadres(household)
    form = VisitForm(request.POST or None, cadres=cadres)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cadre = user.cadre if user.role == "cadre" else next(c for c in cadres if c.pk == data["cadre"])
        follow_ups = [FollowUp(data["follow_up"].strip(), data.get("follow_up_due"))] \
            if data.get("follow_up", "").strip() else []
        if run(request, lambda: services.visit_record(household=household, cadre=cadre, on=data["on"], by=user,
                                                      found=data["found"], done=data["done"],
                                                      follow_ups=follow_ups, source="web"),
               form=form, entity="assistance.visit",
               done=_("Visit recorded.") if not follow_ups else _("Visit recorded, with its follow-up task.")):
            return redirect("web:household", pk=household.pk)
    return render(request, "web/visit.html", {
        "household": household, "form": form, "no_cadre": user.role != "cadre" and not cadres,
        "visits": visits_for(user, household=household)[:10],
        "crumbs": geo.breadcrumbs(user, household.village),
    }, status=400 if request.method == "POST" else 200)
