"""The registry endpoints. Each is a scoped queryset, a serializer and (for editable records) one service call."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from tuopin.apps.accounts import scoping
from tuopin.apps.accounts.permissions import Action
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear

from . import edits
from .base import ConflictSerializer, EditMixin, ScopedReadViewSet
from .filters import Param, region_params
from .serializers import (
    HouseholdSerializer, HouseholdYearSerializer, PersonSerializer, PersonYearSerializer, RegionSerializer,
    StatusEventSerializer,
)

NOT_FOUND = OpenApiResponse(description="no such record in the account's scope")


def _patch_schema(edit_serializer, read_serializer):
    return extend_schema(
        request=edit_serializer,
        responses={
            200: read_serializer,
            400: OpenApiResponse(description="field errors: {field: [reasons]}"),
            403: OpenApiResponse(description="the account's role may not edit registry records"),
            404: NOT_FOUND,
            409: OpenApiResponse(ConflictSerializer, description="the record changed since the client read it"),
        },
        description="Edit through the registry service: send `version` as read and only the fields that "
                    "change. Audited with source `api`.",
    )


def _year(path: str) -> Param:
    return Param("year", f"{path}year", "year", "the assessment year, e.g. 2018 (2014 to this year)")


HOUSEHOLD_STATUS = Param("status", "status", description="poverty status code (脱贫属性)",
                         enum=tuple(v for v in c.PovertyStatus.values if v))


@extend_schema_view(
    list=extend_schema(summary="Regions the account may open"),
    retrieve=extend_schema(summary="One region, by its 12-digit code", responses={200: RegionSerializer,
                                                                                   404: NOT_FOUND}),
)
class RegionViewSet(ScopedReadViewSet):
    """Regions (行政区划) by their 12-digit statistical division code; no personal data."""

    model = Region
    scope = scoping.regions_visible_to
    related = ("parent",)
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{12}"
    filter_params = (
        Param("level", "level", description="level of the region", enum=tuple(Level.values)),
        Param("parent", "parent", "code", "12-digit code of the parent region"),
        Param("poor_village", "is_poor_village", "boolean", "registered poor villages (贫困村) only, or none"),
    )


@extend_schema_view(
    list=extend_schema(summary="Households (户) in the account's scope"),
    retrieve=extend_schema(summary="One household", responses={200: HouseholdSerializer, 404: NOT_FOUND}),
    partial_update=_patch_schema(edits.HouseholdEditSerializer, HouseholdSerializer),
)
class HouseholdViewSet(EditMixin, ScopedReadViewSet):
    """Households (户) of the registry, as far as the account's scope reaches."""

    model = Household
    scope = scoping.households_visible_to
    related = ("village", "township", "natural_village", "updated_by")
    serializer_class = HouseholdSerializer
    edit_serializer_class = edits.HouseholdEditSerializer
    filter_params = (
        *region_params(""),
        HOUSEHOLD_STATUS,
        Param("attribute", "attribute", description="household attribute code (贫困户属性)",
              enum=tuple(c.HouseholdAttribute.values)),
        Param("registered", "is_registered", "boolean", "registered households (建档立卡) only, or the others"),
        Param("exit_year", "exit_year", "year", "year the household exited (脱贫年度)"),
    )

    def edit(self, instance, *, version, by, changes):
        return services.household_update(household=instance, version=version, by=by, source="api", **changes)

    @extend_schema(summary="The household's status events with their procedure steps",
                   responses={200: StatusEventSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None, format=None):
        """Identification, exit, return to poverty …: each event with the stages of its procedure, oldest first."""
        household = self.get_object()
        events = household.events.prefetch_related("steps").order_by("effective_on", "id")
        return Response(StatusEventSerializer(events, many=True, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="Persons (人) of the households in the account's scope"),
    retrieve=extend_schema(summary="One person", responses={200: PersonSerializer, 404: NOT_FOUND}),
    partial_update=_patch_schema(edits.PersonEditSerializer, PersonSerializer),
)
class PersonViewSet(EditMixin, ScopedReadViewSet):
    """Members of the households in scope; ID and phone numbers masked unless the role may see them."""

    model = Person
    scope = scoping.persons_visible_to
    related = ("household", "updated_by")
    serializer_class = PersonSerializer
    edit_serializer_class = edits.PersonEditSerializer
    filter_params = (
        *region_params("household__"),
        Param("household", "household_id", "integer", "id of the household"),
        Param("status", "household__status", description="poverty status code of the person's household",
              enum=HOUSEHOLD_STATUS.enum),
        Param("active", "active", "boolean", "members still in the household, or those who left"),
    )

    def edit(self, instance, *, version, by, changes):
        return services.person_update(person=instance, version=version, by=by, source="api", **changes)


@extend_schema_view(
    list=extend_schema(summary="Household yearly records (户年度信息): income lines, housing, water"),
    retrieve=extend_schema(summary="One household yearly record",
                           responses={200: HouseholdYearSerializer, 404: NOT_FOUND}),
    partial_update=_patch_schema(edits.HouseholdYearEditSerializer, HouseholdYearSerializer),
)
class HouseholdYearViewSet(EditMixin, ScopedReadViewSet):
    """One household's facts for one year; money in integer fen (分)."""

    model = HouseholdYear
    scope = scoping.household_years_visible_to
    related = ("household", "updated_by")
    serializer_class = HouseholdYearSerializer
    edit_serializer_class = edits.HouseholdYearEditSerializer
    edit_action = Action.EDIT_YEARLY_RECORD
    filter_params = (
        *region_params("household__"),
        _year(""),
        Param("household", "household_id", "integer", "id of the household"),
        Param("status", "household__status", description="poverty status code of the household (today)",
              enum=HOUSEHOLD_STATUS.enum),
        Param("housing_grade", "housing_grade", description="housing safety grade (住房安全等级)",
              enum=tuple(c.HousingGrade.values)),
    )

    def edit(self, instance, *, version, by, changes):
        return services.household_year_update(record=instance, version=version, by=by, source="api", **changes)


@extend_schema_view(
    list=extend_schema(summary="Person yearly records (人年度信息): schooling, insurance, social protection"),
    retrieve=extend_schema(summary="One person yearly record",
                           responses={200: PersonYearSerializer, 404: NOT_FOUND}),
)
class PersonYearViewSet(ScopedReadViewSet):
    """One person's facts for one year (read-only here)."""

    model = PersonYear
    scope = scoping.person_years_visible_to
    related = ("person", "updated_by")
    serializer_class = PersonYearSerializer
    filter_params = (
        *region_params("person__household__"),
        _year(""),
        Param("person", "person_id", "integer", "id of the person"),
        Param("household", "person__household_id", "integer", "id of the household"),
    )
