"""The demo county's department rosters imported again (`roster_import`, 20 rosters, about 183,000 rows at full
size), each part timed: reading, the row checks, the matches by ID and by likeness, writing the entries.

    TUOPIN_VAR=DIR .venv/bin/python benchmarks/roster_import.py [--scale 1.0]

DIR holds a database with the demo county built at the same scale (`TUOPIN_VAR=DIR tuopin demo --no-serve
--scale S`). The rosters are made by the demo's own generator from the registry it builds again in memory (seed 1),
and imported as the demo build imports them, in one transaction rolled back at the end: the database is left as it
was. Prints one JSON line: rosters, rows, the whole seconds and the seconds of each part.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from tuopin.apps.demo import rosters
    from tuopin.apps.geo.models import Region
    from tuopin.apps.policy import roster_import
    from tuopin.synth.county import build_registry

    adapt = connection.ops.adapt_datetimefield_value
    tz = timezone.get_default_timezone()
    registry = build_registry(1, args.scale, region_id=dict(Region.objects.values_list("code", "id")),
                              stamp=adapt(timezone.now()),
                              stamp_of=lambda d: adapt(timezone.make_aware(dt.datetime(d.year, d.month, d.day, 9), tz)))
    spent: dict[str, float] = {}

    def timed(name: str, label: str) -> None:
        function = getattr(roster_import, name, None)
        if function is None:  # an older checkout: the part it lacks is timed inside `_write`
            return

        @functools.wraps(function)
        def wrapper(*a, **k):
            started = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        setattr(roster_import, name, wrapper)

    for name, label in (("read_grid", "read"), ("check_rows", "check_rows"), ("match_by_id", "match_by_id"),
                        ("match_by_likeness", "match_by_likeness"), ("insert_entries", "write_entries"),
                        ("_write", "write_all")):
        timed(name, label)
    started = time.perf_counter()
    with transaction.atomic():
        made = rosters.load_rosters(registry.tables, seed=1, scale=args.scale)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    print(json.dumps({"rosters": made["rosters"], "rows": made["entries"], "seconds": round(seconds, 1),
                      "parts": {k: round(v, 1) for k, v in spent.items()}, "load_average": os.getloadavg()}))


if __name__ == "__main__":
    main()
