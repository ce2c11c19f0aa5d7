"""Village (贫困村退出) and county (贫困县摘帽) exit procedures: their own stage orders, the same rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.evaluation.models import EvaluationRound
from tuopin.apps.procedures.objections import objection_record, objection_resolve
from tuopin.apps.procedures.area_procedure import (
    STAGE_ORDERS,
    area_exit_advance,
    area_exit_propose,
)
from tuopin.apps.procedures.choices import AreaKind, AreaStage
from tuopin.apps.procedures.models import AreaExit, AreaExitStep

A = AreaStage
D = dt.date


@pytest.fixture
def poor_village(county):
    return county["villages"][0]


@pytest.fixture
def evaluation(county):
    return EvaluationRound.objects.create(name="2019年贫困县退出第三方评估", held_in=2019, data_year=2018,
                                          county=county["county"])


def _village_path(procedure, admin):
    area_exit_advance(procedure=procedure, stage=A.TOWNSHIP_REVIEW, by=admin, on=D(2018, 11, 25))
    area_exit_advance(procedure=procedure, stage=A.PUBLIC_NOTICE, by=admin, on=D(2018, 11, 26), ends_on=D(2018, 12, 2))
    area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=admin, on=D(2018, 12, 5))
    return area_exit_advance(procedure=procedure, stage=A.ANNOUNCED, by=admin, on=D(2018, 12, 20))


def test_village_exit_follows_its_stage_order(county, admin, poor_village):
    procedure = area_exit_propose(region=poor_village, year=2018, by=admin, on=D(2018, 11, 20), by_name="西岗村两委")
    assert procedure.kind == AreaKind.VILLAGE and procedure.stage == A.APPLIED
    procedure = _village_path(procedure, admin)
    assert procedure.stage == A.ANNOUNCED and procedure.effective_on == D(2018, 12, 20)
    steps = list(procedure.steps.order_by("on", "id"))
    assert [s.stage for s in steps] == STAGE_ORDERS[AreaKind.VILLAGE]
    assert steps[0].by_name == "西岗村两委" and steps[1].by_name == "county_admin"
    actions = set(AuditEvent.objects.filter(entity="registry.areaexit").values_list("action", flat=True))
    assert actions == {"create", *(f"village_exit:{s}" for s in STAGE_ORDERS[AreaKind.VILLAGE][1:])}
    with pytest.raises(ValidationError, match="已经退出"):
        area_exit_propose(region=poor_village, year=2019, by=admin, on=D(2019, 11, 20))


def test_village_exit_refuses_skipping(county, admin, poor_village):
    procedure = area_exit_propose(region=poor_village, year=2018, by=admin, on=D(2018, 11, 20))
    with pytest.raises(ValidationError, match=r"下一环节是 乡镇审核 \(township_review\)，不是 县级审定"):
        area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=admin, on=D(2018, 12, 5))
    with pytest.raises(ValidationError, match="“city_review”不是本程序记录的环节"):
        area_exit_advance(procedure=procedure, stage=A.CITY_REVIEW, by=admin, on=D(2018, 12, 5))  # a county stage
    assert AreaExitStep.objects.filter(procedure=procedure).count() == 1
    assert AreaExit.objects.get(pk=procedure.pk).stage == A.APPLIED


def test_only_a_registered_poor_village_or_a_county_exits(county, admin):
    non_poor, township = county["villages"][1], county["townships"][0]
    with pytest.raises(ValidationError, match="不是建档立卡的贫困村"):
        area_exit_propose(region=non_poor, year=2018, by=admin, on=D(2018, 11, 20))
    with pytest.raises(ValidationError, match="只有贫困村或县才办理退出"):
        area_exit_propose(region=township, year=2018, by=admin, on=D(2018, 11, 20))
    assert not AreaExit.objects.exists()


def test_village_notice_rules_objections_and_dates(county, admin, poor_village):
    procedure = area_exit_propose(region=poor_village, year=2018, by=admin, on=D(2018, 11, 20))
    with pytest.raises(ValidationError, match="日期不能倒退"):
        area_exit_advance(procedure=procedure, stage=A.TOWNSHIP_REVIEW, by=admin, on=D(2018, 11, 19))
    area_exit_advance(procedure=procedure, stage=A.TOWNSHIP_REVIEW, by=admin, on=D(2018, 11, 25))
    with pytest.raises(ValidationError, match="至少 7 天"):
        area_exit_advance(procedure=procedure, stage=A.PUBLIC_NOTICE, by=admin, on=D(2018, 11, 26),
                          ends_on=D(2018, 11, 30))
    area_exit_advance(procedure=procedure, stage=A.PUBLIC_NOTICE, by=admin, on=D(2018, 11, 26), ends_on=D(2018, 12, 2))
    notice = procedure.steps.get(stage=A.PUBLIC_NOTICE)
    objection = objection_record(step=notice, received_on=D(2018, 11, 28), content="村路尚未硬化", by=admin)
    with pytest.raises(ValidationError, match="之前不能开始"):
        area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=admin, on=D(2018, 12, 1))
    with pytest.raises(ValidationError, match="1 条异议"):
        area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=admin, on=D(2018, 12, 5))
    objection_resolve(objection=objection, resolution="经查已于10月完工", on=D(2018, 12, 3), by=admin)
    assert area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=admin, on=D(2018, 12, 5)).stage == \
        A.COUNTY_APPROVAL


def test_village_refusal_needs_a_reason_and_a_new_application_starts_over(county, admin, poor_village):
    procedure = area_exit_propose(region=poor_village, year=2018, by=admin, on=D(2018, 11, 20))
    assert area_exit_propose(region=poor_village, year=2018, by=admin, on=D(2018, 11, 21)).pk == procedure.pk
    with pytest.raises(ValidationError, match="退回需要填写理由"):
        area_exit_advance(procedure=procedure, stage=A.TOWNSHIP_REVIEW, by=admin, on=D(2018, 11, 25), passed=False)
    procedure = area_exit_advance(procedure=procedure, stage=A.TOWNSHIP_REVIEW, by=admin, on=D(2018, 11, 25),
                                  passed=False, note="贫困发生率仍高于2%")
    assert procedure.stage == A.REFUSED and procedure.reason == "贫困发生率仍高于2%"
    with pytest.raises(ValidationError, match="退出程序已结束"):
        area_exit_advance(procedure=procedure, stage=A.PUBLIC_NOTICE, by=admin, on=D(2018, 11, 26),
                          ends_on=D(2018, 12, 2))
    again = area_exit_propose(region=poor_village, year=2018, by=admin, on=D(2018, 11, 26))
    assert again.pk != procedure.pk and again.stage == A.APPLIED


def test_county_exit_follows_its_stage_order_with_the_evaluation(county, admin, evaluation):
    region = county["county"]
    procedure = area_exit_propose(region=region, year=2018, by=admin, on=D(2019, 1, 10), by_name="县扶贫开发领导小组")
    assert procedure.kind == AreaKind.COUNTY
    with pytest.raises(ValidationError, match=r"下一环节是 市级初审 \(city_review\)"):
        area_exit_advance(procedure=procedure, stage=A.PROVINCE_VERIFICATION, by=admin, on=D(2019, 2, 1),
                          evaluation_round=evaluation)
    with pytest.raises(ValidationError, match="“township_review”不是本程序记录的环节"):
        area_exit_advance(procedure=procedure, stage=A.TOWNSHIP_REVIEW, by=admin, on=D(2019, 2, 1))  # a village stage
    area_exit_advance(procedure=procedure, stage=A.CITY_REVIEW, by=admin, on=D(2019, 1, 20), by_name="白城市扶贫开发领导小组")
    with pytest.raises(ValidationError, match="以第三方评估为依据"):
        area_exit_advance(procedure=procedure, stage=A.PROVINCE_VERIFICATION, by=admin, on=D(2019, 4, 1))
    other = EvaluationRound.objects.create(name="2018 round", held_in=2018, data_year=2017, county=region)
    with pytest.raises(ValidationError, match="不是针对本县 2018 年数据的"):
        area_exit_advance(procedure=procedure, stage=A.PROVINCE_VERIFICATION, by=admin, on=D(2019, 4, 1),
                          evaluation_round=other)
    area_exit_advance(procedure=procedure, stage=A.PROVINCE_VERIFICATION, by=admin, on=D(2019, 4, 1),
                      evaluation_round=evaluation)
    area_exit_advance(procedure=procedure, stage=A.PUBLIC_NOTICE, by=admin, on=D(2019, 4, 10), ends_on=D(2019, 4, 16))
    procedure = area_exit_advance(procedure=procedure, stage=A.ANNOUNCED, by=admin, on=D(2019, 4, 28),
                                  by_name="吉林省人民政府")
    assert procedure.stage == A.ANNOUNCED and procedure.effective_on == D(2019, 4, 28)
    assert [s.stage for s in procedure.steps.order_by("on", "id")] == STAGE_ORDERS[AreaKind.COUNTY]
    assert procedure.steps.get(stage=A.PROVINCE_VERIFICATION).evaluation_round == evaluation
    assert AuditEvent.objects.filter(action__startswith="county_exit:").count() == 4


def test_county_announcement_waits_for_the_notice(county, admin, evaluation):
    procedure = area_exit_propose(region=county["county"], year=2018, by=admin, on=D(2019, 1, 10))
    area_exit_advance(procedure=procedure, stage=A.CITY_REVIEW, by=admin, on=D(2019, 1, 20))
    area_exit_advance(procedure=procedure, stage=A.PROVINCE_VERIFICATION, by=admin, on=D(2019, 4, 1),
                      evaluation_round=evaluation)
    with pytest.raises(ValidationError, match="至少 5 天；2019-04-10 至 2019-04-13 只有 4 天"):
        area_exit_advance(procedure=procedure, stage=A.PUBLIC_NOTICE, by=admin, on=D(2019, 4, 10),
                          ends_on=D(2019, 4, 13))
    area_exit_advance(procedure=procedure, stage=A.PUBLIC_NOTICE, by=admin, on=D(2019, 4, 10), ends_on=D(2019, 4, 14))
    with pytest.raises(ValidationError, match=r"之前不能开始 公告 \(announced\)"):
        area_exit_advance(procedure=procedure, stage=A.ANNOUNCED, by=admin, on=D(2019, 4, 14))
    assert area_exit_advance(procedure=procedure, stage=A.ANNOUNCED, by=admin, on=D(2019, 4, 15)).stage == A.ANNOUNCED
