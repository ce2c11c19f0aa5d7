"""The routing table is data: shipped defaults, county overrides, refusal of unknown owners."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tuopin.apps.assistance import config
from tuopin.apps.assistance.models import Task
from tuopin.apps.assistance.sync import tasks_sync


def test_shipped_routes():
    routes = config.routing("220821")
    assert routes["education"].owners == ("department:education", "cadre")
    assert routes["housing"].owners == ("department:housing", "township")
    assert routes["income"].owners == ("paired_unit", "cadre")
    assert routes["medical"].owners == ("department:medical_insurance", "cadre")
    assert set(routes) == {"income", "food_clothing", "education", "medical", "housing", "water"}


def copy_data(tmp_path):
    for name in ("routing", "templates", "scoring"):
        (tmp_path / f"{name}.toml").write_text((config.DATA / f"{name}.toml").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    (tmp_path / "overrides").mkdir()
    return tmp_path


def test_a_county_overrides_a_route(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "overrides" / "220821.toml").write_text(
        '[routing.indicators.housing]\nowners = ["department:housing", "work_team"]\ndue_in_days = 45\n',
        encoding="utf-8")
    county = config.routing("220821", str(folder))
    assert county["housing"].owners == ("department:housing", "work_team") and county["housing"].due_in_days == 45
    assert county["housing"].label == "住房安全"  # the rest of the entry stays
    assert config.routing("130000", str(folder))["housing"].owners == ("department:housing", "township")


def test_an_unknown_owner_or_indicator_is_refused(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "overrides" / "22.toml").write_text('[routing.indicators.water]\nowners = ["mayor"]\n', encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="mayor"):
        config.routing("220821", str(folder))
    (folder / "overrides" / "22.toml").write_text('[routing.indicators.wifi]\nowners = ["cadre"]\n', encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="wifi"):
        config.routing("220821", str(folder))


def test_the_sync_follows_the_override(org, tmp_path, monkeypatch):
    folder = copy_data(tmp_path)
    (folder / "overrides" / "220821.toml").write_text('[routing.indicators.housing]\nowners = ["work_team"]\n',
                                                      encoding="utf-8")
    monkeypatch.setenv("TUOPIN_ACCOUNTABILITY_DATA", str(folder))
    config.routing.cache_clear()
    try:
        tasks_sync(year=2018, by=org["accounts"]["county_admin"])
    finally:
        config.routing.cache_clear()
    housing = Task.objects.filter(indicator="housing")
    assert [t.owner_unit for t in housing] == [org["paired_unit"]]  # the unit that sent 西岗村's work team
