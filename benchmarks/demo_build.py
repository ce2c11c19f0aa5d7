"""The demo build at full size (`tuopin demo`), timed on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/demo_build.py               # both databases
    .venv/bin/python benchmarks/demo_build.py --only sqlite # one of them
    .venv/bin/python benchmarks/demo_build.py --scale 0.1   # a smaller run

Targets: the registry part ≤ 60 s, the whole build (organisation and accounts included)
≤ 120 s, on the project's 2-core machine. Each database is built in a fresh process, into a fresh
database (SQLite file under var/bench/, PostgreSQL database tuopin_bench_demo), exactly as the command
builds it (tuopin.apps.demo.load.demo_build). Wall-clock seconds are printed with the process's CPU seconds
beside them: on a shared machine the two part ways, and the CPU figure is the one to compare between runs.
Prints one Markdown table row per database.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
PG_DB = "tuopin_bench_demo"


def _one(backend: str, seed: int, scale: float) -> dict:
    """Runs in a child process: a fresh database, migrate, build, report seconds as JSON."""
    BENCH.mkdir(parents=True, exist_ok=True)
    if backend == "postgresql":
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_DB], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_DB], check=True)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    else:
        db = BENCH / "demo_build.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["TUOPIN_VAR"] = str(BENCH / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from tuopin.apps.demo.load import demo_build

    call_command("migrate", interactive=False, verbosity=0)
    cpu0 = time.process_time()
    result = demo_build(seed=seed, scale=scale)
    return {"backend": backend, "seconds": result["seconds"], "cpu": time.process_time() - cpu0,
            "counts": result["counts"], "headline": result["headline"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--child", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_one(args.child, args.seed, args.scale)))
        return 0

    print("| database | scale | registry s | organisation s | accounts s | total s | CPU s | rows | load avg |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for backend in ([args.only] if args.only else ["sqlite", "postgresql"]):
        load = os.getloadavg()[0]
        done = subprocess.run([sys.executable, __file__, "--child", backend, "--seed", str(args.seed),
                               "--scale", str(args.scale)], capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            print(f"| {backend} | failed: {done.stderr.strip().splitlines()[-1] if done.stderr else '?'} |")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        s = r["seconds"]
        rows = sum(n for n in r["counts"].values() if isinstance(n, int))  # some parts count more than rows
        print(f"| {backend} | {args.scale:g} | {s['registry']:.1f} | {s['organisation']:.1f} | {s['accounts']:.1f} "
              f"| {s['total']:.1f} | {r['cpu']:.1f} | {rows:,} | {load:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
