"""`tuopin roster import FILE --kind K --year Y [--department UNIT_NAME] [--json] [--report PATH] --as USER`: a
department roster, all or nothing, matched to the registry (decision 1540); `tuopin roster template --kind K
OUT.xlsx`: the kind's workbook. Exit 2 for usage, 3 for a refusal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused

PRINTED_PROBLEMS = 50


class Command(AccountCommand):
    help = gettext_noop("`roster import FILE --kind K --year Y` loads a department's roster and matches it to the "
                        "registry by ID number; `roster template --kind K OUT` writes the kind's workbook.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["import", "template"])
        parser.add_argument("file", help="for import: the .xlsx or .csv file; for template: where to write")
        parser.add_argument("--kind", required=True, help="death, dibao, tekun, medical, pension, … (rosters.toml)")
        parser.add_argument("--year", type=int, help="for import: the year the roster is of")
        parser.add_argument("--department", help="for import by the county office: the unit whose roster it is")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--report", help="for import: where to write the problem report CSV")

    def handle(self, *args, action, file, kind, year, department, json: bool, report, **options):
        from tuopin.standards.rosters import layouts

        if kind not in layouts():
            raise CommandError(f"no roster kind {kind!r}; the kinds are {', '.join(layouts())}",
                               returncode=EXIT_USAGE)
        if action == "template":
            from tuopin.apps.policy.template import template_bytes

            Path(file).write_bytes(template_bytes(kind))
            self.stdout.write(f"template written to {file}")
            return
        if year is None:
            raise CommandError("name the roster's year: --year Y", returncode=EXIT_USAGE)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}", returncode=EXIT_USAGE)
        user = self.acting_user(options)
        self._import(path, kind, year, self._unit(department), json, report, user)

    def _unit(self, name):
        from tuopin.apps.policy.roster_import import Unit

        if not name:
            return None
        unit = Unit.objects.filter(name=name).first()
        if unit is None:
            raise CommandError(f"no unit named {name!r}", returncode=EXIT_USAGE)
        return unit

    def _import(self, path, kind, year, unit, as_json, report, user):
        from tuopin.apps.files.import_lock import ImportBusy
        from tuopin.apps.files.report import default_path, write_report
        from tuopin.apps.policy.roster_import import roster_import

        try:
            result = roster_import(path, kind=kind, year=year, by=user, department=unit, source="cli")
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        except ImportBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        if as_json:
            self.stdout.write(_dumps(result.outcome()))
        if not result.ok:
            problems = [p.masked(user.may_see_id_numbers) for p in result.problems]
            written = write_report(Path(report) if report else default_path(result.file), file=result.file,
                                   sheet="", problems=problems)
            for problem in problems[:PRINTED_PROBLEMS]:
                self.stderr.write(problem.line())
            sys.stderr.flush()
            raise InputRefused(f"import refused: {len(problems)} problem(s) in {result.file}, nothing was "
                               f"written; report: {written}")
        if not as_json:
            o = result.outcome()
            self.stdout.write(f"{result.file}: roster {result.roster.pk}, {o['rows']} rows; matched by ID number "
                              f"{o['matched_by_id']}, by likeness {o['matched_by_likeness']}, for review "
                              f"{o['queued_for_review']}, unmatched {o['unmatched']}")


def _dumps(outcome: dict) -> str:
    return json.dumps(outcome, ensure_ascii=False)
