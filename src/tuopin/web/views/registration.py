"""The page where the village office (first secretary), a commander or the county office enters a family that is
not in the registry yet and records its application to be identified as poor (decision 1235).

The service (`procedures.registration.household_register`) checks, writes and audits, all or nothing; this view
only parses the forms, puts each refusal next to its field and, on success, opens the new procedure's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.geo.models import Level
from tuopin.apps.procedures.registration import household_register

from ..access import forbidden, not_found
from ..params import asked_year, this_year
from ..registration_forms import ROWS, FamilyForm, member_formset
from .actions import run


def _rows(request) -> int:
    raw = request.GET.get("rows") or request.POST.get("member-TOTAL_FORMS") or ""
    return int(raw[:3]) if raw.isascii() and raw.isdigit() else ROWS


@login_required
def household_register_page(request):
    user = request.user
    if not (may(user, Action.REGISTER_HOUSEHOLD) and may(user, Action.PROPOSE_IDENTIFICATION)):
        raise forbidden(request, entity="registry.household")
    villages = list(regions_visible_to(user).filter(level=Level.VILLAGE).select_related("parent")
                    .order_by("parent__code", "code"))
    if not villages:
        raise forbidden(request, entity="registry.household")
    year = asked_year(request, posted=True) or this_year()
    today = timezone.localdate()
    on = today if year == today.year else None
    data = request.POST if request.method == "POST" else None
    if data is not None and data.get("village", "") not in {str(v.pk) for v in villages}:
        # A village outside the account's area reads as absent, as a household outside it does (404).
        raise not_found(request, entity="geo.region", entity_id=data.get("village", "")[:20])
    form = FamilyForm(data, villages=villages, initial={"year": year, "on": on, "village": str(villages[0].pk),
                                                        "housing_grade": "A"})
    members = member_formset(data, rows=_rows(request))
    if data is not None and form.is_valid() & members.is_valid():
        arguments = form.service_arguments()
        filled = [(i, m) for i, m in enumerate(members.forms) if m.has_changed() or i == 0]
        if not form.errors:
            outcome = run(request, lambda: household_register(by=user, members=[m.values() for _, m in filled],
                                                              source="web", **arguments),
                          form=form, entity="registry.household",
                          place=lambda exc: _place(exc, form, members, [i for i, _ in filled]))
            if outcome:
                done = outcome.value
                messages.success(request, _("Household %(number)s entered with %(n)s members; its application is "
                                            "recorded.") % {"number": done.household.number, "n": len(filled)})
                return redirect("web:procedure_event", pk=done.event.pk)
    return render(request, "web/household_register.html", {
        "form": form, "members": members, "year": year, "more_rows": min(members.total_form_count() + 4, 30),
    })


def _place(exc: ValidationError, form, members, indices: list[int]) -> None:
    """Each refusal next to its field: `members.N.field` on the N-th member sent, the rest on the family form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, reasons in exc.message_dict.items():
        parts = key.split(".")
        if parts[0] == "members" and len(parts) == 3:
            member = members.forms[indices[int(parts[1])]]
            member.add_error(parts[2] if parts[2] in member.fields else None, reasons)
        elif key == "members":
            form.add_error(None, reasons)
        else:
            form.add_error(form.field_for(key), reasons)
