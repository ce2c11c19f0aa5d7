"""`tuopin resetpassword USERNAME --as ADMIN`: a forgotten password replaced by a one-time one, printed once for the
system administrator to hand over. The holder must replace it at the next login; the account's sessions end; the
audit trail records the reset, never the password. Django's `changepassword`, which does neither, is refused."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand, InputRefused


class Command(AccountCommand):
    help = gettext_noop("Replace an account's forgotten password by a one-time one (the system administrator).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username", help="the account whose password is reset")

    def handle(self, *args, username, **options):
        from tuopin.apps.accounts.models import User
        from tuopin.apps.accounts.services import password_reset

        by = self.acting_user(options)
        try:
            account = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("no account named %(name)s") % {"name": username}, returncode=EXIT_USAGE) from None
        try:
            password = password_reset(account=account, by=by, source="cli")
        except PermissionDenied as exc:
            raise InputRefused(f"{by.username}: {exc}") from None
        self.stdout.write(_("one-time password of %(name)s (to be replaced at the next login): %(password)s")
                          % {"name": account.username, "password": password})
