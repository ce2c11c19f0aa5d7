"""`tuopin match --registry DIR --roster PATH --kind K --out DIR [--engine duckdb|spark] [--json]`: a department's
roster cross-checked against a registry snapshot: rows by their valid ID number, the rest by likeness
(tuopin.linkage). `--engine spark` runs the same SQL and the same model on Spark (a local session, as `tuopin assess
--engine spark`): the same rows matched, the same files and summary (decision 1575).

Touches no database: the snapshot folder (written unmasked, `tuopin export --format parquet --unmasked` by a role
that may see ID numbers, or `tuopin synth --unmasked`) and the roster are the input, so it acts as no account,
like `tuopin snapshot derive`; it prints counts, never an ID number. Writes OUT/matches.parquet (one row per
roster row: row, person_id, how = id|likeness|review|none, match_weight, match_probability) and OUT/model.json
(the likeness model's m and u per level and λ). A masked snapshot or a roster without the layout's columns
exits 3."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, InputRefused

SUMMARY = ("rows", "matched_by_id", "matched_by_likeness", "queued_for_review", "unmatched", "seconds", "model")


class Command(BaseCommand):
    help = gettext_noop("Cross-check a department's roster (Parquet) against a registry snapshot: by ID number, "
                        "then by likeness.")
    requires_system_checks: list[str] = []  # no web app here: its checks (2 s) skipped (decision 1626)

    def add_arguments(self, parser):
        parser.add_argument("--registry", required=True, metavar="DIR", help="an unmasked snapshot folder")
        parser.add_argument("--roster", required=True, metavar="PATH",
                            help="a Parquet file (or folder of them): name, id_number, sex, birth_date, county, "
                                 "township, village, and the kind's own columns")
        parser.add_argument("--kind", required=True, help="the roster's kind (dibao, medical_aid, …)")
        parser.add_argument("--out", required=True, metavar="DIR", help="where matches.parquet and model.json go")
        parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                            help="duckdb (default) or spark: the same SQL and model, the same matches")
        parser.add_argument("--memory", default="4GB", help="DuckDB's memory limit (default 4GB); it spills beyond")
        parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    def handle(self, *args, registry, roster, kind, out, engine, memory, json: bool, **options):
        from tuopin.engine.spark_runner import SparkMissing, SparkUnavailable
        from tuopin.linkage.match import MatchRefused, match

        try:
            if engine == "spark":
                from tuopin.linkage import spark_match

                summary = spark_match.match(registry, roster, kind, out)
            else:
                summary = match(registry, roster, kind, out, memory_limit=memory)
        except MatchRefused as exc:
            raise InputRefused(str(exc)) from None
        except SparkMissing:
            raise CommandError(gettext("the Spark engine needs PySpark, which is not installed: pip install "
                                       "'tuopin[spark]' (and Java 17 or later to run it)"),
                               returncode=EXIT_USAGE) from None
        except SparkUnavailable as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(_json({k: summary[k] for k in SUMMARY} | {"kind": kind}))
            return
        self.stdout.write(
            f"{summary['rows']:,} roster rows in {summary['seconds']:.1f} s: {summary['matched_by_id']:,} by ID "
            f"number, {summary['matched_by_likeness']:,} by likeness, {summary['queued_for_review']:,} for review, "
            f"{summary['unmatched']:,} unmatched; matches in {summary['matches']}, the model in {summary['model']}")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
