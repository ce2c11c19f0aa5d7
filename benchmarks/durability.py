"""Backup and restore of the whole demo county: seconds, CPU and file size.

    TUOPIN_VAR=/tmp/bench .venv/bin/tuopin demo --reset --no-serve        # once (PostgreSQL: DATABASE_URL too)
    TUOPIN_VAR=/tmp/bench .venv/bin/python benchmarks/durability.py

Runs `tuopin backup` on the database the environment names, then `tuopin restore` of that file into an empty
database of the same engine: a fresh SQLite file in a scratch folder, or, for PostgreSQL, a scratch database
`<name>_restore_bench` on the same server, created for the run and dropped after (the script refuses to start
if it exists already). Both commands run as the demo county's system administrator, in their own processes;
CPU is theirs and their children's (pg_dump, pg_restore), not the PostgreSQL server's.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def timed(cmd: list[str], env: dict) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode:
        raise SystemExit(f"{' '.join(cmd[2:])} failed ({run.returncode}): {run.stderr.strip()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, run.stdout.strip()


def main() -> None:
    tuopin = [sys.executable, "-m", "tuopin"]
    env = dict(os.environ)
    url = env.get("DATABASE_URL", "")
    scratch = Path(tempfile.mkdtemp(prefix="tuopin-durability-"))
    restore_env = dict(env, TUOPIN_VAR=str(scratch / "var"))
    created = None
    try:
        if url.startswith("postgres"):
            parts = urlsplit(url)
            name = parts.path.lstrip("/") + "_restore_bench"
            host = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
            subprocess.run(["createdb", *host, name], check=True)  # fails if it exists: never drop what we did not make
            created = name
            restore_env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + created))
        out = scratch / "county.tar"
        print(f"load average (1 min) {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
        wall, cpu, said = timed([*tuopin, "backup", "--as", "system_admin", "--out", str(out)], env)
        print(f"backup:  {wall:.1f} s, CPU {cpu:.1f} s, {out.stat().st_size / 2**20:.1f} MiB — {said}")
        print(f"load average (1 min) {os.getloadavg()[0]:.2f}")
        wall, cpu, said = timed([*tuopin, "restore", "--as", "system_admin", str(out)], restore_env)
        print(f"restore: {wall:.1f} s, CPU {cpu:.1f} s — {said}")
        print(f"load average (1 min) {os.getloadavg()[0]:.2f}")
    finally:
        if created:
            subprocess.run(["dropdb", *host, created], check=False)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
