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
from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.assessment import services
from tuopin.apps.geo.models import Level, Region

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
            scope = self._region(user, region)
            years = services.recorded_years(scope)
            if year not in years:
                raise InputRefused(services.no_records_message(scope, year, years))
            outcome = monitoring_summary(scope, year)
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        self.stdout.write(_dumps(outcome) if json else _text(outcome))

    def _region(self, user, code: str | None) -> Region:
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise CommandError(f"no region with code {code}", returncode=EXIT_USAGE)
        else:
            region = user.region if user.region and user.region.level in (
                Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE) else services.default_scope()
        if not regions_visible_to(user).filter(pk=region.pk).exists():
            raise CommandError(f"{region} is outside the scope of {user.username}", returncode=EXIT_USAGE)
        return region


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
