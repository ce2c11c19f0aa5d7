"""`tuopin import FILE --year Y [--dry-run] [--report PATH]`: the national person-level layout into the registry.

Validates every row before writing any; on refusal prints the errors, writes the report and exits 3.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.registry.exchange.import_lock import ImportBusy
from tuopin.apps.registry.exchange.importer import registry_import

PRINTED_PROBLEMS = 200  # the report holds every one; a terminal is not the place for 170,000 lines


class Command(AccountCommand):
    help = gettext_noop("Import a person-level file (xlsx or csv, national layout) for one year.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--year", type=int, required=True, help="the year the yearly columns belong to")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--report", help="where to write the report CSV (default under var/import-reports/)")

    def handle(self, *args, file, year, dry_run, report, **options):
        user = self.acting_user(options)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}", returncode=EXIT_USAGE)
        if not 1980 <= year <= 2100:
            raise CommandError(f"--year {year} is not a plausible year", returncode=EXIT_USAGE)
        try:
            result = registry_import(path=path, year=year, by=user, dry_run=dry_run,
                                     report=Path(report) if report else None)
        except ImportBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        if result.ignored_columns:
            self.stdout.write(f"columns not in the layout, ignored: {', '.join(result.ignored_columns)}")
        if not result.ok:
            for problem in result.problems[:PRINTED_PROBLEMS]:
                self.stderr.write(problem.line())
            more = len(result.problems) - PRINTED_PROBLEMS
            if more > 0:
                self.stderr.write(f"… and {more} more")
            sys.stderr.flush()
            raise InputRefused(f"import refused: {len(result.problems)} problem(s) in {result.file}, nothing was "
                               f"written; report: {result.report}")
        verb = "checked (dry run, nothing written)" if dry_run else "imported"
        self.stdout.write(f"{result.file}: {result.rows} rows {verb} for {year}")
        for key, value in result.counts.items():
            self.stdout.write(f"  {key}: {value}")
        if result.notices:
            self.stdout.write(f"  notices (see the report): {len(result.notices)}")
        self.stdout.write(f"report: {result.report}")
        if options.get("verbosity", 1) > 1:
            self.stdout.write("seconds: " + ", ".join(f"{k} {v}" for k, v in result.seconds.items()))
