"""`tuopin tasks sync` on the whole demo county: the target is ≤ 10 s per run.

    .venv/bin/python benchmarks/tasks_sync.py             # builds the demo into var/bench/tasks_sync/ once (~2 min)
    .venv/bin/python benchmarks/tasks_sync.py --rebuild   # builds it again
    .venv/bin/python benchmarks/tasks_sync.py --cli-only  # only the command as a user runs it

Starts from no tasks, then syncs the years in the order a county would live them: 2015 (31,000 gaps of
18,884 poor households → ≈ 63,000 tasks), 2015 again (nothing to do), 2016, 2017 and 2018 (tens of thousands
of tasks closing as households exit, a few reopening), 2018 again. Each row: seconds in the service (and the
part spent reading the registry and running the rules), the counts, and the SQL statements. Last, the command
itself in a fresh process (`tuopin tasks sync --year 2015` from no tasks), Django's start-up included.
No assertion: this records figures (docs in docs/decisions/0702); correctness is tested in tests/assistance/.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench" / "tasks_sync"
YEARS = (2015, 2015, 2016, 2017, 2018, 2018)
TARGET_SECONDS = 10.0


def tuopin(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "TUOPIN_VAR": str(VAR)}
    return subprocess.run([str(ROOT / ".venv" / "bin" / "tuopin"), *args], env=env, check=True, text=True,
                          capture_output=True, **kw)


def build(rebuild: bool) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    if rebuild or not (VAR / "tuopin.sqlite3").exists() or os.environ.get("DATABASE_URL"):
        started = time.perf_counter()
        print("building the demo county …", flush=True)
        tuopin("demo", "--no-serve", "--reset")
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    tuopin("migrate", "-v0")


def setup_django() -> None:
    os.environ["TUOPIN_VAR"] = str(VAR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def clear_tasks() -> None:
    from django.db import connection, transaction

    from tuopin.apps.assistance.models import Task, TaskEvent, TaskEvidence

    with transaction.atomic(), connection.cursor() as cursor:
        for model in (TaskEvent, TaskEvidence, Task):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def in_process() -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuopin.apps.accounts.models import User
    from tuopin.apps.assistance.sync import tasks_sync

    admin = User.objects.get(username="county_admin")
    clear_tasks()
    print(f"{'year':>5} {'seconds':>8} {'engine':>7} {'gaps':>7} {'created':>8} {'closed':>7} {'reopened':>8} "
          f"{'unchanged':>9} {'queries':>7}")
    worst = 0.0
    for year in YEARS:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            r = tasks_sync(year=year, by=admin, source="bench")
        seconds = time.perf_counter() - started
        worst = max(worst, seconds)
        print(f"{year:>5} {seconds:>8.2f} {r.seconds['assess']:>7.2f} {r.gaps:>7,} {r.created:>8,} {r.closed:>7,} "
              f"{r.reopened:>8,} {r.unchanged:>9,} {len(queries):>7}", flush=True)
    return worst


def from_the_command_line() -> float:
    setup_django()
    clear_tasks()
    started = time.perf_counter()
    out = tuopin("tasks", "sync", "--year", "2015", "--as", "county_admin").stdout
    seconds = time.perf_counter() - started
    print(f"`tuopin tasks sync --year 2015` from no tasks, in a fresh process: {seconds:.2f} s")
    print("  " + out.strip().replace("\n", "\n  "))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--cli-only", action="store_true")
    args = parser.parse_args()
    build(args.rebuild)
    worst = 0.0
    if not args.cli_only:
        setup_django()
        worst = in_process()
    cli = from_the_command_line()
    print(f"slowest run in the service {worst:.2f} s, the command {cli:.2f} s (target ≤ {TARGET_SECONDS:.0f} s); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
