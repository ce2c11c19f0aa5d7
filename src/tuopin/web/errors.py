"""Answers to requests the pages cannot serve, instead of a server error (decision 1140).

- `YearRefused` (`web.params`): a page saying the year is not a year (400), has no records (404) or no stored
  standard (404, with how the county office adds one).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from .params import YearRefused


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
        return None
