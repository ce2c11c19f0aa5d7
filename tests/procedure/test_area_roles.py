"""Village and county exits: each stage by the role that owns it, the region within the account's reach."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.procedures.objections import objection_record, objection_resolve
from tuopin.apps.procedures.area_procedure import (
    area_exit_advance,
    area_exit_propose,
)
from tuopin.apps.procedures.choices import AreaStage

pytestmark = pytest.mark.django_db
A = AreaStage
D = dt.date


def test_village_exit_stages_by_village_township_and_county(county):
    accounts = county["accounts"]
    secretary, commander, admin = accounts["first_secretary"], accounts["commander"], accounts["county_admin"]
    village = county["villages"][0]
    with pytest.raises(ValidationError, match="没有这个村或县"):  # 建平村 is not the secretary's village
        area_exit_propose(region=county["villages"][2], year=2018, by=secretary, on=D(2018, 11, 20))
    procedure = area_exit_propose(region=village, year=2018, by=secretary, on=D(2018, 11, 20))
    with pytest.raises(Refused):
        area_exit_advance(procedure=procedure, stage=A.TOWNSHIP_REVIEW, by=secretary, on=D(2018, 11, 25))
    area_exit_advance(procedure=procedure, stage=A.TOWNSHIP_REVIEW, by=commander, on=D(2018, 11, 25))
    area_exit_advance(procedure=procedure, stage=A.PUBLIC_NOTICE, by=commander, on=D(2018, 11, 26),
                      ends_on=D(2018, 12, 2))
    notice = procedure.steps.get(stage=A.PUBLIC_NOTICE)
    objection = objection_record(step=notice, received_on=D(2018, 11, 27), content="饮水未达标",
                                 by=secretary)
    with pytest.raises(Refused):
        area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=commander, on=D(2018, 12, 5))
    with pytest.raises(ValidationError, match="1 条异议"):
        area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=admin, on=D(2018, 12, 5))
    objection_resolve(objection=objection, resolution="已通自来水", on=D(2018, 12, 3), by=commander)
    assert area_exit_advance(procedure=procedure, stage=A.COUNTY_APPROVAL, by=admin, on=D(2018, 12, 5)).stage == \
        A.COUNTY_APPROVAL


def test_only_the_county_office_runs_the_county_exit(county):
    accounts = county["accounts"]
    for role in ("commander", "first_secretary", "cadre", "evaluator"):
        with pytest.raises(Refused):
            area_exit_propose(region=county["county"], year=2018, by=accounts[role], on=D(2019, 1, 10))
    procedure = area_exit_propose(region=county["county"], year=2018, by=accounts["county_admin"], on=D(2019, 1, 10))
    with pytest.raises(Refused):
        area_exit_advance(procedure=procedure, stage=A.CITY_REVIEW, by=accounts["commander"], on=D(2019, 1, 20))
    assert area_exit_advance(procedure=procedure, stage=A.CITY_REVIEW, by=accounts["county_admin"],
                             on=D(2019, 1, 20)).stage == A.CITY_REVIEW
