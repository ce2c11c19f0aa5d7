"""The field app's JSON (decision 1560): the sheets the phone caches offline and the visits it sends back. Session
auth and CSRF like every page; thin over fieldwork's selectors and services. Each visit of a batch is stored in its
own transaction; a refused one says why, per field, in the user's language, and does not stop the others."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import households_visible_to
from tuopin.apps.fieldwork import checklist, selectors, services
from tuopin.apps.geo import selectors as geo
from tuopin.apps.geo.models import Region
from tuopin.apps.organisation.models import Cadre
from tuopin.apps.registry.models import Household
from tuopin.common.params import BadId, parse_id

from ..access import forbidden, not_found
from ..params import YearRefused, checked_year

# Roles whose offline cache would be a township or the county: they name the village they go to.
WHOLE_AREA_ROLES = ("county_admin", "commander")


def _errors(**fields) -> JsonResponse:
    return JsonResponse({"errors": {k: [str(v)] for k, v in fields.items()}}, status=400)


@login_required
@require_GET
def households(request):
    """GET /field/api/households/?year=Y[&village=id] → {"year", "households": [sheet…], "questions": [...]}."""
    user = request.user
    if not may(user, Action.RECORD_VISIT):
        raise forbidden(request, entity="fieldwork.sheet")
    try:
        year = checked_year(request.GET.get("year") or timezone.localdate().year)
    except YearRefused as exc:
        return _errors(year=exc.message)
    village = None
    if request.GET.get("village"):
        try:
            village = geo.visible_region(user, parse_id(request.GET["village"]))
        except (BadId, Region.DoesNotExist):
            raise not_found(request, entity="geo.region", entity_id=request.GET["village"]) from None
    elif user.role in WHOLE_AREA_ROLES:
        return _errors(village=_("choose the village to take offline"))
    return JsonResponse({"year": year, "households": selectors.field_households(user, year, village=village),
                         "questions": selectors.questions_json()}, json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def visits(request):
    """POST /field/api/visits/ {"visits": [...]} → {"results": [{client_id, status, visit, conflicts, errors, …}]}."""
    user = request.user
    if not may(user, Action.RECORD_VISIT):
        raise forbidden(request, entity="assistance.visit")
    limit = checklist.load()["sync_max_request_bytes"]
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        return JsonResponse({"errors": {"visits": [_("send at most %(mb)s MB at once: split the queue")
                                                   % {"mb": limit // 1048576}]}}, status=413)
    try:
        # read(), not .body: the photos make a batch larger than Django's form-data limit, checked above instead.
        body = json.loads(request.read(limit + 1) or b"{}")
        batch = body["visits"]
        if not isinstance(batch, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _errors(visits=_("send {\"visits\": [...]} as JSON"))
    return JsonResponse({"results": [_one(request, item) for item in batch]}, json_dumps_params={"ensure_ascii": False})


def _one(request, item) -> dict:
    client_id = item.get("client_id") if isinstance(item, dict) else None
    result = {"client_id": client_id, "status": "refused", "visit": None, "conflicts": [], "errors": {}}
    try:
        args = _parsed(request, item)
        with transaction.atomic():
            submitted = services.visit_submit(by=request.user, source="field", **args)
    except ValidationError as exc:
        result["errors"] = _by_field(exc)
        return result
    except PermissionDenied as exc:
        forbidden(request, entity="assistance.visit", entity_id=item.get("household", ""))  # audited
        result["errors"] = {"household": [str(exc) or _("you may not record this visit")]}
        return result
    result.update(
        status="duplicate" if submitted.duplicate else "stored", visit=submitted.visit.pk,
        conflicts=[c.as_json() for c in submitted.conflicts], proposals=[p.pk for p in submitted.proposals],
        clue=submitted.clue.pk if submitted.clue else None, open_case=submitted.open_case,
        completed_tasks=submitted.completed_tasks, notes=[str(n) for n in submitted.notes])
    return result


def _by_field(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {("visit" if k == "__all__" else k): [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"visit": [str(m) for m in exc.messages]}


def _parsed(request, item) -> dict:
    """The visit's fields as the service takes them; ValidationError naming each field that is not."""
    if not isinstance(item, dict):
        raise ValidationError({"visit": [_("a visit is a JSON object")]})
    user = request.user
    errors: dict[str, list[str]] = {}
    out: dict = {}
    try:
        out["client_id"] = uuid.UUID(str(item.get("client_id")))
    except ValueError:
        errors["client_id"] = [_("is not a UUID")]
    try:
        out["household"] = households_visible_to(user).get(pk=parse_id(item.get("household")))
    except (BadId, Household.DoesNotExist):
        not_found(request, entity="registry.household", entity_id=item.get("household"))  # audited, as a page's
        errors["household"] = [_("the household is outside your area")]
    try:
        out["on"] = dt.date.fromisoformat(str(item.get("on")))
    except ValueError:
        errors["on"] = [_("is not a date (YYYY-MM-DD)")]
    out["found"], out["done"] = str(item.get("found") or ""), str(item.get("done") or "")
    out["answers"] = _answers(item.get("answers") or [], errors)
    out["follow_ups"] = _follow_ups(item.get("follow_ups") or [], errors)
    out["photos"] = _photos(item.get("photos") or [], errors)
    if item.get("cadre") not in (None, ""):
        try:
            out["cadre"] = Cadre.objects.get(pk=parse_id(item["cadre"]))
        except (BadId, Cadre.DoesNotExist):
            errors["cadre"] = [_("unknown cadre")]
    if errors:
        raise ValidationError(errors)
    return out


def _answers(raw, errors) -> list[services.Answer]:
    out = []
    for i, a in enumerate(raw if isinstance(raw, list) else [None]):
        if not isinstance(a, dict) or not isinstance(a.get("question"), str):
            errors[f"answers.{i}"] = [_("an answer names its question")]
            continue
        person = a.get("person")
        if person is not None and (isinstance(person, bool) or not isinstance(person, int)):
            errors[f"answers.{i}.person"] = [_("name a member of the household")]
            continue
        out.append(services.Answer(a["question"], a.get("value"), person, a.get("seen")))
    return out


def _follow_ups(raw, errors) -> list[services.FollowUp]:
    out = []
    for i, f in enumerate(raw if isinstance(raw, list) else [None]):
        if not isinstance(f, dict) or not str(f.get("title") or "").strip():
            errors[f"follow_ups.{i}.title"] = [_("a task needs a title")]
            continue
        try:
            due = dt.date.fromisoformat(f["due"]) if f.get("due") else None
        except (TypeError, ValueError):
            errors[f"follow_ups.{i}.due"] = [_("is not a date (YYYY-MM-DD)")]
            continue
        out.append(services.FollowUp(str(f["title"]), due))
    return out


def _photos(raw, errors) -> list[services.Photo]:
    out = []
    for i, p in enumerate(raw if isinstance(raw, list) else [None]):
        try:
            data = p["data"]
            if "," in data[:64] and data.startswith("data:"):
                data = data.split(",", 1)[1]  # a data: URL as the canvas gives it
            out.append(services.Photo(base64.b64decode(data, validate=True), str(p.get("name") or "")))
        except (TypeError, KeyError, binascii.Error, ValueError):
            errors[f"photos.{i}"] = [_("is not a base64-encoded photo")]
    return out
