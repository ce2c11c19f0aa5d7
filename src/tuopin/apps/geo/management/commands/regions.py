"""`tuopin regions load FILE`: load a division data file (idempotent, one audit batch).
`tuopin regions figures FILE --year Y --as USER`: a year's village figures (population, exit facts; decision 1201)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_REFUSED, EXIT_USAGE
from tuopin.apps.geo.data import DivisionFileError


class Command(BaseCommand):
    help = gettext_noop("`load FILE`: a division data file into the region tree; `figures FILE --year Y`: a year's "
                        "village figures (population, exit facts).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="create or update the regions of FILE, matched on code")
        load.add_argument("file")
        # Division codes are not personal data: the account is recorded when named, "system" otherwise.
        load.add_argument("--as", dest="as_user", metavar="USERNAME")
        figures = sub.add_parser("figures", help="a year's village figures (CSV, docs/data-formats.md)")
        figures.add_argument("file")
        figures.add_argument("--year", type=int, required=True)
        figures.add_argument("--as", dest="as_user", metavar="USERNAME")

    def handle(self, *args, action, file, as_user=None, **options):
        from tuopin.apps.accounts.models import User
        from tuopin.apps.geo.services import regions_load

        if action == "figures":
            return self._figures(file, options["year"], as_user)

        by = None
        if as_user:
            by = User.objects.filter(username=as_user, is_active=True).first()
            if by is None:
                raise CommandError(f"no active account named {as_user!r}", returncode=EXIT_USAGE)
        try:
            counts = regions_load(path=file, by=by)
        except FileNotFoundError:
            raise CommandError(f"no such file: {file}", returncode=EXIT_USAGE) from None
        except DivisionFileError as exc:
            raise CommandError(str(exc), returncode=EXIT_REFUSED) from None
        self.stdout.write(f"{file}: {counts['created']} created, {counts['updated']} updated, "
                          f"{counts['unchanged']} unchanged")

    def _figures(self, file, year, as_user):
        from tuopin.apps.accounts.commands import AccountCommand
        from tuopin.apps.accounts.permissions import Refused
        from tuopin.apps.geo.figures import FiguresRefused, village_figures_load

        user = AccountCommand.acting_user(self, {"as_user": as_user})
        if not 1980 <= year <= 2100:
            raise CommandError(f"--year {year} is not a plausible year", returncode=EXIT_USAGE)
        try:
            counts = village_figures_load(path=file, year=year, by=user)
        except FileNotFoundError:
            raise CommandError(f"no such file: {file}", returncode=EXIT_USAGE) from None
        except Refused as exc:
            raise CommandError(f"{user.username}: {exc.reason}", returncode=EXIT_REFUSED) from None
        except FiguresRefused as exc:
            for problem in exc.problems:
                self.stderr.write(problem.line())
            raise CommandError(_("village figures refused: %(n)d problem(s) in %(file)s, nothing was written") % {
                "n": len(exc.problems), "file": file}, returncode=EXIT_REFUSED) from None
        self.stdout.write(_("%(file)s: village figures of %(year)d: %(created)d created, %(updated)d updated, "
                            "%(unchanged)d unchanged") % {"file": file, "year": year, **counts})
