"""Projects over the API, read-only (decision 1501): the list and a project's details, scoped by
`projects_visible_to` (the county office its county, a commander its zone, a first secretary its village).
Out of scope is 404; a role that sees no projects is 403. Money in fen."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated

from tuopin.apps.accounts import scoping
from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.projects.choices import ProjectKind, ProjectStatus
from tuopin.apps.projects.models import BudgetLine, Project

from .base import ScopedReadViewSet
from .filters import Param

NOT_FOUND = OpenApiResponse(description="no such project in the account's scope")


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["source", "amount_fen"]


class ProjectSerializer(serializers.ModelSerializer):
    villages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True,
                                            help_text="12-digit codes of the villages served")
    # Plain strings in the schema: enums named `kind` and `status` exist already.
    kind = serializers.CharField(read_only=True, help_text="pv, livestock, water, road, housing, industry, other")
    project_status = serializers.CharField(source="status", read_only=True,
                                           help_text="planned, under_way, completed, handed_over")

    class Meta:
        model = Project
        fields = ["id", "code", "kind", "name", "year", "project_status", "villages", "capacity_kw", "scale",
                  "scale_unit", "budget_fen", "spent_fen", "started_on", "completed_on", "handed_over_on",
                  "version"]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    budget = BudgetLineSerializer(source="budget_lines", many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = ProjectSerializer.Meta.fields + ["budget", "note"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Projects (项目) in the account's scope",
                       responses={200: ProjectSerializer(many=True),
                                  403: OpenApiResponse(description="the role sees no projects")}),
    retrieve=extend_schema(summary="One project, with its budget by source",
                           responses={200: ProjectDetailSerializer, 404: NOT_FOUND}),
)
class ProjectViewSet(ScopedReadViewSet):
    """Projects: PV stations, livestock bases, water works, roads, housing, industry; read-only."""

    model = Project
    scope = scoping.projects_visible_to
    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated]
    filter_params = (
        Param("kind", "kind", description="kind of project", enum=tuple(ProjectKind.values)),
        Param("status", "status", description="progress of the project", enum=tuple(ProjectStatus.values)),
        Param("year", "year", "year", "the year it was planned"),
    )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may(request.user, Action.SEE_PROJECTS):
            raise PermissionDenied("Your role sees no projects.")

    def get_queryset(self):
        qs = super().get_queryset().prefetch_related("villages").order_by("kind", "name", "pk")
        return qs.prefetch_related("budget_lines") if self.action == "retrieve" else qs

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer
