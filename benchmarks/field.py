"""The field app on a phone (decisions 1565, 1566): the browser tests' scenarios, run for their figures — a full
visit's taps and seconds, a first secretary's village of 500 households opened offline, a household of 30
members, a 1,000-visit outbox synced. A 390×844 touch screen, the CPU slowed four times (DevTools protocol).

    .venv/bin/python benchmarks/field.py [--repeat 3]

Runs tests/web/test_field_browser.py (Playwright, /usr/bin/chromium, SQLite test database) and prints one
Markdown table row per figure: the median and best of the repeats.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ("tests/web/test_field_browser.py::test_a_full_visit_takes_few_taps_and_under_a_minute",
         "tests/web/test_field_browser.py::test_a_first_secretarys_village_on_a_phone")


def run_once(out: Path) -> None:
    env = {**os.environ, "FIELD_FIGURES": str(out), "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.jsonl"
        for _ in range(args.repeat):
            run_once(out)
        for line in out.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            scenario = row.pop("scenario")
            for name, value in row.items():
                runs.setdefault((scenario, name), []).append(value)
    print(f"{platform.node()} · {os.cpu_count()} cores · {platform.python_version()} · CPU slowed ×4 · "
          f"{args.repeat} runs")
    print("| scenario | figure | median | best |\n| --- | --- | --- | --- |")
    for (scenario, name), values in runs.items():
        print(f"| {scenario} | {name} | {statistics.median(values):g} | {min(values):g} |")


if __name__ == "__main__":
    main()
