"""Forms of the evaluation and rectification pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.apps.assistance.models import RectificationSource, TaskStatus
from tuopin.apps.evaluation.models import Finding, SampleKind

DATE = {"type": "date"}


class RoundForm(forms.Form):  # 抽样: a new round
    name = forms.CharField(label=_("Name of the round"), max_length=80)
    data_year = forms.IntegerField(label=_("Year of the data evaluated"), min_value=2000, max_value=2100)
    held_in = forms.IntegerField(label=_("Year the round is held"), min_value=2000, max_value=2100)
    seed = forms.IntegerField(label=_("Seed of the draw"), min_value=0, max_value=2**31 - 1, initial=0,
                              help_text=_("The same seed draws the same sample again."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["data_year"].initial = year - 1
        self.fields["held_in"].initial = year
        self.fields["name"].initial = _("%(year)s third-party evaluation") % {"year": year}


class FindingForm(forms.Form):  # 核查结论 of one sampled household
    finding = forms.ChoiceField(label=_("Finding"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
    on = forms.DateField(label=_("Checked on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = {SampleKind.EXITED: (Finding.OK, Finding.WRONGLY_EXITED), SampleKind.POOR: (Finding.OK,),
                   SampleKind.NON_REGISTERED: (Finding.OK, Finding.OMITTED)}[kind]
        labels = dict(Finding.choices)
        self.fields["finding"].choices = [(v, labels[v]) for v in allowed]
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be recorded in the future."))
        return on


class SurveyForm(forms.Form):  # 群众认可度
    surveyed = forms.IntegerField(label=_("Households surveyed"), min_value=0, max_value=10_000_000)
    approving = forms.IntegerField(label=_("Households approving"), min_value=0, max_value=10_000_000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)

    def clean(self):
        data = super().clean()
        if data.get("approving") is not None and data.get("surveyed") is not None \
                and data["approving"] > data["surveyed"]:
            self.add_error("approving", _("Cannot exceed the households surveyed."))
        return data


class SampleFilterForm(forms.Form):
    village = forms.TypedChoiceField(label=_("Village"), coerce=int, required=False, empty_value=None)
    pending = forms.BooleanField(label=_("Not yet checked only"), required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", _("All villages"))] + [(v.pk, v.name) for v in villages]


class RectificationForm(forms.Form):  # 问题整改 by hand
    household = forms.CharField(label=_("Household number"), required=False, max_length=24,
                                help_text=_("Leave empty for an item of the whole village."))
    village = forms.TypedChoiceField(label=_("Village"), coerce=int, required=False, empty_value=None)
    title = forms.CharField(label=_("What is to be put right"), max_length=200)
    detail = forms.CharField(label=_("Details"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                          help_text=_("Empty: the routing table's time limit."))

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "—")] + [(v.pk, v.name) for v in villages]

    def clean(self):
        data = super().clean()
        if not (data.get("household") or "").strip() and not data.get("village"):
            raise forms.ValidationError(_("Name the household or choose the village."))
        return data


class RectificationFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("All"))] + list(RectificationSource.choices)
        self.fields["status"].choices = [("", _("All"))] + list(TaskStatus.choices)


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("Why it is reopened"), max_length=500)
    due = forms.DateField(label=_("New deadline"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)
