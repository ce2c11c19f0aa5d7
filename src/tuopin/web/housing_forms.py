"""Forms of the renovation pages (危房改造): one per stage and the list's filters. They check shapes only; the
services decide (decisions 1521, 1522)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.apps.housing.choices import OPTIONS, Stage
from tuopin.apps.registry.choices import HousingGrade, Renovation
from tuopin.common.money import yuan_to_fen


def _date(**kw):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


class _Dated(forms.Form):
    on = _date(label=_("Date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class _Stage(_Dated):
    """A stage of a renovation read at `version` (a stale one is refused by the service)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class InspectionForm(_Dated):  # 鉴定: opens the renovation, no version yet
    grade = forms.ChoiceField(label=_("Grade found"), choices=[c for c in HousingGrade.choices if c[0] in "CD"])
    inspector = forms.CharField(label=_("Inspector"), max_length=64)
    agency = forms.CharField(label=_("Inspecting body"), max_length=100, required=False)
    floor_area_m2 = forms.DecimalField(label=_("Floor area (㎡)"), max_digits=8, decimal_places=2, min_value=0)


class OptionForm(_Stage):  # 方案选定
    option = forms.ChoiceField(label=_("Renovation option"), choices=[c for c in Renovation.choices if c[0] in OPTIONS])


class ApprovalForm(_Stage):  # 县级审批
    approved_by_name = forms.CharField(label=_("Approved by"), max_length=64, required=False)


class WorksForm(_Stage):  # 开工
    contractor = forms.CharField(label=_("Builder (if any)"), max_length=100, required=False)


class AcceptanceForm(_Stage):  # 竣工验收
    accepted_by_name = forms.CharField(label=_("Checked by"), max_length=64)
    cost_yuan = forms.DecimalField(label=_("Cost of the works (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def cost_fen(self) -> int:
        return yuan_to_fen(self.cleaned_data["cost_yuan"])


class ReinspectionForm(_Stage):  # 改造后鉴定
    grade = forms.ChoiceField(label=_("Grade found"), choices=HousingGrade.choices)
    inspector = forms.CharField(label=_("Inspector"), max_length=64)


# The form of each stage a renovation records next.
STAGE_FORMS = {Stage.OPTION_CHOSEN: OptionForm, Stage.APPROVED: ApprovalForm, Stage.WORKS: WorksForm,
               Stage.ACCEPTED: AcceptanceForm, Stage.SAFE: ReinspectionForm}


class ListFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", "—"), *Stage.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
