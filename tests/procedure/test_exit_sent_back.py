"""A household exit sent back — a stage refused, or the stage after an upheld objection to the notice — opens a
rectification item routed to the household's owner, once per procedure (decision 1237); a refused identification
opens none."""

import datetime as dt

from tuopin.apps.assistance.models import Task
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household
from tuopin.apps.procedures.objections import objection_record, objection_resolve
from tuopin.apps.procedures.procedure import (
    exit_advance,
    identification_apply,
    procedure_advance,
    procedure_advance_many,
)

from .conftest import DATES

S = c.Stage


def test_a_refused_democratic_review_opens_an_item_for_the_pairing_cadre(county, admin, propose):
    hh = county["households"][0]  # paired with 王干部
    [event] = propose(hh).created
    exit_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=DATES[S.DEMOCRATIC_REVIEW][0], passed=False,
                 note="收入未达标，务工收入未核实")
    task = Task.objects.get(kind="rectification", household=hh)
    assert task.owner_cadre == county["cadre"] and task.owner_unit is None and task.year == 2018
    assert task.rectification.source == "check" and task.rectification.check_kind == "exit_sent_back:democratic_review"
    assert "民主评议" in task.title and task.detail == "收入未达标，务工收入未核实"
    assert task.status == "open"


def test_an_upheld_objection_sends_the_exit_back_and_opens_one_item(county, admin, propose, walk):
    hh = county["households"][3]  # 建平村, paired with 李干部
    event = walk(propose(hh).created[0], S.PUBLIC_NOTICE)
    notice = event.steps.get(stage=S.PUBLIC_NOTICE)
    objection = objection_record(step=notice, received_on=dt.date(2018, 10, 15), content="家中仍有大病未报销",
                                 by=admin)
    objection_resolve(objection=objection, resolution="经核实，异议成立", on=dt.date(2018, 10, 20), by=admin)
    procedure_advance_many(events=[event], stage=S.TOWNSHIP_REVIEW, by=admin, on=DATES[S.TOWNSHIP_REVIEW][0],
                           passed=False, note="公示异议成立，退回")
    [task] = Task.objects.filter(kind="rectification", household=hh)
    assert task.owner_cadre.name == "李干部" and task.rectification.check_kind == "exit_sent_back:township_review"


def test_a_refused_identification_opens_no_item(county, admin):
    hh = county["households"][2]  # not registered
    Household.objects.filter(pk=hh.pk).update(status=c.PovertyStatus.NOT_REGISTERED)
    [event] = identification_apply(household_ids=[hh.pk], year=2018, by=admin, on=dt.date(2018, 6, 1)).created
    procedure_advance(event=event, stage=S.DEMOCRATIC_REVIEW, by=admin, on=dt.date(2018, 6, 5), passed=False,
                      note="收入高于标准")
    assert not Task.objects.filter(kind="rectification").exists()
