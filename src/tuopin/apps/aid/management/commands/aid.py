"""`tuopin aid [--year Y] [--json] --as USER`: the aid paid in the account's scope, by kind and year (and township);
`tuopin aid import FILE [--report PATH] --as USER`: a department's payment list, all or nothing (decision 1531);
`tuopin aid template OUT.xlsx`: the import's workbook. Exit 2 for usage, 3 for a refusal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.accounts.permissions import Action, require

PRINTED_PROBLEMS = 50


class Command(AccountCommand):
    help = gettext_noop("Education and medical aid paid in your scope, by kind, year and township; `aid import FILE` "
                        "loads a department's payment list; `aid template OUT` writes its workbook.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", nargs="?", choices=["import", "template"])
        parser.add_argument("file", nargs="?", help="for import: the .xlsx or .csv file; for template: where to write")
        parser.add_argument("--year", type=int, help="the township totals of one year")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--report", help="for import: where to write the problem report CSV")

    def handle(self, *args, action, file, year, json: bool, report, **options):
        if action == "template":
            from tuopin.apps.aid.imports import template_bytes

            if not file:
                raise CommandError("name the file: tuopin aid template OUT.xlsx", returncode=EXIT_USAGE)
            Path(file).write_bytes(template_bytes())
            self.stdout.write(f"template written to {file}")
            return
        user = self.acting_user(options)
        if action == "import":
            return self._import(file, report, user)
        from tuopin.apps.aid.selectors import totals

        try:
            require(user, Action.SEE_AID_FIGURES)
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        t = totals(user, year=year)
        outcome = {"total_fen": t.total_fen, "persons": t.persons,
                   "by_kind": {k: t.by_kind[k] for k, _ in t.kinds},
                   "by_year": {str(y): t.by_year[y] for y in t.years},
                   "townships": [{"code": r.code, "name": r.name, "total_fen": fen, "persons": persons}
                                 for r, fen, persons in t.by_township]}
        if json:
            self.stdout.write(_dumps(outcome))
            return
        self.stdout.write(f"{t.total_fen / 100:,.2f} yuan to {t.persons:,} persons")
        for kind, label in t.kinds:
            self.stdout.write(f"  {label}: {t.by_kind[kind] / 100:,.2f}")

    def _import(self, file, report, user):
        from tuopin.apps.aid.imports import aid_import
        from tuopin.apps.files.import_lock import ImportBusy
        from tuopin.apps.files.report import default_path, write_report

        if not file:
            raise CommandError("name the file: tuopin aid import FILE", returncode=EXIT_USAGE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}", returncode=EXIT_USAGE)
        try:
            result = aid_import(path, by=user, source="cli")
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        except ImportBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        if not result.ok:
            unmasked = user.may_see_id_numbers
            problems = [p.masked(unmasked) for p in result.problems]
            written = write_report(Path(report) if report else default_path(result.file), file=result.file,
                                   sheet="", problems=problems)
            for problem in problems[:PRINTED_PROBLEMS]:
                self.stderr.write(problem.line())
            sys.stderr.flush()
            raise InputRefused(f"import refused: {len(problems)} problem(s) in {result.file}, nothing was "
                               f"written; report: {written}")
        self.stdout.write(f"{result.file}: {result.written} payments imported, {result.total_fen / 100:,.2f} yuan")


def _dumps(outcome: dict) -> str:
    return json.dumps(outcome, ensure_ascii=False)
