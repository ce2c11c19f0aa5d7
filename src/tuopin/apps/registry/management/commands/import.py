"""`tuopin import FILE --year Y [--dry-run] [--report PATH] [--language zh-hans|en]`: the national
person-level layout into the registry.

Validates every row before writing any; on refusal prints the errors, writes the report and exits 3. What it
prints and the report's reasons are in the interface language (default Chinese; decision 1212).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.files.import_lock import ImportBusy
from tuopin.apps.registry.exchange.importer import registry_import
from tuopin.apps.registry.management.language import add_language_argument
from tuopin.progress import progress_bar

PRINTED_PROBLEMS = 200  # the report holds every one; a terminal is not the place for 170,000 lines
# The counts as a clerk reads them; the key stays beside the label for scripts.
COUNT_LABELS = {
    "households_created": N_("households created"), "households_updated": N_("households updated"),
    "households_unchanged": N_("households unchanged"), "persons_created": N_("persons created"),
    "persons_updated": N_("persons updated"), "persons_unchanged": N_("persons unchanged"),
    "persons_missing": N_("persons in the registry but not in the file"),
    "household_years_written": N_("yearly household records written"),
    "person_years_written": N_("yearly person records written"), "status_events": N_("status events recorded"),
}


class Command(AccountCommand):
    help = gettext_noop("Import a person-level file (xlsx or csv, national layout) for one year.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--year", type=int, required=True, help="the year the yearly columns belong to")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--report", help="where to write the report CSV (default under var/import-reports/)")
        add_language_argument(parser)

    def handle(self, *args, language, **options):
        with translation.override(language):
            return self._handle(*args, **options)

    def _handle(self, *args, file, year, dry_run, report, **options):
        user = self.acting_user(options)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("no such file: %(file)s") % {"file": file}, returncode=EXIT_USAGE)
        if not 1980 <= year <= 2100:
            raise CommandError(_("--year %(year)s is not a plausible year") % {"year": year}, returncode=EXIT_USAGE)
        try:
            with progress_bar(_("importing %(file)s") % {"file": path.name}) as progress:
                result = registry_import(path=path, year=year, by=user, dry_run=dry_run,
                                         report=Path(report) if report else None, progress=progress)
        except ImportBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        if result.ignored_columns:
            self.stdout.write(_("columns not in the layout, ignored: %(columns)s")
                              % {"columns": "、".join(result.ignored_columns)})
        if not result.ok:
            for problem in result.problems[:PRINTED_PROBLEMS]:
                self.stderr.write(problem.line())
            more = len(result.problems) - PRINTED_PROBLEMS
            if more > 0:
                self.stderr.write(_("… and %(n)s more") % {"n": more})
            sys.stderr.flush()
            raise InputRefused(_("import refused: %(n)s problem(s) in %(file)s, nothing was written; report: "
                                 "%(report)s") % {"n": len(result.problems), "file": result.file,
                                                  "report": result.report})
        done = (_("%(file)s: %(rows)s rows checked (dry run, nothing written) for %(year)s") if dry_run
                else _("%(file)s: %(rows)s rows imported for %(year)s"))
        self.stdout.write(done % {"file": result.file, "rows": result.rows, "year": year})
        for key, value in result.counts.items():
            self.stdout.write(f"  {COUNT_LABELS[key]} ({key}): {value}")
        if result.notices:
            self.stdout.write(_("  notices (see the report): %(n)s") % {"n": len(result.notices)})
        self.stdout.write(_("report: %(path)s") % {"path": result.report})
        if options.get("verbosity", 1) > 1:
            self.stdout.write("seconds: " + ", ".join(f"{k} {v}" for k, v in result.seconds.items()))
