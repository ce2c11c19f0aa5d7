"""Django's `flush`, able to empty the append-only audit table: the triggers are lifted for the flush's own
transaction and put back before it commits (decision 0905). Who resets a database is recorded by the
command that asked for it (`tuopin demo --reset`); a bare flush leaves the tables empty.

Refused in the production profile (decision 1153): there the audit trail is the record 等保 asks to keep, and
no command of the application empties it. Exit code 3 (input refused), the reason on stderr; `cli.main` records
the refused run. The demo profile and the test runner (which flushes between transactional tests) keep it."""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from tuopin.apps.accounts.commands import EXIT_REFUSED
from tuopin.apps.audit.immutability import triggers_lifted

REFUSED = ("flush is refused in the production profile (TUOPIN_ENV=production): it would empty the audit trail, "
           "which is kept append-only. Restore a backup into a new database instead (docs/deploy.md).")


class Command(DjangoFlush):
    def handle(self, **options):
        if settings.ENV == "production":
            raise CommandError(REFUSED, returncode=EXIT_REFUSED)
        with triggers_lifted(connections[options["database"]]):
            return super().handle(**options)
