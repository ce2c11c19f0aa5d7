"""What the load benchmark's three pages cost, in-process: queries, CPU, and the template's share of it.

    TUOPIN_VAR=/tmp/bench .venv/bin/tuopin demo --reset --no-serve     # once
    TUOPIN_VAR=/tmp/bench .venv/bin/python benchmarks/page_costs.py [--requests 40]

The same pages as `load.py` (the commander of 镇赉镇: household pages, village pages, the township dashboard),
through Django's test client, one after the other, after the dashboard has cached the township's figures. CPU is
the process's own (SQLite runs inside it; PostgreSQL's work is not counted), so it depends little on the load.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=40, help="per page kind")
    parser.add_argument("--account", default="commander")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from tuopin.apps.accounts.models import User
    from tuopin.apps.accounts.scoping import households_visible_to

    rendering = [0.0]
    render = Template.render

    def timed_render(self, *a, **kw):
        start = time.process_time()
        try:
            return render(self, *a, **kw)
        finally:
            rendering[0] += time.process_time() - start

    Template.render = timed_render
    user = User.objects.get(username=args.account)
    households = list(households_visible_to(user).values_list("pk", flat=True)[:5000])
    villages = list(user.region.children.values_list("pk", flat=True))
    rng = random.Random(1)
    pages = {"household": lambda: f"/households/{rng.choice(households)}/",
             "village": lambda: f"/regions/{rng.choice(villages)}/",
             "dashboard": lambda: f"/regions/{user.region.pk}/"}
    print(f"{connection.vendor}, account {args.account}, {args.requests} requests per page, "
          f"load average (1 min) {os.getloadavg()[0]:.2f}")
    print("| page | queries | CPU ms (median) | CPU ms (mean) | of which template ms (mean) |\n| --- | --- | --- | --- | --- |")
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(user)
        client.get(pages["dashboard"]())  # the township's figures, cached as in the load benchmark
        for kind, path in pages.items():
            for _ in range(3):
                client.get(path())
            rendering[0] = 0.0
            cpu, queries = [], []
            for _ in range(args.requests):
                with CaptureQueriesContext(connection) as captured:
                    start = time.process_time()
                    response = client.get(path())
                    cpu.append(time.process_time() - start)
                if response.status_code != 200:
                    raise SystemExit(f"{kind}: HTTP {response.status_code}")
                queries.append(len(captured))
            span = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}–{max(queries)}"
            print(f"| {kind} | {span} | {statistics.median(cpu) * 1000:.1f} | {statistics.mean(cpu) * 1000:.1f} "
                  f"| {rendering[0] / args.requests * 1000:.1f} |")


if __name__ == "__main__":
    main()
