"""Loading a division file: idempotent, audited as one batch, refused with a reason when malformed."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.data import ZHENLAI, DivisionFileError, read_divisions
from tuopin.apps.geo.models import Region
from tuopin.apps.geo.services import regions_load


def test_the_zhenlai_file_has_the_seed_geography():
    rows = read_divisions(ZHENLAI)
    townships = [r for r in rows if r["level"] == "township"]
    villages = [r for r in rows if r["level"] == "village"]
    assert len(townships) == 11 and len(villages) == 141 and sum(v["is_poor_village"] for v in villages) == 82
    count = {t["name"]: sum(v["parent_code"] == t["code"] for v in villages) for t in townships}
    assert (count["镇赉镇"], count["建平乡"], count["黑鱼泡镇"], count["沿江镇"]) == (17, 14, 17, 7)
    assert {"哈吐气蒙古族乡", "莫莫格蒙古族乡", "五棵树镇", "嘎什根乡"} <= set(count)
    assert all(v["code"][9] == "2" and v["code"][:9] == v["parent_code"][:9] for v in villages)
    assert all(v["poor_village_since"] == 2014 for v in villages if v["is_poor_village"])


def test_loading_twice_changes_nothing_the_second_time(db):
    assert regions_load(path=ZHENLAI, by=None) == {"created": 155, "updated": 0, "unchanged": 0}
    assert regions_load(path=ZHENLAI, by=None) == {"created": 0, "updated": 0, "unchanged": 155}
    assert Region.objects.count() == 155
    assert Region.objects.get(code="220821100201").parent.code == "220821100000"
    events = AuditEvent.objects.filter(action="regions_load", entity="geo.region").order_by("id")
    assert [e.batch["created"] for e in events] == [155, 0]


def test_a_changed_name_is_updated_and_its_old_value_audited(db, tmp_path):
    regions_load(path=ZHENLAI, by=None)
    rows = list(csv.reader(ZHENLAI.open(encoding="utf-8")))
    rows[5][1] = "新名村"
    changed = tmp_path / "changed.csv"
    with changed.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    call_command("regions", "load", str(changed))
    assert Region.objects.get(code=rows[5][0]).name == "新名村"
    event = AuditEvent.objects.filter(action="regions_load").latest("id")
    assert event.batch["updated"] == 1 and event.batch["updated_rows"][0]["changes"]["name"][1] == "新名村"


def test_a_malformed_file_is_refused_with_exit_code_3(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent_code\n22082110020,短码村,village,220821100000\n", encoding="utf-8")
    with pytest.raises(DivisionFileError, match="12 digits"):
        read_divisions(bad)
    with pytest.raises(CommandError) as refused:
        call_command("regions", "load", str(bad))
    assert refused.value.returncode == 3
    assert not Region.objects.exists()
