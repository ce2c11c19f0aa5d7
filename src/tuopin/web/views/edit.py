"""Edit pages for households, persons and yearly records. The services validate, check the version,
write and audit; these views only find the record in the account's scope and show the outcome."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.registry import selectors, services

from ..access import forbidden, not_found
from ..forms import HouseholdForm, HouseholdYearForm, PersonForm
from .actions import run


def _edit(request, *, pk, find, entity, form_class, service, service_arg, title, household_of,
          action=Action.EDIT_REGISTRY):
    user = request.user
    try:
        record = find(user, pk)
    except ObjectDoesNotExist:
        raise not_found(request, entity=entity, entity_id=pk) from None
    household = household_of(record)
    if not may(user, action, household):
        raise forbidden(request, entity=entity, entity_id=pk)
    form = form_class(request.POST or None, instance=record, user=user)
    if request.method == "POST" and form.is_valid() and run(
            request, lambda: service(**{service_arg: record}, version=form.cleaned_data["version"], by=user,
                                     source="web", **form.service_fields()),
            form=form, entity=entity, entity_id=pk, done=_("Saved.")):
        return redirect("web:household", pk=household.pk)
    return render(request, "web/edit.html", {"form": form, "record": record, "household": household,
                                             "title": title(record)})


@login_required
def household_edit(request, pk: int):
    return _edit(request, pk=pk, find=selectors.household_for, entity="registry.household", form_class=HouseholdForm,
                 service=services.household_update, service_arg="household",
                 title=lambda h: _("Household %(number)s") % {"number": h.number}, household_of=lambda h: h)


@login_required
def person_edit(request, pk: int):
    return _edit(request, pk=pk, find=selectors.person_for, entity="registry.person", form_class=PersonForm,
                 service=services.person_update, service_arg="person",
                 title=lambda p: _("Member %(name)s") % {"name": p.name}, household_of=lambda p: p.household)


@login_required
def household_year_edit(request, pk: int):
    return _edit(request, pk=pk, find=selectors.household_year_for, entity="registry.householdyear",
                 form_class=HouseholdYearForm, service=services.household_year_update, service_arg="record",
                 title=lambda y: _("Year %(year)s record") % {"year": y.year}, household_of=lambda y: y.household,
                 action=Action.EDIT_YEARLY_RECORD)
