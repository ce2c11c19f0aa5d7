"""A list costs the same queries however many rows it shows (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import household

from .util import results

ENDPOINTS = ("households", "persons", "household-years", "person-years")


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        rows = results(client.get(url))
    return len(ctx.captured_queries), len(rows)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_queries_do_not_grow_with_the_rows(api, county, endpoint):
    client = api("county_admin")
    url = f"/api/{endpoint}/?limit=500"
    queries_before, rows_before = _queries(client, url)
    for i in range(5):
        household(county["villages"][1], f"22082110020210{i}", members=3)
    queries_after, rows_after = _queries(client, url)
    assert rows_after > rows_before
    assert queries_after == queries_before <= 8


def test_regions_and_events_take_a_fixed_number_of_queries(api, county):
    client = api("county_admin")
    assert _queries(client, "/api/regions/?limit=500")[0] <= 8
    h1 = county["households"][0]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/api/households/{h1.pk}/events/").status_code == 200
    # session, account, its region, household, events, steps; the INSERT of the request's read event (decision 1152)
    assert len(ctx.captured_queries) <= 7
