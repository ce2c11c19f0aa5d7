"""Forms of the asset-income pages (资产收益): a month's generation, the plan, a payment, a reversal. They check
shapes only; the ledger's services decide (decisions 1510–1513)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.apps.revenue.choices import PaymentKind


def _date(**kw):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


class MonthForm(forms.Form):  # 发电量
    month = forms.IntegerField(min_value=0, max_value=12, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kwh = forms.IntegerField(label=_("Generation (kWh)"), min_value=0, required=False)
    amount = forms.DecimalField(label=_("Receipt (yuan)"), min_value=0, decimal_places=2, required=False)


class PlanForm(forms.Form):  # 收益分配方案
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    posts_pct = forms.IntegerField(label=_("Welfare posts (%)"), min_value=0, max_value=100)
    public_works_pct = forms.IntegerField(label=_("Public works (%)"), min_value=0, max_value=100)
    dividends_pct = forms.IntegerField(label=_("Dividends (%)"), min_value=0, max_value=100)
    reserve_pct = forms.IntegerField(label=_("Reserve (%)"), min_value=0, max_value=100)
    approved_on = _date(label=_("Approved by the villagers' representatives on"), required=False)


class PaymentForm(forms.Form):  # 收益支出
    kind = forms.ChoiceField(label=_("Kind"), choices=PaymentKind.choices)
    number = forms.CharField(label=_("Household or person number"), max_length=28, required=False)
    post = forms.CharField(label=_("Post or work"), max_length=40, required=False)
    months = forms.IntegerField(label=_("Months"), min_value=0, max_value=12, required=False)
    monthly_wage = forms.DecimalField(label=_("Monthly wage (yuan)"), min_value=0, decimal_places=2, required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, decimal_places=2, required=False)
    paid_on = _date(label=_("Paid on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class ReverseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=200)
