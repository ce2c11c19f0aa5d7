"""Forms of the monitoring pages (防返贫动态监测): a clue, each stage, a measure, the list's filters, a department's
alert and the public application form. They check shapes only; the services decide (decisions 1400–1403)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.apps.monitoring.choices import CaseKind, Channel, MeasureKind, Risk, Stage


def _date(**kw):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


def _blank(choices):
    return [("", "—"), *choices]


class ClueForm(forms.Form):  # 线索登记
    channel = forms.ChoiceField(label=_("How the risk came to light"), choices=Channel.choices)
    kind = forms.ChoiceField(label=_("Kind of household (may be left to the village's review)"), required=False,
                             choices=_blank(CaseKind.choices))
    risks = forms.MultipleChoiceField(label=_("Risks"), choices=Risk.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    on = _date(label=_("Date of the clue"))
    note = forms.CharField(label=_("The difficulty"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        if channels is not None:
            self.fields["channel"].choices = [c for c in Channel.choices if c[0] in channels]


class StageForm(forms.Form):
    """The next stage of a case: `stage` names it; a refusal (不纳入) is `decision=refuse` with its reason."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("pass", "pass"), ("refuse", "refuse")], initial="pass",
                                 widget=forms.HiddenInput, required=False)
    on = _date(label=_("Date"))
    ends_on = _date(label=_("Notice ends on"), required=False)
    kind = forms.ChoiceField(label=_("Kind of household"), required=False, choices=_blank(CaseKind.choices))
    risks = forms.MultipleChoiceField(label=_("Risks"), choices=Risk.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    household = forms.CharField(label=_("Household number (户编号) of the applicant"), required=False, max_length=20)
    note = forms.CharField(label=_("Note (the reason, when not included)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class MeasureForm(forms.Form):  # 帮扶措施
    kind = forms.ChoiceField(label=_("Kind of measure"), choices=MeasureKind.choices)
    description = forms.CharField(label=_("The measure"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("Carried out by (as agreed)"), required=False, max_length=64)
    on = _date(label=_("Date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class CaseFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=_blank(Stage.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_blank(CaseKind.choices))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class _ByIdNumber(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=18, min_length=18,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    village = forms.TypedChoiceField(label=_("Village"), coerce=int)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.pk, f"{v.parent.name if v.parent_id else ''} {v.name}".strip())
                                          for v in villages]


class AlertForm(_ByIdNumber):  # 部门筛查预警
    kind = forms.ChoiceField(label=_("Kind of household (may be left to the village's review)"), required=False,
                             choices=_blank(CaseKind.choices))
    risks = forms.MultipleChoiceField(label=_("Risks"), choices=Risk.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    on = _date(label=_("Date of the alert"))
    note = forms.CharField(label=_("What the department's data shows"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ApplicationForm(_ByIdNumber):  # 农户自主申报, public
    name = forms.CharField(label=_("Your name"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=_("Telephone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}))
    description = forms.CharField(label=_("Your difficulty"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["name", "id_number", "village", "phone", "description"]
