import pytest
from rest_framework.test import APIClient

from tests.accountability import org  # noqa: F401  (the fixture)
from tests.factories import PASSWORD


@pytest.fixture
def api(county):
    """api("cadre") → an APIClient signed in (session, as the web) with that role's account."""

    def signed_in(role: str) -> APIClient:
        client = APIClient()
        assert client.login(username=county["accounts"][role].username, password=PASSWORD)
        return client

    return signed_in

