"""The form of a family applying for identification (建档立卡 新识别): the household, its year, the application,
and its members as a formset. The fields only parse what is typed; the rules are the registry's, run by the
service (`procedures.registration.household_register`), whose refusals come back keyed to their fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tuopin.apps.registry import choices as c
from tuopin.apps.registry import validation

from .forms import NO_VALUE, YearField, _DateInput, _yuan_field, yuan_name
from .labels import choices

MAX_MEMBERS = validation.MEMBERS_MAX
ROWS = 6  # member rows shown at first; "more rows" asks for more
INCOME_FIELDS = ("wage_income_fen", "business_income_fen", "property_income_fen", "dividend_income_fen", "dibao_fen",
                 "tekun_fen", "pension_fen", "family_planning_fen", "eco_compensation_fen", "other_transfer_fen",
                 "production_cost_fen")


class FamilyForm(forms.Form):
    year = YearField(widget=forms.HiddenInput)
    village = forms.ChoiceField(label=_("Village"))
    # The household (户基本信息)
    primary_cause = forms.ChoiceField(label=_("Main cause of poverty"), required=False,
                                      choices=choices("Cause", blank=NO_VALUE))
    other_causes = forms.MultipleChoiceField(label=_("Other causes of poverty"), required=False,
                                             choices=choices("Cause"), widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label=_("Phone"), required=False)
    address = forms.CharField(label=_("Address"), required=False)
    cultivated_land_mu = forms.DecimalField(label=_("Cultivated land (mu)"), initial=0)
    housing_area_m2 = forms.DecimalField(label=_("Housing area (m²)"), initial=0)
    # The year (户年度信息): what the identification looks at
    housing_grade = forms.ChoiceField(label=_("Housing safety grade"), choices=choices("HousingGrade"))
    water_litres_per_day = forms.IntegerField(label=_("Water supply (litres per person per day)"), initial=60)
    water_quality_ok = forms.BooleanField(label=_("Water quality meets the standard"), required=False, initial=True)
    water_minutes = forms.IntegerField(label=_("Round trip to fetch water (minutes)"), initial=0)
    water_cut_days = forms.IntegerField(label=_("Days without water supply in the year"), initial=0)
    water_short_area = forms.BooleanField(label=_("Water-short area"), required=False)
    food_clothing_secure = forms.BooleanField(label=_("Enough food and clothing"), required=False, initial=True)
    income_expected_stable = forms.BooleanField(label=_("Income expected to stay stable"), required=False)
    # The application (农户申请)
    on = forms.DateField(label=_("Applied on"), widget=_DateInput())
    by_name = forms.CharField(label=_("Applicant"), max_length=64, required=False,
                              help_text=_("Who applied, e.g. the head of household; empty: your name."))
    note = forms.CharField(label=_("What the application says"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    household_fields = ("primary_cause", "other_causes", "phone", "address", "cultivated_land_mu", "housing_area_m2")
    year_fields = ("housing_grade", "water_litres_per_day", "water_quality_ok", "water_minutes", "water_cut_days",
                   "water_short_area", "food_clothing_secure", "income_expected_stable")

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(str(v.pk), f"{v.parent.name} {v.name}") for v in villages]
        for name in INCOME_FIELDS:
            self.fields[yuan_name(name)] = _yuan_field(name, required=False)
        self.villages = {str(v.pk): v for v in villages}

    groups = (
        (_("Household"), ("village",) + household_fields),
        (_("Income"), tuple(yuan_name(n) for n in INCOME_FIELDS)),
        (_("Housing, water, food and clothing"), year_fields),
        (_("Application"), ("on", "by_name", "note")),
    )

    def clean_other_causes(self) -> str:
        return ",".join(self.cleaned_data["other_causes"])

    def clean(self):
        """The registry's rules run early too, so that every refusal shows at once (the service runs them again)."""
        data = super().clean()
        self.year_record = {name: data[name] for name in self.year_fields if name in data}
        for name in INCOME_FIELDS:
            amount = data.get(yuan_name(name))
            if amount is not None:
                try:
                    self.year_record[name] = validation.yuan(amount)
                except validation.Refused as exc:
                    self.add_error(yuan_name(name), exc.message)
        _rules(self, validation.HOUSEHOLD, {n: data[n] for n in self.household_fields if n in data})
        _rules(self, validation.HOUSEHOLD_YEAR, self.year_record)
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"village": self.villages[data["village"]], "year": data["year"], "on": data["on"],
                "by_name": data["by_name"], "note": data["note"],
                "household": {name: data[name] for name in self.household_fields}, "year_record": self.year_record}

    def field_for(self, key: str) -> str | None:
        """The form field a service refusal names (`household.phone`, `year.dibao_fen`, `village`, `on`)."""
        name = key.split(".", 1)[-1]
        name = yuan_name(name) if name in INCOME_FIELDS else name
        return name if name in self.fields else None


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=30,
                                help_text=_("Sex and date of birth are read from it."))
    relation = forms.ChoiceField(label=_("Relation to the head"), choices=choices("Relation", blank=NO_VALUE),
                                 required=False)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=choices("Ethnicity"), initial=c.Ethnicity.HAN)
    education = forms.ChoiceField(label=_("Education"), required=False, choices=choices("Education", blank=NO_VALUE))
    school_status = forms.ChoiceField(label=_("School status"), required=False, choices=choices("SchoolStatus"))
    labour_ability = forms.ChoiceField(label=_("Labour ability"), choices=choices("LabourAbility"),
                                       initial=c.LabourAbility.ORDINARY)
    work_status = forms.ChoiceField(label=_("Work status"), required=False, choices=choices("WorkStatus"))
    work_months = forms.IntegerField(label=_("Months of work"), initial=0, min_value=0)
    chronic_illness = forms.BooleanField(label=_("Long-term chronic illness"), required=False)
    serious_illness = forms.BooleanField(label=_("Serious illness"), required=False)
    disabled = forms.BooleanField(label=_("Disability"), required=False)
    disability_grade = forms.IntegerField(label=_("Disability grade"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False)

    def clean(self):
        data = super().clean()
        if not self.empty_permitted or self.has_changed():
            # A row in use needs a name, an ID number and a relation; the rules say the rest.
            for name in ("name", "id_number", "relation"):
                if name in data and not data[name]:
                    self.add_error(name, validation.EMPTY)
            _rules(self, validation.PERSON, {n: v for n, v in data.items() if n not in self.errors})
            for name, reason in validation.disability_agreement(disabled=bool(data.get("disabled")),
                                                                grade=data.get("disability_grade")).items():
                self.add_error(name, reason)
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if name in data}


def _rules(form, rules: dict, values: dict) -> None:
    """Each refusal of the registry's rules next to its field (money fields under their yuan twin)."""
    for name, value in values.items():
        if name not in rules or (value in ("", None) and name not in ("name", "id_number")):
            continue
        try:
            validation.clean(rules, {name: value})
        except ValidationError as exc:
            target = yuan_name(name) if name in INCOME_FIELDS else name
            if target in form.fields and target not in form.errors:
                form.add_error(target, exc.message_dict[name])


def member_formset(data=None, *, rows: int = ROWS) -> forms.BaseFormSet:
    """The members' rows: the head's row first (required), the others left empty are ignored."""
    rows = max(1, min(rows, MAX_MEMBERS))
    initial = [{"relation": c.Relation.HEAD}]
    formset = forms.formset_factory(MemberForm, extra=rows - 1, min_num=0, max_num=MAX_MEMBERS, validate_max=True)
    return formset(data, prefix="member", initial=initial)
