"""`tuopin evaluation create|show|export`: the evaluation round (第三方评估) from the command line.

    tuopin evaluation create --data-year 2018 [--held-in 2019] [--name N] [--seed S] [--county CODE] --as USER
    tuopin evaluation show ROUND [--json] --as USER        三率一度 with their 95 % intervals
    tuopin evaluation export ROUND FILE.xlsx --as USER     the sample and findings, ID numbers masked

The acting account's role decides as on the pages (decision 1240): the county office or the evaluator draws, both
read; the round must be of the account's county. Exit 2 for usage, 3 for a refusal.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused


class Command(AccountCommand):
    help = gettext_noop("Evaluation rounds (第三方评估): draw the sample, show 三率一度, export the sample masked.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["create", "show", "export"])
        parser.add_argument("round", nargs="?", type=int, help="show, export: the round's number")
        parser.add_argument("file", nargs="?", help="export: the xlsx file to write")
        parser.add_argument("--data-year", type=int, help="create: the year of the data evaluated")
        parser.add_argument("--held-in", type=int, help="create: the year the round is held (default: data year + 1)")
        parser.add_argument("--name", help="create: the round's name")
        parser.add_argument("--seed", type=int, default=0, help="create: the draw's seed (repeatable)")
        parser.add_argument("--county", help="create: the county's 12-digit code (default: the account's county)")
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")

    def handle(self, *args, action, round, file, data_year, held_in, name, seed, county, json, **options):
        user = self.acting_user(options)
        try:
            if action == "create":
                outcome = self._create(user, data_year, held_in, name, seed, county)
            else:
                if round is None:
                    raise CommandError(f"evaluation {action} needs the round's number", returncode=EXIT_USAGE)
                round_ = self._round(user, round)
                if action == "show":
                    outcome = _result(round_)
                else:
                    if not file:
                        raise CommandError("evaluation export needs the file to write", returncode=EXIT_USAGE)
                    outcome = self._export(user, round_, Path(file))
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        except ValidationError as exc:
            raise InputRefused("; ".join(exc.messages)) from None
        if json:
            self.stdout.write(_dumps(outcome))
            return
        for key, value in outcome.items():
            self.stdout.write(f"{key}: {value}")

    @staticmethod
    def _create(user, data_year, held_in, name, seed, county):
        from tuopin.apps.evaluation.services import evaluation_round_create
        from tuopin.apps.geo.models import Level, Region

        if not data_year:
            raise CommandError("evaluation create needs --data-year", returncode=EXIT_USAGE)
        region = (Region.objects.filter(code=county, level=Level.COUNTY).first() if county
                  else Region.objects.filter(pk=user.region_id, level=Level.COUNTY).first())
        if region is None:
            raise CommandError(f"no county with code {county}" if county else "name the county with --county",
                               returncode=EXIT_USAGE)
        held_in = held_in or data_year + 1
        round_ = evaluation_round_create(county=region, data_year=data_year, held_in=held_in, by=user, seed=seed,
                                         name=name or f"{held_in}年第三方评估", source="cli")
        return {"round": round_.pk, "name": round_.name, "county": region.code, "data_year": data_year,
                "held_in": held_in, "seed": seed, "villages": round_.villages.count(),
                "households": round_.households.count()}

    @staticmethod
    def _round(user, pk):
        from tuopin.apps.evaluation.models import EvaluationRound
        from tuopin.apps.evaluation.selectors import round_for

        try:
            return round_for(user, pk)
        except EvaluationRound.DoesNotExist:
            raise InputRefused(f"no evaluation round {pk} within {user.username}'s reach") from None

    @staticmethod
    def _export(user, round_, path: Path):
        from tuopin.apps.evaluation.export import round_xlsx

        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"{path}: the export is an .xlsx file", returncode=EXIT_USAGE)
        path.write_bytes(round_xlsx(round_, by=user, source="cli"))
        return {"round": round_.pk, "file": str(path), "households": round_.households.count(),
                "id_numbers": "masked"}


def _result(round_) -> dict:
    from tuopin.apps.evaluation.services import county_exit_result

    r = county_exit_result(round_)
    out = {"round": round_.pk, "name": round_.name, "county": round_.county.code, "data_year": round_.data_year}
    for key in ("comprehensive_incidence", "wrong_exit_rate", "omission_rate", "recognition"):
        out[key] = r.get(key)
        out[f"{key}_ok"] = bool(r.get(f"{_ok(key)}_ok"))
    for key, interval in r["intervals"].items():
        out[f"{key}_interval"] = list(interval) if interval else None
    out["passes"] = r["passes"]
    return out


def _ok(key: str) -> str:
    return {"comprehensive_incidence": "incidence", "wrong_exit_rate": "wrong_exit", "omission_rate": "omission",
            "recognition": "recognition"}[key]


def _dumps(outcome: dict) -> str:
    return json.dumps(outcome, ensure_ascii=False, sort_keys=True, default=str)
