"""Search by name, household number (户编号) or ID number. The form is POSTed, never put in the URL:
names and ID numbers must not land in browser history, proxy logs or the Referer header."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tuopin.apps.registry.selectors import household_search

from ..access import forbidden, is_administrator
from ..forms import SearchForm


@login_required
@require_http_methods(["GET", "POST"])
def search(request):
    if is_administrator(request.user):
        raise forbidden(request, entity="search")
    form = SearchForm(request.POST or None)
    result = household_search(request.user, form.cleaned_data["q"]) if request.method == "POST" and form.is_valid() else None
    partial = request.headers.get("HX-Request") == "true"
    template = "web/_search_results.html" if partial else "web/search.html"
    return render(request, template, {"form": form, "result": result})
