"""`tuopin assess --engine spark` on the live demo county, every year it has records for, against DuckDB: each
command's wall time and the peak memory of its processes (Python and the Spark JVM, summed), and the two
`--json` objects compared as the agreement tests compare them.

    TUOPIN_VAR=/tmp/bench .venv/bin/tuopin demo --no-serve     # once
    TUOPIN_VAR=/tmp/bench .venv/bin/python benchmarks/spark_live.py [--years 2016 2018] [--out DIR]

Each command is a process of its own, as a user runs it: the Spark figures include starting the JVM.
Prints a Markdown table row per year and engine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.engine.agreement: the comparison the tests make


def recorded_years() -> list[int]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    import django

    django.setup()
    from tuopin.apps.assessment import services

    return services.recorded_years(services.default_scope())


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants (the JVM is a child of the Python process)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def assess(year: int, engine: str, out: Path) -> dict:
    target = out / f"{year}-{engine}.json"
    command = [sys.executable, "-m", "tuopin", "assess", "--year", str(year), "--engine", engine, "--json"]
    start, peak = time.perf_counter(), 0
    with target.open("w") as stdout, (out / f"{year}-{engine}.err").open("w") as stderr:
        proc = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=os.environ.copy())
        while proc.poll() is None:
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.25)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(command[2:])}: exit {proc.returncode}; see {out / f'{year}-{engine}.err'}")
    return {"wall_s": round(wall, 1), "peak_mb": peak // 1024, "summary": json.loads(target.read_text())}


def main() -> None:
    from tests.engine.agreement import assert_summaries_agree

    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, nargs="*")
    parser.add_argument("--out", type=Path)
    o = parser.parse_args()
    out = o.out or Path(tempfile.mkdtemp(prefix="spark-live-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"load average before {os.getloadavg()[0]:.1f}; outputs in {out}")
    print("| year | engine | wall s | peak MB (Python + JVM) | poor persons | agree |")
    print("| --- | --- | --- | --- | --- | --- |")
    for year in o.years or recorded_years():
        runs = {engine: assess(year, engine, out) for engine in ("duckdb", "spark")}
        assert_summaries_agree(runs["duckdb"]["summary"], runs["spark"]["summary"])
        for engine, run in runs.items():
            print(f"| {year} | {engine} | {run['wall_s']} | {run['peak_mb']} | "
                  f"{run['summary']['poor_persons']:,} | yes |", flush=True)
    print(f"load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
