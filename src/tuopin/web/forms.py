"""Forms of the edit pages. They validate input and translate it for the services; they write nothing.

Each form carries the `version` it read (optimistic locking, see registry.services.StaleEdit), takes money
in yuan and hands the services fen, and never shows an ID or phone number the account may not see: such a
field starts empty and keeps the stored value unless a new one is typed.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuopin.apps.registry import selectors
from tuopin.common import idnumber
from tuopin.common.masking import mask_id, mask_phone
from tuopin.common.money import fen_to_yuan, yuan_to_fen
from tuopin.common.params import BadYear, parse_year

from .labels import MONEY_LABELS, choices

NO_VALUE = pgettext_lazy("empty choice", "—")


def _yuan_field(fen_field: str, *, required: bool = True) -> forms.DecimalField:
    label = format_lazy(pgettext_lazy("amount with unit", "{label} (yuan)"), label=MONEY_LABELS[fen_field])
    return forms.DecimalField(label=label, min_value=Decimal("0"), max_digits=12, decimal_places=2,
                              required=required, widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


def yuan_name(fen_field: str) -> str:
    """The form field that holds a money field in yuan: wage_income_fen → wage_income_yuan."""
    return fen_field.removesuffix("_fen") + "_yuan"


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    money_fields: tuple[str, ...] = ()  # service fields in fen, shown in yuan
    sensitive_fields: tuple[str, ...] = ()  # ID and phone numbers: hidden from roles that may not see them
    model_fields: tuple[str, ...] = ()  # every other field, named as on the model and in the service

    def __init__(self, *args, instance, user, **kwargs):
        self.instance, self.user = instance, user
        self.hides_identifiers = not user.may_see_id_numbers
        kwargs.setdefault("initial", self.initial_from(instance))
        super().__init__(*args, **kwargs)
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
        for name in self.money_fields:
            fields[name] = yuan_to_fen(data[yuan_name(name)])
        for name in self.sensitive_fields:
            if data.get(name) or not self.hides_identifiers:
                fields[name] = data.get(name) or ""
        return fields

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError next to the field it names (money fields under their yuan twin)."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for name, messages in exc.message_dict.items():
            target = yuan_name(name) if name in self.money_fields else name
            self.add_error(target if target in self.fields else None, messages)


class HouseholdForm(VersionedForm):  # 户基本信息
    attribute = forms.ChoiceField(label=_("Household attribute"), choices=choices("HouseholdAttribute"))
    primary_cause = forms.ChoiceField(label=_("Main cause of poverty"), required=False,
                                      choices=choices("Cause", blank=NO_VALUE))
    other_causes = forms.MultipleChoiceField(label=_("Other causes of poverty"), required=False,
                                             choices=choices("Cause"), widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=128, required=False)
    cultivated_land_mu = forms.DecimalField(label=_("Cultivated land (mu)"), min_value=0, max_digits=8,
                                            decimal_places=2)
    housing_area_m2 = forms.DecimalField(label=_("Housing area (m²)"), min_value=0, max_digits=8, decimal_places=2)

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


def _id_number_message(reason: str):
    """A clerk-readable, translated reason for an ID number that GB 11643 refuses."""
    for marker, message in (
        ("Excel", _("Excel stored this ID number as a number and lost its last digits.")),
        ("15-digit", _("Old 15-digit ID numbers are not accepted; enter the 18-digit number.")),
        ("18 characters", _("An ID number has 18 characters.")),
        ("17 digits", _("An ID number is 17 digits followed by a digit or X.")),
        ("birth", _("The birth date inside this ID number is not possible.")),
        ("check digit", _("The check digit does not match: please read the number again.")),
    ):
        if marker in reason:
            return message
    return _("This is not a valid resident ID number.")


class PersonForm(VersionedForm):  # 人基本信息
    name = forms.CharField(label=_("Name"), max_length=32)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    sex = forms.ChoiceField(label=_("Sex"), choices=choices("Sex"))
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    relation = forms.ChoiceField(label=_("Relation to the head"), choices=choices("Relation"))
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=choices("Ethnicity"))
    education = forms.ChoiceField(label=_("Education"), required=False, choices=choices("Education", blank=NO_VALUE))
    school_status = forms.ChoiceField(label=_("School status"), required=False, choices=choices("SchoolStatus"))
    chronic_illness = forms.BooleanField(label=_("Long-term chronic illness"), required=False)
    serious_illness = forms.BooleanField(label=_("Serious illness"), required=False)
    disabled = forms.BooleanField(label=_("Disability"), required=False)
    disability_grade = forms.IntegerField(label=_("Disability grade"), required=False, min_value=1, max_value=4)
    labour_ability = forms.ChoiceField(label=_("Labour ability"), choices=choices("LabourAbility"))
    work_status = forms.ChoiceField(label=_("Work status"), required=False, choices=choices("WorkStatus"))
    work_months = forms.IntegerField(label=_("Months of work"), min_value=0, max_value=12)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    model_fields = ("name", "sex", "birth_date", "relation", "ethnicity", "education", "school_status",
                    "chronic_illness", "serious_illness", "disabled", "disability_grade", "labour_ability",
                    "work_status", "work_months")
    sensitive_fields = ("id_number", "phone")

    def clean_id_number(self) -> str:
        raw = self.cleaned_data.get("id_number", "")
        if not raw and self.hides_identifiers:
            return ""
        try:
            value = idnumber.parse(raw).value
        except idnumber.IDNumberError as exc:
            raise ValidationError(_id_number_message(str(exc))) from None
        if selectors.id_number_in_use(value, exclude_person=self.instance):
            raise ValidationError(_("This ID number is already registered for another person."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("disabled") and data.get("disability_grade"):
            self.add_error("disability_grade", _("A disability grade needs the disability box ticked."))
        raw = data.get("id_number") or (self.instance.id_number if self.hides_identifiers else "")
        if not raw or self.errors.get("id_number"):
            return data
        try:
            parsed = idnumber.parse(raw)
        except idnumber.IDNumberError:
            # A stored number from an old file may itself be invalid; the service reports it by the field.
            return data
        if data.get("sex") and data["sex"] != parsed.sex:
            self.add_error("sex", _("The sex does not match the ID number."))
        if data.get("birth_date") and data["birth_date"] != parsed.birth_date:
            self.add_error("birth_date", _("The date of birth does not match the ID number."))
        return data


class HouseholdYearForm(VersionedForm):  # 户年度信息: income lines, housing, water
    members = forms.IntegerField(label=_("Members"), min_value=1, max_value=99)
    housing_grade = forms.ChoiceField(label=_("Housing safety grade"), choices=choices("HousingGrade"))
    renovation = forms.ChoiceField(label=_("Dangerous-house renovation"), required=False, choices=choices("Renovation"))
    renovation_year = forms.IntegerField(label=_("Renovation year"), required=False, min_value=1949, max_value=2100)
    water_litres_per_day = forms.IntegerField(label=_("Water supply (litres per person per day)"), min_value=0,
                                              max_value=10000)
    water_quality_ok = forms.BooleanField(label=_("Water quality meets the standard"), required=False)
    water_minutes = forms.IntegerField(label=_("Round trip to fetch water (minutes)"), min_value=0, max_value=1440)
    water_cut_days = forms.IntegerField(label=_("Days without water supply in the year"), min_value=0, max_value=366)
    water_short_area = forms.BooleanField(label=_("Water-short area"), required=False)
    food_clothing_secure = forms.BooleanField(label=_("Enough food and clothing"), required=False)
    income_expected_stable = forms.BooleanField(label=_("Income expected to stay stable"), required=False)

    money_fields = ("wage_income_fen", "business_income_fen", "property_income_fen", "dividend_income_fen",
                    "dibao_fen", "tekun_fen", "pension_fen", "family_planning_fen", "eco_compensation_fen",
                    "other_transfer_fen", "unitemised_income_fen", "production_cost_fen", "renovation_cost_fen")
    model_fields = ("members", "housing_grade", "renovation", "renovation_year", "water_litres_per_day",
                    "water_quality_ok", "water_minutes", "water_cut_days", "water_short_area", "food_clothing_secure",
                    "income_expected_stable")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.money_fields:
            self.fields[yuan_name(name)] = _yuan_field(name)
        self.order_fields(["members"] + [yuan_name(n) for n in self.money_fields if n != "renovation_cost_fen"]
                          + ["housing_grade", "renovation", "renovation_year", yuan_name("renovation_cost_fen")])

    # Groups of fields, in the order the page shows them (fieldsets).
    groups = (
        (_("Income"), ("members",) + tuple(yuan_name(n) for n in money_fields if n != "renovation_cost_fen")),
        (_("Housing"), ("housing_grade", "renovation", "renovation_year", yuan_name("renovation_cost_fen"))),
        (_("Drinking water"), ("water_litres_per_day", "water_quality_ok", "water_minutes", "water_cut_days",
                               "water_short_area")),
        (_("Food, clothing and income"), ("food_clothing_secure", "income_expected_stable")),
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
    on = forms.DateField(label=_("Date"), widget=_DateInput())
    by_name = forms.CharField(label=_("Decided by"), max_length=64, required=False,
                              help_text=_("The body that decided, e.g. the village committee; empty: your name."))
    all = forms.BooleanField(label=_("All households in the list"), required=False)


class StageForm(forms.Form):
    """One stage for the chosen procedures; the decision button says passed or sent back."""

    year = YearField(widget=forms.HiddenInput)
    stage = forms.CharField(widget=forms.HiddenInput)
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
        if stage != "public_notice":
            del self.fields["ends_on"]

    def clean(self):
        data = super().clean()
        if self.data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("Sending households back needs the reason."))
        if self.stage == "public_notice" and self.data.get("decision") != "refuse" and not data.get("ends_on"):
            self.add_error("ends_on", _("A public notice needs its end date."))
        return data


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=_DateInput())
    content = forms.CharField(label=_("Objection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    on = forms.DateField(label=_("Resolved on"), widget=_DateInput())
    resolution = forms.CharField(label=_("How it was checked and settled"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
