"""`tuopin synth --households N --out DIR [--years 2018] [--seed S]`: a national-shaped synthetic registry
in the snapshot layout (docs/data-formats.md § 3), for `tuopin assess --data DIR` and the Spark engine.

Touches no database and no personal data (every name and number is made up), so it acts as no account.
`--years` takes a year (2018), a range (2016-2018) or a list (2016,2018), any of 2014–2025; the status events
run to 2025 whichever years are written (decision 1460). Refused arguments exit 3; nothing is left in DIR
unless the whole registry was written. `--unmasked` writes whole, valid (made-up) ID numbers, for `tuopin match`.

`tuopin synth roster --registry DIR --kind K --rate R --out PATH [--rows N]`: a department's roster drawn from
the snapshot's persons with faults planted at rate R (tuopin.synth.rosters), and its truth beside it
(PATH's `.truth.parquet`) to measure a match by.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext, gettext_noop

from tuopin.apps.accounts.commands import InputRefused
from tuopin.progress import progress_bar


class Command(BaseCommand):
    help = gettext_noop("Generate a synthetic national registry (provinces to households) as a Parquet snapshot "
                        "folder.")
    requires_system_checks: list[str] = []  # no web app here: its checks (2 s) skipped (decision 1626)

    def add_arguments(self, parser):
        parser.add_argument("what", nargs="?", choices=["registry", "roster"], default="registry",
                            help="the registry (default) or a department's roster drawn from one")
        parser.add_argument("--households", type=int, help="registered households to generate")
        parser.add_argument("--out", required=True, metavar="DIR",
                            help="a new (or empty) folder to write; for a roster, the Parquet file")
        parser.add_argument("--unmasked", action="store_true", help="whole, valid (made-up) ID numbers")
        parser.add_argument("--registry", metavar="DIR", help="roster: the snapshot folder to draw persons from")
        parser.add_argument("--kind", default="dibao", help="roster: its kind (default dibao)")
        parser.add_argument("--rate", type=float, default=0.02, help="roster: the rate of each fault (default 0.02)")
        parser.add_argument("--rows", type=int, help="roster: persons drawn (default a tenth of the registry's)")
        parser.add_argument("--years", default="2018",
                            help="yearly records for: 2018, 2016-2018 or 2016,2018, any of 2014–2025 (default 2018)")
        parser.add_argument("--seed", type=int, default=1, help="the same seed writes the same registry")
        parser.add_argument("--chunk", type=int, default=None, metavar="N",
                            help="households generated and written at a time (default 500,000)")

    def handle(self, *args, what, households, out, years, seed, chunk, unmasked, **options):
        from tuopin.synth.nation.generate import CHUNK_HOUSEHOLDS, SynthRefused, generate, parse_years

        if what == "roster":
            return self._roster(out, seed, options)
        if households is None:
            raise InputRefused("--households N: how many registered households to generate")

        verbose = options["verbosity"] > 1
        try:
            with progress_bar(gettext("writing the registry"), show=not verbose) as progress:
                manifest = generate(out, households_total=households, years=parse_years(years), seed=seed,
                                    chunk_households=chunk or CHUNK_HOUSEHOLDS,
                                    say=lambda msg: self.stderr.write(msg) if verbose else None, progress=progress,
                                    unmasked=unmasked)
        except SynthRefused as exc:
            raise InputRefused(str(exc)) from None
        t = manifest["tables"]
        self.stdout.write(
            f"synthetic registry written to {out} in {manifest['generator']['seconds']:.1f} s (seed {seed}): "
            f"{t['regions']['rows']:,} regions, {t['households']['rows']:,} households, "
            f"{t['persons']['rows']:,} persons, {t['status_events']['rows']:,} status events; "
            f"years {', '.join(str(y) for y in t['households_yearly']['years'])}")

    def _roster(self, out, seed, options):
        from pathlib import Path

        from tuopin.synth.rosters import roster, truth_path

        registry = options["registry"]
        if not registry or not (Path(registry) / "_snapshot.json").is_file():
            raise InputRefused(f"--registry {registry}: name a snapshot folder (tuopin synth --unmasked)")
        try:
            counts = roster(registry, kind=options["kind"], rate=options["rate"], out=out, rows=options["rows"],
                            seed=seed)
        except ValueError as exc:
            raise InputRefused(str(exc)) from None
        planted = ", ".join(f"{k} {v:,}" for k, v in counts.items() if k != "rows")
        self.stdout.write(f"roster of {counts['rows']:,} rows written to {out} ({planted}); "
                          f"the truth in {truth_path(out)}")
