"""`tuopin risk train|rank|validate`: the risk score beside the monitoring rules (decision 1421).

    tuopin risk train [--json] --as USER                   train on the registry, validated out of time
    tuopin risk rank [--year Y] [--top N] [--json] --as USER   the scope's households to visit first
    tuopin risk validate --data DIR [--json] --as USER     validate on a snapshot folder (nothing saved)

Training and validating take the county office; ranking the county office or a commander (its zone).
Exit 2 for usage, 3 for a refusal or when no model is trained yet.
"""

from __future__ import annotations

import json

import duckdb
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin import standards
from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.accounts.permissions import Action, require
from tuopin.engine.connection import register_parquet
from tuopin.risk.features import features
from tuopin.risk.validate import validate

from ... import risk


class Command(AccountCommand):
    help = gettext_noop("The risk score beside the monitoring rules: train it on the registry, rank the households "
                        "of your scope, validate it on a snapshot folder.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["train", "rank", "validate"])
        parser.add_argument("--year", type=int, help="rank: households at the end of this year (default: last year)")
        parser.add_argument("--top", type=int, default=50, help="rank: how many households (default 50)")
        parser.add_argument("--data", metavar="DIR", help="validate: a snapshot folder of several years")
        parser.add_argument("--county", default="000000", help="validate: the standards' division code")
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")

    def handle(self, *args, action, year, top, data, county, json, **options):
        user = self.acting_user(options)
        try:
            if action == "train":
                outcome = risk.risk_train(account=user)
            elif action == "rank":
                year = year or risk.default_year()
                outcome = {"year": year, "households": [_ranked(r) for r in
                                                        risk.risk_ranking(account=user, year=year, top=top)]}
            else:
                outcome = {"validation": self._validate(user, data, county)}
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        except risk.RiskModelMissing as exc:
            raise InputRefused(str(exc)) from None
        self.stdout.write(_dumps(outcome) if json else risk.outcome_text(action, outcome))

    def _validate(self, user, data, county) -> list[dict]:
        require(user, Action.TRAIN_RISK_MODEL)
        if not data:
            raise CommandError("risk validate needs --data DIR", returncode=EXIT_USAGE)
        con = duckdb.connect()
        register_parquet(con, data)
        years = [y for (y,) in con.execute(
            "SELECT DISTINCT y.year FROM households_yearly y WHERE EXISTS (SELECT 1 FROM status_events e "
            "WHERE e.kind IN ('monitoring_in', 'returned') AND YEAR(e.effective_on) = y.year + 1) "
            "ORDER BY 1").fetchall()]
        if len(years) < 3:
            raise InputRefused(f"{data}: validation needs three years followed by entries into monitoring; "
                               f"found {len(years)}")
        rules_in_force = standards.load(county)
        table = features(con, rules_in_force, years)

        def candidates(year: int) -> set[int]:
            other = duckdb.connect()
            register_parquet(other, data, year=year)
            return risk.rule_candidates(other, rules_in_force, year)

        return validate(table, years[-2:], candidates=candidates)


def _ranked(r: risk.Ranked) -> dict:
    return {"household_id": r.household_id, "number": r.number, "township": r.township, "village": r.village,
            "score": round(r.score, 4),
            "factors": [{"factor": name, "label": risk.factor_label(name), "value": round(value, 4),
                         "push": round(push, 4)} for name, value, push in r.factors]}


def _dumps(outcome) -> str:
    return json.dumps(outcome, ensure_ascii=False, indent=1)
