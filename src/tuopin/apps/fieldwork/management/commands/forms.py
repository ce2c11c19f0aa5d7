"""`tuopin forms export --form visit|household --out FILE.xlsx [--validate]`: the XLSForm (decision 1570);
`tuopin forms import FILE [FILE …] --form visit|household [--json] [--report PATH] --as USER`: an ODK Central or
KoboToolbox export of its submissions, all or nothing (decision 1571; docs/forms.md). Exit 2 for usage, 3 for a
refusal."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused

PRINTED_PROBLEMS = 50
REPORT_COLUMNS = ("file", "sheet", "row", "member_row", "field", "value", "reason")


class Command(AccountCommand):
    help = gettext_noop("The visit and household-survey forms as XLSForms for ODK and KoboToolbox: `forms export` "
                        "writes one, `forms import FILE` loads its submissions, all or nothing.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("files", nargs="*", help="for import: the .json or .xlsx export, or its .csv files")
        parser.add_argument("--form", required=True, choices=["visit", "household"])
        parser.add_argument("--out", help="for export: the .xlsx file to write")
        parser.add_argument("--validate", action="store_true",
                            help="for export: also run ODK Validate (needs Java) on the converted form")
        parser.add_argument("--json", action="store_true", help="for import: print the counts as one JSON object")
        parser.add_argument("--report", help="for import: where to write the problem report CSV")

    def handle(self, *args, action, files, form, out, validate, json: bool, report, **options):
        if action == "export":
            return self._export(form, out, validate)
        return self._import(files, form, json, report, self.acting_user(options))

    def _export(self, form: str, out: str | None, validate: bool) -> None:
        from pyxform.errors import PyXFormError

        from tuopin.apps.fieldwork import xlsform

        if not out:
            raise CommandError("name the file: tuopin forms export --form FORM --out FILE.xlsx", returncode=EXIT_USAGE)
        try:
            xlsform.xform(form, validate=validate)  # written only if ODK's converter takes it
        except (PyXFormError, OSError) as exc:  # OSError: --validate without Java
            raise CommandError(f"the {form} form does not convert: {exc}", returncode=1) from None
        Path(out).write_bytes(xlsform.workbook(form))
        self.stdout.write(f"{form} form written to {out}")

    def _import(self, files: list[str], form: str, as_json: bool, report: str | None, user) -> None:
        from tuopin.apps.fieldwork.submissions import forms_import
        from tuopin.apps.files.import_lock import ImportBusy
        from tuopin.apps.files.report import default_path

        if not files:
            raise CommandError("name the file: tuopin forms import FILE --form FORM", returncode=EXIT_USAGE)
        paths = [Path(f) for f in files]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"no such file: {path}", returncode=EXIT_USAGE)
        try:
            result = forms_import(paths, form=form, by=user, source="cli")
        except PermissionDenied as exc:
            raise InputRefused(f"{user.username}: {exc}") from None
        except ImportBusy as exc:
            raise CommandError(str(exc), returncode=1) from None
        if not result.ok:
            problems = [p.masked(user.may_see_id_numbers) for p in result.problems]
            written = _write_report(Path(report) if report else default_path(paths[0].name), problems)
            for problem in problems[:PRINTED_PROBLEMS]:
                self.stderr.write(problem.line())
            sys.stderr.flush()
            raise InputRefused(_("import refused: %(n)s problem(s) in %(file)s, nothing was written; report: "
                                 "%(report)s") % {"n": len(problems), "file": result.file, "report": written})
        if as_json:
            self.stdout.write(json_dumps(result.counts()))
            return
        self.stdout.write(_("%(file)s: %(stored)s stored, %(duplicates)s already stored, %(proposals)s proposed "
                            "changes, %(conflicts)s conflicts") % result.counts())


def json_dumps(outcome: dict) -> str:
    return json.dumps(outcome, ensure_ascii=False)


def _write_report(path: Path, problems) -> Path:
    from tuopin.common.spreadsheet import safe_cell

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # Excel reads Chinese text only with the BOM
        out = csv.writer(fh)
        out.writerow(REPORT_COLUMNS)
        for p in problems:
            out.writerow((safe_cell(p.file), safe_cell(p.sheet), p.row or "", p.member_row or "", safe_cell(p.field),
                          safe_cell(p.value), safe_cell(p.reason)))
    return path
