"""The one place where the service layer's exceptions become HTTP answers (the REST_FRAMEWORK
`EXCEPTION_HANDLER`), so views call services without a try/except of their own:

- a stale edit (StaleEdit) is 409 with the service's message and the version now stored (decision 0906);
- a refusal of the permission layer (Django's PermissionDenied, `Refused`) is 403 with its reason, and the view
  writes it to the audit trail (failed authorisation is logged);
- the validation layer's ValidationError is 400 with the errors by field, as a serializer's would be;
- a database busy with another writer (an import) is 503 with Retry-After, and nothing was written (decision 1141).
Everything else is DRF's own handling."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tuopin.apps.durability.busy import RETRY_AFTER_SECONDS, database_busy
from tuopin.common.versioning import StaleEdit


def exception_handler(exc, context):
    if database_busy(exc):
        return Response({"detail": _("The database is busy with another change (an import, most likely). Nothing "
                                     "was saved. Try again in a few seconds.")},
                        status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(exc, StaleEdit):
        return Response({"detail": str(exc), "current_version": exc.instance.version},
                        status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoPermissionDenied):
        audit = getattr(context.get("view"), "audit_refusal", None)
        if audit is not None:
            audit(context["request"], str(exc))
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    return drf_exception_handler(exc, context)
