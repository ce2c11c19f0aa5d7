"""`tuopin backup --out FILE`: the database, the evidence files and a manifest, in one file (system administrator only)."""

from pathlib import Path

from django.utils.translation import gettext, gettext_noop

from tuopin.apps.accounts.commands import AccountCommand, InputRefused
from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.durability.services import backup_create
from tuopin.progress import progress_bar


class Command(AccountCommand):
    help = gettext_noop("Back up the database and the evidence files into FILE (plus FILE.manifest.json).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args, out, **options):
        user = self.acting_user(options)
        if not may(user, Action.BACKUP):
            raise InputRefused(f"{user.username} is a {user.get_role_display()}: only the system administrator "
                               "backs up")
        if not out.parent.is_dir():
            raise InputRefused(f"{out.parent} is not a folder")
        with progress_bar(gettext("backing up")) as progress:
            result = backup_create(actor=user, out=out, progress=progress)
        m = result.manifest
        rows = sum(t["rows"] for t in m["tables"].values())
        self.stdout.write(f"{out}: {m['engine']} backup, {len(m['tables'])} tables, {rows} rows, "
                          f"{len(m['evidence'])} evidence files, sha256 {m['sha256']}")
