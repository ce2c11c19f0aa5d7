"""Rectification items (问题整改) on the web: the list by source and status, one made by hand, the four-not-removes
check turned into items, and reopening one that was not really put right (decision 1241). The items themselves are
tasks: their owners see and complete them on /tasks/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import households_visible_to, regions_visible_to, tasks_visible_to
from tuopin.apps.assistance import rectification as services
from tuopin.apps.assistance.models import RectificationSource, Task, TaskStatus
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.monitoring.four_not_removes import four_not_removes_rectify

from ..access import forbidden, not_found
from ..evaluation_forms import RectificationFilterForm, RectificationForm, ReopenForm
from .actions import run

PAGE_SIZE = 50
ENTITY = "assistance.task"


def _items(user):
    return tasks_visible_to(user).filter(kind=services.KIND)


def _may(user) -> bool:
    return may(user, Action.MANAGE_RECTIFICATION)


@login_required
def rectification_list(request):
    user = request.user
    if not _may(user):
        raise forbidden(request, entity=ENTITY)
    form = RectificationFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    items = _items(user)
    counts = {(row["rectification__source"] or "", row["status"]): row["n"]
              for row in items.values("rectification__source", "status").annotate(n=Count("pk")).order_by()}
    if chosen.get("source"):
        items = items.filter(rectification__source=chosen["source"])
    if chosen.get("status"):
        items = items.filter(status=chosen["status"])
    items = items.select_related("household", "village", "owner_unit", "owner_cadre", "rectification").order_by(
        "status", "due", "pk")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    table = [(label, [counts.get((source, status), 0) for status in TaskStatus.values],
              sum(counts.get((source, status), 0) for status in TaskStatus.values))
             for source, label in [*RectificationSource.choices, ("", _("Other (made as a plain task)"))]]
    return render(request, "web/rectification_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "statuses": TaskStatus.choices, "table": table,
        "scope": Region.objects.filter(pk=user.region_id).first(),
    })


def _villages(user):
    return regions_visible_to(user).filter(level=Level.VILLAGE).order_by("code")


@login_required
def rectification_new(request):
    user = request.user
    if not _may(user):
        raise forbidden(request, entity=ENTITY)
    villages = list(_villages(user))
    form = RectificationForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = village = None
        number = (data.get("household") or "").strip()
        if number:
            household = households_visible_to(user).filter(number=number).select_related("village").first()
            if household is None:
                form.add_error("household", _("No household with this number in your area."))
        else:
            village = next((v for v in villages if v.pk == data["village"]), None)
        if not form.errors:
            outcome = run(request, lambda: services.rectification_create(
                title=data["title"], detail=data["detail"], due=data["due"], household=household, village=village,
                by=user), form=form, entity=ENTITY)
            if outcome:
                task = outcome.value
                owner = task.owner_unit.name if task.owner_unit_id else task.owner_cadre.name
                messages.success(request, _("Rectification item made and routed to %(owner)s.") % {"owner": owner})
                return redirect("web:task", pk=task.pk)
    return render(request, "web/rectification_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def rectification_check(request):
    user = request.user
    scope = Region.objects.filter(pk=user.region_id).first()
    if not _may(user) or scope is None:
        raise forbidden(request, entity=ENTITY)
    outcome = run(request, lambda: four_not_removes_rectify(account=user), entity=ENTITY)
    if outcome:
        messages.success(request, _("Four-not-removes check: %(flags)s findings, %(created)s new rectification "
                                    "items, %(already)s already made.") % outcome.value)
    return redirect("web:rectification_list")


@login_required
@require_POST
def rectification_reopen(request, pk: int):
    user = request.user
    try:
        task = _items(user).get(pk=pk)
    except Task.DoesNotExist:
        raise not_found(request, entity=ENTITY, entity_id=pk) from None
    if not _may(user):
        raise forbidden(request, entity=ENTITY, entity_id=pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        run(request, lambda: services.rectification_reopen(task=task, by=user, note=form.cleaned_data["note"],
                                                           due=form.cleaned_data["due"],
                                                           version=form.cleaned_data["version"]),
            entity=ENTITY, entity_id=pk, done=_("Rectification item reopened."))
    else:
        messages.error(request, _("Say why the item is reopened."))
    return redirect("web:rectification_list")
