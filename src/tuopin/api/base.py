"""What every registry endpoint shares: the scoped queryset, paging, the write permission and the audit of
refused writes (the service errors become HTTP answers in `errors.py`).

Views stay thin: reads start from `tuopin.apps.accounts.scoping` (so an object outside the account's scope
is a 404, on lists and details alike) and writes call the registry services with `source="api"`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.audit.services import audit_event
from tuopin.common.params import BadId, parse_id

from .filters import ParamFilter


class RegistryPagination(LimitOffsetPagination):
    # A cap, so that one request cannot pull a whole county's roster; exports go through `tuopin export`.
    default_limit = 50
    max_limit = 500


class MayEditRegistry(BasePermission):
    """Reading is for every authenticated account (scoping decides what it sees); editing is the permission
    layer's decision (`view.edit_action`), asked again by the service for the record itself."""

    message = gettext_lazy("Your role may read these records but not edit them.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return may(request.user, getattr(view, "edit_action", Action.EDIT_REGISTRY))


class ConflictSerializer(serializers.Serializer):
    """The body of a 409: the service's message and the version now stored."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField()


class ScopedReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve over `scope(user)`; subclasses name the scope function and their filters."""

    model = None  # the model listed, for the audit line of a refused write
    scope = None  # a function user -> QuerySet from tuopin.apps.accounts.scoping
    related: tuple[str, ...] = ()  # select_related paths the serializer reads
    filter_params: tuple = ()
    filter_backends = [ParamFilter]
    pagination_class = RegistryPagination
    permission_classes = [IsAuthenticated, MayEditRegistry]
    lookup_value_regex = "[0-9]{1,19}"  # ids; get_object refuses 0 and numbers beyond 64 bits (decision 1140)

    def get_object(self):
        if self.lookup_field == "pk":
            try:
                parse_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
            except BadId:
                raise NotFound() from None
        return super().get_object()

    def get_queryset(self):
        qs = type(self).scope(self.request.user)
        return qs.select_related(*self.related) if self.related else qs

    def permission_denied(self, request, message=None, code=None):
        self.audit_refusal(request, message)
        super().permission_denied(request, message=message, code=code)

    def audit_refusal(self, request, message) -> None:
        """A refused write by a signed-in account is worth a line in the audit trail (ASVS V16: failed authz);
        refusals raised by a service reach here through `errors.exception_handler`."""
        if request.user and request.user.is_authenticated and request.method not in SAFE_METHODS:
            audit_event(actor=request.user, action="refused", source="api",
                        entity=self.model._meta.label_lower if self.model is not None else "",
                        entity_id=str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")),
                        summary=f"{request.method} {request.path}: {message or 'permission denied'}")


class EditMixin:
    """PATCH through a registry service: the body names the `version` it read; stale → 409, invalid → 400."""

    edit_serializer_class: type[serializers.Serializer]

    def edit(self, instance, *, version: int, by, changes: dict):
        """Call the service; subclasses implement it."""
        raise NotImplementedError

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        form = self.edit_serializer_class(instance, data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        changes = dict(form.validated_data)
        version = changes.pop("version")
        updated = self.edit(instance, version=version, by=request.user, changes=changes)
        fresh = self.get_queryset().get(pk=updated.pk)
        return Response(self.get_serializer(fresh).data)
