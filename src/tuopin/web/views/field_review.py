"""The first secretary's review of the changes a visit's answers propose (decision 1561): the list with what the
registry holds now beside what was proposed, a conflict shown where the registry moved on since; accept writes the
change through the registry's services, reject keeps the reason. Out of scope is 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.fieldwork import services
from tuopin.apps.fieldwork.models import ChangeStatus, ProposedChange
from tuopin.apps.fieldwork.review import registry_values
from tuopin.apps.fieldwork.selectors import changes_for
from tuopin.apps.registry import choices as rc
from tuopin.common.params import BadId, parse_id

from ..access import forbidden, not_found
from .actions import run

PAGE_SIZE = 50
FIELDS = {
    "person_year.school_status": gettext_lazy("schooling"),
    "person_year.basic_medical": gettext_lazy("basic medical insurance"),
    "household_year.renovation": gettext_lazy("house renovation"),
}
STATUSES = {
    ChangeStatus.PENDING: gettext_lazy("pending"),
    ChangeStatus.ACCEPTED: gettext_lazy("accepted"),
    ChangeStatus.REJECTED: gettext_lazy("rejected"),
    ChangeStatus.SUPERSEDED: gettext_lazy("superseded"),
}


def shown(field: str, value) -> str:
    """A registry value as the reviewer reads it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "person_year.school_status":
        return str(rc.SchoolStatus(value).label) if value in rc.SchoolStatus.values else str(value)
    if field == "household_year.renovation" and isinstance(value, dict):
        how = value.get("renovation") or ""
        label = str(rc.Renovation(how).label) if how in rc.Renovation.values else how
        return f"{label} {value.get('renovation_year') or ''}".strip()
    return str(value)


@login_required
def changes(request):
    """GET /field/changes/[?status=pending|all][&household=id]: the proposed changes the account reviews."""
    user = request.user
    if not may(user, Action.REVIEW_PROPOSED_CHANGE):
        raise forbidden(request, entity="fieldwork.proposedchange")
    status = request.GET.get("status") or ChangeStatus.PENDING
    rows = changes_for(user)
    if status in ChangeStatus.values:
        rows = rows.filter(status=status)
    household = None
    if request.GET.get("household"):
        try:
            household = parse_id(request.GET["household"])
        except BadId:
            raise not_found(request, entity="registry.household", entity_id=request.GET["household"]) from None
        rows = rows.filter(household_id=household)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = registry_values(page.object_list)
    items = [{"change": c, "field": FIELDS.get(c.field, c.field), "status": STATUSES.get(c.status, c.status),
              "current": shown(c.field, c.current), "proposed": shown(c.field, c.proposed),
              # What the phone showed is the checklist's yes or no (in school? insured? house safe?).
              "seen": shown("", c.seen),
              "now": shown(c.field, now.get(c.pk)),
              "moved_on": c.status == ChangeStatus.PENDING and now.get(c.pk) != c.current,
              # The rows are those the account reaches (changes_for) and the role reviews (checked above).
              "may_review": c.status == ChangeStatus.PENDING}
             for c in page.object_list]
    return render(request, "web/field_changes.html", {
        "page": page, "items": items, "status": status, "household": household,
        "statuses": [("pending", STATUSES[ChangeStatus.PENDING]), ("all", _("all"))]})


@login_required
@require_POST
def change_review(request, pk: int):
    """POST /field/changes/<id>/ decision=accept|reject, version, note."""
    user = request.user
    try:
        change = changes_for(user).get(pk=pk)
    except ProposedChange.DoesNotExist:
        raise not_found(request, entity="fieldwork.proposedchange", entity_id=pk) from None
    decision, note = request.POST.get("decision"), request.POST.get("note", "")
    try:
        version = parse_id(request.POST.get("version"))
    except BadId:
        version = None
    if decision not in ("accept", "reject") or version is None:
        if not may(user, Action.REVIEW_PROPOSED_CHANGE, change):
            raise forbidden(request, entity="fieldwork.proposedchange", entity_id=pk)
        return render(request, "web/field_changes.html", {"page": None, "items": [], "status": "pending",
                                                          "bad_request": True}, status=400)
    if decision == "accept":
        write = lambda: services.change_accept(change=change, version=version, by=user, note=note)  # noqa: E731
        done = _("The change was accepted and written to the registry.")
    else:
        write = lambda: services.change_reject(change=change, version=version, by=user, note=note)  # noqa: E731
        done = _("The change was rejected.")
    run(request, write, entity="fieldwork.proposedchange", entity_id=pk, done=done)
    return redirect(request.POST.get("back") if request.POST.get("back", "").startswith("/field/changes/")
                    else "web:field_changes")
