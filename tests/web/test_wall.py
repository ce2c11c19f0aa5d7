"""The wall screen (大屏, decision 1583): /wall/data.json holds the dashboard's own figures for the account's area,
counts only (no person's name or ID number, small villages unnamed), and /wall/ redraws itself from it."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.web.conftest import url
from tuopin.apps.assessment import figures
from tuopin.apps.assistance import accountability as acc
from tuopin.apps.organisation.models import Cadre
from tuopin.apps.registry.models import Household, Person
from tuopin.apps.revenue.figures import pv
from tuopin.web.views import dashboard, wall

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


def _json(value):
    return json.loads(json.dumps(value, ensure_ascii=False))


def test_the_wall_shows_the_dashboards_figures_for_the_county(login, county):
    place = county["county"]
    response = login(county["accounts"]["county_admin"]).get(url("wall_data"))
    assert response.status_code == 200
    data = response.json()
    year, years = figures.chosen_year(place, None)
    summary = figures.area_figures(place, year)["summary"]
    trend = dashboard.trend_charts(place, summary, figures.trend(place, years))
    assert data["year"] == year == 2018
    assert data["charts"]["incidence"] == _json(trend["incidence"])
    assert data["charts"]["exits"] == _json(trend["exits"])  # townships are named on a county's wall
    assert data["charts"]["gaps"] == _json(dashboard.gap_chart(summary)["gaps"])
    assert data["headline"]["incidence"] == round(summary["incidence"] * 100, 2) == 57.14
    assert data["headline"]["poor_households"] == summary["poor_households"]
    assert data["headline"]["open_gaps"] == sum(summary["gaps"].values()) == 1
    assert data["headline"]["pv_revenue_yuan"] == round(pv(place, year)["revenue_fen"] / 100)
    board = acc.county_board(acc.chosen_period(None)).overdue_by_owner()
    assert sum(data["charts"]["overdue"]["series"][0]["data"] if data["charts"]["overdue"]["categories"] else []) \
        == sum(r["overdue"] for r in board)
    covered = {name: share for name, share in zip(data["charts"]["coverage"]["categories"],
                                                  data["charts"]["coverage"]["series"][0]["data"], strict=True)}
    assert covered["城乡居民基本医疗保险 (资助参保)"] == 100.0 and covered["医疗救助"] == 0.0  # 8 of 8, 0 of 8


def test_the_wall_holds_no_names_of_persons_nor_id_numbers(login, county):
    for role in ("county_admin", "commander"):
        text = login(county["accounts"][role]).get(url("wall_data")).content.decode()
        secrets = [p.name for p in Person.objects.all()] + [p.id_number for p in Person.objects.all()]
        secrets += [c.name for c in Cadre.objects.all()] + [h.number for h in Household.objects.all()]
        assert secrets and not [s for s in secrets if s and s in text], role


def test_a_commander_sees_their_zone_and_small_villages_unnamed(login, county):
    t1 = county["townships"][0]
    client = login(county["accounts"]["commander"])
    data = client.get(url("wall_data")).json()
    assert data["scope"] == {"name": t1.name, "level": "township"}
    summary = figures.area_figures(t1, 2018)["summary"]
    assert data["headline"]["poor_persons"] == summary["poor_persons"]
    # Both villages of the zone have fewer persons than the 10 of web/data/wall.toml: one "Others" series.
    exits = data["charts"]["exits"]["series"]
    assert [s["name"] for s in exits] == ["其他"]
    assert "西岗村" not in json.dumps(data, ensure_ascii=False) and "东岗村" not in json.dumps(data, ensure_ascii=False)
    assert client.get(url("wall_data") + f"?region={county['townships'][1].pk}").status_code == 404
    assert client.get(url("wall_data") + f"?region={county['county'].pk}").status_code == 404


def test_the_small_cell_rule_is_the_data_files(login, county, monkeypatch):
    monkeypatch.setattr(wall, "settings", lambda: {"refresh_seconds": 60, "small_cell_persons": 5})
    data = login(county["accounts"]["commander"]).get(url("wall_data")).json()
    populations = {v["name"]: v["rural_population"] for v in figures.area_figures(county["townships"][0], 2018)["villages"]}
    assert populations["西岗村"] >= 5 > populations["东岗村"]
    assert [s["name"] for s in data["charts"]["exits"]["series"]] == ["西岗村", "其他"]


def test_the_page_refreshes_itself_at_the_data_files_period(login, county):
    assert wall.settings()["refresh_seconds"] == 60
    html = login(county["accounts"]["county_admin"]).get(url("wall")).content.decode()
    assert 'data-refresh-seconds="60"' in html and "web/wall.js" in html and "<script>" not in html
    dashboard_page = Client()
    dashboard_page.force_login(county["accounts"]["county_admin"])
    assert url("wall") in dashboard_page.get(url("region", county["county"].pk)).content.decode()


@pytest.mark.parametrize("role", ["cadre", "system_admin", "audit_admin"])
def test_roles_without_area_figures_get_no_wall(login, county, role):
    client = login(county["accounts"][role])
    assert client.get(url("wall")).status_code == 403
    assert client.get(url("wall_data")).status_code == 403


@pytest.mark.browser
def test_the_wall_draws_and_updates_itself_at_1080p_and_4k(browser, live_server, live_county, tmp_path):
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        script.log_in(page, live_server.url, {"username": "county_admin", "password": PASSWORD})
        script.take_wall(page, live_server.url, tmp_path)  # the README's two pictures of the wall
        assert sorted(p.name for p in tmp_path.iterdir()) == ["wall-1080.png", "wall-2160.png"]
        assert page.viewport_size == {"width": 3840, "height": 2160}
        # A drawn canvas has coloured pixels; an empty one is all transparent.
        painted = page.evaluate("""() => [...document.querySelectorAll("[data-wall-chart='gaps'] canvas")].some(
            c => c.getContext("2d").getImageData(0, 0, c.width, c.height).data.some(v => v !== 0))""")
        assert painted
        before = int(page.get_attribute("#wall", "data-refreshes"))
        page.evaluate("() => window.tuopinWall.refresh()")  # what the 60-second timer calls
        assert int(page.get_attribute("#wall", "data-refreshes")) == before + 1
        assert page.text_content("[data-field='updated']") != "—"
        assert page.url.endswith("/wall/")  # updated in place, not reloaded
    finally:
        context.close()


def test_overdue_tasks_name_units_and_count_cadres_as_one_row(login, org):
    """The zone board's overdue counts by owner, with the cadres (persons) summed into one unnamed row."""
    import datetime as dt

    from django.utils import timezone

    from tuopin.apps.assistance.models import Task
    from tuopin.apps.assistance.services import task_create
    from tuopin.apps.assistance.selectors import overdue_by_owner

    h1, h2 = org["households"][:2]
    owners = [{"owner_cadre": org["cadre"]}, {"owner_cadre": org["zhao"]}, {"owner_unit": org["paired_unit"]}]
    for household, owner in zip([h1, h2, h1], owners, strict=True):
        task = task_create(kind="rectification", title="修院墙", household=household, due=timezone.localdate(),
                           by=org["accounts"]["county_admin"], **owner)
        Task.objects.filter(pk=task.pk).update(due=timezone.localdate() - dt.timedelta(days=2))
    commander = org["accounts"]["commander"]
    response = login(commander).get(url("wall_data"))
    chart = response.json()["charts"]["overdue"]
    rows = overdue_by_owner(commander, org["townships"][0])
    assert sorted(zip(chart["categories"], chart["series"][0]["data"], strict=True)) == sorted(
        [(org["paired_unit"].name, 1), ("帮扶干部", 2)]) and sum(r["overdue"] for r in rows) == 3
    text = response.content.decode()
    assert org["cadre"].name not in text and org["zhao"].name not in text
