"""Assessing one year of the demo county from the live database, snapshot included (Django start-up
excluded), and explaining one household.

    TUOPIN_VAR=/tmp/bench .venv/bin/tuopin demo --reset --no-serve   # once
    TUOPIN_VAR=/tmp/bench .venv/bin/python benchmarks/assess.py [--year 2018] [--repeat 5]

Prints a Markdown table row per measure: median and best of the repeats.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from tuopin.apps.assessment import live_inputs, services  # noqa: E402
from tuopin.apps.registry.models import Household  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    county = services.default_scope()
    poor = Household.objects.filter(is_registered=True).order_by("number").values_list("pk", flat=True)[500]
    measures = {
        "read the live registry into Arrow": lambda: live_inputs.read(year=args.year, region_code=county.code),
        "assess the county (read + rules + roll-ups)": lambda: services.assess(year=args.year, region=county),
        "explain one household": lambda: services.explain_household(household_id=poor, year=args.year,
                                                                     region_code=county.code),
    }
    print(f"{platform.node()} · {os.cpu_count()} cores · {connection.vendor} · year {args.year}")
    print("| measure | median (s) | best (s) |\n| --- | --- | --- |")
    for name, fn in measures.items():
        fn()  # warm: first query plans, imports
        times = timed(fn, args.repeat)
        print(f"| {name} | {statistics.median(times):.3f} | {min(times):.3f} |")


if __name__ == "__main__":
    main()
