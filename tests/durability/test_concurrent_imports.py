"""Two imports at once cannot corrupt the registry (decision 0907): `tuopin import` processes
started together on one database both finish and leave exactly what running them one after the other leaves;
an import that cannot get the lock in time is refused with a clear message and writes nothing; a killed import
does not leave the lock behind. On SQLite, and on PostgreSQL when DATABASE_URL names a server."""

import json
import os
import signal
import subprocess
import time

from tests.exchange.helpers import household_rows, person_id, write_xlsx

from .conftest import TUOPIN

# The registry as data: every row of every registry table, keyed by natural keys (numbers, codes), without
# primary keys, timestamps and accounts — two databases that went through the same imports hold the same.
DUMP = """
import django, json
django.setup()
from django.db import models
from tuopin.apps.geo.models import Region
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear, StatusEvent
out = {}
for model in (Household, Person, HouseholdYear, PersonYear, StatusEvent):
    cols = []
    for f in model._meta.concrete_fields:
        if f.primary_key or isinstance(f, models.DateTimeField):
            continue
        if f.is_relation:
            key = {Household: "number", Person: "number", Region: "code"}.get(f.related_model)
            if key:
                cols.append(f"{f.name}__{key}")
            continue
        cols.append(f.name)
    out[model.__name__] = sorted(json.dumps(r, sort_keys=True, default=str) for r in model.objects.values(*cols))
print(json.dumps(out))
"""


# Files large enough that reading and planning them takes a while: started together, the two overlap.
N = 1000


def _dump(site) -> dict:
    return json.loads(site.python(DUMP).stdout.strip().splitlines()[-1])


def _dense_ids(rows):
    # household_rows spaces ID numbers ten birth days apart; a thousand households would be born in the future.
    for row in rows:
        h, m = int(row["户编号"][1:]), int(row["人编号"][-2:])
        row["证件号码"] = person_id(h * 2 + m, "M" if m == 0 else "F")
    return rows


def _files(tmp_path, n=80):
    # B repeats half of A's households with another income and adds new ones: planned from the same state, both
    # would create households 40–79.
    a = write_xlsx(tmp_path / "batch-a.xlsx", _dense_ids(household_rows(n, members=2)))
    b = write_xlsx(tmp_path / "batch-b.xlsx", _dense_ids(household_rows(n, members=2, start=n // 2,
                                                                          income="5200.00")))
    return a, b


def _start(site, path, tmp_path, **env):
    err = open(tmp_path / f"{path.stem}-{len(os.listdir(tmp_path))}.err", "w+")
    proc = subprocess.Popen([TUOPIN, "import", str(path), "--year", "2018", "--as", "county_admin"],
                            env=dict(site.env, **env), stdout=subprocess.DEVNULL, stderr=err)
    return proc, err


def _stderr(err) -> str:
    err.flush()
    err.seek(0)
    return err.read()


def _imported(dump) -> set[str]:
    return {n for n in (json.loads(h)["number"] for h in dump["Household"]) if n.startswith("T")}


def _import_order(site) -> list[str]:
    return [s.split()[1] for s in site.summary()["audit"] if s.startswith("import batch-")]


def test_two_imports_started_together_equal_the_two_run_one_after_the_other(make_site, tmp_path):
    a, b = _files(tmp_path, N)
    site = make_site("together")
    site.build()
    runs = [_start(site, path, tmp_path) for path in (a, b)]
    for proc, err in runs:
        assert proc.wait(timeout=300) == 0, _stderr(err)
    order = _import_order(site)
    assert sorted(order) == ["batch-a.xlsx", "batch-b.xlsx"]
    together = _dump(site)

    reference = make_site("one_after_the_other")
    reference.build()
    for name in order:
        run = reference.tuopin("import", str(tmp_path / name), "--year", "2018", "--as", "county_admin")
        assert run.returncode == 0, run.stderr
    assert together == _dump(reference)
    assert _imported(together) == {f"T{h:06d}" for h in range(N * 3 // 2)}


def test_an_import_waits_or_is_refused_while_another_holds_the_lock(make_site, tmp_path):
    a, b = _files(tmp_path)
    site = make_site("busy")
    site.build()
    before = _dump(site)

    marker = tmp_path / "writing"
    holder, _ = _start(site, a, tmp_path, TUOPIN_TEST_IMPORT_PAUSE=str(marker))  # holds the lock, then sleeps
    waiting = None
    try:
        for _ in range(1200):
            if marker.exists() or holder.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists()

        proc, err = _start(site, b, tmp_path, TUOPIN_IMPORT_WAIT="2")
        assert proc.wait(timeout=120) == 1
        refused = _stderr(err)
        assert "另一个导入正在此数据库上运行（batch-a.xlsx, county_admin, " in refused
        assert "未写入任何数据" in refused and "Traceback" not in refused

        waiting, err = _start(site, b, tmp_path, TUOPIN_IMPORT_WAIT="300")
        for _ in range(600):
            if "waiting for another import to finish" in _stderr(err) or waiting.poll() is not None:
                break
            time.sleep(0.1)
        assert "waiting for another import to finish (batch-a.xlsx, county_admin" in _stderr(err)
        assert waiting.poll() is None
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # the holder dies mid-import: its lock goes with it
        holder.wait()
    assert waiting.wait(timeout=300) == 0, _stderr(err)

    after = _dump(site)
    assert _import_order(site) == ["batch-b.xlsx"]  # A died uncommitted; B went in on its own
    assert _imported(after) == {f"T{h:06d}" for h in range(40, 120)}  # B's households only
    assert len(after["Person"]) == len(before["Person"]) + 160
