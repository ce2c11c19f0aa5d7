"""`tuopin export --format xlsx|csv|parquet --out PATH [--year Y] [--unmasked]`.

xlsx and csv: the national person-level layout (labels) plus tuopin's extension columns; parquet: the
snapshot layout in the folder PATH. Scoped to what the account sees; ID and phone numbers masked
unless `--unmasked` by a role that may see them (otherwise refused, exit 3).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.registry.exchange.exporter import FORMATS, ExportRefused, registry_export


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

    def handle(self, *args, fmt, out, year, unmasked, **options):
        user = self.acting_user(options)
        out_path = Path(out)
        if fmt in ("xlsx", "csv") and out_path.suffix.lower() != f".{fmt}":
            raise CommandError(f"--out for --format {fmt} must end in .{fmt}", returncode=EXIT_USAGE)
        if fmt == "parquet" and out_path.exists() and not out_path.is_dir():
            raise CommandError(f"--out for parquet is a folder; {out} is a file", returncode=EXIT_USAGE)
        try:
            result = registry_export(user=user, fmt=fmt, out=out_path, year=year, unmasked=unmasked)
        except ExportRefused as exc:
            raise InputRefused(str(exc)) from None
        masked = "masked" if result.masked else "UNMASKED"
        self.stdout.write(f"exported {result.rows} persons ({fmt}, year {result.year or 'all'}, ID and phone "
                          f"numbers {masked}) to {result.out}")
