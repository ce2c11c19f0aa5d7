"""Department rosters on the web (倒查正推, decisions 1540–1542): the rosters the account may see with their counts
and an upload form (kinds limited to the account's; a refused file's problems listed, nothing written); a roster's
entries with ID numbers masked unless the account may see them, filtered by how they matched; a kind's template."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.audit.services import audit_event
from tuopin.apps.policy import selectors
from tuopin.apps.policy.models import HOW
from tuopin.apps.policy.review import match_review
from tuopin.apps.policy.roster_import import FIRST_YEAR, roster_import
from tuopin.apps.policy.template import template_bytes
from tuopin.standards.rosters import layouts

from ..access import forbidden, not_found
from .actions import run

ENTITY = "policy.roster"
MAX_BYTES = 20 * 1024 * 1024  # a county's yearly roster is tens of thousands of rows: well under this


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of roster"))
    file = forms.FileField(label=gettext_lazy("Roster (.xlsx or .csv)"))

    def __init__(self, *args, kinds, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        this_year = timezone.localdate().year
        self.fields["year"] = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR,
                                                 max_value=this_year, initial=this_year - 1)
        if units is not None:  # the county office keys in a department's list under that department, or its own
            self.fields["department"] = forms.ModelChoiceField(
                units, required=False, label=gettext_lazy("Department whose roster it is"),
                empty_label=gettext_lazy("(the county office)"))
        self.order_fields(["kind", "year", "department", "file"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s MB: is it the roster?")
                                        % {"limit": MAX_BYTES // (1024 * 1024)})
        return upload


def _upload(request, form: UploadForm):
    upload = form.cleaned_data["file"]
    name = Path(upload.name).name[:100]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("upload" + Path(name).suffix.lower())
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return roster_import(path, kind=form.cleaned_data["kind"], year=form.cleaned_data["year"], by=request.user,
                             department=form.cleaned_data.get("department"), source="web", name=name)


@login_required
def roster_list(request):
    user = request.user
    if not may(user, Action.SEE_ROSTERS):
        raise forbidden(request, entity=ENTITY)
    kinds = selectors.upload_kinds(user)
    units = selectors.departments() if user.role == "county_admin" else None
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds, units=units) if kinds else None
    result = None
    if request.method == "POST":
        if form is None:
            raise forbidden(request, entity=ENTITY)
        if form.is_valid():
            result = _upload(request, form)
            if result.ok:
                o = result.outcome()
                messages.success(request, _("%(rows)s rows written; %(matched)s matched by ID number, %(unmatched)s "
                                            "unmatched.") % {"rows": o["rows"], "matched": o["matched_by_id"],
                                                             "unmatched": o["unmatched"]})
                return redirect("web:roster", result.roster.pk)
    problems = [p.masked(may(user, Action.SEE_ID_NUMBERS)) for p in result.problems] if result else []
    rosters = [(r, selectors.label(r.kind)) for r in selectors.rosters_for(user)]
    return render(request, "web/rosters/list.html", {
        "rosters": rosters, "form": form, "problems": problems, "file": result.file if result else "",
        "kinds": kinds,
    })


@login_required
def roster_detail(request, pk: int):
    user = request.user
    if not may(user, Action.SEE_ROSTERS):
        raise forbidden(request, entity=ENTITY, entity_id=pk)
    roster = selectors.roster_for(user, pk)
    if roster is None:
        raise not_found(request, entity=ENTITY, entity_id=pk)
    how = request.GET.get("how", "")
    how = how if how in selectors.HOWS else ""
    page = Paginator(selectors.entries(user, roster, how), 200).get_page(request.GET.get("page"))
    lay = layouts().get(roster.kind)
    return render(request, "web/rosters/detail.html", {
        "roster": roster, "label": selectors.label(roster.kind), "how": how, "hows": HOW, "page": page,
        "rows": selectors.entry_rows(user, roster, page), "own_columns": [c.name for c in lay.own] if lay else [],
        "query": f"how={how}" if how else "",
        "may_review": may(user, Action.REVIEW_ROSTER_MATCH),
    })


@login_required
def entry_review(request, pk: int, entry: int):
    """Confirm or reject the person the linker proposed for a row (POST from the roster's page, decision 1543)."""
    user = request.user
    if request.method != "POST" or not may(user, Action.REVIEW_ROSTER_MATCH):
        raise forbidden(request, entity="policy.rosterentry", entity_id=entry)
    roster = selectors.roster_for(user, pk)
    row = selectors.entries(user, roster).filter(pk=entry).first() if roster is not None else None
    if row is None:
        raise not_found(request, entity="policy.rosterentry", entity_id=entry)
    decision = request.POST.get("decision", "")
    done = {"confirmed": _("Match confirmed."), "rejected": _("Match rejected.")}.get(decision, "")
    run(request, lambda: match_review(entry=row, by=user, decision=decision), entity="policy.rosterentry",
        entity_id=entry, done=done)
    back = request.POST.get("how", "")
    return redirect(f"{request.path.rsplit('/entries/', 1)[0]}/" + (f"?how={back}" if back in selectors.HOWS else ""))


@login_required
def roster_template(request, kind: str):
    lay = layouts().get(kind)
    if lay is None:
        raise not_found(request, entity=ENTITY, entity_id=kind[:20])
    if not may(request.user, Action.SEE_ROSTERS):
        raise forbidden(request, entity=ENTITY)
    audit_event(actor=request.user, action="export", entity=ENTITY, source="web", summary=f"roster template {kind}")
    response = HttpResponse(template_bytes(kind),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="roster-{kind}-template.xlsx"'
    return response
