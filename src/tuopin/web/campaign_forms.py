"""Forms of the campaign pages: a new campaign, a day's progress. They check shapes only; the services decide
(decision 1535)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.apps.campaigns.choices import TargetKind


def _date(**kw):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    start = _date(label=_("First day"))
    end = _date(label=_("Last day"))
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(forms.Form):
    village = forms.ChoiceField(label=_("Village"))
    day = _date(label=_("Day"))
    kind = forms.ChoiceField(label=_("Target"), choices=TargetKind.choices)
    count = forms.IntegerField(label=_("Count"), min_value=1, max_value=100_000)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, villages=(), kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.pk, f"{v.parent.name} {v.name}") for v in villages]
        if kinds is not None:
            self.fields["kind"].choices = [c for c in TargetKind.choices if c[0] in kinds]
        self.fields["day"].initial = timezone.localdate()


class CorrectionForm(forms.Form):
    """A log corrected (decision 1610): its day, target and count as they should have been, and why."""

    day = _date(label=_("Day"))
    kind = forms.ChoiceField(label=_("Target"), choices=TargetKind.choices)
    count = forms.IntegerField(label=_("Count"), min_value=0, max_value=100_000,
                               help_text=_("0 if nothing was done: the log was wrong altogether."))
    note = forms.CharField(label=_("Why it is corrected"), max_length=200)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in TargetKind.choices if c[0] in kinds]


class TargetForm(forms.Form):
    """A village's target of a kind (a new one, or a change of the one there)."""

    village = forms.ChoiceField(label=_("Village"))
    kind = forms.ChoiceField(label=_("Target"), choices=TargetKind.choices)
    count = forms.IntegerField(label=_("Count"), min_value=1, max_value=100_000)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.pk, f"{v.parent.name} {v.name}") for v in villages]


class ParticipantForm(forms.Form):
    """A unit taking part (参战单位) or, named within its unit, a cadre (参战干部): thousands of cadres make a
    list too long to pick from, and a name is unique enough within one unit."""

    unit = forms.ChoiceField(label=_("Unit"))
    cadre = forms.CharField(label=_("Cadre of the unit"), required=False, max_length=32,
                            help_text=_("Leave empty for the whole unit."))
    role = forms.CharField(label=_("Part played"), required=False, max_length=60)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
