"""Objections to a public notice (公示异议), posted from a household procedure's page or an area exit's: one form
handling for both. The services record and resolve (`procedures/objections.py` behind both); these only read the
form, call the service and say what happened."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.utils.translation import gettext as _

from ..form_errors import one_line
from ..forms import ObjectionForm, ResolveForm
from .actions import run


def objection_posted(request, *, notice, record: Callable) -> None:
    """Record the posted objection against `notice` (the open notice step, or None) with `record(step=…,
    received_on=…, content=…, by=…)`."""
    form = ObjectionForm(request.POST)
    if notice is None or not form.is_valid():
        messages.error(request, _("Nothing was recorded: %(errors)s")
                       % {"errors": one_line(form) or _("no public notice")})
        return
    run(request, lambda: record(step=notice, received_on=form.cleaned_data["received_on"],
                                content=form.cleaned_data["content"], by=request.user),
        entity=notice._meta.label_lower, entity_id=notice.pk,
        done=_("Objection recorded. The next stage waits until it is resolved."))


def resolution_posted(request, *, objection, resolve: Callable) -> None:
    """Resolve `objection` with the posted resolution: `resolve(objection=…, resolution=…, on=…, by=…)`."""
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was recorded: %(errors)s") % {"errors": one_line(form)})
        return
    run(request, lambda: resolve(objection=objection, resolution=form.cleaned_data["resolution"],
                                 on=form.cleaned_data["on"], by=request.user),
        entity=objection._meta.label_lower, entity_id=objection.pk, done=_("Objection resolved."))

