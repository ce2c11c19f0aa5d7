"""`tuopin regions load FILE`: load a division data file (idempotent, one audit batch)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_REFUSED, EXIT_USAGE
from tuopin.apps.geo.data import DivisionFileError


class Command(BaseCommand):
    help = gettext_noop("Load a division data file (CSV: code, name, level, parent_code, …) into the region tree.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="create or update the regions of FILE, matched on code")
        load.add_argument("file")
        # Division codes are not personal data: the account is recorded when named, "system" otherwise.
        load.add_argument("--as", dest="as_user", metavar="USERNAME")

    def handle(self, *args, action, file, as_user=None, **options):
        from tuopin.apps.accounts.models import User
        from tuopin.apps.geo.services import regions_load

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
