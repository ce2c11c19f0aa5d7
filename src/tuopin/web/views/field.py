"""The phone app for field visits (decision 1565): one page whose script keeps the account's households, the
checklist and the unsent visits in IndexedDB, and a service worker that keeps the page itself, so a cadre opens
it and records visits without a network. The data travel through the JSON endpoints of the field API; this
module serves only the page and the worker."""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import household_years_visible_to
from tuopin.apps.fieldwork import checklist

from ..access import forbidden
from ..labels import INDICATOR_LABELS
from ..params import asked_year, this_year

# What the worker keeps so that /field/ opens offline: the page's own files and those of base.html.
SHELL_FILES = ("web/site.css", "web/field.css", "web/site.js", "vendor/htmx/htmx.min.js", "vendor/idb/umd.js",
               "web/field.js", "web/favicon.svg")


def _strings() -> dict[str, object]:
    """The script's sentences in the reader's language; `%(n)s` and `%(name)s` are filled in by the script."""
    return {
        "unsent": _("%(n)s visits not yet sent"),
        "unsent_one": _("1 visit not yet sent"),
        "all_sent": _("Every visit is sent."),
        "offline": _("Offline: visits are kept on this phone and sent when the network is back."),
        "sending": _("Sending…"),
        "refused": _("Refused by the server — correct or delete it:"),
        "noted": _("Sent; the server notes:"),
        "conflict": _("The registry changed since this phone loaded it: the first secretary reviews the change."),
        "login": _("Your session has ended: log in again to send the visits kept on this phone."),
        "too_large": _("This visit is too large to send: take fewer photos."),
        "loaded": _("Households loaded at %(time)s"),
        "not_loaded": _("No households on this phone yet: open this page once with a network."),
        "not_sent_mark": _("not yet sent"),
        "open_items": _("%(n)s gaps or tasks"),
        "no_households": _("No households match."),
        "gaps": _("Gaps"),
        "tasks": _("Open tasks"),
        "policies": _("Policies due"),
        "monitoring": _("Monitoring"),
        "visits": _("Last visits"),
        "none": _("None."),
        "checklist": _("Checklist"),
        "registered": _("Registry:"),
        "answered": _("Answered:"),
        "as_registered": _("All as registered"),
        "all_registered": _("Everything as registered (every member)"),
        "yes": _("Yes"),
        "no": _("No"),
        "last_quarter": _("Last quarter: %(value)s yuan"),
        "yuan": _("yuan"),
        "household": _("The household as a whole"),
        "found": _("Found"),
        "done": _("Done for the household"),
        "photo": _("Photo"),
        "photo_ready": _("Photo ready (%(kb)s KB)"),
        "photo_failed": _("This photo cannot be read here: take it again with the camera."),
        "follow_up": _("Follow-up task"),
        "follow_up_title": _("What is to be done"),
        "due": _("Due"),
        "in_week": _("In a week"),
        "in_two_weeks": _("In two weeks"),
        "in_month": _("In a month"),
        "save": _("Save the visit"),
        "back": _("Back to the list"),
        "saved": _("Saved on this phone; it is sent when the network allows."),
        "delete": _("Delete"),
        "dismiss": _("Understood"),
        "members": _("Members"),
        # The fields a refused visit's errors name (answers are named by their question).
        "fields": {"on": _("Visit date"), "household": _("Household number"), "photos": _("Photo"),
                   "follow_ups": _("Follow-up task"), "cadre": _("Cadre"), "visit": _("Visit"),
                   "client_id": _("Visit")},
        "indicators": {name: str(label) for name, label in INDICATOR_LABELS.items()},
    }


def _field_year(request) -> int:
    """The year asked, else the last one whose yearly records the account sees (the checklist shows the registry's
    values of that year), else this year."""
    year = asked_year(request)
    if year is None:
        year = household_years_visible_to(request.user).aggregate(m=Max("year"))["m"] or this_year()
    return year


@never_cache
@login_required
def field_app(request):
    if not may(request.user, Action.USE_FIELD_APP):
        raise forbidden(request, entity="fieldwork.app")
    return render(request, "web/field.html", {
        "year": _field_year(request), "strings": _strings(),
        "api": _api_urls(), "max_request_bytes": checklist.load()["sync_max_request_bytes"],
    })


def _api_urls() -> dict[str, str]:
    return {"households": reverse("web:field_api_households"), "visits": reverse("web:field_api_visits"),
            "scope": reverse("web:field"), "worker": reverse("web:field_worker")}


def _shell_version(urls: list[str]) -> str:
    """Changes whenever a file of the shell changes, so that a new worker replaces the old cache: the demo serves
    unhashed static names, so the files' contents are hashed, not only their URLs."""
    digest = hashlib.sha256("\n".join(urls).encode())
    for name in SHELL_FILES:
        path = finders.find(name)
        if path:
            with open(path, "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()[:16]


@never_cache
def field_worker(request):
    """The service worker, served under /field/ so that its scope is the app; no login needed (it holds no data,
    and the browser fetches it again outside a session)."""
    shell = [static(name) for name in SHELL_FILES]
    config = {"page": reverse("web:field"), "shell": shell, "version": _shell_version(shell),
              "api": reverse("web:field_api_households").rsplit("/", 2)[0] + "/"}
    with open(finders.find("web/field-sw.js"), encoding="utf-8") as f:
        body = f"const CONFIG = {json.dumps(config)};\n{f.read()}"
    return HttpResponse(body, content_type="application/javascript; charset=utf-8")
