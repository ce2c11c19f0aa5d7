"""Forms of the edit pages. They validate input and translate it for the services; they write nothing.

Each form carries the `version` it read (optimistic locking, see common.versioning), takes money
in yuan and hands the services fen, and never shows an ID or phone number the account may not see: such a
field starts empty and keeps the stored value unless a new one is typed. The fields only parse what is typed
(a number, a date, a choice); ranges, patterns and the formula guard are the registry's validation layer,
run in `clean` so that each refusal sits by its field with the words the import and the API use (decision 1120).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuopin.apps.registry import validation
from tuopin.common.masking import mask_birth_date, mask_id, mask_phone
from tuopin.common.money import fen_to_yuan
from tuopin.common.params import BadYear, parse_year

from .form_errors import add_errors
from .labels import MONEY_LABELS, choices

NO_VALUE = pgettext_lazy("empty choice", "—")


def _yuan_field(fen_field: str, *, required: bool = True) -> forms.DecimalField:
    label = format_lazy(pgettext_lazy("amount with unit", "{label} (yuan)"), label=MONEY_LABELS[fen_field])
    return forms.DecimalField(label=label, required=required,
                              widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


def yuan_name(fen_field: str) -> str:
    """The form field that holds a money field in yuan: wage_income_fen → wage_income_yuan."""
    return fen_field.removesuffix("_fen") + "_yuan"


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    money_fields: tuple[str, ...] = ()  # service fields in fen, shown in yuan
    sensitive_fields: tuple[str, ...] = ()  # ID and phone numbers: hidden from roles that may not see them
    model_fields: tuple[str, ...] = ()  # every other field, named as on the model and in the service
    rules: dict = {}  # the validation layer's table for this record

    def __init__(self, *args, instance, user, **kwargs):
        self.instance, self.user = instance, user
        self.hides_identifiers = not user.may_see_id_numbers
        kwargs.setdefault("initial", self.initial_from(instance))
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.rules:
                # Presence and NUL characters are the rules' to refuse too, in their words.
                field.error_messages["required"] = validation.EMPTY
                field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        if self.hides_identifiers:
            for name in self.sensitive_fields:
                current = getattr(instance, name)
                masked = mask_id(current) if name == "id_number" else mask_phone(current)
                self.fields[name].required = False
                self.fields[name].help_text = (
                    format_lazy(_("Stored: {value}. Leave empty to keep it; type a new number to replace it."),
                                value=masked) if current else _("Nothing stored yet.")
                )

    def initial_from(self, instance) -> dict:
        initial = {"version": instance.version}
        for name in self.model_fields + self.sensitive_fields:
            initial[name] = getattr(instance, name)
        for name in self.money_fields:
            initial[yuan_name(name)] = fen_to_yuan(getattr(instance, name))
        if self.hides_identifiers:
            for name in self.sensitive_fields:
                initial[name] = ""
        return initial

    def service_fields(self) -> dict:
        """The keyword arguments for the service: model field names, money in fen, kept identifiers left out."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.model_fields}
        fields.update((name, data[name]) for name in self.money_fields)  # fen since `clean`
        for name in self.sensitive_fields:
            if data.get(name) or not self.hides_identifiers:
                fields[name] = data.get(name) or ""
        return fields

    def clean(self):
        """Every parsed value through the validation layer; a refusal goes next to its field."""
        data = super().clean()
        values = {name: data[name] for name in self.model_fields + self.sensitive_fields if name in data}
        for name in self.sensitive_fields:
            if self.hides_identifiers and not values.get(name):
                values.pop(name, None)  # left empty: the stored value stays
        for name in self.money_fields:
            if data.get(yuan_name(name)) is not None:
                try:
                    values[name] = validation.yuan(data[yuan_name(name)])
                except validation.Refused as exc:
                    self.add_error(yuan_name(name), exc.message)
        try:
            cleaned = validation.clean(self.rules, values)
        except ValidationError as exc:
            add_errors(self, exc)
            cleaned = {k: v for k, v in values.items() if k not in exc.message_dict}
        data.update(cleaned)
        record = {**self.current(), **cleaned}
        for name in self.errors:
            record[name] = None  # refused already: the rules across fields do not guess from the stored value
        self.record_errors(record)
        return data

    def current(self) -> dict:
        """The record as stored, under the service's names (for the rules that look at several fields)."""
        return {}

    def record_errors(self, record: dict) -> None:
        """The rules that look at more than one field; subclasses add theirs."""

    def field_for(self, name: str) -> str:
        """The field a service refusal naming `name` goes next to (money fields: their yuan twin)."""
        return yuan_name(name) if name in self.money_fields else name


class HouseholdForm(VersionedForm):  # 户基本信息
    attribute = forms.ChoiceField(label=_("Household attribute"), choices=choices("HouseholdAttribute"))
    primary_cause = forms.ChoiceField(label=_("Main cause of poverty"), required=False,
                                      choices=choices("Cause", blank=NO_VALUE))
    other_causes = forms.MultipleChoiceField(label=_("Other causes of poverty"), required=False,
                                             choices=choices("Cause"), widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label=_("Phone"), required=False)
    address = forms.CharField(label=_("Address"), required=False)
    cultivated_land_mu = forms.DecimalField(label=_("Cultivated land (mu)"))
    housing_area_m2 = forms.DecimalField(label=_("Housing area (m²)"))

    rules = validation.HOUSEHOLD
    model_fields = ("attribute", "primary_cause", "other_causes", "address", "cultivated_land_mu", "housing_area_m2")
    sensitive_fields = ("phone",)

    field_order = ["attribute", "primary_cause", "other_causes", "phone", "address", "cultivated_land_mu",
                   "housing_area_m2"]

    def initial_from(self, instance) -> dict:
        initial = super().initial_from(instance)
        initial["other_causes"] = [code for code in instance.other_causes.split(",") if code]
        return initial

    def clean_other_causes(self) -> str:
        return ",".join(self.cleaned_data["other_causes"])


class PersonForm(VersionedForm):  # 人基本信息
    name = forms.CharField(label=_("Name"))
    id_number = forms.CharField(label=_("ID number"))
    sex = forms.ChoiceField(label=_("Sex"), choices=choices("Sex"))
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    relation = forms.ChoiceField(label=_("Relation to the head"), choices=choices("Relation"))
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=choices("Ethnicity"))
    education = forms.ChoiceField(label=_("Education"), required=False, choices=choices("Education", blank=NO_VALUE))
    school_status = forms.ChoiceField(label=_("School status"), required=False, choices=choices("SchoolStatus"))
    chronic_illness = forms.BooleanField(label=_("Long-term chronic illness"), required=False)
    serious_illness = forms.BooleanField(label=_("Serious illness"), required=False)
    disabled = forms.BooleanField(label=_("Disability"), required=False)
    disability_grade = forms.IntegerField(label=_("Disability grade"), required=False)
    labour_ability = forms.ChoiceField(label=_("Labour ability"), choices=choices("LabourAbility"))
    work_status = forms.ChoiceField(label=_("Work status"), required=False, choices=choices("WorkStatus"))
    work_months = forms.IntegerField(label=_("Months of work"))
    phone = forms.CharField(label=_("Phone"), required=False)

    rules = validation.PERSON
    model_fields = ("name", "sex", "birth_date", "relation", "ethnicity", "education", "school_status",
                    "chronic_illness", "serious_illness", "disabled", "disability_grade", "labour_ability",
                    "work_status", "work_months")
    sensitive_fields = ("id_number", "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.hides_identifiers:
            # The birth date is the masked ID number's hidden middle (GB 11643): shown as its year only, and
            # not edited on its own — a typed ID number brings its birth date (services.person_update).
            # Disabled: whatever a request sends for it is ignored; it never reaches the service.
            self.model_fields = tuple(name for name in self.model_fields if name != "birth_date")
            self.fields["birth_date"] = forms.CharField(
                label=_("Date of birth"), required=False, disabled=True,
                help_text=_("Part of the ID number: typing a new ID number changes it."))

    def initial_from(self, instance) -> dict:
        initial = super().initial_from(instance)
        if self.hides_identifiers:
            initial["birth_date"] = mask_birth_date(instance.birth_date)
        return initial

    def current(self) -> dict:
        return {"id_number": self.instance.id_number}

    def record_errors(self, record: dict) -> None:
        # The ID number's uniqueness needs the registry and the account's scope: the service checks it.
        for name, reason in validation.person_agreement(record).items():
            if name not in self.errors:
                self.add_error(name, reason)


SHOCK_MONEY = ("medical_expense_fen", "education_expense_fen", "disaster_loss_fen")


class HouseholdYearForm(VersionedForm):  # 户年度信息: income lines, housing, water
    members = forms.IntegerField(label=_("Members"))
    housing_grade = forms.ChoiceField(label=_("Housing safety grade"), choices=choices("HousingGrade"))
    renovation = forms.ChoiceField(label=_("Dangerous-house renovation"), required=False, choices=choices("Renovation"))
    renovation_year = forms.IntegerField(label=_("Renovation year"), required=False)
    renovation_grade = forms.ChoiceField(label=_("Grade when inspected after the renovation"), required=False,
                                         choices=choices("HousingGrade", blank=_("not inspected again")))
    water_litres_per_day = forms.IntegerField(label=_("Water supply (litres per person per day)"))
    water_quality_ok = forms.BooleanField(label=_("Water quality meets the standard"), required=False)
    water_minutes = forms.IntegerField(label=_("Round trip to fetch water (minutes)"))
    water_cut_days = forms.IntegerField(label=_("Days without water supply in the year"))
    water_short_area = forms.BooleanField(label=_("Water-short area"), required=False)
    food_clothing_secure = forms.BooleanField(label=_("Enough food and clothing"), required=False)
    income_expected_stable = forms.BooleanField(label=_("Income expected to stay stable"), required=False)
    business_failed = forms.BooleanField(label=_("The household's business failed this year"), required=False)
    labourer_lost = forms.BooleanField(label=_("The main labourer died or lost the ability to work this year"),
                                       required=False)

    rules = validation.HOUSEHOLD_YEAR
    money_fields = ("wage_income_fen", "business_income_fen", "property_income_fen", "dividend_income_fen",
                    "dibao_fen", "tekun_fen", "pension_fen", "family_planning_fen", "eco_compensation_fen",
                    "other_transfer_fen", "unitemised_income_fen", "production_cost_fen", "renovation_cost_fen",
                    "medical_expense_fen", "education_expense_fen", "disaster_loss_fen")
    model_fields = ("members", "housing_grade", "renovation", "renovation_year", "renovation_grade",
                    "water_litres_per_day",
                    "water_quality_ok", "water_minutes", "water_cut_days", "water_short_area", "food_clothing_secure",
                    "income_expected_stable", "business_failed", "labourer_lost")
    shock_money = SHOCK_MONEY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.money_fields:
            self.fields[yuan_name(name)] = _yuan_field(name)
        income = [n for n in self.money_fields if n != "renovation_cost_fen" and n not in self.shock_money]
        self.order_fields(["members"] + [yuan_name(n) for n in income]
                          + ["housing_grade", "renovation", "renovation_year", yuan_name("renovation_cost_fen"),
                             "renovation_grade"])

    # Groups of fields, in the order the page shows them (fieldsets).
    groups = (
        (_("Income"), ("members",) + tuple(yuan_name(n) for n in money_fields
                                           if n != "renovation_cost_fen" and n not in SHOCK_MONEY)),
        (_("Housing"), ("housing_grade", "renovation", "renovation_year", yuan_name("renovation_cost_fen"),
                        "renovation_grade")),
        (_("Drinking water"), ("water_litres_per_day", "water_quality_ok", "water_minutes", "water_cut_days",
                               "water_short_area")),
        (_("Food, clothing and income"), ("food_clothing_secure", "income_expected_stable")),
        (_("Shocks in the year"), tuple(yuan_name(n) for n in SHOCK_MONEY) + ("business_failed", "labourer_lost")),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, household number or ID number"), max_length=40, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autofocus": True}),
    )

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        if not q:
            raise ValidationError(_("Type at least one character."))
        return q


class LoginForm(AuthenticationForm):
    """Django's login form with the page's own labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Account")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


# --- exit procedure work pages ---------------------------------------------------------------------------------

class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class YearField(forms.IntegerField):
    """A year the registry holds, 2014 to this year: the one check of `tuopin.common.params` (decision 1140)."""

    def to_python(self, value):
        from django.utils import timezone

        if value in self.empty_values:
            return None
        try:
            return parse_year(value, last=timezone.localdate().year)
        except BadYear as exc:
            raise ValidationError(_("Choose a year from %(first)s to %(last)s."), code="year",
                                  params={"first": exc.first, "last": exc.last}) from None


class ProposeForm(forms.Form):
    """Propose the chosen (or all listed) eligible households for exit: 拟退出."""

    year = YearField(widget=forms.HiddenInput)
    kind = forms.CharField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label=_("Date"), widget=_DateInput())
    by_name = forms.CharField(label=_("Decided by"), max_length=64, required=False,
                              help_text=_("The body that decided, e.g. the village committee; empty: your name."))
    all = forms.BooleanField(label=_("All households in the list"), required=False)


class IdentificationForm(ProposeForm):
    """A household's application to be identified as poor (农户申请), recorded by the village."""

    by_name = forms.CharField(label=_("Applicant"), max_length=64, required=False,
                              help_text=_("Who applied, e.g. the head of household; empty: your name."))
    note = forms.CharField(label=_("What the application says"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    all = None


class ReturnForm(ProposeForm):
    """Exited households proposed back into poverty (返贫), with the reason and the evidence checked."""

    reason = forms.CharField(label=_("Reason"), max_length=200)
    evidence = forms.CharField(label=_("Evidence checked"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    all = None


class StageForm(forms.Form):
    """One stage for the chosen procedures; the decision button says passed or sent back."""

    year = YearField(widget=forms.HiddenInput)
    stage = forms.CharField(widget=forms.HiddenInput)
    kind = forms.CharField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label=_("Date"), widget=_DateInput())
    ends_on = forms.DateField(label=_("Notice ends on"), widget=_DateInput(), required=False)
    by_name = forms.CharField(label=_("Decided by"), max_length=64, required=False,
                              help_text=_("The body that decided, e.g. the township Party committee; empty: your name."))
    note = forms.CharField(label=_("Note or reason"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when sending households back."))
    all = forms.BooleanField(label=_("All households at this stage"), required=False)

    def __init__(self, *args, stage: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        if stage not in ("public_notice", "second_notice"):
            del self.fields["ends_on"]

    def clean(self):
        data = super().clean()
        if self.data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("Sending households back needs the reason."))
        if "ends_on" in self.fields and self.data.get("decision") != "refuse" and not data.get("ends_on"):
            self.add_error("ends_on", _("A public notice needs its end date."))
        return data


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=_DateInput())
    content = forms.CharField(label=_("Objection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    on = forms.DateField(label=_("Resolved on"), widget=_DateInput())
    resolution = forms.CharField(label=_("How it was checked and settled"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class AreaProposeForm(forms.Form):
    """A village's or county's application to exit (村申请 / 县级申请) on a data year; the region is posted apart."""

    year = YearField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date"), widget=_DateInput())
    by_name = forms.CharField(label=_("Decided by"), max_length=64, required=False,
                              help_text=_("The body that applied, e.g. the village committee; empty: your name."))
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AreaStageForm(forms.Form):
    """The next stage of a village's or county's exit; the province verification names its evaluation round."""

    stage = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date"), widget=_DateInput())
    ends_on = forms.DateField(label=_("Notice ends on"), widget=_DateInput(), required=False)
    evaluation_round = forms.ModelChoiceField(label=_("Third-party evaluation round"), queryset=None, required=False)
    by_name = forms.CharField(label=_("Decided by"), max_length=64, required=False,
                              help_text=_("The body that decided, e.g. the city leading group; empty: your name."))
    note = forms.CharField(label=_("Note or reason"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Required when sending back."))

    def __init__(self, *args, stage: str, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        self.fields["stage"].initial = stage
        if stage != "public_notice":
            del self.fields["ends_on"]
        if stage == "province_verification":
            self.fields["evaluation_round"].queryset = rounds
        else:
            del self.fields["evaluation_round"]

    def clean(self):
        data = super().clean()
        refusing = self.data.get("decision") == "refuse"
        if refusing and not (data.get("note") or "").strip():
            self.add_error("note", _("Sending back needs the reason."))
        if "ends_on" in self.fields and not refusing and not data.get("ends_on"):
            self.add_error("ends_on", _("A public notice needs its end date."))
        if "evaluation_round" in self.fields and not refusing and not data.get("evaluation_round"):
            self.add_error("evaluation_round", _("The province verification rests on an evaluation round."))
        return data
