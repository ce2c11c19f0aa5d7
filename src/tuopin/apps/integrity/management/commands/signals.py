"""`tuopin signals [--year Y] [--region CODE] [--json] --as USER`: run the signals that figures may be gamed (数字脱贫)
for the year over the county (or a township), keep the findings and route each to its township as a verification
task (核查); print the findings by kind. The county office only (decision 1593). Default year: the latest year the
registry records. JSON keys (stable): year, scope, counts {kind: findings}, created, tasks_created, reopened, closed,
findings [{kind, key, township, village, households, cadres, figures, explanation, task}]. Exit 3 for a refusal."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import AccountCommand, InputRefused
from tuopin.apps.assessment import services as assessment
from tuopin.apps.assessment.scope import command_scope
from tuopin.apps.organisation.selectors import code_prefix
from tuopin.standards import signals as catalogue

from ...models import Finding
from ...services import signals_run


class Command(AccountCommand):
    help = gettext_noop("Signals that figures may be gamed (数字脱贫) for a year: run the rules, keep the findings and "
                        "route each to its township as a verification task.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, help="the year (default: the latest the registry records)")
        parser.add_argument("--region", help="a township within your county (default: the county)")
        parser.add_argument("--json", action="store_true", help="print one JSON object (docs/commands.md)")

    def handle(self, *args, year, region, json, **options):
        user = self.acting_user(options)
        try:
            scope = command_scope(user, region)
            years = assessment.recorded_years(scope)
            year = year or (max(years) if years else None)
            if year not in years:
                raise InputRefused(assessment.no_records_message(scope, year, years))
            run = signals_run(year=year, by=user, region=scope, source="cli")
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        except ValidationError as exc:
            raise InputRefused("; ".join(exc.messages)) from None
        findings = Finding.objects.filter(year=year, current=True, township__code__startswith=code_prefix(scope)) \
            .select_related("township", "village").order_by("kind", "key")
        outcome = {"year": year, "scope": {"code": scope.code, "name": scope.name},
                   "counts": {k: run.found.get(k, 0) for k in catalogue.KINDS},
                   "created": run.created, "tasks_created": run.tasks_created, "reopened": run.reopened,
                   "closed": run.closed,
                   "findings": [{"kind": f.kind, "key": f.key, "township": f.township.code,
                                 "village": f.village.code if f.village else None, "households": f.households,
                                 "cadres": f.cadres, "figures": f.figures, "explanation": f.explanation,
                                 "task": f.task_id} for f in findings]}
        self.stdout.write(_dumps(outcome) if json else _text(outcome))


def _dumps(outcome: dict) -> str:
    return json.dumps(outcome, ensure_ascii=False)


def _text(outcome: dict) -> str:
    lines = [f"{outcome['scope']['name']} {outcome['year']}: signals to verify (核查), by kind"]
    for kind, n in outcome["counts"].items():
        lines.append(f"  {kind}: {n}")
    lines.append(f"new findings {outcome['created']}, verification tasks made {outcome['tasks_created']}, "
                 f"reopened {outcome['reopened']}, closed {outcome['closed']}")
    return "\n".join(lines)
