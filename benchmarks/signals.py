"""Signals that figures may be gamed (数字脱贫) on the demo county: every planted case found? false alarms? seconds?

    python benchmarks/signals.py                 # builds the demo (seed 1) into var/bench/signals/ once (minutes)
    python benchmarks/signals.py --scale 0.02    # a small build (what tests/integrity/test_planted.py runs)
    python benchmarks/signals.py --rebuild       # builds it again

The build plants a few cases of each kind (decision 1595; tuopin.apps.demo.signals) and records them in its
`demo_plant_signals` audit event. This runs `signals_run` (as the system) for each planted year, twice — the second
run must make nothing new — and prints per kind: planted case found or not, findings, false alarms (findings
sharing no household or cadre with the planted case), and per year the seconds of a run. The false-alarm rate is
false alarms over the county's households. No assertion: tests/integrity holds the bound; this records figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    var = ROOT / "var" / "bench" / f"signals-{args.seed}-{args.scale:g}"
    var.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TUOPIN_VAR": str(var), "PYTHONPATH": str(ROOT / "src")}
    tuopin = [sys.executable, "-m", "tuopin"]
    if args.rebuild or not (var / "tuopin.sqlite3").exists() or os.environ.get("DATABASE_URL"):
        started = time.perf_counter()
        print(f"building the demo county (seed {args.seed}, scale {args.scale:g}) …", flush=True)
        subprocess.run([*tuopin, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*tuopin, "demo", "--no-serve", "--reset", "--no-risk-model", "--seed", str(args.seed),
                        "--scale", str(args.scale)], env=env, check=True, capture_output=True)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    os.environ["TUOPIN_VAR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from tuopin.apps.audit.models import AuditEvent
    from tuopin.apps.demo.signals import score
    from tuopin.apps.integrity.models import Finding
    from tuopin.apps.integrity.services import signals_run
    from tuopin.apps.registry.models import Household

    planted = AuditEvent.objects.filter(action="demo_plant_signals").latest("pk").batch["planted"]
    Finding.objects.all().delete()
    for year in sorted({case["year"] for case in planted.values()}):
        for attempt in ("first", "again"):
            started = time.perf_counter()
            run = signals_run(year=year, by=None)
            print(f"{year} {attempt}: {time.perf_counter() - started:.2f} s, found {sum(run.found.values())}, "
                  f"new {run.created}, tasks made {run.tasks_created}")
    findings = list(Finding.objects.all())
    households = Household.objects.count()
    print(f"\n{'kind':<26}{'planted':>8}{'found':>7}{'findings':>10}{'false alarms':>14}")
    total = 0
    for kind, (found, false) in score(planted, findings).items():
        total += false
        print(f"{kind:<26}{len(planted[kind]['households']):>8}{'yes' if found else 'NO':>7}"
              f"{sum(1 for f in findings if f.kind == kind):>10}{false:>14}")
    print(f"\nfalse alarms {total} of {households:,} households: {total / households:.4%}")


if __name__ == "__main__":
    main()
