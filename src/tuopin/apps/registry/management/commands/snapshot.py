"""`tuopin snapshot derive DIR [--year Y]`: write (or rewrite) a snapshot folder's derived tables — the rows
of the per-household rules, computed by the engine's own rule text over the folder's tables (decision 1002)
— for a folder written before they existed, or after the rules or standards changed.

`tuopin synth` and `tuopin export --format parquet` write them already. Touches no database (the folder is
the input), so it acts as no account, like `tuopin synth`. A folder that is not a snapshot exits 3.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext, gettext_noop

from tuopin.apps.accounts.commands import InputRefused
from tuopin.progress import progress_bar


class Command(BaseCommand):
    help = gettext_noop("Snapshot folders: `derive` writes the per-household rules' rows into the folder.")
    requires_system_checks: list[str] = []  # no web app here: its checks (2 s) skipped (decision 1626)

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["derive"])
        parser.add_argument("folder", metavar="DIR", help="a snapshot folder (tuopin synth / export --format parquet)")
        parser.add_argument("--year", type=int, action="append",
                            help="a year of the folder's yearly tables (repeatable; default: every year)")

    def handle(self, *args, action, folder, year, **options):
        import duckdb

        from tuopin.engine import derived
        from tuopin.engine.duckdb_runner import INPUT_TABLES

        root = Path(folder)
        manifest_path = root / "_snapshot.json"
        if not manifest_path.is_file():
            raise InputRefused(f"{folder}: not a snapshot folder (no _snapshot.json)")
        held = json.loads(manifest_path.read_text())["tables"].get("households_yearly", {}).get("years", [])
        years = year or held
        missing = [y for y in years if y not in held]
        if missing or not years:
            raise InputRefused(f"{folder}: households_yearly holds years {held or 'none'}; "
                               f"cannot derive {missing or 'any year'}")
        lacking = [name for name in INPUT_TABLES if not (root / name).is_dir()]
        if lacking:
            raise InputRefused(f"{folder}: lacks the snapshot table(s) {', '.join(lacking)}; nothing written")
        started = time.perf_counter()
        verbose = options["verbosity"] > 1
        try:
            with progress_bar(gettext("deriving the rules' rows"), show=not verbose) as progress:
                section = derived.write(root, years, say=lambda msg: self.stderr.write(msg) if verbose else None,
                                        progress=progress)
        except duckdb.Error as exc:  # a table not in the documented layout; derived.write left nothing behind
            raise InputRefused(f"{folder}: cannot run the rules over it ({str(exc).splitlines()[0]}); "
                               "nothing written") from None
        self.stdout.write(f"derived tables written to {folder} in {time.perf_counter() - started:.1f} s: " + "; ".join(
            f"{name} {y} {section[name][str(y)]['rows']:,} rows" for name in section for y in years))
