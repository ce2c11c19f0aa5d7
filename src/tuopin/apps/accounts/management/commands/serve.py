"""`tuopin serve`: the web app under gunicorn, static files from whitenoise."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the web app (gunicorn + whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("TUOPIN_WORKERS", "3")))

    def handle(self, *args, host, port, workers, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"tuopin serving on http://{host}:{port}/ ({settings.ENV} profile)")
        sys.stdout.flush()
        os.execvp(sys.executable, [
            sys.executable, "-m", "gunicorn", "tuopin.config.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
            "--timeout", "120",
        ])
