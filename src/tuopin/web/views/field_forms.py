"""The visit and household-survey forms for ODK and KoboToolbox (decisions 1570, 1571): the XLSForm to download,
and the upload of a server's export of their submissions, all or nothing, every problem listed with its file,
row, member row and field. Any role that records visits may do both; the services check each household."""

from __future__ import annotations

from contextlib import ExitStack

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.audit.services import audit_event
from tuopin.apps.fieldwork import xlsform
from tuopin.apps.fieldwork.submissions import forms_import
from tuopin.apps.files.import_lock import ImportBusy

from ..access import forbidden
from ..uploads import saved_upload

ENTITY = "assistance.visit"
MAX_BYTES = 50 * 1024 * 1024  # a team's season of visits is a few megabytes; photos are not in an export
MAX_FILES = 5  # ODK Central's CSV export: the main file and one file per repeat group


class _Files(forms.ClearableFileInput):
    allow_multiple_selected = True


class _FilesField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _Files())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        return [one(d, initial) for d in data] if isinstance(data, (list, tuple)) else [one(data, initial)]


class ImportForm(forms.Form):
    form = forms.ChoiceField(label=gettext_lazy("Form"), choices=[
        ("visit", gettext_lazy("Assistance visit")), ("household", gettext_lazy("Household survey"))])
    files = _FilesField(label=gettext_lazy("Export of the submissions (.json, .xlsx, or the .csv files)"))

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(_("At most %(n)s files at once.") % {"n": MAX_FILES})
        if sum(u.size for u in uploads) > MAX_BYTES:
            raise forms.ValidationError(_("The files are larger than %(limit)s MB: are they an export of "
                                          "submissions?") % {"limit": MAX_BYTES // (1024 * 1024)})
        return uploads


@login_required
def form_xlsx(request, form: str):
    if not may(request.user, Action.RECORD_VISIT):
        raise forbidden(request, entity=ENTITY)
    content = xlsform.workbook(form)
    audit_event(actor=request.user, action="export", entity=ENTITY, source="web", summary=f"XLSForm {form}")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="tuopin-{form}-xlsform.xlsx"'
    return response


@login_required
def forms_import_page(request):
    user = request.user
    if not may(user, Action.RECORD_VISIT):
        raise forbidden(request, entity=ENTITY)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        with ExitStack() as stack:
            saved = [stack.enter_context(saved_upload(f)) for f in form.cleaned_data["files"]]
            try:
                result = forms_import([path for path, _name in saved], form=form.cleaned_data["form"], by=user,
                                      source="web", names=[name for _path, name in saved])
            except ImportBusy as exc:
                form.add_error(None, str(exc))
        if result is not None and result.ok:
            messages.success(request, _("%(file)s: %(stored)s stored, %(duplicates)s already stored, %(proposals)s "
                                        "proposed changes, %(conflicts)s conflicts") % result.counts())
            return redirect("web:field_forms_import")
    problems = [p.masked(may(user, Action.SEE_ID_NUMBERS)) for p in result.problems] if result else []
    return render(request, "web/field_forms/import.html", {
        "form": form, "problems": problems, "file": result.file if result else "", "forms": xlsform.FORMS})
