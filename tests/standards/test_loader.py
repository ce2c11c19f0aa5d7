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
