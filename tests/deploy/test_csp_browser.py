"""The Content-Security-Policy breaks nothing: a real browser reports no violation on the pages with charts,
htmx and the Swagger UI, and the charts still draw."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def live_county(transactional_db):
    from tests.factories import small_county

    return small_county()


def test_no_csp_violation_on_dashboard_household_and_api_docs(page, live_server, live_county):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "county_admin")
    page.fill("#id_password", PASSWORD)
    page.click(".login-panel button[type=submit]")
    page.wait_for_selector(".chart[data-drawn='true'] canvas")  # echarts ran under script-src 'self'
    page.goto(f"{live_server.url}/households/{live_county['households'][0].pk}/")
    page.wait_for_selector("h1")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .information-container", timeout=20_000)
    assert violations == []
