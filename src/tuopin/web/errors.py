"""Answers to requests the pages cannot serve, instead of a server error (decisions 1140 and 1141).

- `YearRefused` (`web.params`): a page saying the year is not a year (400), has no records (404) or no stored
  standard (404, with how the county office adds one).
- A database busy with another writer (`durability.busy`): 503 with Retry-After, a page in the reader's
  language or, under /api/, JSON. The middleware answers it when a view raises it; `server_error` (the project's
  handler500) when it is raised outside the view — a login's session saved by SessionMiddleware, say.
"""

from __future__ import annotations

import logging
import sys

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from tuopin.apps.durability.busy import RETRY_AFTER_SECONDS, database_busy

from .params import YearRefused

log = logging.getLogger("tuopin.web")


def busy_message() -> str:
    return _("The database is busy with another change (an import, most likely). Nothing was saved. "
             "Try again in a few seconds.")


def busy_response(request) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, else a page that needs no database to render."""
    log.warning("database busy: 503 for %s %s", request.method, request.path)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": busy_message()}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(render_to_string("503.html", {"message": busy_message()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def year_response(request, refused: YearRefused) -> HttpResponse:
    return render(request, "web/year_refused.html", {"refused": refused}, status=refused.status)


class ErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, YearRefused):
            return year_response(request, exception)
        if database_busy(exception):
            return busy_response(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: a busy database raised outside a view is still a 503; anything else is Django's 500."""
    if database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request, *args, **kwargs)
