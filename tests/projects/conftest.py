import datetime as dt

import pytest

from tuopin.apps.projects import funds as fs
from tuopin.apps.projects import services as ps


@pytest.fixture
def books(county):
    """The small county with two funds of 2018 and three projects: one per village."""
    admin = county["accounts"]["county_admin"]
    v1, v2, v3 = county["villages"]
    pooled = fs.fund_record(by=admin, year=2018, source="pooled", name="统筹整合使用财政涉农资金",
                            amount_fen=1_000_000_00, county=county["county"])
    central = fs.fund_record(by=admin, year=2018, source="central", name="中央财政专项扶贫资金",
                             amount_fen=500_000_00, county=county["county"])
    water = ps.project_create(by=admin, kind="water", name="西岗村饮水工程", villages=[v1], year=2018,
                              budget={"pooled": 600_000_00})
    road = ps.project_create(by=admin, kind="road", name="东岗村道路", villages=[v2], year=2018,
                             budget={"pooled": 300_000_00, "central": 100_000_00})
    pv = ps.project_create(by=admin, kind="pv", name="建平村光伏电站", villages=[v3], capacity_kw=500, year=2018)
    return {**county, "admin": admin, "pooled": pooled, "central": central, "water": water, "road": road, "pv": pv,
            "on": dt.date(2018, 5, 1)}
