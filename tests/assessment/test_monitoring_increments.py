"""监测预警 kept up to date household by household (decision 1380): an edit of a household's yearly record — of the
year assessed or of the year before, whose income the sharp-fall rule reads — is judged again for that household
alone, and the figures equal those of a full run. Transactional: rows are kept only when read outside one."""

import pytest
from django.core.cache import cache

from tests.assessment.test_increments import _same, _scopes, reads  # noqa: F401 (a fixture)
from tests.web.yearly import county_over_years
from tuopin.apps.assessment import figures
from tuopin.apps.registry import services
from tuopin.apps.registry.models import Household

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = 2020  # the yearly history's last year; its exited households earn 6,000 yuan a person, on the line


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _figures():
    return {scope.code: figures.area_figures(scope, YEAR) for scope in _scopes()}


def test_an_edit_of_the_year_before_reaches_the_candidates_of_the_year(county, reads):  # noqa: F811
    county = county_over_years(county)
    admin = county["accounts"]["county_admin"]
    before = _figures()
    county_code = county["county"].code
    edited = Household.objects.get(number__endswith="901", village__code="220821100201")
    exited = before[county_code]["summary"]["monitoring_candidates"]
    assert exited == 24 and before[county_code]["summary"]["monitoring"]["by_kind"]["unstable"] == 24

    def reasons(found):
        rows = dict(found[edited.township.code]["monitoring_rows"][edited.village.code])
        return [code for code, _ in rows[edited.pk]["reasons"]]

    assert reasons(before) == ["income_low"]
    reads.clear()

    # Its 2019 income doubled: 2020's is then a fall of half, a sharp fall (收入大幅缩减) for an exited household.
    record = edited.years.get(year=YEAR - 1)
    services.household_year_update(record=record, version=record.version, by=admin, source="cli",
                                   wage_income_fen=record.wage_income_fen * 2)
    after = _figures()

    assert {tuple(call["household_ids"]) for call in reads if call.get("household_ids")} == {(edited.pk,)}
    assert [call for call in reads if call.get("household_ids") is None and call.get("tables") is None] == []
    assert after[county_code]["summary"]["monitoring_candidates"] == exited
    assert reasons(after) == ["income_fall", "income_low"]

    cache.clear()  # from scratch: the same figures
    _same(_figures(), after)
