"""`tuopin monitor --year Y [--region CODE] [--json] --as USER`: monitoring after exit (防返贫) for the account's scope.

    candidates            households the monitoring rules propose for the year (the engine, docs/data-formats.md §7)
    monitored_households  {unstable, marginal, sudden}: households under monitoring at the year's end (the cases)
    cases_open            cases open on the day (today, or the year's end for a past year)
    cases_overdue         of those, the ones undecided past their time limit
    risk_removed          cases whose risk was removed in the year
    returned_households, returned_persons   announced returns to poverty (返贫) in the year

and `townships` (for a county; `villages` for a township) with the same keys. Exit 2 for usage, 3 for a refusal.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import AccountCommand, InputRefused
from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.assessment import services
from tuopin.apps.assessment.scope import command_scope

from ...figures import monitoring_summary


class Command(AccountCommand):
    help = gettext_noop("Monitoring after exit (防返贫) for your scope: the rules' candidates, monitored households "
                        "by kind, open and overdue cases, risks removed, returns to poverty.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--region", help="a county, township or village within your scope (default: your own)")
        parser.add_argument("--json", action="store_true", help="print the JSON object of docs/data-formats.md §6")

    def handle(self, *args, year, region, json, **options):
        user = self.acting_user(options)
        try:
            require(user, Action.SEE_MONITORING)
            scope = command_scope(user, region)
            years = services.recorded_years(scope)
            if year not in years:
                raise InputRefused(services.no_records_message(scope, year, years))
            outcome = monitoring_summary(scope, year)
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        self.stdout.write(_dumps(outcome) if json else _text(outcome))


def _dumps(outcome: dict) -> str:
    return json.dumps(outcome, ensure_ascii=False)


def _line(entry: dict) -> str:
    kinds = ", ".join(f"{k} {v:,}" for k, v in entry["monitored_households"].items())
    return (f"candidates {entry['candidates']:,}; monitored {sum(entry['monitored_households'].values()):,} ({kinds}); "
            f"cases open {entry['cases_open']:,}, overdue {entry['cases_overdue']:,}; risk removed "
            f"{entry['risk_removed']:,}; returned {entry['returned_households']:,} households / "
            f"{entry['returned_persons']:,} persons")


def _text(outcome: dict) -> str:
    scope = outcome["scope"]
    lines = [f"{scope['name']} {outcome['year']}: " + _line(outcome)]
    for key in ("townships", "villages"):
        for child in outcome.get(key, []):
            lines.append(f"  {child['name']}: " + _line(child))
    return "\n".join(lines)
