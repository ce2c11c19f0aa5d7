"""How pages refuse: out of scope is 404 (it also hides whether the record exists), in scope but not
editable is 403, and every refusal is written to the audit trail (failed authorisation is logged)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tuopin.apps.accounts.permissions import ADMINISTRATIVE_ROLES, Action, Refused, may
from tuopin.apps.audit.services import audit_event


def _record(request, *, status: int, entity: str, entity_id) -> None:
    # What the request named, as the trail can keep it: a refused value may carry control characters (a NUL, which
    # PostgreSQL refuses in text), and a refusal must never fail on its own record.
    named = "".join(ch for ch in str(entity_id) if ch.isprintable())[:40]
    audit_event(actor=request.user if request.user.is_authenticated else None, action="access_refused",
                entity=entity, entity_id=named, summary=f"{status} {request.method} {request.path}")


def not_found(request, *, entity: str, entity_id) -> Http404:
    _record(request, status=404, entity=entity, entity_id=entity_id)
    return Http404()


def forbidden(request, *, entity: str = "", entity_id="") -> PermissionDenied:
    _record(request, status=403, entity=entity, entity_id=entity_id)
    return PermissionDenied()


def is_administrator(user) -> bool:
    """System, security and audit administrators (三员分立) see no household data at all."""
    return user.role in ADMINISTRATIVE_ROLES


def sees_area_figures(user) -> bool:
    """An area's figures (incidence, a village's gap list) are for roles whose scope is an area (decision 0601)."""
    return may(user, Action.SEE_AREA_FIGURES)


def may_print_notice_list(user) -> bool:
    """The village public-notice list (公示名单) is posted by those who run the village's procedure."""
    return may(user, Action.PRINT_NOTICE_LIST)


class RefusalAuditMiddleware:
    """A refusal raised by the permission layer inside a service reaches the page as a 403; it is written to the
    audit trail here, after the service's transaction has rolled back (a record made inside it would be lost)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refused):
            audit_event(actor=request.user if request.user.is_authenticated else None, action="access_refused",
                        entity=exception.action, summary=f"403 {request.method} {request.path}: {exception.reason}")
        return None
