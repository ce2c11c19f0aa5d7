"""The OpenAPI schema generates without warnings; schema and Swagger UI are served with no CDN."""

import json
import re

import yaml
from django.core.management import call_command
from rest_framework.test import APIClient


def test_the_schema_validates_with_no_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert {"/api/households/", "/api/households/{id}/", "/api/households/{id}/events/", "/api/persons/{id}/",
            "/api/household-years/{id}/", "/api/person-years/", "/api/regions/{code}/"} <= set(schema["paths"])
    components = schema["components"]["schemas"]
    # PATCH bodies: everything optional except the version the client read.
    assert components["PatchedHouseholdYearEdit"]["required"] == ["version"]
    assert "409" in schema["paths"]["/api/households/{id}/"]["patch"]["responses"]
    assert "fen" in components["HouseholdYear"]["properties"]["per_capita_net_income_fen"]["description"]
    assert "masked" in components["Person"]["properties"]["id_number"]["description"]
    birth = components["Person"]["properties"]["birth_date"]
    assert birth["type"] == "string" and "format" not in birth and "YYYY-**-**" in birth["description"]
    assert components["Person"]["properties"]["birth_year"]["type"] == "integer"
    household_params = {p["name"] for p in schema["paths"]["/api/households/"]["get"]["parameters"]}
    assert {"region", "village", "status", "limit", "offset"} <= household_params
    assert set(schema["components"]["securitySchemes"]) == {"cookieAuth"}


def test_the_schema_is_served_as_yaml_and_json_to_signed_in_accounts(api):
    client = api("cadre")
    as_yaml = client.get("/api/schema/")
    assert as_yaml.status_code == 200 and "/api/households/" in yaml.safe_load(as_yaml.content)["paths"]
    as_json = client.get("/api/schema/?format=json")
    assert as_json.status_code == 200 and "/api/persons/" in json.loads(as_json.content)["paths"]
    assert APIClient().get("/api/schema/").status_code in (401, 403)


def _fetch(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def _page_assets(client) -> tuple[str, list[str]]:
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and not [u for u in urls if "//" in u], urls  # nothing from another host
    return html, urls


def test_the_docs_page_links_the_sidecar_static_files(api):
    client = api("commander")
    html, urls = _page_assets(client)
    bundle = next(u for u in urls if u.endswith("swagger-ui-bundle.js"))
    assert bundle == "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert b"SwaggerUIBundle" in _fetch(client, bundle)
    script = next(u for u in urls if "script" in u).replace("&amp;", "&")
    assert "SwaggerUIBundle" in _fetch(client, script).decode() and "/api/schema/" in _fetch(client, script).decode()


def test_anonymous_visitors_do_not_get_the_docs(county):
    response = APIClient().get("/api/docs/")
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert "next=/api/docs/" in response["Location"]
