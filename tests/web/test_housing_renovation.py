"""危房改造 counts for safe housing from the year it was finished (decision 1252): the rule in
rules/sql/household_gaps.sql, and the household page and file, which show the house as renovated from that year
instead of its old grade — engine and page agree for every year."""

import pytest
from django.test import Client

from tests.web.conftest import url
from tests.web.yearly import county_over_years
from tuopin.apps.assessment import services
from tuopin.apps.registry.models import HouseholdYear

pytestmark = pytest.mark.django_db
YEARS = range(2015, 2021)
D_GRADE = "D级(整幢危房)"


def _house(household, year, grade, renovation="", renovation_year=None, renovation_grade=""):
    record = HouseholdYear.objects.filter(household=household, year=year).first() or HouseholdYear(
        household=household, year=year, members=2, wage_income_fen=1_000_000)
    record.housing_grade, record.renovation, record.renovation_year = grade, renovation, renovation_year
    record.renovation_grade = renovation_grade
    record.renovation_cost_fen = 2_500_000 if renovation else 0
    record.compute_income()
    record.save()


@pytest.fixture
def houses(county):
    """西岗村's first household lives in a D house rebuilt in 2017 and graded A when inspected again (the records
    before say it is planned for 2017); 建平村's in a C house repaired in a year nobody wrote down."""
    county_over_years(county)
    rebuilt, unknown = county["households"][0], county["households"][3]
    for year in YEARS:
        _house(rebuilt, year, "D", "rebuild", 2017, "A")
        _house(unknown, year, "C", "repair", None, "B")
    return rebuilt, unknown


def _engine_housing_gaps(household, year) -> list[str]:
    township = household.township
    _, result = services.assess(year=year, region=township)
    return [row["reason"] for row in result.household_gaps.to_pylist()
            if row["household_id"] == household.pk and row["indicator"] == "housing"]


def test_the_engine_counts_a_renovation_from_the_year_it_was_finished(county, houses):
    rebuilt, unknown = houses
    for year in YEARS:
        gaps = _engine_housing_gaps(rebuilt, year)
        if year < 2017:
            assert gaps == ["住房为D级危房，改造计划2017年竣工，尚未完成（住房安全未保障）"], year
        else:
            assert gaps == [], year
        assert _engine_housing_gaps(unknown, year) == ["住房为C级危房，改造未填竣工年度（住房安全未保障）"]
    HouseholdYear.objects.filter(household=rebuilt, year=2018).update(renovation="")
    assert _engine_housing_gaps(rebuilt, 2018) == ["住房为D级危房，尚未改造（住房安全未保障）"]


def test_the_page_shows_the_house_renovated_and_agrees_with_the_engine(county, houses, download):
    rebuilt, unknown = houses
    client = Client()
    client.force_login(county["accounts"]["county_admin"])
    for year in YEARS:
        engine_safe = not _engine_housing_gaps(rebuilt, year)
        for warm in (False, True):  # the rules run on the household alone, then the township's cached run
            if warm:
                assert client.get(url("region", rebuilt.township.pk) + f"?year={year}").status_code == 200
            page = client.get(url("household", rebuilt.pk) + f"?year={year}")
            housing = next(row for row in page.context["indicators"] if row.indicator == "housing")
            assert housing.passed == engine_safe == (year >= 2017), (year, warm)
            record = HouseholdYear.objects.get(household=rebuilt, year=year)
            assert record.renovation_finished == engine_safe
    html = client.get(url("household", rebuilt.pk)).content.decode()
    row = html[html.index("data-housing-state"):]
    row = row[:row.index("</tr>")]
    assert row.count(D_GRADE + "</td>") == 2  # 2015 and 2016: planned, not finished
    assert row.count(f"已改造：拆除重建，2017年（原为{D_GRADE}）") == 4  # 2017–2020
    html = client.get(url("household", unknown.pk)).content.decode()
    row = html[html.index("data-housing-state"):]
    assert "已改造" not in row[:row.index("</tr>")]  # without its year a renovation is not shown as done
    document = download(client, url("household_file_pdf", rebuilt.pk))
    assert document.status_code == 200


def test_a_finished_renovation_counts_only_once_the_house_is_graded_safe_again(county, houses):
    """Decision 1520: finished but not inspected again, or inspected again and still C or D, the house is unsafe;
    inspected again and graded B, it is safe — the engine and the page alike."""
    rebuilt, _ = houses
    records = HouseholdYear.objects.filter(household=rebuilt, year=2018)
    records.update(renovation_grade="")
    assert _engine_housing_gaps(rebuilt, 2018) == ["住房为D级危房，改造后未重新鉴定（住房安全未保障）"]
    assert not records.get().renovation_finished
    records.update(renovation_grade="D")
    assert _engine_housing_gaps(rebuilt, 2018) == ["住房为D级危房，改造后鉴定仍为D级（住房安全未保障）"]
    assert not records.get().renovation_finished
    records.update(renovation_grade="B")
    assert _engine_housing_gaps(rebuilt, 2018) == []
    assert records.get().renovation_finished
