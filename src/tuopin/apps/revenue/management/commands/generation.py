"""`tuopin generation import FILE [--report PATH] --as USER`: PV stations' monthly generation, all or nothing
(decision 1612); `tuopin generation template OUT.xlsx`: the import's workbook. Exit 2 for usage, 3 for a refusal."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused

PRINTED_PROBLEMS = 50


class Command(AccountCommand):
    help = gettext_noop("PV stations' monthly generation: `generation import FILE` loads a workbook of station "
                        "months (all or nothing); `generation template OUT` writes its workbook.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["import", "template"])
        parser.add_argument("file", nargs="?", help="for import: the .xlsx or .csv file; for template: where to write")
        parser.add_argument("--report", help="for import: where to write the problem report CSV")

    def handle(self, *args, action, file, report, **options):
        if not file:
            raise CommandError(f"name the file: tuopin generation {action} FILE", returncode=EXIT_USAGE)
        if action == "template":
            from tuopin.apps.revenue.imports import template_bytes

            Path(file).write_bytes(template_bytes())
            self.stdout.write(f"template written to {file}")
            return
        user = self.acting_user(options)
        self._import(file, report, user)

    def _import(self, file, report, user):
        from tuopin.apps.files.import_lock import ImportBusy
        from tuopin.apps.files.report import default_path, write_report
        from tuopin.apps.revenue.imports import generation_import

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}", returncode=EXIT_USAGE)
        try:
            result = generation_import(path, by=user, source="cli")
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        except ImportBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        if not result.ok:
            written = write_report(Path(report) if report else default_path(result.file), file=result.file,
                                   sheet=result.sheet, problems=result.problems)
            for problem in result.problems[:PRINTED_PROBLEMS]:
                self.stderr.write(result.where(problem))
            sys.stderr.flush()
            raise InputRefused(f"import refused: {len(result.problems)} problem(s) in {result.file}, nothing was "
                               f"written; report: {written}")
        for line in result.corrected:
            self.stdout.write(f"corrected: {line}")
        self.stdout.write(f"{result.file}: {result.created} station months written, {len(result.corrected)} "
                          f"corrected, {result.unchanged} unchanged; {result.kwh:,} kWh")
