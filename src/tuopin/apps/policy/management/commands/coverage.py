"""`tuopin coverage --year Y [--region CODE] [--json] [--data DIR] --as USER`: every policy to every eligible person
(倒查正推) for the account's scope — per policy of the catalogue, the persons eligible, covered, eligible and not
covered, covered and not eligible; and the rosters' signals by kind (docs/data-formats.md §6, §7). A department sees
its domain's policies. Exit 2 for usage, 3 for a refusal."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import AccountCommand, InputRefused
from tuopin.apps.accounts.models import Role
from tuopin.apps.assessment import services
from tuopin.apps.assessment.scope import command_scope

from ... import coverage


class Command(AccountCommand):
    help = gettext_noop("Every policy to every eligible person (倒查正推) for your scope: per policy, persons eligible "
                        "and covered, the gaps both ways; and the signals of the departments' rosters.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--region", help="a county, township or village within your scope (default: your own)")
        parser.add_argument("--data", metavar="DIR", help="a snapshot folder (Parquet) instead of the live registry")
        parser.add_argument("--json", action="store_true", help="print the JSON object of docs/data-formats.md §6")

    def handle(self, *args, year, region, data, json, **options):
        user = self.acting_user(options)
        try:
            shown = coverage.policies_for(user)
            if data:
                if user.role != Role.COUNTY_ADMIN:
                    raise InputRefused(f"{user.username}: a snapshot folder is read by the county office only")
                outcome = coverage.from_folder(data, year=year)
            else:
                scope = command_scope(user, region)
                years = services.recorded_years(scope)
                if year not in years:
                    raise InputRefused(services.no_records_message(scope, year, years))
                outcome = coverage.summary(coverage.run(year=year, region=scope, persons=False), scope, only=shown)
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        except ValidationError as exc:
            raise InputRefused("; ".join(exc.messages)) from None
        self.stdout.write(_dumps(outcome) if json else _text(outcome))


def _dumps(outcome: dict) -> str:
    return json.dumps(outcome, ensure_ascii=False)


def _text(outcome: dict) -> str:
    scope = outcome["scope"]
    lines = [f"{scope['name']} {outcome['year']}: eligible / covered / eligible not covered / covered not eligible"]
    for p in outcome["policies"]:
        lines.append(f"  {p['name']} ({p['code']}): {p['eligible']:,} / {p['covered']:,} / "
                     f"{p['eligible_not_covered']:,} / {p['covered_not_eligible']:,}")
    lines.append("signals: " + ", ".join(f"{k} {v:,}" for k, v in outcome["signals"].items()))
    return "\n".join(lines)
