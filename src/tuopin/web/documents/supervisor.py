"""The processes that make documents: django-tasks-db's `db_worker` on the documents queue (decision 1130).

    python -m tuopin.web.documents.supervisor --processes N --nice K [-- MAIN COMMAND …]

What `tuopin worker` and `tuopin serve` (demo profile) exec into once Django has done its part (migrations, the
jobs cut short by the last run): a small process that imports no Django, so it holds a few MB instead of a
Django process's 200. Each worker process makes one document at a time, so N processes make at most N at once;
they run at niceness K, so a page request preempts a document being made. A worker that dies is started again
(after 1 s, doubling up to 60 s if it keeps dying at once). With a main command (gunicorn, for `tuopin serve`):
SIGTERM / SIGINT / SIGQUIT go to it and, once, as SIGTERM to each worker (a second signal would make the worker
abandon its document); SIGHUP to the main command only; when it ends the workers are stopped and its exit code
is this process's. Without one, a stop signal stops the workers and the exit code is 0.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time

QUEUE = "documents"
STOP_SECONDS = 60  # a worker asked to stop finishes the document it is making first

log = logging.getLogger("tuopin.documents")


def worker_argv() -> list[str]:
    """One database worker for the documents queue, polling once a second (Django's own command line: the worker
    is a service like the web server, not an operator's command to audit)."""
    return [sys.executable, "-m", "django", "db_worker", "--queue-name", QUEUE, "--no-reload", "--no-startup-delay",
            "--interval", "1"]


def exec_argv(processes: int, nice: int, main: list[str] | None = None, *, idle: bool = False) -> list[str]:
    return [sys.executable, "-m", "tuopin.web.documents.supervisor", "--processes", str(processes),
            "--nice", str(nice), *(["--idle"] if idle else []), *(["--", *main] if main else [])]


def start_worker(nice: int, idle: bool = False) -> subprocess.Popen:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")

    def lower():
        if nice:
            os.nice(nice)
        if idle and hasattr(os, "SCHED_IDLE"):  # Linux: runs only on CPU time no normal process of its group wants
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))

    # Its own process group: a Ctrl-C at the terminal reaches this process only, which asks each worker once. Not
    # its own session: with the kernel's autogroups a new session would be scheduled apart, where its priority
    # would no longer yield to gunicorn's workers. Threads it starts (DuckDB's, Arrow's) inherit the priority.
    # Popen has no option for nice or SCHED_IDLE, hence preexec_fn; the supervisor starts no thread before it.
    return subprocess.Popen(worker_argv(), env=env, process_group=0, preexec_fn=lower if nice or idle else None)  # noqa: PLW1509


def supervise(main: subprocess.Popen | None, processes: int, nice: int, idle: bool = False) -> int:
    """Run `processes` workers until the main process ends (or, with none, until asked to stop)."""
    workers: dict[int, subprocess.Popen] = {}
    started: dict[int, float] = {}
    asked: set[int] = set()
    stopping = False
    delay = 1.0

    def spawn() -> None:
        worker = start_worker(nice, idle)
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


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(prog="python -m tuopin.web.documents.supervisor")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--nice", type=int, default=10)
    parser.add_argument("--idle", action="store_true", help="run the workers under SCHED_IDLE (Linux)")
    args = parser.parse_args(own)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    main_process = subprocess.Popen(command) if command else None
    return supervise(main_process, max(args.processes, 1), args.nice, args.idle)


if __name__ == "__main__":
    sys.exit(main())
