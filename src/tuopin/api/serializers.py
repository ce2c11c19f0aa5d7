"""What the API shows. Explicit fields only; ID and phone numbers, and birth dates (the ID number's hidden
digits, decision 1110), masked unless the role may see them.

Money is integer fen (分, 100 fen = 1 yuan) under the model's own field names, as in the snapshot layout.
"""

from __future__ import annotations

from rest_framework import serializers

from tuopin.apps.geo.models import Region
from tuopin.apps.registry.models import (
    MONEY_FIELDS, SHOCK_FIELDS, Household, HouseholdYear, Person, PersonYear, ProcedureStep, StatusEvent,
)
from tuopin.common.masking import mask_birth_date, mask_id, mask_phone, mask_text

FEN = "integer fen (分; 100 fen = 1 yuan)"


def _sees_id_numbers(context: dict) -> bool:
    # No request (e.g. a serializer used outside a view): mask, the safe default.
    user = getattr(context.get("request"), "user", None)
    return bool(user is not None and getattr(user, "may_see_id_numbers", False))


class MaskedIdNumberField(serializers.CharField):
    """身份证号: shown as 220821********1234 unless the account may see full ID numbers."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "resident ID number (身份证号); masked as 220821********1234 "
                                       "unless the account's role may see full ID numbers")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value if _sees_id_numbers(self.context) else mask_id(value)


class MaskedPhoneField(serializers.CharField):
    """联系电话: shown as 138****5678 unless the account may see full numbers."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "phone number (联系电话); masked as 138****5678 unless the account's role "
                                       "may see full ID numbers")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value if _sees_id_numbers(self.context) else mask_phone(value)


class MaskedBirthDateField(serializers.CharField):
    """出生日期: YYYY-MM-DD, or YYYY-**-** where the ID number is masked (its hidden digits are the date).

    A string either way, as `id_number` is, so the schema says what every account receives."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "date of birth (出生日期), YYYY-MM-DD; YYYY-**-** (year only) unless the "
                                       "account's role may see full ID numbers, whose hidden digits it is")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.isoformat() if _sees_id_numbers(self.context) else mask_birth_date(value)


class MaskedTextField(serializers.CharField):
    """Free text (reasons, notes) may quote an ID or phone number: masked inside the text."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value if _sees_id_numbers(self.context) else mask_text(value or "")


def _code(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


def _updated_by() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="username", read_only=True,
                                        help_text="account that saved the current version")


class RegionSerializer(serializers.ModelSerializer):
    parent = _code(help_text="code of the parent region")

    class Meta:
        model = Region
        fields = ("code", "name", "level", "parent", "kind", "is_rural", "is_poor_village", "poor_village_since",
                  "west")
        read_only_fields = fields


class HouseholdSerializer(serializers.ModelSerializer):
    village = _code(help_text="code of the administrative village (行政村)")
    village_name = serializers.CharField(source="village.name", read_only=True)
    township = _code(help_text="code of the township (乡镇, the war zone)")
    natural_village = _code(allow_null=True, help_text="code of the natural village (屯), if recorded")
    phone = MaskedPhoneField()
    updated_by = _updated_by()

    class Meta:
        model = Household
        fields = ("id", "number", "village", "village_name", "township", "natural_village", "is_registered",
                  "attribute", "status", "identified_year", "exit_year", "primary_cause", "other_causes", "phone",
                  "address", "cultivated_land_mu", "housing_area_m2", "closed", "split_from", "merged_into",
                  "version", "updated_at", "updated_by")
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.number", read_only=True)
    id_number = MaskedIdNumberField()
    birth_date = MaskedBirthDateField()
    birth_year = serializers.IntegerField(source="birth_date.year", read_only=True,
                                          help_text="year of birth, shown to every account")
    phone = MaskedPhoneField()
    updated_by = _updated_by()

    class Meta:
        model = Person
        fields = ("id", "household", "household_number", "number", "id_number", "name", "sex", "birth_date",
                  "birth_year", "relation", "ethnicity", "education", "school_status", "chronic_illness",
                  "serious_illness", "disabled", "disability_grade", "labour_ability", "work_status", "work_months",
                  "phone", "active", "left_on", "left_reason", "version", "updated_at", "updated_by")
        read_only_fields = fields


MONEY_HELP = {name: f"{label} — {FEN}" for name, label in MONEY_FIELDS} | {
    "production_cost_fen": f"生产经营性支出 — {FEN}",
    "net_income_fen": f"纯收入 (sum of the income lines minus production costs; computed) — {FEN}",
    "per_capita_net_income_fen": f"人均纯收入 (net income ÷ members, rounded down; computed) — {FEN}",
    "renovation_cost_fen": f"危房改造 cost — {FEN}",
    "medical_expense_fen": f"自付医疗费用 (out-of-pocket medical costs in the year) — {FEN}",
    "education_expense_fen": f"教育支出 (education costs in the year) — {FEN}",
    "disaster_loss_fen": f"灾害损失 (losses to a disaster in the year) — {FEN}",
}
HOUSEHOLD_YEAR_FIELDS = (
    "id", "household", "household_number", "year", "members",
    *(name for name, _ in MONEY_FIELDS),
    "production_cost_fen", "net_income_fen", "per_capita_net_income_fen", "housing_grade", "renovation",
    "renovation_year", "renovation_cost_fen", "renovation_grade", "water_litres_per_day", "water_quality_ok", "water_minutes",
    "water_cut_days", "water_short_area", "food_clothing_secure", "income_expected_stable", *SHOCK_FIELDS,
    "version", "updated_at", "updated_by",
)


class HouseholdYearSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.number", read_only=True)
    updated_by = _updated_by()

    class Meta:
        model = HouseholdYear
        fields = HOUSEHOLD_YEAR_FIELDS
        read_only_fields = fields
        extra_kwargs = {name: {"help_text": text} for name, text in MONEY_HELP.items()}


class PersonYearSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="person.household_id", read_only=True)
    updated_by = _updated_by()

    class Meta:
        model = PersonYear
        fields = ("id", "person", "household", "year", "school_status", "basic_medical",
                  "serious_illness_insurance", "medical_assistance", "family_doctor", "pension_insurance", "dibao",
                  "tekun", "work_months", "version", "updated_at", "updated_by")
        read_only_fields = fields


class ProcedureStepSerializer(serializers.ModelSerializer):
    note = MaskedTextField()

    class Meta:
        model = ProcedureStep
        fields = ("stage", "on", "ends_on", "by_name", "passed", "note")
        read_only_fields = fields


class StatusEventSerializer(serializers.ModelSerializer):
    """A status event (识别 / 脱贫 / 返贫 …) with the steps of its procedure (民主评议 → 公示 → … → 公告)."""

    reason = MaskedTextField()
    steps = ProcedureStepSerializer(many=True, read_only=True)

    class Meta:
        model = StatusEvent
        fields = ("id", "kind", "year", "stage", "effective_on", "persons", "reason", "related_household",
                  "created_at", "steps")
        read_only_fields = fields
