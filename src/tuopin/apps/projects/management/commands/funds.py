"""`tuopin funds`: the consolidation ledger of a year (统筹整合涉农资金台账), the funds and projects workbook's import
and its template (decisions 1500, 1505).

`tuopin funds ledger --year Y [--json] --as USER`: the year's funds by fund, source and kind of project, in the
account's scope (a commander: what reached its zone's projects).
`tuopin funds import FILE [--report PATH] --as USER`: the workbook, all or nothing (the county office).
`tuopin funds template [--out PATH]`: an empty workbook with its 说明 sheet.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused
from tuopin.apps.accounts.permissions import Action, refusal

PRINTED_PROBLEMS = 200


class Command(AccountCommand):
    help = gettext_noop("Funds and projects: the consolidation ledger of a year; `funds import FILE` loads the "
                        "workbook; `funds template` writes an empty one.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["ledger", "import", "template"])
        parser.add_argument("file", nargs="?", help="for import: the .xlsx workbook")
        parser.add_argument("--year", type=int, help="for ledger: the year (default: this year)")
        parser.add_argument("--json", action="store_true", help="for ledger: one JSON object, amounts in fen")
        parser.add_argument("--report", help="for import: where to write the problem report CSV")
        parser.add_argument("--out", help="for template: where to write it (default: ./funds-projects-template.xlsx)")

    def handle(self, *args, action, file, year, report, out, **options):
        if action == "template":
            from tuopin.apps.projects.sheets import template_bytes

            path = Path(out or "funds-projects-template.xlsx")
            path.write_bytes(template_bytes())
            self.stdout.write(str(path))
            return
        user = self.acting_user(options)
        if action == "import":
            return self._import(file, report, user)
        reason = refusal(user, Action.SEE_FUNDS)
        if reason:
            raise InputRefused(f"{user.username}: {reason}")
        from tuopin.apps.projects.selectors import ledger_for

        book = ledger_for(user, year or timezone.localdate().year)
        if options["json"]:
            self.stdout.write(json.dumps(book.figures(), ensure_ascii=False))
            return
        self.stdout.write(f"{book.year}: allocated {book.allocated_fen / 100:,.2f}, spent {book.spent_fen / 100:,.2f}, "
                          f"balance {book.balance_fen / 100:,.2f} yuan")
        for line in book.lines:
            self.stdout.write(f"  {line.fund.name} ({line.fund.source}): allocated {line.allocated_fen / 100:,.2f}, "
                              f"spent {line.spent_fen / 100:,.2f}, balance {line.balance_fen / 100:,.2f}")

    def _import(self, file, report, user):
        from tuopin.apps.files.import_lock import ImportBusy
        from tuopin.apps.projects.imports import projects_import

        if not file:
            raise CommandError("name the file: tuopin funds import FILE", returncode=EXIT_USAGE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}", returncode=EXIT_USAGE)
        try:
            result = projects_import(path=path, by=user, report=Path(report) if report else None)
        except PermissionDenied as exc:
            raise InputRefused(str(exc)) from None
        except ImportBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        if not result.ok:
            for p in result.problems[:PRINTED_PROBLEMS]:
                where = f"row {p.row}" if p.row else "file"
                self.stderr.write(f"{p.sheet or '-'}, {where}, {p.column or '-'} {p.value!r}: {p.reason}")
            sys.stderr.flush()
            raise InputRefused(f"import refused: {len(result.problems)} problem(s) in {result.file}, nothing was "
                               f"written; report: {result.report}")
        self.stdout.write(f"{result.file}: {result.rows} rows imported")
        for sheet, counts in result.counts.items():
            self.stdout.write(f"  {sheet}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
