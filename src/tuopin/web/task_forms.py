"""Forms of the accountability pages: a visit with an optional follow-up, a task's completion, a veto."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.rules import INDICATORS

from .labels import INDICATOR_LABELS


class VisitForm(forms.Form):  # 走访: a few fields a cadre fills in on a phone
    on = forms.DateField(label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    found = forms.CharField(label=_("What was found"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    done = forms.CharField(label=_("What was done"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("Follow-up task (optional)"), required=False, max_length=200)
    follow_up_due = forms.DateField(label=_("Follow-up due by"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    cadre = forms.TypedChoiceField(label=_("Visiting cadre"), coerce=int, required=False)

    def __init__(self, *args, cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        if cadres:
            self.fields["cadre"].choices = [(c.pk, c.name) for c in cadres]
            self.fields["cadre"].required = True
        else:
            del self.fields["cadre"]  # a cadre records their own visits

    def clean(self):
        data = super().clean()
        if data.get("follow_up_due") and not (data.get("follow_up") or "").strip():
            self.add_error("follow_up", _("Name the follow-up task, or leave its date empty."))
        return data


class CompleteForm(forms.Form):  # 完成: evidence is a text, a photo, or both
    # The task's version when the page was shown: a task changed since is refused (optimistic locking).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                 error_messages={"required": _("The page is out of date: reload it.")})
    text = forms.CharField(label=_("Evidence"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo (JPEG or PNG, at most 5 MB)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png",
                                                                   "capture": "environment"}))

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("photo"):
            raise forms.ValidationError(_("Give the evidence: a short text, a photo, or both."))
        return data


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .labels import TASK_STATUS_LABELS

        self.fields["status"].choices = [("", _("all"))] + list(TASK_STATUS_LABELS.items())
        self.fields["indicator"].choices = [("", _("all"))] + [(i, INDICATOR_LABELS[i]) for i in INDICATORS]
        self.fields["owner"].choices = [("", _("all"))] + list(owners)


class ProposalForm(forms.Form):
    text = forms.CharField(label=_("Proposal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class VetoForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the veto"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("A veto needs a reason.")})
