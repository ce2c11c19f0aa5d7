"""`tuopin serve`: the web app under gunicorn, static files from whitenoise; in the demo profile also the document
worker (decision 1130), which the production profile runs as its own service (`tuopin worker`, docs/deploy.md)."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext_noop


class Command(BaseCommand):
    help = gettext_noop("Serve the web app (gunicorn + whitenoise) and, in the demo profile, the document worker.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("TUOPIN_WORKERS", "3")))
        parser.add_argument("--document-jobs", type=int, default=0 if settings.PRODUCTION else settings.DOCUMENT_JOBS,
                            help="document worker processes to run beside gunicorn (0: none; the production "
                                 "profile's default, where `tuopin worker` is a service of its own)")

    def handle(self, *args, host, port, workers, document_jobs, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [sys.executable, "-m", "gunicorn", "tuopin.config.wsgi:application",
                "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-", "--timeout", "120"]
        self.stdout.write(f"tuopin serving on http://{host}:{port}/ ({settings.ENV} profile)"
                          + (f", {document_jobs} document worker(s)" if document_jobs else ""))
        sys.stdout.flush()
        if not document_jobs:
            os.execvp(sys.executable, argv)
        from tuopin.web.documents.workers import start

        # This process becomes the supervisor of gunicorn and the workers: stopped together, gunicorn's exit code.
        start(argv, processes=document_jobs)
