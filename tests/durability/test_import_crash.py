"""A crash in the middle of an import leaves the database as it was: `tuopin import` is killed (SIGKILL) after
it has written every row but before it commits; the registry is unchanged. The same file then imports."""

import os
import signal
import subprocess
import time

from tests.exchange.helpers import household_rows, write_xlsx

from .conftest import TUOPIN

REGISTRY = ("registry_household", "registry_person", "registry_householdyear", "registry_personyear")


def _registry(site):
    tables = site.summary()["tables"]
    return {t: tables[t] for t in REGISTRY}, site.summary()["audit"]


def test_killing_an_import_mid_write_leaves_the_registry_unchanged(make_site, tmp_path):
    site = make_site("crash")
    site.build()
    path = write_xlsx(tmp_path / "batch.xlsx", household_rows(60, members=3))
    before, audit_before = _registry(site)

    marker = tmp_path / "writing"
    env = dict(site.env, TUOPIN_TEST_IMPORT_PAUSE=str(marker))
    proc = subprocess.Popen([TUOPIN, "import", str(path), "--year", "2018", "--as", "county_admin"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):  # wait (up to 2 minutes) until every row is written, uncommitted
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), proc.communicate()[1]
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    after, audit_after = _registry(site)
    assert after == before
    assert not any(s.startswith("import batch.xlsx") for s in audit_after)

    # Control: without the kill the same file goes in, so the unchanged counts above mean something.
    run = site.tuopin("import", str(path), "--year", "2018", "--as", "county_admin")
    assert run.returncode == 0, run.stderr
    done, _ = _registry(site)
    assert done["registry_household"]["rows"] == before["registry_household"]["rows"] + 60
    assert done["registry_person"]["rows"] == before["registry_person"]["rows"] + 180
