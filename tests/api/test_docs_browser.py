"""The Swagger UI page works in a browser with no internet: every file comes from this server."""

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD


@pytest.mark.browser
def test_swagger_ui_renders_the_api_from_local_files(transactional_db, county, live_server, page):
    client = APIClient()
    assert client.login(username="commander", password=PASSWORD)
    host = live_server.url.split("//")[1].split(":")[0]
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host,
                               "path": "/"}])
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector("#operations-households-households_list")
    assert "tuopin API" in page.inner_text(".swagger-ui .info")
    assert page.locator(".opblock-tag-section").count() == 8  # households, household-years, persons, …, tasks, visits, projects
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
