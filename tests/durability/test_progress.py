"""`tuopin backup` and `tuopin restore` report their steps to a progress callback: the database, then each
evidence file (the bar the commands draw from it is tests/cli/test_progress.py's)."""

from __future__ import annotations

import json
import os

from tests.bars import assert_counts_to_the_end
from tests.durability.conftest import ROOT

RUN = """
import django, json
django.setup()
from pathlib import Path
from tuopin.apps.durability.services import backup_create, backup_restore
calls = []
progress = lambda done, total: calls.append((done, total))
{call}
print(json.dumps(calls))
"""


def counted(site, call: str) -> list[tuple[int, int]]:
    run = site.python(RUN.format(call=call))
    return [tuple(c) for c in json.loads(run.stdout.strip().splitlines()[-1])]


def test_backup_and_restore_count_the_database_and_each_evidence_file(make_site, tmp_path):
    origin, fresh = make_site("origin"), make_site("restored")
    for site in (origin, fresh):  # this checkout's code, wherever the virtual environment's tuopin points
        site.env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    origin.build()  # the small county and one evidence photo
    out = tmp_path / "county.tpbak"
    backed_up = counted(origin, "from tuopin.apps.accounts.models import User\n"
                                f"backup_create(actor=User.objects.get(username='system_admin'), out=Path({str(out)!r}), "
                                "progress=progress)")
    # the database copied and hashed, the photo hashed, then each of the two put into the file
    assert assert_counts_to_the_end(backed_up) == 2 + 2 * 1 + 1
    restored = counted(fresh, f"backup_restore(path=Path({str(out)!r}), username='system_admin', progress=progress)")
    # unpacked, the database and the photo checked, the database loaded, the photo put back, the tables checked
    assert assert_counts_to_the_end(restored) == 4 + 2 * 1
