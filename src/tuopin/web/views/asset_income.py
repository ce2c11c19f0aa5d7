"""Asset income (资产收益) pages: the county's list of stations and bases, a station's ledger for a year (monthly
revenue, the plan, payments, the balance) with its forms, and the printable posting (公示). Thin over the revenue
app's selectors and services (decisions 1510–1515)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.audit.services import audit_event
from tuopin.apps.geo import selectors as geo
from tuopin.apps.registry.models import Household, Person
from tuopin.apps.revenue import selectors, services
from tuopin.apps.revenue.choices import PaymentKind
from tuopin.apps.revenue.models import Payment
from tuopin.common.money import yuan_to_fen

from ..access import forbidden, not_found
from ..asset_income_forms import MonthForm, PaymentForm, PlanForm, ReverseForm
from ..params import asked_year
from ..uploads import saved_upload
from .actions import run

ENTITY = "projects.project"
IMPORT_MAX_BYTES = 5 * 1024 * 1024  # a county's stations for a year are a few thousand rows: well under this


def _year(request) -> int:
    return asked_year(request, posted=True) or timezone.localdate().year


def _project(request, pk: int):
    if not may(request.user, Action.SEE_ASSET_INCOME):
        raise forbidden(request, entity=ENTITY, entity_id=pk)
    project = selectors.projects_visible_to(request.user).filter(pk=pk).first()
    if project is None:
        raise not_found(request, entity=ENTITY, entity_id=pk)
    return project


@login_required
def station_list(request):
    """The stations and bases in the account's area with the year's kWh, revenue and payments."""
    if not may(request.user, Action.SEE_ASSET_INCOME):
        raise forbidden(request, entity=ENTITY)
    year = _year(request)
    rows = selectors.station_rows(selectors.projects_visible_to(request.user), year)
    total = {k: sum(r[k] for r in rows) for k in ("kwh", "revenue_fen", "posts_fen", "dividends_fen",
                                                    "public_works_fen", "balance_fen")}
    years = list(range(2016, timezone.localdate().year + 1))
    return render(request, "web/asset_income/list.html", {"rows": rows, "total": total, "year": year,
                                                         "years": years,
                                                         "may_import": may(request.user, Action.RECORD_ASSET_INCOME)})


class GenerationImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Generation workbook (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s MB: is it the generation workbook?")
                                        % {"limit": IMPORT_MAX_BYTES // (1024 * 1024)})
        return upload


@login_required
def generation_import_page(request):
    """The stations' months from a workbook, all or nothing (decision 1612): every problem listed with its file,
    sheet, row, column and reason, or every row written."""
    from tuopin.apps.revenue.imports import COLUMNS, REQUIRED, generation_import

    user = request.user
    if not may(user, Action.RECORD_ASSET_INCOME):
        raise forbidden(request, entity=ENTITY)
    form = GenerationImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        with saved_upload(form.cleaned_data["file"]) as (path, name):
            result = generation_import(path, by=user, source="web", name=name)
        if result.ok:
            messages.success(request, _("%(created)s station months written, %(corrected)s corrected, %(unchanged)s "
                                        "unchanged.") % {"created": result.created,
                                                         "corrected": len(result.corrected),
                                                         "unchanged": result.unchanged})
            for line in result.corrected[:20]:
                messages.info(request, _("Corrected: %(line)s") % {"line": line})
            return redirect("web:asset_income")
    return render(request, "web/asset_income/import.html", {
        "form": form, "result": result, "columns": [(c, c in REQUIRED) for c in COLUMNS],
    })


@login_required
def generation_template(request):
    from tuopin.apps.revenue.imports import template_bytes

    if not may(request.user, Action.RECORD_ASSET_INCOME):
        raise forbidden(request, entity=ENTITY)
    audit_event(actor=request.user, action="export", entity="revenue.income", source="web",
                summary="generation import template")
    response = HttpResponse(template_bytes(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="pv-generation-template.xlsx"'
    return response


@login_required
def station(request, pk: int):
    project = _project(request, pk)
    year = _year(request)
    return render(request, "web/asset_income/station.html", _station_context(request, project, year))


def _station_context(request, project, year: int) -> dict:
    user = request.user
    came_in, paid = services.totals(project)
    row = selectors.station_rows(type(project).objects.filter(pk=project.pk), year)[0]
    plan = selectors.plan_of(project, year)
    months = selectors.months(project, year)
    for m in months:
        inc = m["income"]
        m["form"] = MonthForm(initial={"month": m["month"], "version": inc.version if inc else None,
                                       "kwh": inc.kwh if inc else None,
                                       "amount": inc.amount_fen / 100 if inc and project.kind != "pv" else None},
                              prefix=f"m{m['month']}")
    village = project.villages.order_by("code").first()
    years = sorted(set(selectors.years_of(project)) | {year, timezone.localdate().year})
    members = Paginator(selectors.members(project, year), 100).get_page(request.GET.get("page")) \
        if project.kind == "livestock" else None
    return {
        "project": project, "year": year, "years": years, "row": row, "plan": plan, "months": months,
        "payments": Paginator(selectors.payments(project, year), 200).get_page(request.GET.get("pp")), "income_fen": came_in, "paid_fen": paid,
        "balance_fen": came_in - paid, "available_fen": services.available(project, year),
        "crumbs": geo.breadcrumbs(user, village) if village else [],
        "may_record": may(user, Action.RECORD_ASSET_INCOME, project),
        "plan_form": PlanForm(initial={"version": plan.version if plan else None,
                                       **({k: getattr(plan, k) for k in ("posts_pct", "public_works_pct",
                                                                         "dividends_pct", "reserve_pct")}
                                          if plan else {})}),
        "payment_form": PaymentForm(), "kinds": PaymentKind, "members": members,
    }


def _back(project, year: int):
    return redirect(f"{reverse('web:asset_income_station', args=[project.pk])}?year={year}")


@login_required
@require_POST
def income(request, pk: int):
    project = _project(request, pk)
    year = _year(request)
    month = request.POST.get("month", "")
    form = MonthForm(request.POST, prefix=f"m{month}" if month.isdigit() else None)
    if form.is_valid():
        d = form.cleaned_data
        amount = yuan_to_fen(d["amount"]) if d.get("amount") is not None else None
        run(request, lambda: services.income_record(project=project, year=year, month=d["month"], kwh=d["kwh"],
                                                    amount_fen=amount, version=d["version"], by=request.user),
            entity=ENTITY, entity_id=pk, done=_("Income recorded."))
    else:
        messages.error(request, _("Enter the month's generation in whole kWh."))
    return _back(project, year)


@login_required
@require_POST
def plan(request, pk: int):
    project = _project(request, pk)
    year = _year(request)
    form = PlanForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        run(request, lambda: services.plan_set(
            project=project, year=year, posts_pct=d["posts_pct"], public_works_pct=d["public_works_pct"],
            dividends_pct=d["dividends_pct"], reserve_pct=d["reserve_pct"], approved_on=d["approved_on"],
            version=d["version"], by=request.user), entity=ENTITY, entity_id=pk, done=_("Plan saved."))
    return _back(project, year)


@login_required
@require_POST
def payment(request, pk: int):
    project = _project(request, pk)
    year = _year(request)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return _back(project, year)
    d = form.cleaned_data
    number = d["number"].strip()
    person = household = None
    if d["kind"] == PaymentKind.POST:
        person = Person.objects.filter(number=number, household__village__in=project.villages.all()).first()
        if person is None:
            messages.error(request, _("No person numbered %(number)s in the project's villages.") % {"number": number})
            return _back(project, year)
    elif d["kind"] == PaymentKind.DIVIDEND:
        household = Household.objects.filter(number=number, village__in=project.villages.all()).first()
        if household is None:
            messages.error(request, _("No household numbered %(number)s in the project's villages.")
                           % {"number": number})
            return _back(project, year)
    amount = yuan_to_fen(d["amount"]) if d.get("amount") is not None else None
    wage = yuan_to_fen(d["monthly_wage"]) if d.get("monthly_wage") is not None else 0
    run(request, lambda: services.payment_record(
        project=project, year=year, kind=d["kind"], paid_on=d["paid_on"], household=household, person=person,
        amount_fen=amount, months=d["months"] or 0, monthly_wage_fen=wage, post=d["post"], by=request.user),
        entity=ENTITY, entity_id=pk, done=_("Payment recorded."))
    return _back(project, year)


@login_required
@require_POST
def reverse_payment(request, pk: int, payment_pk: int):
    project = _project(request, pk)
    found = Payment.objects.filter(pk=payment_pk, project=project).first()
    if found is None:
        raise not_found(request, entity="revenue.payment", entity_id=payment_pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        run(request, lambda: services.payment_reverse(payment=found, version=form.cleaned_data["version"],
                                                      reason=form.cleaned_data["reason"], on=timezone.localdate(),
                                                      by=request.user),
            entity=ENTITY, entity_id=pk, done=_("Payment reversed."))
    return _back(project, found.year)


@login_required
def posting(request, pk: int):
    """公示: the year's payments, names masked, no identifiers; printable (decision 1515)."""
    project = _project(request, pk)
    year = _year(request)
    row = selectors.station_rows(type(project).objects.filter(pk=project.pk), year)[0]
    return render(request, "web/asset_income/posting.html", {
        "project": project, "year": year, "row": row, "plan": selectors.plan_of(project, year),
        "rows": selectors.posting_rows(project, year), "today": timezone.localdate()})

