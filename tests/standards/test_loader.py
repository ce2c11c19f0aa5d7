import pytest

from tuopin import standards
from tuopin.standards.loader import StandardMissing


def test_national_lines_are_data():
    s = standards.load("000000")
    assert s.poverty_line_fen(2015) == 285_500
    assert s.poverty_line_yuan(2018) == 3535
    assert s.line_status(2017) == "unverified"
    with pytest.raises(StandardMissing, match="no poverty line for 1999"):
        s.poverty_line_yuan(1999)


def test_county_file_overrides_only_what_it_names():
    zhenlai = standards.load("220821000000")
    assert zhenlai.section("village_exit")["collective_income_yuan_at_least"] == 50000
    assert zhenlai.section("village_exit")["incidence_below"] == 0.02
    assert standards.load("110101").section("village_exit")["collective_income_yuan_at_least"] == 0


def test_a_county_can_ship_its_own_directory(tmp_path):
    (tmp_path / "overrides").mkdir()
    (tmp_path / "national.toml").write_text('[poverty_line.2018]\nyuan = 3600\n', encoding="utf-8")
    (tmp_path / "overrides" / "22.toml").write_text('[poverty_line.2018]\nyuan = 3700\n', encoding="utf-8")
    assert standards.load("220821", str(tmp_path)).poverty_line_yuan(2018) == 3700
    assert standards.load("110101", str(tmp_path)).poverty_line_yuan(2018) == 3600


def test_every_year_up_to_today_has_a_marked_line_and_monitoring_line():
    """The transition period's lines are stored with their source; years after the last entry, up to today's
    year (computed, not written down), are carried on and say from which year (decision 1250)."""
    import datetime as dt

    s = standards.load("220821000000")
    today = dt.date.today().year
    assert s.years() == list(range(2011, max(today, 2025) + 1))
    for year in range(2011, today + 1):
        entry = s.line_entry(year)
        assert entry["yuan"] > 0 and entry["status"] in ("verified", "partial", "unverified", "carried")
        assert entry["source"], year
    assert s.line_entry(2015)["status"] == "verified" and "NBS" in s.line_entry(2015)["source"]
    assert s.line_entry(2021) == {**s.line_entry(2021), "yuan": 4000, "status": "carried", "carried_from": 2020}
    assert s.monitoring_line_yuan(2021) == 6000 and s.monitoring_entry(2021)["status"] == "verified"
    assert s.monitoring_entry(2023)["status"] == "carried" and s.monitoring_entry(2023)["source"]
    assert s.monitoring_line_yuan(today) > 0
    # Before 2021: the 2020 guidance's ratio × the year's poverty line, marked as derived (decision 1430).
    ratio = s.section("monitoring")["2020"]["income_line_ratio"]
    for year in range(2011, 2021):
        entry = s.monitoring_entry(year)
        assert entry["status"] == "derived" and entry["source"], year
        assert entry["yuan"] == int(ratio * s.poverty_line_yuan(year) + 0.5)
    assert s.monitoring_line_yuan(2020) == 6000 and s.monitoring_line_fen(2016) == 442800
    with pytest.raises(StandardMissing, match="no monitoring line for 2010"):
        s.monitoring_line_yuan(2010)
    with pytest.raises(StandardMissing):
        s.poverty_line_yuan(today + 1)


def test_every_monitoring_criterion_carries_its_source_and_mark():
    criteria = standards.load("220821000000").monitoring_criteria()
    assert set(criteria) == {"income_low", "income_fall", "rigid_spending", "disaster_loss", "business_failed",
                             "labourer_lost", "gaps"}
    for name, entry in criteria.items():
        assert entry["source"] and entry["status"] in ("verified", "partial", "unverified"), name
    assert 0 < criteria["income_fall"]["percent"] < 100 and 0 < criteria["disaster_loss"]["percent"] <= 100


def test_carrying_on_follows_the_calendar_and_can_be_turned_off(tmp_path, monkeypatch):
    from tuopin.standards import loader

    (tmp_path / "overrides").mkdir()
    (tmp_path / "national.toml").write_text(
        '[poverty_line.2020]\nyuan = 4000\nstatus = "partial"\nsource = "SCIO"\n'
        '[carry_forward]\npoverty_line = true\nsource = "carried"\n', encoding="utf-8")
    (tmp_path / "overrides" / "22.toml").write_text('[carry_forward]\npoverty_line = false\n', encoding="utf-8")
    monkeypatch.setattr(loader, "this_year", lambda: 2031)
    carried = standards.load("110101", str(tmp_path))
    assert carried.years() == list(range(2020, 2032))
    assert carried.line_entry(2031) == {"yuan": 4000, "status": "carried", "carried_from": 2020, "source": "carried"}
    assert standards.load("220821", str(tmp_path)).years() == [2020]  # Jilin's file turned carrying off
