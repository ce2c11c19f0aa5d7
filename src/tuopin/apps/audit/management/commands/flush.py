"""Django's `flush`, able to empty the append-only audit table: the triggers are lifted for the flush's own
transaction and put back before it commits (decision 0905). Who resets a database is recorded by the
command that asked for it (`tuopin demo --reset`); a bare flush leaves the tables empty."""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from tuopin.apps.audit.immutability import triggers_lifted


class Command(DjangoFlush):
    def handle(self, **options):
        with triggers_lifted(connections[options["database"]]):
            return super().handle(**options)
