"""`tuopin restore FILE`: a backup into an empty database of the same engine (system administrator only).

The database is empty, so the account acting is looked up in the backup's manifest (its active system
administrators) before anything is written, and in the restored data afterwards for the audit event.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_noop

from tuopin.apps.accounts.commands import EXIT_USAGE, InputRefused
from tuopin.apps.durability.services import RestoreRefused, backup_restore
from tuopin.progress import progress_bar


class Command(BaseCommand):
    help = gettext_noop("Restore a backup made by `tuopin backup` into an empty database.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="a system administrator named in the backup (demo profile default: system_admin)")

    def handle(self, *args, file, as_user, **options):
        username = as_user or ("system_admin" if settings.ENV == "demo" else None)
        if not username:
            raise CommandError("name the account this command acts as with --as USERNAME", returncode=EXIT_USAGE)
        if not file.is_file():
            raise InputRefused(f"{file}: no such file")
        try:
            with progress_bar(gettext("restoring")) as progress:
                manifest = backup_restore(path=file, username=username, progress=progress)
        except RestoreRefused as exc:
            raise InputRefused(str(exc)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"restored from {manifest['sha256']}: {len(manifest['tables'])} tables, {rows} rows, "
                          f"{len(manifest['evidence'])} evidence files")
