"""The county office's page for a year's village figures (村年度信息: rural registered population, households, the
village exit facts), uploaded as the CSV `tuopin regions figures` reads — the same service, all or nothing, every
problem listed with its row, column, value and reason (decision 1236). A template for the year, with the villages
of the county and the figures already held, downloads from the same page."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.audit.services import audit_event
from tuopin.apps.geo import figures as village_figures
from tuopin.apps.geo.figures import FiguresRefused, village_figures_load
from tuopin.apps.geo.models import Level, VillageYear

from ..access import forbidden
from ..forms import YearField
from ..params import asked_year, this_year

MAX_BYTES = 2 * 1024 * 1024  # a county's villages fit in a few kilobytes; anything larger is the wrong file


class FiguresForm(forms.Form):
    year = YearField(label=gettext_lazy("Year"))
    file = forms.FileField(label=gettext_lazy("CSV file (UTF-8)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s MB: is it the village figures?")
                                        % {"limit": MAX_BYTES // (1024 * 1024)})
        return upload


def _allowed(request):
    if not may(request.user, Action.LOAD_VILLAGE_FIGURES):
        raise forbidden(request, entity="geo.villageyear")


@login_required
def village_figures_page(request):
    _allowed(request)
    year = asked_year(request, posted=True) or this_year()
    form = FiguresForm(request.POST or None, request.FILES or None, initial={"year": year})
    problems = []
    if request.method == "POST" and form.is_valid():
        upload, year = form.cleaned_data["file"], form.cleaned_data["year"]
        try:
            counts = village_figures_load(year=year, by=request.user, content=upload.read(),
                                          name=upload.name[:100], source="web")
        except FiguresRefused as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Village figures of %(year)s: %(created)s created, %(updated)s updated, "
                                        "%(unchanged)s unchanged.") % {"year": year, **counts})
            return redirect(f"{reverse('web:village_exits')}?year={year}")
    held = VillageYear.objects.filter(year=year, village__in=_villages(request.user)).count()
    return render(request, "web/village_figures.html", {
        "form": form, "problems": problems, "year": year, "held": held, "villages": _villages(request.user).count(),
        "columns": _columns(),
    })


def _villages(user):
    return regions_visible_to(user).filter(level=Level.VILLAGE)


def _columns() -> list[tuple[str, str]]:
    return [
        (village_figures.CODE, _("the village's 12-digit division code; or give 乡 and 行政村 by name")),
        (village_figures.TOWNSHIP, _("township name (with 行政村, when there is no code)")),
        (village_figures.VILLAGE, _("administrative village name")),
        (village_figures.POPULATION, _("required: rural registered population, persons")),
        (village_figures.HOUSEHOLDS, _("households")),
        *((header, _("是 or 否")) for header in village_figures.FLAGS),
        (village_figures.INCOME, _("village collective income of the year, yuan")),
    ]


@login_required
def village_figures_template(request):
    """The villages of the account's area with the figures held for the year (empty where none): filled in and
    uploaded back."""
    _allowed(request)
    year = asked_year(request) or this_year()
    held = {r.village_id: r for r in VillageYear.objects.filter(year=year, village__in=_villages(request.user))}
    out = io.StringIO()
    writer = csv.writer(out)
    flags = list(village_figures.FLAGS.items())
    writer.writerow([village_figures.CODE, village_figures.TOWNSHIP, village_figures.VILLAGE,
                     village_figures.POPULATION, village_figures.HOUSEHOLDS, *(h for h, _ in flags),
                     village_figures.INCOME])
    for village in _villages(request.user).select_related("parent").order_by("code"):
        r = held.get(village.pk)
        figures = ([r.population, r.households, *("是" if getattr(r, f) else "否" for _, f in flags),
                    f"{r.collective_income_fen / 100:.2f}"] if r else [""] * (3 + len(flags)))
        writer.writerow([village.code, village.parent.name, village.name, *figures])
    audit_event(actor=request.user, action="export", entity="geo.villageyear", source="web",
                summary=f"village figures template of {year}")
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="village-figures-{year}.csv"'
    return response
