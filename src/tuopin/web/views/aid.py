"""Education and medical aid on the web (decisions 1530, 1531): the area's totals by kind, year and township with a
township selector; the import of a department's payment list (all or nothing, every problem listed) and its
template. A household's members' payments show on the household page."""

from __future__ import annotations


from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.aid import selectors
from tuopin.apps.aid.imports import COLUMNS, REQUIRED, aid_import, template_bytes
from tuopin.apps.audit.services import audit_event
from tuopin.apps.geo.models import Level

from ..uploads import saved_upload
from ..access import forbidden
from ..params import asked_year, one_named

ENTITY = "aid.aidpayment"
MAX_BYTES = 20 * 1024 * 1024  # a county's yearly list is a few thousand rows: well under this


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Payment list (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s MB: is it the payment list?")
                                        % {"limit": MAX_BYTES // (1024 * 1024)})
        return upload


@login_required
def aid_county(request):
    user = request.user
    if not may(user, Action.SEE_AID_FIGURES):
        raise forbidden(request, entity=ENTITY)
    townships = list(regions_visible_to(user).filter(level=Level.TOWNSHIP).order_by("code"))
    township = None
    raw = request.GET.get("township")
    if raw:
        township = one_named(request, raw, townships, entity="geo.region")
    year = asked_year(request)
    totals = selectors.totals(user, township=township, year=year)
    rows = [(label, [totals.by_kind_year.get((kind, y), 0) for y in totals.years], totals.by_kind[kind])
            for kind, label in totals.kinds]
    return render(request, "web/aid/county.html", {
        "totals": totals, "rows": rows, "year_totals": [totals.by_year[y] for y in totals.years], "townships": townships, "township": township, "year": year,
        "may_import": may(user, Action.RECORD_AID),
    })


@login_required
def aid_import_page(request):
    user = request.user
    if not may(user, Action.RECORD_AID):
        raise forbidden(request, entity=ENTITY)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        with saved_upload(form.cleaned_data["file"]) as (path, name):
            result = aid_import(path, by=user, source="web", name=name)
        if result.ok:
            messages.success(request, _("%(rows)s payments written, %(total)s yuan in all.")
                             % {"rows": result.written, "total": f"{result.total_fen / 100:,.2f}"})
            return redirect("web:aid")
    problems = [p.masked(may(user, Action.SEE_ID_NUMBERS)) for p in result.problems] if result else []
    return render(request, "web/aid/import.html", {
        "form": form, "problems": problems, "file": result.file if result else "",
        "columns": [(c, c in REQUIRED) for c in COLUMNS],
    })


@login_required
def aid_template(request):
    if not may(request.user, Action.RECORD_AID):
        raise forbidden(request, entity=ENTITY)
    audit_event(actor=request.user, action="export", entity=ENTITY, source="web", summary="aid import template")
    response = HttpResponse(template_bytes(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="aid-payments-template.xlsx"'
    return response
