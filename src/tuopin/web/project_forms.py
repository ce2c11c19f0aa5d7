"""Forms of a project's page (decisions 1500, 1503): its start, a completion check, a handover to a village, an
allocation or a spending, and the reversal of an entry. They check shapes only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tuopin.common.money import yuan_to_fen


def _date(**kw):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


class YuanField(forms.DecimalField):
    """An amount typed in yuan, given to the services in fen."""

    def __init__(self, **kw):
        super().__init__(max_digits=14, decimal_places=2, min_value=0, **kw)

    def clean(self, value):
        amount = super().clean(value)
        return yuan_to_fen(amount) if amount is not None else 0


class StartForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    on = _date(label=_("Started"))


class CheckForm(forms.Form):  # 竣工验收
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    checked_on = _date(label=_("Date"))
    checked_by = forms.CharField(label=_("Checked by"), max_length=120)
    passed = forms.BooleanField(label=_("Passed"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


class HandoverForm(forms.Form):  # 资产确权移交
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    village = forms.TypedChoiceField(label=_("Village"), coerce=int, choices=())
    on = _date(label=_("Date"))
    assets = forms.CharField(label=_("Assets"), max_length=200)
    value = YuanField(label=_("Value (yuan)"), required=False)
    received_by = forms.CharField(label=_("Received by"), max_length=120, required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.pk, v.name) for v in villages]


class EntryForm(forms.Form):  # 资金分配 / 资金支出
    entry = forms.ChoiceField(choices=(("allocate", _("Allocation")), ("spend", _("Spending"))), label=_("Entry"))
    fund = forms.TypedChoiceField(label=_("Fund"), coerce=int, choices=())
    amount = YuanField(label=_("Amount (yuan)"))
    on = _date(label=_("Date"))
    document = forms.CharField(label=_("Document"), max_length=80, required=False)

    def __init__(self, *args, funds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].choices = [(f.pk, str(f)) for f in funds]


class ReverseForm(forms.Form):  # 冲销
    entry = forms.ChoiceField(choices=(("allocation", "allocation"), ("spending", "spending")))
    entry_id = forms.IntegerField(min_value=1)
    note = forms.CharField(label=_("Why"), max_length=500)
