"""The base of every `tuopin` command that reads or writes personal data: it acts as a named account."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

EXIT_USAGE, EXIT_REFUSED = 2, 3
DEMO_ADMIN = "county_admin"


class InputRefused(CommandError):
    """Validation refused the input: exit code 3."""

    def __init__(self, message: str):
        super().__init__(message, returncode=EXIT_REFUSED)


class AccountCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="the account the command acts as (demo profile default: the county administrator)")

    def acting_user(self, options):
        from .models import User

        username = options.get("as_user") or (DEMO_ADMIN if settings.ENV == "demo" else None)
        if not username:
            raise CommandError("name the account this command acts as with --as USERNAME", returncode=EXIT_USAGE)
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active account named {username!r}", returncode=EXIT_USAGE) from None
        return user
