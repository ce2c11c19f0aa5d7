"""Load: concurrent users browsing household pages, village pages and dashboards.

    TUOPIN_VAR=/tmp/bench .venv/bin/tuopin demo --reset --no-serve                           # once
    TUOPIN_VAR=/tmp/bench .venv/bin/python benchmarks/load.py --serve --workers 3 --users 50 --seconds 120

`--serve` starts `tuopin serve` (gunicorn, as `make demo` serves) on the port for the run and stops it after;
without it the script drives a server already listening there. PostgreSQL: the same line with DATABASE_URL set.

Every user logs in (the commander of 镇赉镇: a zone of ~10,000 households) before the measured window,
then loops: a page (household 60 %, village 25 %, township dashboard 15 %), a think time of 1–5 s. The
traffic goes only to the loopback address given. Prints requests, errors and latency percentiles, the load
average, and — with `--serve` — the CPU the server's processes spent per request (a figure that depends far
less on what else the machine is doing than the latencies do). Target: p95 ≤ 300 ms and no errors.

Heavy documents beside the browsing (decision 1130):

    TUOPIN_VAR=/tmp/bench .venv/bin/python benchmarks/load.py --serve --workers 3 --users 50 --reports 50 --seconds 120

`--reports N` adds N users of the county's department account (county-wide area pages by design) who all ask
at the start for an area report — the county's or a township's, a year of `--report-years`, PDF or xlsx —
follow the "being made" page's Refresh until the file comes, think 1–5 s and ask for another. The documents
kept by earlier runs are removed first (`--keep-documents` keeps them). A probe asks for /login/ without a
session once a second. Browsing is judged as before (household, village, dashboard pages); the reports are
listed apart: each poll's latency, and the time from asking to having the file. With `--serve` the document
worker's CPU is printed apart from gunicorn's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")


def report_urls(username: str, years: list[int]) -> list[str]:
    """The area reports the account may open: its county's and every township's, each year, PDF and xlsx."""
    from tuopin.apps.accounts.models import User
    from tuopin.apps.geo.models import Level, Region

    user = User.objects.get(username=username)
    county = Region.objects.get(level=Level.COUNTY)
    areas = [county.pk, *county.children.filter(level=Level.TOWNSHIP).values_list("pk", flat=True)]
    del user  # the account's own scope is checked by the server; a refusal counts as an error
    return [f"/regions/{pk}/report-{year}.{ext}" for pk in areas for year in years for ext in ("pdf", "xlsx")]


def page_urls(username: str) -> dict[str, list[str]]:
    import django

    django.setup()
    from tuopin.apps.accounts.models import User
    from tuopin.apps.accounts.scoping import households_visible_to

    user = User.objects.get(username=username)
    households = list(households_visible_to(user).values_list("pk", flat=True)[:5000])
    villages = list(user.region.children.values_list("pk", flat=True))
    return {"household": [f"/households/{pk}/" for pk in households],
            "village": [f"/regions/{pk}/" for pk in villages],
            "dashboard": [f"/regions/{user.region.pk}/"]}


class Client:
    def __init__(self, host: str, port: int):
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.refresh: str | None = None

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        self.refresh = response.getheader("Refresh")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
        status, _ = self.request("POST", "/login/", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                           "Referer": "http://127.0.0.1/login/"})
        if status != 302:
            raise RuntimeError(f"login failed with HTTP {status}")


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User + system CPU of a process and all its descendants (`tuopin serve`, gunicorn's master and workers, the
    document workers), from /proc: (everything but the document workers, the document workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    procs = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # a process that ended meanwhile
        # fields[1]: the parent's pid; 11, 12: own user and system time; 13, 14: those of waited-for children
        procs[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick,
                                        b"db_worker" in cmdline)
    web = documents = 0.0
    for p, (_parent, cpu, is_worker) in procs.items():
        q = p
        while q in procs and q != pid:
            q = procs[q][0]
        if q == pid:
            if is_worker:
                documents += cpu
            else:
                web += cpu
    return web, documents


def serve(port: int, workers: int, document_jobs: int | None) -> subprocess.Popen:
    """`tuopin serve` on the port, waited for until it answers."""
    extra = [] if document_jobs is None else ["--document-jobs", str(document_jobs)]
    server = subprocess.Popen([sys.executable, "-m", "tuopin", "serve", "--port", str(port), "--workers", str(workers),
                               *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tuopin serve exited with code {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("tuopin serve did not answer within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--account", default="commander")
    parser.add_argument("--serve", action="store_true", help="start `tuopin serve` for the run and stop it after")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers with --serve")
    parser.add_argument("--document-jobs", type=int, default=None,
                        help="document worker processes with --serve (default: the setting, TUOPIN_DOCUMENT_JOBS)")
    parser.add_argument("--reports", type=int, default=0, help="users asking for area reports beside the browsing")
    parser.add_argument("--report-account", default="department")
    parser.add_argument("--report-years", default="2018,2019,2020")
    parser.add_argument("--keep-documents", action="store_true", help="keep the documents earlier runs made")
    args = parser.parse_args()
    if not args.host.startswith("127.") and args.host != "localhost":
        raise SystemExit("load goes to the loopback address only")
    if args.reports and not args.keep_documents:
        from django.conf import settings

        documents = getattr(settings, "DOCUMENTS_DIR", None)  # None: code from before decision 1130
        for kept in documents.glob("*") if documents else ():
            kept.unlink()
    server = serve(args.port, args.workers, args.document_jobs) if args.serve else None
    try:
        run(args, server)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()


def run(args, server: subprocess.Popen | None) -> None:
    from django.conf import settings

    urls = page_urls(args.account)
    reports = report_urls(args.report_account, [int(y) for y in args.report_years.split(",")]) if args.reports else []
    accounts = json.loads(settings.DEMO_ACCOUNTS_FILE.read_text(encoding="utf-8"))
    password = next(a["password"] for a in accounts if a["username"] == args.account)
    clients = []
    for _ in range(args.users):
        client = Client(args.host, args.port)
        client.login(args.account, password)
        clients.append(client)
    report_clients = []
    if args.reports:
        report_password = next(a["password"] for a in accounts if a["username"] == args.report_account)
        for _ in range(args.reports):
            client = Client(args.host, args.port)
            client.login(args.report_account, report_password)
            report_clients.append(client)
    # warm the figures cache once, as a county office opening the dashboard in the morning would
    clients[0].request("GET", urls["dashboard"][0])

    results: list[tuple[str, float, int]] = []
    made: list[float] = []  # seconds from asking for a document to having it
    waiting_at_end = 0
    lock = threading.Lock()
    load_before = os.getloadavg()
    server_cpu = cpu_seconds(server.pid) if server else None
    own_cpu = time.process_time()
    stop = time.monotonic() + args.seconds

    def user(client: Client, seed: int) -> None:
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, 5))
        while time.monotonic() < stop:
            kind = rng.choices(("household", "village", "dashboard"), (60, 25, 15))[0]
            start = time.perf_counter()
            try:
                status, _ = client.request("GET", rng.choice(urls[kind]))
            except (OSError, http.client.HTTPException):
                status = 0
                client.conn.close()
            with lock:
                results.append((kind, time.perf_counter() - start, status))
            time.sleep(rng.uniform(1, 5))

    def reporter(client: Client, seed: int) -> None:
        nonlocal waiting_at_end
        rng = random.Random(1000 + seed)
        while time.monotonic() < stop:
            path, asked = rng.choice(reports), time.perf_counter()
            while True:
                start = time.perf_counter()
                try:
                    status, _ = client.request("GET", path)
                except (OSError, http.client.HTTPException):
                    status = 0
                    client.conn.close()
                with lock:
                    results.append(("report poll", time.perf_counter() - start, 200 if status == 202 else status))
                if status != 202:
                    break
                if time.monotonic() >= stop:
                    with lock:
                        waiting_at_end += 1
                    return
                time.sleep(float(client.refresh or 2))  # as the page asks
            if status == 200:
                with lock:
                    made.append(time.perf_counter() - asked)
            time.sleep(rng.uniform(1, 5))

    def probe() -> None:
        """An anonymous visitor opening the login page once a second."""
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                status, _ = Client(args.host, args.port).request("GET", "/login/")
            except (OSError, http.client.HTTPException):
                status = 0
            with lock:
                results.append(("login page", time.perf_counter() - start, status))
            time.sleep(1)

    threads = [threading.Thread(target=user, args=(c, i)) for i, c in enumerate(clients)]
    threads += [threading.Thread(target=reporter, args=(c, i)) for i, c in enumerate(report_clients)]
    if args.reports:
        threads.append(threading.Thread(target=probe))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if server:
        after = cpu_seconds(server.pid)
        server_cpu, document_cpu = after[0] - server_cpu[0], after[1] - server_cpu[1]
    own_cpu = time.process_time() - own_cpu
    load_after = os.getloadavg()
    from django.db import connection

    print(f"{args.users} users, {args.seconds} s, account {args.account}, {connection.vendor}"
          + (f", tuopin serve with {args.workers} gunicorn workers" if server else "")
          + (f"; {args.reports} report users ({args.report_account}, {len(reports)} documents)" if args.reports else ""))
    print(f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
          f"{os.cpu_count()} CPUs; load generator CPU {own_cpu:.1f} s")
    browsing = ("household", "village", "dashboard")
    if server:
        print(f"server CPU {server_cpu:.1f} s = {server_cpu * 1000 / max(len(results), 1):.1f} ms per request"
              + (" (PostgreSQL's own processes not counted)" if connection.vendor == "postgresql" else "")
              + (f"; document workers {document_cpu:.1f} s" if args.reports else ""))
    print("| pages | requests | errors | p50 ms | p95 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- | --- |")
    for kind in (*browsing, None, "login page", "report poll"):
        rows = [r for r in results if (r[0] in browsing if kind is None else r[0] == kind)]
        if not rows:
            continue
        times = sorted(r[1] * 1000 for r in rows)
        q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
        errors = sum(1 for r in rows if r[2] != 200)
        print(f"| {kind or 'all browsing'} | {len(rows)} | {errors} | {q[49]:.0f} | {q[94]:.0f} | {q[98]:.0f} "
              f"| {times[-1]:.0f} |")
    if args.reports:
        if made:
            q = statistics.quantiles(sorted(made), n=100, method="inclusive") if len(made) > 1 else made * 99
            print(f"documents received: {len(made)}, seconds from asking to the file p50 {q[49]:.1f}, "
                  f"p95 {q[94]:.1f}, max {max(made):.1f}; still being made when the window closed: {waiting_at_end}")
        else:
            print(f"documents received: 0; still being made when the window closed: {waiting_at_end}")


if __name__ == "__main__":
    main()
