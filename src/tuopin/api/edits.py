"""What a PATCH may send. The fields are the services' editable fields plus the `version` the client read.

These serializers only parse the body (JSON types; enumerations as codes) and run the registry's validation
layer early, so that a refusal names its field with the same reason the import and the pages give (decision
1120); their fields carry no limits of their own. The registry services check the same rules again, check
the version, save and audit. Three rules of their own (docs/decisions/0401-api-writes.md):
- a field that exists but may not be edited here (a status, a number, a computed total) is refused with a
  reason, never silently ignored;
- a masked value sent back unchanged (a client echoing what it read) is dropped, so it can never overwrite
  the real number; any other value containing `*` is refused;
- an ID number already used by a person outside the account's scope is refused without naming that person
  (the service's check, which knows the account);
- an account that may not see ID numbers may not send a birth date (the number's hidden digits, decision
  1110): a corrected `id_number` brings its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from tuopin.apps.registry import validation
from tuopin.apps.registry.models import Household, HouseholdYear, Person
from tuopin.apps.registry.services import HOUSEHOLD_EDITABLE, HOUSEHOLD_YEAR_EDITABLE, PERSON_EDITABLE
from tuopin.common.masking import mask_birth_date, mask_id, mask_phone

from .serializers import MONEY_HELP

VERSION_HELP = "the version of the record the client read; a stale version is refused with 409"
NOT_HERE = {
    "status": "the status changes only through a status event and its procedure (识别 / 脱贫 / 返贫 …)",
    "net_income_fen": "computed from the income lines and production costs",
    "per_capita_net_income_fen": "computed from the net income and the members",
}


def _optional(names) -> dict:
    return {name: {"required": False} for name in names}


# Limits a ModelSerializer would copy from the model; the validation layer holds the registry's own.
_MODEL_LIMITS = ("max_length", "min_length", "min_value", "max_value", "validators")


class EditSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    masked = {}  # field -> the masking function whose output must never be saved
    rules: dict = {}  # the validation layer's table for this record

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_name in self.rules:
            for key in _MODEL_LIMITS:
                kwargs.pop(key, None)
            if "decimal_places" in kwargs:  # two decimals at most is the rule's to say
                kwargs["max_digits"] = kwargs["decimal_places"] = None
        return field_class, kwargs

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if name in self.rules:
                # Presence and NUL characters are the rules' to refuse too, in their words.
                field.error_messages["blank"] = validation.EMPTY
                field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        return fields

    def validate(self, attrs):
        values = {name: value for name, value in attrs.items() if name != "version"}
        try:
            return {**attrs, **validation.clean(self.rules, values)}
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from None

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            refused = {name: [NOT_HERE.get(name, "this field cannot be edited through this endpoint")]
                       for name in data if name not in self.fields}
            if refused:
                raise serializers.ValidationError(refused)
            data = self._drop_masked_echoes(data)
        return super().to_internal_value(data)

    def _drop_masked_echoes(self, data: Mapping) -> dict:
        data = {name: data[name] for name in data}
        for name, mask in self.masked.items():
            value = data.get(name)
            if not isinstance(value, str) or "*" not in value:
                continue
            if self.instance is not None and value == mask(getattr(self.instance, name)):
                del data[name]  # the masked value the client was shown: "unchanged"
            else:
                raise serializers.ValidationError(
                    {name: ["a masked value cannot be saved; send the full number or leave the field out"]})
        return data


class HouseholdEditSerializer(EditSerializer):
    masked = {"phone": mask_phone}
    rules = validation.HOUSEHOLD

    class Meta:
        model = Household
        fields = ("version", *HOUSEHOLD_EDITABLE)
        extra_kwargs = _optional(HOUSEHOLD_EDITABLE)


class PersonEditSerializer(EditSerializer):
    # Declared so that ModelSerializer adds no unique validator of its own: the validation layer checks the
    # number (GB 11643), the service its sex and birth date and its uniqueness, and says why it refuses.
    id_number = serializers.CharField(required=False,
                                      help_text="resident ID number (身份证号), 18 characters, the full number; "
                                                "a new number also sets birth_date unless birth_date is sent")
    masked = {"id_number": mask_id, "phone": mask_phone, "birth_date": mask_birth_date}
    rules = validation.PERSON

    class Meta:
        model = Person
        fields = ("version", *PERSON_EDITABLE)
        extra_kwargs = _optional(PERSON_EDITABLE) | {"birth_date": {
            "required": False, "help_text": "date of birth (出生日期), checked against the ID number; only for "
                                            "accounts that may see full ID numbers (others send a new id_number)"}}

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        user = self.context["request"].user
        if "birth_date" in data and not user.may_see_id_numbers:
            # Refused whatever the date, right or wrong: an answer that differed would tell the hidden digits.
            raise serializers.ValidationError({"birth_date": [(
                "the date of birth is part of the ID number (GB 11643) and this account may not see it; "
                "send the corrected id_number, which brings its own date of birth")]})
        return data


class HouseholdYearEditSerializer(EditSerializer):
    rules = validation.HOUSEHOLD_YEAR

    class Meta:
        model = HouseholdYear
        fields = ("version", *HOUSEHOLD_YEAR_EDITABLE)
        extra_kwargs = {name: {"required": False, **({"help_text": MONEY_HELP[name]} if name in MONEY_HELP else {})}
                        for name in HOUSEHOLD_YEAR_EDITABLE}


class EditSerializerSchema(OpenApiSerializerExtension):
    """drf-spectacular marks every field of a PATCH body optional; ours requires `version`."""

    target_class = EditSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["required"] = ["version"]
        return schema
