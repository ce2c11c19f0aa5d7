"""The processes that make documents: django-tasks' database worker on the documents queue (decision 1130).

Each worker process makes one document at a time, so `settings.DOCUMENT_JOBS` processes make at most that many at
once. They run niced (`settings.DOCUMENT_NICE`): a page request preempts a document being made. `supervise` keeps
them running beside an optional main process (gunicorn, for `tuopin serve`): a worker that dies is started
again, SIGTERM / SIGINT / SIGQUIT go to every child, SIGHUP to the main process only, and when the main process
ends the workers are stopped and its exit code is returned.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.db import connections

from .jobs import QUEUE

log = logging.getLogger(__name__)
STOP_SECONDS = 60  # a worker stopping finishes the document it is making first


def worker_argv() -> list[str]:
    """One database worker for the documents queue, polling once a second (Django's own command line: the worker
    is a service like the web server, not an operator's command to audit)."""
    return [sys.executable, "-m", "django", "db_worker", "--queue-name", QUEUE, "--no-reload", "--no-startup-delay",
            "--interval", "1"]


def start_worker(nice: int | None = None) -> subprocess.Popen:
    nice = settings.DOCUMENT_NICE if nice is None else nice
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    # Its own process group: a Ctrl-C at the terminal reaches the supervisor, which asks each worker once to stop
    # (a second signal would make django-tasks' worker abandon the document it is making).
    return subprocess.Popen(worker_argv(), env=env, process_group=0,
                            preexec_fn=(lambda: os.nice(nice)) if nice else None)


def supervise(main: subprocess.Popen | None, processes: int, *, nice: int | None = None) -> int:
    """Run `processes` workers until the main process ends (or, with none, until asked to stop)."""
    from .jobs import forget_unfinished

    forget_unfinished()  # documents whose worker was killed with the last run are made again when next asked for
    connections.close_all()  # the supervisor itself needs no connection while it waits
    workers: dict[int, subprocess.Popen] = {}
    started: dict[int, float] = {}
    asked: set[int] = set()
    stopping = False
    delay = 1.0

    def spawn() -> None:
        worker = start_worker(nice)
        workers[worker.pid], started[worker.pid] = worker, time.monotonic()

    def stop_workers() -> None:
        for pid, worker in list(workers.items()):
            if pid not in asked:
                asked.add(pid)
                _signal(worker, signal.SIGTERM)

    def forward(signum, _frame):
        nonlocal stopping
        if signum != signal.SIGHUP:
            stopping = True
            stop_workers()
        if main is not None:
            _signal(main, signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP)}
    try:
        for _ in range(processes):
            spawn()
        while main is not None or workers:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            code = os.waitstatus_to_exitcode(status)
            if main is not None and pid == main.pid:
                main.returncode = code
                stopping = True
                stop_workers()
                _wait_for(workers)
                return code
            worker = workers.pop(pid, None)
            if worker is None:
                continue
            worker.returncode = code
            if stopping:
                continue
            lived = time.monotonic() - started.pop(pid, 0)
            delay = 1.0 if lived > 60 else min(delay * 2, 60.0)  # one that dies at once is not restarted in a loop
            log.warning("document worker %s exited with code %s; starting another in %.0f s", pid, code, delay)
            time.sleep(delay)
            if not stopping:
                spawn()
        return 0
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _signal(process: subprocess.Popen, signum: int) -> None:
    try:
        process.send_signal(signum)
    except ProcessLookupError:
        pass


def _wait_for(workers: dict[int, subprocess.Popen]) -> None:
    deadline = time.monotonic() + STOP_SECONDS
    for worker in workers.values():
        try:
            worker.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def run_batch() -> int:
    """Every document job waiting, made in this process by django-tasks' own worker loop; returns how many ran.
    For tests and for a site that would rather make documents from cron than keep a worker running."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from .jobs import QUEUE

    before = DBTaskResult.objects.filter(queue_name=QUEUE).exclude(status="READY").count()
    Worker(queue_names=[QUEUE], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id=f"batch-{os.getpid()}", excluded_queue_names=[]).run()
    return DBTaskResult.objects.filter(queue_name=QUEUE).exclude(status="READY").count() - before
