"""`tuopin worker [--processes N] [--batch]`: the processes that make the heavy documents (decision 1130).

In the production profile this runs as its own service beside `tuopin serve` (docs/deploy.md); in the demo
profile `tuopin serve` starts it itself. Run one per site: N (TUOPIN_DOCUMENT_JOBS, default 1) is how many
documents are made at a time.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext_noop


class Command(BaseCommand):
    help = gettext_noop("Make the documents asked for on the pages (area reports, household files) in the background.")

    def add_arguments(self, parser):
        parser.add_argument("--processes", type=int, default=settings.DOCUMENT_JOBS,
                            help="documents made at a time: one worker process each (default %(default)s)")
        parser.add_argument("--batch", action="store_true",
                            help="make every document waiting in this process, then exit")

    def handle(self, *args, processes, batch, **options):
        if batch:
            from tuopin.web.documents.workers import run_batch

            made = run_batch()
            self.stdout.write(f"{made} document job(s) run")
            return
        from tuopin.web.documents.workers import start

        self.stdout.write(f"tuopin document worker: {processes} process(es), queue documents")
        self.stdout.flush()
        start(processes=max(processes, 1))  # execs the supervisor: this process becomes it
