"""What recording reads costs a page (decision 1152): the household page and an API list page, timed in-process.

    TUOPIN_VAR=/tmp/bench .venv/bin/tuopin demo --reset --no-serve [--scale 0.1]     # once
    TUOPIN_VAR=/tmp/bench PYTHONPATH=src .venv/bin/python benchmarks/read_audit.py --requests 200
    # the same script against the code before the read audit (a `git archive` of that commit's src/):
    TUOPIN_VAR=/tmp/bench PYTHONPATH=/tmp/before/src .venv/bin/python benchmarks/read_audit.py --requests 200

Django's test client, one request after the other, as the county administrator (second factor not involved:
`force_login`), after a warm-up: household pages of random households (the township's figures cached, as in
the load benchmark), then `/api/persons/?limit=100` at random offsets. Two clients take turns on the same
URLs, one with the project's middleware, one without AuditContextMiddleware (no read collected, no read event
written), so the machine's load weighs on both alike; against the older code there is only the second. Prints the median and
mean CPU time of the process (SQLite runs inside it, so its work is counted, and the figure depends little on
the machine's load) and the median wall time, with the queries per request and the read events written.

`--tail N` first appends N `read` events (one bulk INSERT, not timed) to see whether a long audit trail of reads
slows the pages: the figures cache's write marker must find the latest write behind them. Everything the run
writes into the audit trail stays there (the table is append-only): use a throw-away TUOPIN_VAR.
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
    parser.add_argument("--requests", type=int, default=200, help="per page kind and variant")
    parser.add_argument("--account", default="county_admin")
    parser.add_argument("--tail", type=int, default=0, help="append this many read events first")
    parser.add_argument("--parts", action="store_true", help="also time the read audit's two parts on their own")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from tuopin.apps.accounts.models import User
    from tuopin.apps.accounts.scoping import households_visible_to, persons_visible_to
    from tuopin.apps.audit.models import AuditEvent

    middleware = [m for m in settings.MIDDLEWARE if "AuditContext" not in m]
    has_reads = len(middleware) < len(settings.MIDDLEWARE)
    user = User.objects.get(username=args.account)
    if args.tail:
        AuditEvent.objects.bulk_create(
            [AuditEvent(actor=user, actor_name=user.username, action="read", entity="registry.household",
                        entity_id=str(i), batch={"registry.household": [i]}, source="web",
                        summary=f"GET /households/{i}/ → 200") for i in range(args.tail)], batch_size=5000)
    rng = random.Random(1)
    households = list(households_visible_to(user).values_list("pk", flat=True))
    persons = persons_visible_to(user).count()
    township = households_visible_to(user).filter(pk__in=households[:1]).values_list("township_id", flat=True)[0]
    pages = {"household page": lambda: f"/households/{rng.choice(households)}/",
             "API persons, 100 a page": lambda: f"/api/persons/?limit=100&offset={rng.randrange(0, persons - 100)}"}
    print(f"{connection.vendor}, code {'with' if has_reads else 'WITHOUT'} the read audit, account {args.account}, "
          f"{args.requests} requests per page and variant, {AuditEvent.objects.count():,} audit events, "
          f"load average (1 min) {os.getloadavg()[0]:.2f}")
    print("| page | variant | queries | CPU ms median | CPU ms mean | wall ms median | read events |\n"
          "| --- | --- | --- | --- | --- | --- | --- |")
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        clients = {}
        # Requests alternate between the variants, so that the machine's load weighs on both alike.
        for variant, chain in (("read audit on", settings.MIDDLEWARE), ("read audit off", middleware)):
            if variant == "read audit on" and not has_reads:
                continue
            client = Client()
            client.force_login(user)
            with override_settings(MIDDLEWARE=chain):
                client.get(f"/regions/{township}/")  # loads this client's middleware chain; figures cached
            clients[variant] = client
        for kind, path in pages.items():
            stats = {v: {"cpu": [], "wall": [], "queries": [], "reads": 0} for v in clients}
            order = list(clients.items())
            for i in range(args.requests + 5):
                url = path()  # the same record for both variants, each first every other time
                for variant, client in (order if i % 2 else order[::-1]):
                    reads = AuditEvent.objects.filter(action="read").count()
                    connection.queries_log.clear()  # the log keeps 9,000 queries: counts would read 0 past that
                    with CaptureQueriesContext(connection) as captured:
                        start, start_wall = time.process_time(), time.perf_counter()
                        response = client.get(url)
                        cpu, wall = time.process_time() - start, time.perf_counter() - start_wall
                    if response.status_code != 200:
                        raise SystemExit(f"{kind}: HTTP {response.status_code}")
                    if i < 5:
                        continue  # warm-up
                    row = stats[variant]
                    row["cpu"].append(cpu), row["wall"].append(wall), row["queries"].append(len(captured))
                    row["reads"] += AuditEvent.objects.filter(action="read").count() - reads
            for variant, row in stats.items():
                q = row["queries"]
                span = f"{min(q)}" if min(q) == max(q) else f"{min(q)}–{max(q)}"
                print(f"| {kind} | {variant} | {span} | {statistics.median(row['cpu']) * 1000:.1f} "
                      f"| {statistics.mean(row['cpu']) * 1000:.1f} | {statistics.median(row['wall']) * 1000:.1f} "
                      f"| {row['reads']} |")
    if args.parts and has_reads:
        parts(user, args.requests)


def parts(user, n: int) -> None:
    """The read audit's own costs, without a page around them: noting the instances a query loads, and writing
    the event (building its id ranges, the INSERT and its commit)."""
    from tuopin.apps.audit.context import serving
    from tuopin.apps.audit.services import audit_read
    from tuopin.apps.registry.models import Person

    def cpu_ms(run) -> float:
        times = []
        for _ in range(n):
            start = time.process_time()
            run()
            times.append(time.process_time() - start)
        return statistics.median(times) * 1000

    query = Person.objects.select_related("household").order_by("pk")
    offset = random.Random(3).randrange(0, query.count() - 100)

    def load():
        return list(query[offset:offset + 100])

    def load_collected():
        with serving(address="127.0.0.1"):
            return load()

    with serving(address="127.0.0.1") as collector:
        load()

    def write():
        audit_read(actor=user, collector=collector, source="api", summary="GET /api/persons/ → 200 (benchmark)")

    print(f"\nparts (CPU ms, median of {n}): 100 persons with their households loaded "
          f"{cpu_ms(load):.2f}, the same noted as read {cpu_ms(load_collected):.2f}; "
          f"writing their read event (200 ids) {cpu_ms(write):.2f}")


if __name__ == "__main__":
    main()
