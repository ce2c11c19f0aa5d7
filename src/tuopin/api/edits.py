"""What a PATCH may send. The fields are the services' editable fields plus the `version` the client read.

These serializers only parse the body; the registry services validate, check the version, save and audit.
Three rules of their own (docs/decisions/0401-api-writes.md):
- a field that exists but may not be edited here (a status, a number, a computed total) is refused with a
  reason, never silently ignored;
- a masked value sent back unchanged (a client echoing what it read) is dropped, so it can never overwrite
  the real number; any other value containing `*` is refused;
- an ID number already used by a person outside the account's scope is refused without naming that person;
- an account that may not see ID numbers may not send a birth date (the number's hidden digits, decision
  1110): a corrected `id_number` brings its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from tuopin.apps.accounts.scoping import persons_visible_to
from tuopin.apps.registry.models import Household, HouseholdYear, Person
from tuopin.apps.registry.services import HOUSEHOLD_EDITABLE, HOUSEHOLD_YEAR_EDITABLE, ID_HELD_ELSEWHERE, PERSON_EDITABLE
from tuopin.common import idnumber
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


class EditSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    masked = {}  # field -> the masking function whose output must never be saved

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

    class Meta:
        model = Household
        fields = ("version", *HOUSEHOLD_EDITABLE)
        extra_kwargs = _optional(HOUSEHOLD_EDITABLE)


class PersonEditSerializer(EditSerializer):
    # Declared so that ModelSerializer adds no unique validator of its own: the service checks the number
    # (GB 11643 checksum, sex and birth date, uniqueness) and says why it refuses.
    id_number = serializers.CharField(required=False, max_length=32,
                                      help_text="resident ID number (身份证号), 18 characters, the full number; "
                                                "a new number also sets birth_date unless birth_date is sent")
    masked = {"id_number": mask_id, "phone": mask_phone, "birth_date": mask_birth_date}

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
            raise serializers.ValidationError({"birth_date": [
                "the date of birth is part of the ID number (GB 11643) and this account may not see it; "
                "send the corrected id_number, which brings its own date of birth"]})
        return data

    def validate_id_number(self, value: str) -> str:
        try:
            normalised = idnumber.parse(value).value
        except idnumber.IDNumberError:
            return value  # the service gives the reason
        others = Person.objects.filter(id_number=normalised)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        other = others.only("pk").first()
        if other is not None:
            user = self.context["request"].user
            if not persons_visible_to(user).filter(pk=other.pk).exists():
                raise serializers.ValidationError(ID_HELD_ELSEWHERE)
        return value


class HouseholdYearEditSerializer(EditSerializer):
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
