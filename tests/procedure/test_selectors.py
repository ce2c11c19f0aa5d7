"""Reads for the work pages: open procedures by stage (scoped), one household's history, areas."""

import datetime as dt

import pytest

from tuopin.apps.geo.models import Region
from tuopin.apps.registry import choices as c
from tuopin.apps.procedures.objections import objection_record
from tuopin.apps.procedures.area_procedure import area_exit_propose
from tuopin.apps.registry.models import Household
from tuopin.apps.procedures.selectors import (
    area_exit_history,
    area_exits_open,
    exit_procedure_counts,
    exit_procedures_open,
    household_procedure_history,
)

S = c.Stage


@pytest.fixture
def in_progress(county, propose, walk):
    """h1 at the public notice (with an objection), h2 proposed, h4 announced."""
    h1, h2, _, h4 = county["households"]
    events = {e.household_id: e for e in propose(h1, h2, h4).created}
    walk(events[h1.pk], S.PUBLIC_NOTICE)
    walk(events[h4.pk], S.ANNOUNCED)
    notice = events[h1.pk].steps.get(stage=S.PUBLIC_NOTICE)
    objection_record(step=notice, received_on=dt.date(2018, 10, 13), content="异议",
                     by=county["accounts"]["county_admin"])
    return events


def test_open_procedures_by_stage_follow_the_account_scope(county, in_progress):
    h1, h2, _, h4 = county["households"]
    accounts = county["accounts"]
    counts = exit_procedure_counts(accounts["county_admin"], region=county["county"], year=2018)
    assert counts == {S.PROPOSED: 1, S.DEMOCRATIC_REVIEW: 0, S.PUBLIC_NOTICE: 1, S.TOWNSHIP_REVIEW: 0,
                      S.COUNTY_APPROVAL: 0}
    at_notice = exit_procedures_open(accounts["county_admin"], stage=S.PUBLIC_NOTICE)
    assert [e.household_id for e in at_notice] == [h1.pk]
    # The commander of 镇赉镇 sees h1 and h2; the second township's households are not theirs.
    assert {e.household_id for e in exit_procedures_open(accounts["commander"])} == {h1.pk, h2.pk}
    t2 = county["townships"][1]
    assert list(exit_procedures_open(accounts["county_admin"], region=t2)) == []  # h4 has exited: not open
    assert exit_procedure_counts(accounts["department"]) == dict.fromkeys(c.STAGE_ORDER[:-1], 0)
    assert list(exit_procedures_open(accounts["county_admin"], year=2019)) == []


def test_household_history_lists_events_steps_and_objections(county, in_progress):
    h1 = county["households"][0]
    history = household_procedure_history(county["accounts"]["first_secretary"], h1)
    assert [e.kind for e in history] == [c.EventKind.IDENTIFIED, c.EventKind.EXITED]
    steps = list(history[1].steps.all())
    assert [s.stage for s in steps] == [S.PROPOSED, S.DEMOCRATIC_REVIEW, S.PUBLIC_NOTICE]
    assert [o.content for o in steps[2].objections.all()] == ["异议"]
    with pytest.raises(Household.DoesNotExist):
        household_procedure_history(county["accounts"]["first_secretary"], county["households"][3])


def test_area_procedures_open_and_history(county, admin):
    v1, _, v3 = county["villages"]
    area_exit_propose(region=v1, year=2018, by=admin, on=dt.date(2018, 11, 20))
    area_exit_propose(region=v3, year=2018, by=admin, on=dt.date(2018, 11, 20))
    t1 = county["townships"][0]
    assert [p.region for p in area_exits_open(admin, region=t1)] == [v1]
    assert [p.region for p in area_exits_open(admin, kind="village")] == [v1, v3]
    assert list(area_exits_open(admin, kind="county")) == []
    assert [p.region for p in area_exits_open(county["accounts"]["first_secretary"])] == [v1]
    [procedure] = area_exit_history(admin, v1)
    assert [s.stage for s in procedure.steps.all()] == ["applied"]
    with pytest.raises(Region.DoesNotExist):
        area_exit_history(county["accounts"]["first_secretary"], v3)
