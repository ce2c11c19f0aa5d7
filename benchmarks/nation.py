"""National scale: `tuopin synth` N households, then `tuopin assess --data` over them.
Target: 30,000,000 households assessed in ≤ 15 s wall and ≤ 6 GB peak memory on the 2-core, 24 GB VM.

    .venv/bin/python benchmarks/nation.py --households 1000000 10000000 30000000 [--root /work/data/bench]
    .venv/bin/python benchmarks/nation.py --households 30000000 --reuse --repeat 3    # assess only
    .venv/bin/python benchmarks/nation.py --households 30000000 --reuse --derive   # derived tables again, then assess
    .venv/bin/python benchmarks/nation.py --households 30000000 --reuse --reimport 440000000000   # one province

`--reimport CODE` stands for that province re-imported: its input files (those that may hold its households'
rows, engine/partitions.py) get new modification times, then `tuopin snapshot derive` is timed — it computes
the partitions whose inputs changed (that province, and a neighbour sharing a part file) and keeps the rest.

Each size is generated into ROOT/n<N> (kept with --reuse; Parquet, about 4 GB at 30 million) and assessed
by the command itself (`tuopin assess --data DIR --year Y --json`, Django's start-up included) under
/usr/bin/time, which gives wall time and peak resident memory. `assess` acts as the demo county
administrator, so ROOT/var gets a small demo database once (TUOPIN_VAR). Prints one Markdown row per
size with the load average at the start of each step: other jobs on the machine slow every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TUOPIN = str(Path(sys.executable).with_name("tuopin"))


def timed(cmd: list[str], env: dict) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS GB, stdout) of a command run under /usr/bin/time -v."""
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    err = proc.stderr

    def field(name):
        return re.search(rf"{re.escape(name)}: (.+)", err).group(1).strip()

    h, m, s = (["0", "0"] + field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"))[-3:]
    wall = int(h) * 3600 + int(m) * 60 + float(s)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return wall, cpu, int(field("Maximum resident set size (kbytes)")) / 1024**2, proc.stdout


def du_gb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024**3


def reimport(folder: Path, year: int, province: int) -> int:
    """New modification times for the input files of a province's derived partition."""
    from tuopin.engine import partitions

    parts = json.loads((folder / "_snapshot.json").read_text())["derived"]["household_result"][str(year)]
    span = next(tuple(p["households"]) for p in parts["partitions"] if p["province"] == province)
    files = partitions.inputs(folder, year, span)
    for f in files:
        os.utime(f)
    return len(files)


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--root", default="/work/data/bench")
    parser.add_argument("--year", type=int, default=2018)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="assess runs per size (the best is shown too)")
    parser.add_argument("--reuse", action="store_true", help="keep an existing ROOT/n<N> instead of regenerating")
    parser.add_argument("--derive", action="store_true",
                        help="(re)write a reused folder's derived tables first, timed (`tuopin snapshot derive`)")
    parser.add_argument("--reimport", type=int, metavar="CODE",
                        help="touch one province's input files, then time `tuopin snapshot derive` (partial)")
    args = parser.parse_args()
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TUOPIN_VAR": str(root / "var")}
    if not (root / "var" / "tuopin.sqlite3").exists():
        subprocess.run([TUOPIN, "demo", "--no-serve", "--scale", "0.02"], env=env, check=True, capture_output=True)
    print("| households | synth s | synth peak GB | derive s | derive peak GB | disk GB | load | assess s (runs) "
          "| assess CPU s | assess peak GB | load |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for n in args.households:
        folder = root / f"n{n}"
        synth = "reused", "", ""
        synth_load = load()
        if not (args.reuse and folder.exists()):
            shutil.rmtree(folder, ignore_errors=True)
            wall, _, peak, _ = timed([TUOPIN, "synth", "--households", str(n), "--out", str(folder),
                                      "--years", str(args.year), "--seed", str(args.seed)], env)
            synth = f"{wall:.0f}", f"{peak:.2f}", ""
        # Derived tables (decision 1002): synth writes them and records the seconds; a reused folder may be
        # given them (again) here, timed on their own.
        derive = str(json.loads((folder / "_snapshot.json").read_text()).get("generator", {})
                     .get("derive_seconds", "")), ""
        if args.reimport:
            touched = reimport(folder, args.year, args.reimport)
            print(f"province {args.reimport}: {touched} input files touched", flush=True)
        if args.reuse and (args.derive or args.reimport):
            wall, cpu, peak, _ = timed([TUOPIN, "snapshot", "derive", str(folder), "--year", str(args.year),
                                        "-v", "2"], env)
            derive = f"{wall:.1f} ({cpu:.1f} CPU)", f"{peak:.2f}"
        runs, assess_load = [], load()
        for _ in range(args.repeat):
            runs.append(timed([TUOPIN, "assess", "--data", str(folder), "--year", str(args.year), "--json"], env))
        figures = json.loads(runs[-1][3])
        assert figures["scope"]["level"] == "nation" and figures["provinces"], "no national figures"
        walls = ", ".join(f"{r[0]:.1f}" for r in runs)
        print(f"| {n:,} | {synth[0]} | {synth[1]} | {derive[0]} | {derive[1]} | {du_gb(folder):.2f} | {synth_load} "
              f"| {walls} | "
              f"{min(r[1] for r in runs):.1f} | {max(r[2] for r in runs):.2f} | {assess_load} |", flush=True)


if __name__ == "__main__":
    main()
