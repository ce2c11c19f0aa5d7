"""The web pages at county scale: how long the county, township, village, household and search pages take.

    .venv/bin/python benchmarks/web_pages.py                   # 170,000 persons in 11 townships (SQLite file)
    .venv/bin/python benchmarks/web_pages.py --households 5000 # a smaller run
    .venv/bin/python benchmarks/web_pages.py --reuse           # measure again without rebuilding

Builds its own registry in var/bench/web_pages.sqlite3 with bulk_create (11 townships, 141
villages, ≈ 2.4 persons per household, one yearly record each, one cadre paired with 5 households), then
renders each page through Django's test client as the county administrator (and the cadre's home page),
several times, and prints the median time and the number of SQL queries per page. No targets are asserted:
this records figures; the pages' correctness is tested in tests/web/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = ROOT / "var" / "bench" / "web_pages.sqlite3"
VILLAGES_PER_TOWNSHIP = [17, 13, 13, 13, 7, 13, 17, 14, 12, 11, 11]  # 141 in all, as in Zhenlai


def setup_django(reuse: bool) -> None:
    DB.parent.mkdir(parents=True, exist_ok=True)
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(households: int, seed: int = 7) -> dict:
    from tuopin.apps.accounts.models import Role, User
    from tuopin.apps.geo.models import Level, Region
    from tuopin.apps.organisation.models import Cadre, CadreHouseholdPairing, Unit
    from tuopin.apps.registry.models import Household, HouseholdYear, Person

    rng = random.Random(seed)
    county = Region.objects.create(code="220821000000", name="镇赉县", level=Level.COUNTY)
    villages = []
    for t, count in enumerate(VILLAGES_PER_TOWNSHIP, start=1):
        township = Region.objects.create(code=f"220821{t:03d}000", name=f"乡镇{t}", level=Level.TOWNSHIP, parent=county)
        for v in range(1, count + 1):
            villages.append(Region.objects.create(code=f"220821{t:03d}{v:03d}", name=f"{township.name}第{v}村",
                                                  level=Level.VILLAGE, parent=township, is_poor_village=v % 2 == 0))
    statuses = ["0"] * 2 + ["1"] * 6 + ["3", "5"] + [""] * 4
    hh_rows, person_rows, year_rows, serial = [], [], [], 0
    for pk in range(1, households + 1):
        village = villages[pk % len(villages)]
        status = rng.choice(statuses)
        number = f"{village.code}{pk:06d}"
        hh_rows.append(Household(pk=pk, number=number, village=village, township_id=village.parent_id,
                                 is_registered=status != "", attribute="01" if status else "00", status=status))
        members = rng.choice([1, 2, 2, 3, 3, 4])
        for m in range(members):
            serial += 1
            # Reads never check the checksum; a serial keeps the 18-character ID numbers unique.
            person_rows.append(Person(pk=serial, household_id=pk, number=f"{number}{m:02d}", id_number=f"22{serial:016d}",
                                      name=f"姓名{serial}", sex="M" if m % 2 == 0 else "F",
                                      birth_date=dt.date(1950 + serial % 60, 1 + serial % 12, 1 + serial % 28),
                                      relation="01" if m == 0 else "02", labour_ability="1"))
        record = HouseholdYear(pk=pk, household_id=pk, year=2018, members=members,
                               wage_income_fen=rng.randint(100_000, 1_500_000))
        record.compute_income()
        year_rows.append(record)
    for model, rows in ((Household, hh_rows), (Person, person_rows), (HouseholdYear, year_rows)):
        model.objects.bulk_create(rows, batch_size=5000)
    unit = Unit.objects.create(name="县扶贫办", kind="department")
    cadre = Cadre.objects.create(name="王干部", unit=unit)
    for pk in range(1, 6):
        CadreHouseholdPairing.objects.create(cadre=cadre, household_id=pk, start=dt.date(2016, 1, 1))
    User.objects.create(username="county_admin", role=Role.COUNTY_ADMIN, region=county)
    User.objects.create(username="cadre", role=Role.CADRE, cadre=cadre)
    return existing()


def existing() -> dict:
    from tuopin.apps.accounts.models import User
    from tuopin.apps.geo.models import Region
    from tuopin.apps.registry.models import Household, Person

    village = Region.objects.filter(level="village").order_by("code").first()
    return {"county": Region.objects.get(level="county"), "township": village.parent, "village": village,
            "admin": User.objects.get(username="county_admin"), "cadre": User.objects.get(username="cadre"),
            "households": Household.objects.count(), "persons": Person.objects.count()}


def measure(client, method: str, path: str, data=None, repeat: int = 5) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, queries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=71_000)
    parser.add_argument("--reuse", action="store_true", help="measure the registry the last run built")
    args = parser.parse_args(argv)
    reuse = args.reuse and DB.exists()
    setup_django(reuse)
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    start = time.perf_counter()
    built = existing() if reuse else build(args.households)
    print(f"{'reused' if reuse else 'built'} {built['households']} households / {built['persons']} persons "
          f"in {time.perf_counter() - start:.1f} s")
    admin, cadre = Client(), Client()
    admin.force_login(built["admin"])
    cadre.force_login(built["cadre"])
    household = built["village"].households.order_by("pk").first()
    pages = [
        ("county page", admin, "get", f"/regions/{built['county'].pk}/", None),
        ("township page", admin, "get", f"/regions/{built['township'].pk}/", None),
        ("village page", admin, "get", f"/regions/{built['village'].pk}/", None),
        ("household page", admin, "get", f"/households/{household.pk}/", None),
        ("search by name", admin, "post", "/search/", {"q": "姓名1234"}),
        ("search by ID number", admin, "post", "/search/", {"q": household.members.first().id_number}),
        ("cadre home", cadre, "get", "/", None),
    ]
    print(f"{'page':22} {'median ms':>10} {'queries':>8}")
    for name, client, method, path, data in pages:
        ms, queries = measure(client, method, path, data)
        print(f"{name:22} {ms:10.1f} {queries:8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
