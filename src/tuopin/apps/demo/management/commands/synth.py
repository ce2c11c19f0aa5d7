"""`tuopin synth --households N --out DIR [--years 2018] [--seed S]`: a national-shaped synthetic registry
in the snapshot layout (docs/data-formats.md § 3), for `tuopin assess --data DIR` and the Spark engine.

Touches no database and no personal data (every name and number is made up), so it acts as no account.
`--years` takes a year (2018), a range (2016-2018) or a list (2016,2018), any of 2014–2025; the status events
run to 2025 whichever years are written (decision 1460). Refused arguments exit 3; nothing is left in DIR
unless the whole registry was written.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext, gettext_noop

from tuopin.apps.accounts.commands import InputRefused
from tuopin.progress import progress_bar


class Command(BaseCommand):
    help = gettext_noop("Generate a synthetic national registry (provinces to households) as a Parquet snapshot "
                        "folder.")

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, required=True, help="registered households to generate")
        parser.add_argument("--out", required=True, metavar="DIR", help="a new (or empty) folder to write")
        parser.add_argument("--years", default="2018",
                            help="yearly records for: 2018, 2016-2018 or 2016,2018, any of 2014–2025 (default 2018)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed writes the same registry")
        parser.add_argument("--chunk", type=int, default=None, metavar="N",
                            help="households generated and written at a time (default 500,000)")

    def handle(self, *args, households, out, years, seed, chunk, **options):
        from tuopin.synth.nation.generate import CHUNK_HOUSEHOLDS, SynthRefused, generate, parse_years

        verbose = options["verbosity"] > 1
        try:
            with progress_bar(gettext("writing the registry"), show=not verbose) as progress:
                manifest = generate(out, households_total=households, years=parse_years(years), seed=seed,
                                    chunk_households=chunk or CHUNK_HOUSEHOLDS,
                                    say=lambda msg: self.stderr.write(msg) if verbose else None, progress=progress)
        except SynthRefused as exc:
            raise InputRefused(str(exc)) from None
        t = manifest["tables"]
        self.stdout.write(
            f"synthetic registry written to {out} in {manifest['generator']['seconds']:.1f} s (seed {seed}): "
            f"{t['regions']['rows']:,} regions, {t['households']['rows']:,} households, "
            f"{t['persons']['rows']:,} persons, {t['status_events']['rows']:,} status events; "
            f"years {', '.join(str(y) for y in t['households_yearly']['years'])}")
