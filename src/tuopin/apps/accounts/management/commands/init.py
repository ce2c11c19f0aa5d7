"""`tuopin init --county CODE [--divisions FILE.csv] [--accounts-out FILE]`: start a county's empty database
(decision 1200). Runs the migrations, loads the divisions, creates the three administrators and the county
office's account, and writes their first passwords to an owner-only file. Exit 3 with the reason when the
database is already initialised or the input is unusable."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuopin.apps.accounts.commands import InputRefused


class Command(BaseCommand):
    help = gettext_noop("Start a county's empty database: its divisions, the three administrators and the county "
                        "office's account.")

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, metavar="CODE",
                            help="the county's division code, 6 or 12 digits (Zhenlai: 220821)")
        parser.add_argument("--divisions", metavar="FILE.csv",
                            help="the county's division file (docs/data-formats.md); default: the packaged one")
        parser.add_argument("--accounts-out", "--out", dest="accounts_out", metavar="FILE",
                            help="where to write the first passwords (default var/initial-accounts.json)")

    def handle(self, *args, county, divisions, accounts_out, **options):
        from tuopin.apps.accounts.initialise import InitRefused, county_initialise

        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = county_initialise(county=county, divisions=divisions, accounts_file=accounts_out)
        except InitRefused as exc:
            raise InputRefused(_("tuopin init refused: %(reason)s") % {"reason": exc}) from None
        counts = result.regions
        self.stdout.write(_("%(county)s initialised.") % {"county": result.county})
        self.stdout.write(_("  divisions from %(file)s: %(created)d created, %(unchanged)d already there") % {
            "file": result.divisions, "created": counts["created"],
            "unchanged": counts["unchanged"] + counts["updated"]})
        for row in result.accounts:
            self.stdout.write(f"  {row['username']:<16} {row['scope']}")
        self.stdout.write(_("First passwords: %(file)s (readable only by you). Each account must choose a new "
                            "password at its first login; administrators and the county office then enrol an "
                            "authenticator app.") % {"file": result.accounts_file})
        self.stdout.write(_("Next: tuopin import FILE --year YEAR --as %(account)s") % {"account": "county_admin"})
