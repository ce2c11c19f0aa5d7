"""`tuopin audit [--since DATE] [--user NAME] --json`: the audit trail as JSON Lines, for the audit
administrator only (三员分立). `at` is ISO 8601 with +08:00. Each event as `audit.selectors.as_row` gives it:
who, when, from which address, what and to which record — no personal values (decision 1151)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, AccountCommand
from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.audit import selectors
from tuopin.apps.audit.services import audit_event


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since takes a date like 2026-01-31, not {text!r}", returncode=EXIT_USAGE) from None


class Command(AccountCommand):
    help = gettext_noop("Print the audit trail (audit administrator only).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--since", help="first day included (YYYY-MM-DD)")
        parser.add_argument("--user", default="", help="only this account's events")
        parser.add_argument("--json", action="store_true", help="JSON Lines: one event per line")

    def handle(self, *args, since, user, json: bool, **options):
        account = self.acting_user(options)
        if not may(account, Action.READ_AUDIT):
            audit_event(actor=account, action="access_refused", source="cli", entity="audit.auditevent",
                        summary="tuopin audit refused: only the audit administrator reads the audit trail")
            raise CommandError("only the audit administrator reads the audit trail: use --as with that account",
                               returncode=EXIT_USAGE)
        rows = selectors.events(since=_date(since) if since else None, user=user)
        for event in rows.iterator(chunk_size=2000):
            row = selectors.as_row(event)
            if json:
                self.stdout.write(_json(row))
            else:
                fields = f"  fields: {', '.join(row['fields'])}" if row["fields"] else ""
                records = "".join(f"  {entity}: {len(ids)} id ranges" for entity, ids in row.get("records", {}).items())
                self.stdout.write(f"{row['at']}  {row['user']:<16} {row['ip_address'] or '-':<15} {row['action']:<16} "
                                  f"{row['entity']}#{row['entity_id']}  {row['summary']}{fields}{records}")


def _json(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))
