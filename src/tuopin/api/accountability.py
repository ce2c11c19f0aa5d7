"""Tasks and visits over the API (decision 0801): lists and details scoped by `tasks_visible_to` /
`visits_visible_to`, a visit recorded by POST, a task completed by POST — both through the assistance services
with `source="api"`. Out of scope is 404; a role that does not work on tasks or visits is 403."""

from __future__ import annotations

from django.db.models import BooleanField, Case, When
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tuopin.apps.accounts import scoping
from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.assistance import services
from tuopin.apps.assistance.models import Task, TaskEvent, TaskStatus, Visit
from tuopin.apps.assistance.visits import FollowUp
from tuopin.apps.organisation.models import Cadre
from tuopin.apps.registry.models import Household

from .base import ConflictSerializer, ScopedReadViewSet
from .filters import Param, region_params
from .serializers import MaskedTextField

NOT_FOUND = OpenApiResponse(description="no such record in the account's scope")


class TaskEventSerializer(serializers.ModelSerializer):
    note = MaskedTextField()

    class Meta:
        model = TaskEvent
        fields = ["kind", "at", "by_name", "note"]


class TaskSerializer(serializers.ModelSerializer):
    village = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True, allow_null=True, default=None)
    owner_cadre_name = serializers.CharField(source="owner_cadre.name", read_only=True, allow_null=True,
                                             default=None)
    detail = MaskedTextField()
    # A plain string in the schema: an enum would collide with the household's `status` enum's name.
    status = serializers.CharField(read_only=True, help_text="open (待办), done (已完成), resolved (the gap "
                                   "disappeared), handed (handed over to a new owner)")
    overdue = serializers.SerializerMethodField()
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              help_text="account that saved the current version (empty: as generated)")

    class Meta:
        model = Task
        fields = ["id", "kind", "template", "household", "village", "indicator", "year", "owner_unit",
                  "owner_unit_name", "owner_cadre", "owner_cadre_name", "title", "detail", "due", "status",
                  "opened_on", "closed_on", "version", "updated_at", "updated_by", "overdue"]
        read_only_fields = fields

    def get_overdue(self, task) -> bool:
        return task.status == TaskStatus.OPEN and task.due is not None and task.due < timezone.localdate()


class TaskDetailSerializer(TaskSerializer):
    history = TaskEventSerializer(source="events", many=True, read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = TaskSerializer.Meta.fields + ["history"]
        read_only_fields = fields


class TaskCompleteSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="the version of the task the client read; a task "
                                       "changed since (by a person or the sync) is refused with 409")
    text = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 help_text="the evidence in words; a text, a photo or both")
    photo = serializers.FileField(required=False, help_text="JPEG or PNG, at most 5 MB (checked by its bytes)")


class VisitSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    found = MaskedTextField()
    done = MaskedTextField()

    class Meta:
        model = Visit
        fields = ["id", "household", "cadre", "cadre_name", "on", "found", "done", "trip"]
        read_only_fields = fields


class FollowUpSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due = serializers.DateField(required=False, allow_null=True)


class VisitCreateSerializer(serializers.Serializer):
    household = serializers.IntegerField(help_text="id of a household in the account's scope")
    cadre = serializers.IntegerField(required=False, help_text="the visiting cadre (a cadre account: itself)")
    on = serializers.DateField(required=False, help_text="the day of the visit; today if left out")
    found = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    done = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    follow_ups = FollowUpSerializer(many=True, required=False)


@extend_schema_view(
    list=extend_schema(summary="Tasks (任务) in the account's scope, soonest due first"),
    retrieve=extend_schema(summary="One task with its history", responses={200: TaskDetailSerializer,
                                                                          404: NOT_FOUND}),
)
class TaskViewSet(ScopedReadViewSet):
    """Tasks: the "4+4", gaps made tasks by the sync, visit follow-ups; each with its owner and due date."""

    model = Task
    scope = scoping.tasks_visible_to
    related = ("village", "owner_unit", "owner_cadre", "updated_by")
    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated]  # completing is for owners of any working role; the service decides
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_params = (
        *region_params(""),
        Param("status", "status", description="task status", enum=tuple(TaskStatus.values)),
        Param("indicator", "indicator", description="the gap's indicator (income, housing, …)"),
        Param("kind", "kind", description="unit4, cadre4, gap, visit_followup, rectification"),
        Param("household", "household_id", "integer", "id of the household"),
        Param("owner_unit", "owner_unit_id", "integer", "id of the owning unit"),
        Param("owner_cadre", "owner_cadre_id", "integer", "id of the owning cadre"),
        Param("overdue", "overdue", "boolean", "open tasks past their due date (true) or the others"),
    )

    def get_queryset(self):
        # `overdue` is not a column: open and due before today, annotated so the `overdue` filter can use it.
        today = timezone.localdate()
        qs = super().get_queryset().annotate(overdue=Case(When(status=TaskStatus.OPEN, due__lt=today, then=True),
                                                          default=False, output_field=BooleanField()))
        qs = qs.order_by("due", "pk")
        if self.action == "retrieve":
            qs = qs.prefetch_related("events")
        return qs

    def get_serializer_class(self):
        return TaskDetailSerializer if self.action == "retrieve" else TaskSerializer

    @extend_schema(summary="Complete a task with evidence (text and/or photo)", request=TaskCompleteSerializer,
                   responses={200: TaskDetailSerializer, 400: OpenApiResponse(description="no evidence, a photo "
                              "that is not JPEG or PNG, or a task that is not open"),
                              403: OpenApiResponse(description="not the account's task to complete"),
                              404: NOT_FOUND,
                              409: OpenApiResponse(ConflictSerializer, description="the task changed since the "
                                                   "client read it: who changed it, when, and the current version")})
    @action(detail=True, methods=["post"], filter_backends=[])
    def complete(self, request, pk=None, format=None):
        task = self.get_object()
        if not may(request.user, Action.WORK_ON_TASKS):
            raise PermissionDenied("Your role does not work on tasks.")
        form = TaskCompleteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.task_complete(task=task, by=request.user, text=form.validated_data.get("text", ""),
                               photo=form.validated_data.get("photo"), version=form.validated_data["version"],
                               source="api")
        fresh = self.get_queryset().prefetch_related("events").get(pk=task.pk)
        return Response(TaskDetailSerializer(fresh, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="Visits (走访) in the account's scope, newest first"),
    retrieve=extend_schema(summary="One visit", responses={200: VisitSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary="Record a visit, with optional follow-up tasks", request=VisitCreateSerializer,
                         responses={201: VisitSerializer, 400: OpenApiResponse(description="field errors"),
                                    403: OpenApiResponse(description="the role does not record visits"),
                                    404: OpenApiResponse(description="no such household in the account's scope")}),
)
class VisitViewSet(mixins.CreateModelMixin, ScopedReadViewSet):
    """Visits ("1+1"): who visited which household when, what was found and done."""

    model = Visit
    scope = scoping.visits_visible_to
    related = ("cadre",)
    serializer_class = VisitSerializer
    permission_classes = [IsAuthenticated]
    filter_params = (
        *region_params("household__"),
        Param("household", "household_id", "integer", "id of the household"),
        Param("cadre", "cadre_id", "integer", "id of the visiting cadre"),
    )

    def get_queryset(self):
        return super().get_queryset().order_by("-on", "-pk")

    def get_serializer_class(self):
        return VisitCreateSerializer if self.action == "create" else VisitSerializer

    def create(self, request, *args, **kwargs):
        user = request.user
        if not may(user, Action.RECORD_VISIT):
            self.permission_denied(request, message="Your role does not record visits.")
        form = VisitCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        household = scoping.households_visible_to(user).filter(pk=data["household"]).first()
        if household is None:
            raise NotFound("No such household in your scope.")
        cadre = self._cadre(user, data.get("cadre"), household)
        follow_ups = [FollowUp(f["title"], f.get("due")) for f in data.get("follow_ups", [])]
        visit = services.visit_record(household=household, cadre=cadre, on=data.get("on") or timezone.localdate(),
                                      by=user, found=data.get("found", ""), done=data.get("done", ""),
                                      follow_ups=follow_ups, source="api")
        return Response(VisitSerializer(visit, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @staticmethod
    def _cadre(user, cadre_id, household: Household) -> Cadre:
        if user.role == "cadre":
            if cadre_id not in (None, user.cadre_id):
                raise PermissionDenied("A cadre records their own visits.")
            return user.cadre
        if cadre_id is None:
            raise ValidationError({"cadre": ["Name the visiting cadre."]})
        cadre = Cadre.objects.filter(pk=cadre_id).first()
        if cadre is None:
            raise ValidationError({"cadre": ["No such cadre."]})
        return cadre
