"""The field app's page and service worker (decision 1565), without a browser: who gets the page, what it
carries for its script, and the worker's type, scope and shell list."""

import json

import pytest

from tests.web.conftest import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["cadre", "first_secretary"])
def test_cadres_and_first_secretaries_get_the_app(county, login, role):
    response = login(county["accounts"][role]).get(url("field"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="field-app"' in body and 'data-households="/field/api/households/"' in body
    assert 'data-year="2018"' in body  # the last year of records the account sees
    strings = json.loads(body.split('id="field-strings" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert strings["save"] == "保存走访"
    assert url("field") in body.split('class="nav-links"', 1)[1].split("</ul>", 1)[0]
    assert "no-store" in response["Cache-Control"]  # personal data: the worker keeps its own copy
    # Its logout clears what the app keeps on the phone (decision 1627): the account's own database, the page's copy.
    user = county["accounts"][role]
    assert f'data-field-db="tuopin-field-{user.pk}"' in body and 'data-field-page="/field/"' in body
    assert "次走访尚未发送" in body.split('data-unsent-question="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("role", ["county_admin", "commander", "department", "evaluator"])
def test_other_roles_are_refused_and_see_no_link(county, login, role):
    client = login(county["accounts"][role])
    assert client.get(url("field")).status_code == 403
    body = client.get(url("tasks") if role != "evaluator" else "/search/").content.decode()
    assert url("field") not in body
    assert "data-field-db" not in body and 'action="/logout/"' in body  # a logout with nothing to clear


def test_the_year_asked_is_kept(county, login):
    body = login(county["accounts"]["cadre"]).get(url("field") + "?year=2017").content.decode()
    assert 'data-year="2017"' in body


def test_the_worker_is_javascript_with_its_shell(client):
    response = client.get(url("field_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    head = response.content.decode().split("\n", 1)[0]
    config = json.loads(head.removeprefix("const CONFIG = ").removesuffix(";"))
    assert config["page"] == "/field/" and config["api"] == "/field/api/"
    assert "/static/web/field.js" in config["shell"] and "/static/vendor/idb/umd.js" in config["shell"]
    assert len(config["version"]) == 16


def test_the_app_is_linked_from_the_cadres_home_and_the_first_secretarys_village(county, login):
    cadre_home = login(county["accounts"]["cadre"]).get(url("home")).content.decode()
    assert f'class="btn btn-primary btn-wide field-entry" href="{url("field")}"' in cadre_home
    village = login(county["accounts"]["first_secretary"]).get(url("region", county["villages"][0].pk))
    assert f'class="btn btn-primary field-entry" href="{url("field")}"' in village.content.decode()
