"""The county's own export imported back: time and peak memory (target: ≤ 60 s, ≤ 1 GB for 173,687 persons).

    TUOPIN_VAR=/tmp/rt DATABASE_URL=sqlite:////tmp/rt/demo.sqlite3 .venv/bin/tuopin demo --no-serve   # once
    TUOPIN_VAR=/tmp/rt DATABASE_URL=sqlite:////tmp/rt/demo.sqlite3 .venv/bin/python benchmarks/round_trip.py

Against the demo county's database (built once, reused): exports the whole county unmasked as xlsx and as csv
(`tuopin export --unmasked`, the latest year), then imports each file back for that year (`tuopin import`), each
command in a process of its own, and prints wall time, CPU time and the process's peak resident memory
(from wait4). The imports find every household and person unchanged, so they write nothing but their audit
event: the database can be reused for the next run. `--region CODE` exports and imports one township instead.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUOPIN = [sys.executable, "-c", "import sys; from tuopin.cli import main; sys.exit(main(sys.argv[1:]))"]


def run(label: str, args: list[str]) -> tuple[float, float, float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    start = time.perf_counter()
    proc = subprocess.Popen([*TUOPIN, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        print(out)
        raise SystemExit(f"{label}: exit {os.waitstatus_to_exitcode(status)}")
    cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    print(f"{label:<34} {seconds:7.1f} s  CPU {cpu:6.1f} s  peak {peak:6.0f} MB  (load {os.getloadavg()[0]:.1f})",
          flush=True)
    return seconds, cpu, peak, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as", dest="account", default="county_admin")
    parser.add_argument("--region", help="a township or village code instead of the whole county")
    parser.add_argument("--keep", help="a folder to keep the exported files in (default: a temporary one)")
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL (and TUOPIN_VAR) to the demo county's database; see the docstring")
    folder = Path(args.keep or tempfile.mkdtemp(prefix="tuopin-round-trip-"))
    folder.mkdir(parents=True, exist_ok=True)
    region = ["--region", args.region] if args.region else []
    results = {}
    for fmt in ("xlsx", "csv"):
        path = folder / f"own.{fmt}"
        _, _, _, out = run(f"export {fmt} (unmasked)", ["export", "--format", fmt, "--out", str(path), "--unmasked",
                                                         "--as", args.account, "--language", "en", *region])
        year = out.split("year ")[1].split(",")[0].split(")")[0]
        print(f"  {path.stat().st_size / 1e6:.1f} MB, year {year}: {out.strip().splitlines()[-1]}")
        results[fmt] = run(f"import {fmt} back", ["import", str(path), "--year", year, "--as", args.account,
                                                  "--report", str(folder / f"report-{fmt}.csv"), "-v", "2",
                                                  "--language", "en"])
        lines = results[fmt][3].strip().splitlines()
        print("  " + "; ".join(line.strip() for line in lines if "unchanged" in line or "seconds" in line))
    for fmt, (seconds, _, peak, _) in results.items():
        verdict = "met" if seconds <= 60 and peak <= 1024 else "NOT met"
        print(f"import {fmt}: {seconds:.1f} s, {peak:.0f} MB — target ≤ 60 s, ≤ 1 GB: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
