"""`tuopin tasks sync --year Y [--county CODE] --as USER`: the year's gaps become tasks (docs/data-formats.md).

`tuopin tasks templates --year Y`: the "4+4" tasks of every pairing in force; `tuopin tasks score --period P`:
the period's assessments. County administrator only.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.accounts.permissions import Action, may


class Command(AccountCommand):
    help = gettext_noop("Gap tasks (sync), tasks from the policy coverage and the rosters' signals (coverage), the 4+4 "
                        "templates, and the period's assessments (score).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["sync", "coverage", "templates", "score"])
        parser.add_argument("--year", type=int, help="sync, coverage, templates: the assessment year")
        parser.add_argument("--period", help="score: 2018, 2018H1 or 2018Q3")
        parser.add_argument("--county", help="the county's 12-digit code (default: the only county)")
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")

    def handle(self, *args, action, year, period, county, json: bool, **options):
        user = self.acting_user(options)
        if not may(user, Action.SYNC_TASKS):
            raise InputRefused(f"{user.username} is a {user.get_role_display()}: only the county administrator "
                               f"runs `tasks {action}`")
        if action in ("sync", "coverage", "templates") and not year:
            raise CommandError(f"tasks {action} needs --year", returncode=EXIT_USAGE)
        if action == "score" and not period:
            raise CommandError("tasks score needs --period", returncode=EXIT_USAGE)
        region = self._county(county)
        try:
            outcome = self._run(action, user=user, year=year, period=period, region=region)
        except ValidationError as exc:
            raise InputRefused("; ".join(exc.messages)) from None
        if json:
            self.stdout.write(_json(outcome))
            return
        for key, value in outcome.items():
            self.stdout.write(f"{key}: {value}")

    @staticmethod
    def _county(code):
        from tuopin.apps.geo.models import Level, Region

        if not code:
            return None
        region = Region.objects.filter(code=code, level__in=(Level.COUNTY, Level.TOWNSHIP)).first()
        if region is None:
            raise CommandError(f"no county or township with code {code}", returncode=EXIT_USAGE)
        return region

    @staticmethod
    def _run(action, *, user, year, period, region) -> dict:
        from tuopin.apps.assistance import services

        if action == "sync":
            r = services.tasks_sync(year=year, region=region, by=user)
            return {"year": r.year, "gaps": r.gaps, "created": r.created, "closed": r.closed, "reopened": r.reopened,
                    "handed_over": r.handed_over, "unchanged": r.unchanged, "retitled": r.retitled,
                    "unrouted": r.unrouted, "seconds": r.seconds["total"]}
        if action == "coverage":
            from tuopin.apps.assistance.coverage_tasks import coverage_tasks_sync

            return coverage_tasks_sync(year=year, region=region, by=user).outcome()
        if action == "templates":
            return {"year": year, **services.tasks_generate_templates(year=year, region=region, by=user)}
        return services.assessments_compute(period=period, by=user)


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)
