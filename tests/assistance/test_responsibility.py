"""Responsibility lists at six levels: owner, deadline, status, evidence."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.assistance.models import Level
from tuopin.apps.assistance.responsibility import responsibility_item_complete, responsibility_item_create
from tuopin.apps.assistance.selectors import overdue_responsibility_items, responsibility_items


def test_items_per_level_with_owner_deadline_and_evidence(org):
    admin = org["accounts"]["county_admin"]
    t1, v1 = org["townships"][0], org["villages"][0]
    lead = responsibility_item_create(level=Level.TOWNSHIP_LEADER, region=t1, owner_cadre=org["leader"],
                                      content="每月到战区调度一次", deadline=dt.date(2018, 12, 31), by=admin)
    unit = responsibility_item_create(level=Level.PAIRED_UNIT, region=v1, owner_unit=org["paired_unit"],
                                      content="落实村集体经济项目", deadline=dt.date(2099, 6, 30), by=admin)
    village = responsibility_item_create(level=Level.VILLAGE, region=v1, content="完成村容村貌整治", by=admin)
    assert {i.level for i in responsibility_items(region=t1)} == {"township_leader", "paired_unit", "village"}
    assert list(overdue_responsibility_items()) == [lead]
    done = responsibility_item_complete(item=lead, evidence="调度会议记录12份", by=admin, on=dt.date(2018, 12, 20))
    assert (done.status, done.completed_on, done.evidence) == ("done", dt.date(2018, 12, 20), "调度会议记录12份")
    assert not overdue_responsibility_items().exists()
    assert unit.owner_unit == org["paired_unit"] and village.owner_unit is None and village.owner_cadre is None
    with pytest.raises(ValidationError):
        responsibility_item_complete(item=lead, evidence="again", by=admin)


@pytest.mark.parametrize("level, region_index, owner", [
    (Level.TOWNSHIP_LEADER, "village", "cadre"),      # a township leader's list belongs to a township
    (Level.PAIRED_UNIT, "village", "cadre"),          # a paired unit's item is owned by a unit
    (Level.FIRST_SECRETARY, "village", None),         # the first secretary's by a cadre
])
def test_levels_check_their_region_and_owner(org, level, region_index, owner):
    region = org["villages"][0]
    kw = {"owner_cadre": org["first_secretary_cadre"]} if owner == "cadre" else {}
    with pytest.raises(ValidationError):
        responsibility_item_create(level=level, region=region, content="x", by=org["accounts"]["county_admin"], **kw)
