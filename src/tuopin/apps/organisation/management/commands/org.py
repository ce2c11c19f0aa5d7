"""`tuopin org [--on DATE] [--json]`: the organisation's counts (docs/data-formats.md).

`tuopin org import FILE [--report PATH] --as USER`: the organisation workbook (a sheet per kind: units, cadres,
groups, war zones, pairings, work teams, 1×5 groups, trips, responsibility lists) or the 帮扶责任人 list (cadre ↔
household pairings), all or nothing.
`tuopin org template KIND [--out PATH]`: an empty workbook of one kind (or `all`) to fill in.
`tuopin org after-exit [--on DATE] [--json]`: what was dropped after an exit (四个不摘; the check lives in
monitoring, decision 1411), with the counts of flags by kind in the JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused

PRINTED_PROBLEMS = 200


class Command(AccountCommand):
    help = gettext_noop("Organisation counts as of a date; `org import FILE` loads pairings; `org after-exit` "
                        "checks 四个不摘.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", nargs="?", choices=["import", "after-exit", "template"],
                            help="what to do (default: counts)")
        parser.add_argument("file", nargs="?", help="for import: the .xlsx or .csv file; for template: the kind")
        parser.add_argument("--out", help="for template: where to write the workbook (default: ./KIND.xlsx)")
        parser.add_argument("--on", help="the date the counts hold on (YYYY-MM-DD, default today)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--report", help="for import: where to write the problem report CSV")

    def handle(self, *args, action, file, on, json: bool, report, out=None, **options):
        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(f"--on {on!r} is not a date (YYYY-MM-DD)", returncode=EXIT_USAGE) from None
        if action == "import":
            return self._import(file, report, options)
        if action == "template":
            return self._template(file, out)
        if action == "after-exit":
            return self._after_exit(day, json)
        from tuopin.apps.assistance.selectors import task_counts_on
        from tuopin.apps.organisation.selectors import org_counts

        tasks = task_counts_on(day or timezone.localdate())
        counts = org_counts(day) | {"open_tasks": tasks["open"], "overdue_tasks": tasks["overdue"]}
        if json:
            self.stdout.write(_dumps(counts))
        else:
            for key, value in counts.items():
                self.stdout.write(f"{key:32} {value}")

    def _import(self, file, report, options):
        from tuopin.apps.organisation.importer import org_import
        from tuopin.apps.organisation.imports import is_organisation_workbook
        from tuopin.apps.files.import_lock import ImportBusy

        if not file:
            raise CommandError("name the file: tuopin org import FILE", returncode=EXIT_USAGE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}", returncode=EXIT_USAGE)
        user = self.acting_user(options)
        if is_organisation_workbook(path):
            return self._import_workbook(path, user, report)
        try:
            result = org_import(path=path, by=user, report=Path(report) if report else None)
        except PermissionDenied as exc:
            raise InputRefused(str(exc)) from None
        except ImportBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        if not result.ok:
            for problem in result.problems[:PRINTED_PROBLEMS]:
                self.stderr.write(problem.masked(user.may_see_id_numbers).line())
            sys.stderr.flush()
            raise InputRefused(f"import refused: {len(result.problems)} problem(s) in {result.file}, nothing was "
                               f"written; report: {result.report}")
        self.stdout.write(f"{result.file}: {result.rows} rows imported")
        for key, value in result.counts.items():
            self.stdout.write(f"  {key}: {value}")

    def _import_workbook(self, path, user, report):
        from tuopin.apps.organisation.imports import organisation_import
        from tuopin.apps.files.import_lock import ImportBusy

        try:
            result = organisation_import(path=path, by=user, report=Path(report) if report else None)
        except PermissionDenied as exc:
            raise InputRefused(str(exc)) from None
        except ImportBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        if not result.ok:
            for problem in result.problems[:PRINTED_PROBLEMS]:
                self.stderr.write(problem.line())
            sys.stderr.flush()
            raise InputRefused(f"import refused: {len(result.problems)} problem(s) in {result.file}, nothing was "
                               f"written; report: {result.report}")
        self.stdout.write(f"{result.file}: {result.rows} rows imported")
        for sheet, counts in result.counts.items():
            self.stdout.write(f"  {sheet}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    def _template(self, kind, out):
        from tuopin.apps.organisation.imports.kinds import BY_KEY
        from tuopin.apps.organisation.imports.template import template_bytes, template_kinds

        kinds = template_kinds(kind or "")
        if not kinds:
            raise CommandError(f"name the kind: {', '.join([*BY_KEY, 'all'])}", returncode=EXIT_USAGE)
        path = Path(out or f"{kind}.xlsx")
        path.write_bytes(template_bytes(kinds))
        self.stdout.write(str(path))

    def _after_exit(self, day, as_json):
        from collections import Counter

        from tuopin.apps.monitoring.four_not_removes import four_not_removes_check

        flags = four_not_removes_check(on=day)
        if as_json:
            self.stdout.write(_dumps({"flags": [asdict(f) | {"group": f.group} for f in flags], "count": len(flags),
                                      "by_kind": dict(sorted(Counter(f.kind for f in flags).items()))}))
            return
        for f in flags:
            self.stdout.write(f"{f.kind:18} {f.region_code} {f.household_number or '-':18} {f.reason}")
        self.stdout.write(f"{len(flags)} flag(s)")


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))
