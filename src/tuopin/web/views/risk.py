"""The risk score's ranked list (decision 1421): the households of the account's scope most likely to enter
monitoring next year, each with the factors that push its score, for the county office and the war zones to send
visits. A list to act on by visiting, never a decision: the page links each household to its page, where a clue
may be recorded through the monitoring procedure."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.monitoring import risk

from ..access import forbidden
from ..params import asked_year
from .actions import run

ENTITY = "monitoring.risk"
TOP = 100


@login_required
def risk_list(request):
    user = request.user
    if not may(user, Action.SEE_RISK_SCORES):
        raise forbidden(request, entity=ENTITY)
    year = asked_year(request) or risk.default_year()
    missing = None
    rows = []
    try:
        card = risk.load_model().card
        outcome = run(request, lambda: risk.risk_ranking(account=user, year=year, top=TOP), entity=ENTITY)
        rows = outcome.value if outcome else []
    except risk.RiskModelMissing as exc:
        card, missing = {}, str(exc)
    ranked = [{"r": r, "factors": [(risk.factor_label(name), value, push) for name, value, push in r.factors]}
              for r in rows]
    return render(request, "web/risk.html", {"year": year, "ranked": ranked, "card": card, "missing": missing,
                                             "top": TOP})
