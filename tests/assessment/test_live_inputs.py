"""The two readers of the live registry (ADBC outside a transaction, Django's connection inside one) give
the same tables, and the assessment the same figures."""

import pytest
from django.db import transaction

from tests.factories import small_county
from tuopin.apps.assessment import live_inputs, services


@pytest.mark.django_db(transaction=True)
def test_adbc_and_django_readers_agree():
    small_county()
    assert live_inputs._adbc_ready()
    outside = live_inputs.read(year=2018, region_code="220821000000")
    with transaction.atomic():
        assert not live_inputs._adbc_ready()
        inside = live_inputs.read(year=2018, region_code="220821000000")
    assert set(outside) == set(live_inputs.COLUMNS)
    for name in outside:
        assert outside[name].sort_by(outside[name].column_names[0]).equals(
            inside[name].sort_by(inside[name].column_names[0])), name
    assert outside["households_yearly"].num_rows == 4 and outside["persons"].num_rows == 10
    assert services.assess(year=2018)[0]["poor_persons"] == 8


def test_scope_limits_every_table(county):
    tables = live_inputs.read(year=2018, region_code="220821200000")  # 建平乡: one village, one household
    assert tables["villages_yearly"]["village_code"].to_pylist() == [220821200201]
    assert tables["households_yearly"]["household_id"].to_pylist() == [county["households"][3].pk]
    assert tables["persons_yearly"].num_rows == 2 and tables["status_events"].num_rows == 1
