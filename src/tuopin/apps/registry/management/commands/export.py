"""`tuopin export --format xlsx|csv|parquet --out PATH [--year Y] [--unmasked] [--region CODE]`.

xlsx and csv: the national person-level layout (labels) plus tuopin's extension columns; parquet: the
snapshot layout in the folder PATH, with the departments' current rosters as matched (roster_matches) of the
rosters the account sees and the persons exported. Scoped to what the account sees, narrowed by `--region` to one county,
township or village; ID and phone numbers masked unless `--unmasked` by a role that may see them (otherwise
refused, exit 3, as is a region outside the account's area).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.policy.coverage import roster_matches_for_export
from tuopin.apps.registry.exchange.exporter import FORMATS, ExportRefused, registry_export
from tuopin.apps.registry.management.language import add_language_argument
from tuopin.progress import progress_bar


class Command(AccountCommand):
    help = gettext_noop("Export the registry the account sees: xlsx/csv in the national layout, or parquet "
                        "snapshot tables.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--format", dest="fmt", choices=FORMATS, required=True)
        parser.add_argument("--out", required=True, help="the file (xlsx, csv) or folder (parquet) to write")
        parser.add_argument("--year", type=int, help="the year of the yearly columns (default: the latest)")
        parser.add_argument("--unmasked", action="store_true",
                            help="full ID and phone numbers (only roles allowed to see them)")
        parser.add_argument("--region", metavar="CODE",
                            help="only this county, township or village (division code; default: the account's "
                                 "whole area)")
        add_language_argument(parser)

    def handle(self, *args, language, **options):
        with translation.override(language):
            return self._handle(*args, **options)

    def _handle(self, *args, fmt, out, year, unmasked, region, **options):
        user = self.acting_user(options)
        out_path = Path(out)
        if fmt in ("xlsx", "csv") and out_path.suffix.lower() != f".{fmt}":
            raise CommandError(_("--out for --format %(fmt)s must end in .%(fmt)s") % {"fmt": fmt},
                               returncode=EXIT_USAGE)
        if fmt == "parquet" and out_path.exists() and not out_path.is_dir():
            raise CommandError(_("--out for parquet is a folder; %(out)s is a file") % {"out": out},
                               returncode=EXIT_USAGE)
        try:
            with progress_bar(_("writing %(out)s") % {"out": out_path.name}) as progress:
                result = registry_export(user=user, fmt=fmt, out=out_path, year=year, unmasked=unmasked,
                                         region=region, progress=progress,
                                         optional=roster_matches_for_export(user, year) if fmt == "parquet" else None)
        except ExportRefused as exc:
            raise InputRefused(str(exc)) from None
        done = (_("exported %(rows)s persons (%(fmt)s, year %(year)s%(where)s, ID and phone numbers masked) to "
                  "%(out)s") if result.masked else
                _("exported %(rows)s persons (%(fmt)s, year %(year)s%(where)s, ID and phone numbers UNMASKED) to "
                  "%(out)s"))
        self.stdout.write(done % {"rows": result.rows, "fmt": fmt, "year": result.year or _("all"),
                                  "where": _(", %(region)s") % {"region": result.region} if result.region else "",
                                  "out": result.out})
