"""Running the document worker from Django's side (decision 1130): `start` for `tuopin worker` and `tuopin serve`,
`run_batch` for tests and for a site that would rather make documents from cron."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.db import connections

from .supervisor import QUEUE, exec_argv


def start(main: list[str] | None = None, *, processes: int | None = None, nice: int | None = None):
    """Replace this process by the supervisor of the document workers (and of `main`, if given). Does not return.

    Tasks left running by a worker killed with the last run are marked failed first, so the next request for
    those documents makes them again at once."""
    from .jobs import forget_unfinished

    forget_unfinished()
    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    argv = exec_argv(settings.DOCUMENT_JOBS if processes is None else processes,
                     settings.DOCUMENT_NICE if nice is None else nice, main, idle=settings.DOCUMENT_IDLE)
    os.execvp(argv[0], argv)


def run_batch() -> int:
    """Every document job waiting, made in this process by django-tasks-db's own worker loop; returns how many."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.filter(queue_name=QUEUE).exclude(status="READY").count()
    Worker(queue_names=[QUEUE], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id=f"batch-{os.getpid()}", excluded_queue_names=[]).run()
    return DBTaskResult.objects.filter(queue_name=QUEUE).exclude(status="READY").count() - before
