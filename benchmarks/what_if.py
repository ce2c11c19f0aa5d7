"""The live what-if on the demo county (Django start-up excluded): where its time goes.

    TUOPIN_VAR=/tmp/bench .venv/bin/tuopin demo --reset --no-serve     # once
    TUOPIN_VAR=/tmp/bench .venv/bin/python benchmarks/what_if.py [--year 2018] [--repeat 3] [--budget]

Times `what_if.assess_live` (what the page and `tuopin assess --what-if` call) on the county — the first what-if
since the last write (the caches cleared) and the next one — and inside it the read of the live inputs, the
engine's runs, the households' standing and the comparison; beside it a plain `services.assess` (one run). The what-if raises the
year's poverty line to 4,000 yuan and the water trip limit to 30 minutes; `--budget` adds a subsidy of 300 yuan a
person (decision 1600). Prints a Markdown table: median and best of the repeats.
"""

from __future__ import annotations

import argparse
import collections
import os
import platform
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402

from tuopin.apps.assessment import live_inputs, services, what_if  # noqa: E402
from tuopin.engine import duckdb_runner  # noqa: E402
from tuopin.engine import what_if as engine_what_if  # noqa: E402

SPENT: dict[str, list[float]] = collections.defaultdict(list)


def timing(module, name: str, label: str) -> None:
    """Wrap module.name so that each call's wall time is added to SPENT[label]."""
    inner = getattr(module, name)

    def wrapped(*args, **kwargs):
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            SPENT[label].append(time.perf_counter() - start)

    setattr(module, name, wrapped)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", action="store_true")
    args = parser.parse_args()
    county = services.default_scope()
    over = {"poverty_line": {str(args.year): {"yuan": 4000}}, "water": {"trip_minutes": 30}}
    if args.budget:
        over["budget"] = {"subsidy_per_person": 300}
    timing(live_inputs, "read", "read the live inputs")
    timing(duckdb_runner, "run", "one engine run (rules + roll-ups)")
    timing(engine_what_if, "flags", "each household's standing, per run")
    timing(engine_what_if, "run_pair", "the what-if's run and the comparison")

    measures = {
        "assess (one run: read + rules + roll-ups)": lambda: services.assess(year=args.year, region=county),
        # the first what-if on the area since its last write: the inputs read, today's run and the what-if's
        "what-if, first (read + two runs + comparison + delta)": lambda: (cache.clear(), what_if.assess_live(
            year=args.year, region=county, over=over, where="bench")),
        # the next what-ifs on it (the page's "try again"): the inputs and today's run kept (decision 1604)
        "what-if, next (one run + comparison + delta)": lambda: what_if.assess_live(
            year=args.year, region=county, over=over, where="bench"),
    }
    print(f"{platform.node()} · {os.cpu_count()} cores · {connection.vendor} · year {args.year}"
          f"{' · budget' if args.budget else ''} · load {os.getloadavg()[0]:.1f}")
    print("| measure | median (s) | best (s) |\n| --- | --- | --- |")
    for name, fn in measures.items():
        fn()  # warm: first query plans, imports
        SPENT.clear()
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        print(f"| {name} | {statistics.median(times):.3f} | {min(times):.3f} |")
        for label, spent in sorted(SPENT.items()):
            per_call = len(spent) // args.repeat or 1
            sums = [sum(spent[i * per_call:(i + 1) * per_call]) for i in range(args.repeat)]
            print(f"| … {label} ({per_call}×) | {statistics.median(sums):.3f} | {min(sums):.3f} |")
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
