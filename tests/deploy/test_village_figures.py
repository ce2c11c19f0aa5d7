"""`tuopin regions figures FILE --year Y`: a year's village figures (the incidence's denominator and the village exit
facts) loaded by the county office, all or nothing, every problem named, audited; updates move the version on."""

from __future__ import annotations

import pytest

from tuopin import cli
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import VillageYear

HEADER = "乡,行政村,农村户籍人口,户数,标准化卫生室,合格村医,通硬化路,安全饮水,村集体经济收入\n"


@pytest.fixture(autouse=True)
def _keep_connection(monkeypatch):
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.delenv("TUOPIN_LANGUAGE", raising=False)


@pytest.fixture
def office(county):
    return county["accounts"]["county_admin"]


def _file(tmp_path, body, header=HEADER):
    path = tmp_path / "figures.csv"
    path.write_text(header + body, encoding="utf-8")
    return str(path)


def test_figures_are_created_then_updated(office, county, tmp_path, capsys):
    path = _file(tmp_path, "镇赉镇,西岗村,620,200,是,是,是,是,\"52,000.50\"\n建平乡,建平村,410,130,否,否,是,是,0\n")
    assert cli.main(["regions", "figures", path, "--year", "2019", "--as", "county_admin"]) == 0
    west = VillageYear.objects.get(village=county["villages"][0], year=2019)
    assert (west.population, west.households, west.has_clinic, west.collective_income_fen) == (620, 200, True, 5200050)
    assert not VillageYear.objects.get(village=county["villages"][2], year=2019).has_clinic
    path = _file(tmp_path, "镇赉镇,西岗村,630,200,是,是,是,是,52000.50\n")
    assert cli.main(["regions", "figures", path, "--year", "2019", "--as", "county_admin"]) == 0
    west.refresh_from_db()
    assert west.population == 630 and west.version == 2
    events = AuditEvent.objects.filter(action="village_figures_load").order_by("id")
    assert [(e.batch["created"], e.batch["updated"]) for e in events] == [(2, 0), (0, 1)]


def test_codes_work_as_well_as_names(office, county, tmp_path):
    path = _file(tmp_path, f"{county['villages'][1].code},700\n", header="区划代码,农村户籍人口\n")
    assert cli.main(["regions", "figures", path, "--year", "2019", "--as", "county_admin"]) == 0
    assert VillageYear.objects.get(village=county["villages"][1], year=2019).population == 700


def test_every_problem_is_named_and_nothing_is_written(office, county, tmp_path, capsys):
    path = _file(tmp_path, "镇赉镇,西岗村,六百,200,是,是,是,是,0\n镇赉镇,无名村,100,1,是,是,是,是,0\n"
                           "建平乡,建平村,410,130,也许,否,是,是,-5\n")
    assert cli.main(["regions", "figures", path, "--year", "2019", "--as", "county_admin"]) == 3
    err = capsys.readouterr().err
    for expected in (":2 农村户籍人口 '六百'", ":3 行政村", ":4 标准化卫生室 '也许'", ":4 村集体经济收入 '-5'",
                     "4 个问题"):
        assert expected in err, expected
    assert not VillageYear.objects.filter(year=2019).exists()


@pytest.mark.parametrize("username", ["commander", "first_secretary", "cadre", "system_admin"])
def test_only_the_county_office_loads_them(username, county, tmp_path, capsys):
    path = _file(tmp_path, "镇赉镇,西岗村,9999,200,是,是,是,是,0\n")
    assert cli.main(["regions", "figures", path, "--year", "2019", "--as", username]) == 3
    assert not VillageYear.objects.filter(year=2019).exists()
