"""How pages refuse: out of scope is 404 (it also hides whether the record exists), in scope but not
editable is 403, and every refusal is written to the audit trail (failed authorisation is logged)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tuopin.apps.accounts.models import ADMINISTRATIVE_ROLES
from tuopin.apps.audit.services import audit_event


def _record(request, *, status: int, entity: str, entity_id) -> None:
    audit_event(actor=request.user if request.user.is_authenticated else None, action="access_refused",
                entity=entity, entity_id=str(entity_id), summary=f"{status} {request.method} {request.path}")


def not_found(request, *, entity: str, entity_id) -> Http404:
    _record(request, status=404, entity=entity, entity_id=entity_id)
    return Http404()


def forbidden(request, *, entity: str = "", entity_id="") -> PermissionDenied:
    _record(request, status=403, entity=entity, entity_id=entity_id)
    return PermissionDenied()


def is_administrator(user) -> bool:
    """System, security and audit administrators (三员分立) see no household data at all."""
    return user.role in ADMINISTRATIVE_ROLES


# Roles whose scope is a whole area: they see the engine's figures of the areas they may open. A pairing cadre
# sees single households, so an area's figures (incidence, a village's gap list) are not theirs (decision 0601).
AREA_ROLES = ("county_admin", "commander", "first_secretary", "department", "evaluator")


def sees_area_figures(user) -> bool:
    return user.role in AREA_ROLES


# The village public-notice list (公示名单) is posted by those who run the village's procedure.
NOTICE_ROLES = ("county_admin", "commander", "first_secretary")


def may_print_notice_list(user) -> bool:
    return user.role in NOTICE_ROLES
