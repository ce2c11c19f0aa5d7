"""`tuopin mpi`: Alkire–Foster multidimensional poverty over any CSV of 0/1 deprivation indicators.

It reads a file and touches no database, so it acts as no account (like `tuopin regions load`, division
codes being no personal data, it needs no `--as`); the run is still recorded in the audit trail by `tuopin`.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, InputRefused
from tuopin.engine import mpi
from tuopin.rules.mpi import ParameterError, check, parse_weights


class Command(BaseCommand):
    help = gettext_noop("Alkire–Foster measures (H, A, M0, censored headcounts, contributions) of a CSV of 0/1 "
                        "deprivations.")

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, metavar="FILE.csv", help="one row per person or household")
        parser.add_argument("--weights", required=True, metavar="'a=0.4,b=0.3,…'",
                            help="indicator columns and their weights, summing to 1")
        parser.add_argument("--k", required=True, metavar="K",
                            help="poverty cut-off: poor when the score ≥ k, 0 < k ≤ 1")
        parser.add_argument("--by", metavar="COLUMN", help="also measure each group of this column")
        parser.add_argument("--weight-col", metavar="COLUMN", help="a column of unit weights (persons, survey weights)")
        parser.add_argument("--json", action="store_true", help="print the JSON object of docs/data-formats.md")

    def handle(self, *args, **o):
        path = Path(o["input"])
        if not path.is_file():
            raise CommandError(f"no such file: {o['input']}", returncode=EXIT_USAGE)
        try:
            weights, k = check(parse_weights(o["weights"]), o["k"])
            table = mpi.read_csv(path, weights, by=o["by"], weight_col=o["weight_col"])
        except (ParameterError, mpi.InputProblems) as exc:
            raise InputRefused("\n" + "\n".join(exc.problems)) from None
        except UnicodeDecodeError:
            raise InputRefused(f"{path.name}: not UTF-8 text (save the sheet as CSV UTF-8)") from None
        out = mpi.measure(table, weights, k, by=bool(o["by"]))
        if o["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        else:
            self._print(out, weights, k, o["by"])

    def _print(self, out: dict, weights: dict, k: float, by: str | None) -> None:
        rows = [("", out)] + [(str(g["group"]), g) for g in out.get("groups", [])]
        width = max([len(by or ""), 5] + [len(name) for name, _ in rows])
        self.stdout.write(f"Alkire–Foster, k = {k:g}, weights " + ", ".join(f"{n} {w:g}" for n, w in weights.items()))
        self.stdout.write(f"{(by or ''):{width}}  {'n':>12} {'H':>8} {'A':>8} {'M0':>8}")
        for name, r in rows:
            self.stdout.write(f"{name or 'all':{width}}  {r['n']:>12,.6g} "
                              f"{r['H']:>8.4f} {r['A']:>8.4f} {r['M0']:>8.4f}")
        iw = max(len("indicator"), *(len(n) for n in weights))
        self.stdout.write(f"\n{'indicator':{iw}}  {'weight':>8} {'censored':>9} {'share':>8}")
        for name in weights:
            self.stdout.write(f"{name:{iw}}  {weights[name]:>8.4f} {out['censored_headcount'][name]:>9.4f} "
                              f"{out['contribution'][name]:>8.2%}")
