"""The engine's pages and documents on the demo county: dashboards cold and cached, readiness, downloads.

    .venv/bin/python benchmarks/web_dashboard.py                        # builds the demo into var/bench/ first
    .venv/bin/python benchmarks/web_dashboard.py --database PATH.sqlite3  # a demo database built before

Renders through Django's test client as the demo county administrator: the county dashboard with an empty
cache (one assessment; the trend is fetched apart, one assessment per other year), the same page again
(cached), after a one-household edit (the cache key moves on; the kept per-household rows are brought up to
date for that household, decision 1380) and its trend, a second edit, a township dashboard, a village page with
its readiness and gap list, a household page with its indicators, and the four documents. Prints seconds per
page and the load average. No targets are asserted: it records figures; the pages' correctness is tested in
tests/web/ and tests/assessment/test_increments.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"


def setup(database: Path | None) -> None:
    BENCH.mkdir(parents=True, exist_ok=True)
    db = database or BENCH / "web_dashboard.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("TUOPIN_VAR", str(BENCH / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    if database is None and not db.exists():
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("demo", "--no-serve", verbosity=0)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def timed(label: str, fn) -> object:
    start = time.perf_counter()
    result = fn()
    print(f"| {label} | {time.perf_counter() - start:.2f} s |")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", type=Path)
    args = parser.parse_args()
    setup(args.database)
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from tuopin.apps.accounts.models import Role, User
    from tuopin.apps.assessment import figures
    from tuopin.apps.geo.models import Level, Region
    from tuopin.apps.registry import services
    from tuopin.apps.registry.models import HouseholdYear

    admin = User.objects.filter(role=Role.COUNTY_ADMIN).first()
    client = Client()
    client.force_login(admin)
    county = Region.objects.filter(level=Level.COUNTY).first()
    township = Region.objects.filter(level=Level.TOWNSHIP, parent=county).order_by("code").first()
    village = Region.objects.filter(level=Level.VILLAGE, parent=township, is_poor_village=True).order_by("code").first()
    years = figures.years_with_records(county)
    year = years[-1]
    record = HouseholdYear.objects.filter(household__village=village, year=2018).first()

    def get(path):
        response = client.get(path)
        if response.status_code == 202:  # a document made by the worker (decision 1130): made here, then fetched
            from tuopin.web.documents.workers import run_batch

            run_batch()
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    print(f"demo county {county.name}: years {years[0]}–{years[-1]}")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| page | seconds |\n| --- | --- |")
    cache.clear()
    county_page = reverse("web:region", args=[county.pk])
    trend = reverse("web:region_trend", args=[county.pk])
    fetch = {"headers": {"X-Requested-With": "fetch"}}
    timed(f"county dashboard {year}, empty cache (one year; the trend comes apart)", lambda: get(county_page))
    timed(f"trend fragment (the other {len(years) - 1} years assessed)", lambda: client.get(trend, **fetch))
    timed("county dashboard, cached (trend in the page)", lambda: get(county_page))
    timed("county dashboard 2018, cached", lambda: get(county_page + "?year=2018"))
    services.household_year_update(record=record, version=record.version, by=admin, source="cli",
                                   wage_income_fen=record.wage_income_fen + 100)
    timed("county dashboard after a one-household edit", lambda: get(county_page))
    timed("trend fragment after the edit (every other year brought up to date)", lambda: client.get(trend, **fetch))
    timed("county dashboard after it (trend in the page)", lambda: get(county_page))
    record.refresh_from_db()
    services.household_year_update(record=record, version=record.version, by=admin, source="cli",
                                   wage_income_fen=record.wage_income_fen + 100)
    timed("county dashboard after a second edit", lambda: get(county_page))
    timed("trend fragment after the second edit", lambda: client.get(trend, **fetch))
    timed("township dashboard, empty cache", lambda: get(reverse("web:region", args=[township.pk])))
    timed("village page with readiness (township cached)", lambda: get(reverse("web:region", args=[village.pk]) + "?year=2018"))
    timed("household page with indicators", lambda: get(reverse("web:household", args=[record.household_id])))
    timed("county report xlsx (made by the worker, then fetched)", lambda: get(reverse("web:area_report_xlsx", args=[county.pk, 2018])))
    timed("county report pdf (first PDF: imports WeasyPrint)", lambda: get(reverse("web:area_report_pdf", args=[county.pk, 2018])))
    timed("county report pdf again (the file kept)", lambda: get(reverse("web:area_report_pdf", args=[county.pk, 2018])))
    timed("village notice list pdf", lambda: get(reverse("web:notice_list_pdf", args=[village.pk, 2018])))
    timed("household file pdf", lambda: get(reverse("web:household_file_pdf", args=[record.household_id])))
    timed("procedure work page (county, 2018)", lambda: get(reverse("web:procedures") + "?year=2018"))
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
