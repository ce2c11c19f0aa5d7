"""Search by name, household number or ID number: POSTed, scoped, masked."""

import pytest

from tests.web.conftest import url

pytestmark = pytest.mark.django_db


def found(response) -> list[str]:
    return [p.household.number for p in response.context["result"].persons]


def test_search_by_name_is_scoped(login, county):
    h1, h2, h3, h4 = county["households"]
    everyone = found(login(county["accounts"]["county_admin"]).post(url("search"), {"q": "户主"}))
    assert everyone == sorted([h1.number, h2.number, h3.number, h4.number])
    assert found(login(county["accounts"]["cadre"]).post(url("search"), {"q": "户主"})) == [h1.number]
    assert found(login(county["accounts"]["commander"]).post(url("search"), {"q": "户主"})) == [h1.number, h2.number,
                                                                                                 h3.number]


def test_search_by_household_number_lists_the_head(login, county):
    h2 = county["households"][1]
    response = login(county["accounts"]["county_admin"]).post(url("search"), {"q": h2.number})
    persons = response.context["result"].persons
    assert [(p.household.number, p.name) for p in persons] == [(h2.number, f"{h2.number}户主")]
    assert response.context["result"].kind == "number"


def test_search_by_id_number_finds_only_in_scope_and_masks(login, county):
    target = county["households"][3].members.first()
    admin = login(county["accounts"]["county_admin"]).post(url("search"), {"q": target.id_number.lower()})
    assert [p.pk for p in admin.context["result"].persons] == [target.pk]
    assert target.id_number in admin.content.decode()
    commander = login(county["accounts"]["commander"]).post(url("search"), {"q": target.id_number})
    assert commander.context["result"].persons == []
    own = county["households"][0].members.first()
    response = login(county["accounts"]["commander"]).post(url("search"), {"q": own.id_number})
    html = response.content.decode()
    assert [p.pk for p in response.context["result"].persons] == [own.pk]
    assert own.id_number not in html.split('id="search-results"')[1]  # the result row shows it masked
    assert own.id_number[:6] + "********" + own.id_number[-4:] in html


def test_search_leaves_no_personal_data_in_the_url(login, county):
    client = login(county["accounts"]["county_admin"])
    page = client.get(url("search")).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page.lower()
    response = client.post(url("search"), {"q": "西岗"}, follow=True)
    assert response.redirect_chain == []
    assert response.wsgi_request.get_full_path() == "/search/"
    # A query string is never read: names typed into a URL are not searched.
    leaked = client.get(url("search") + "?q=户主")
    assert leaked.context["result"] is None


def test_htmx_search_returns_only_the_results(login, county):
    client = login(county["accounts"]["county_admin"])
    response = client.post(url("search"), {"q": "成员"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="search-results"') and "<html" not in html
    assert county["households"][1].number in html
    assert response["Cache-Control"] == "no-store"


def test_empty_search_is_refused_politely(login, county):
    response = login(county["accounts"]["county_admin"]).post(url("search"), {"q": "  "})
    assert response.context["result"] is None and response.context["form"].errors


def test_search_counts_every_match_beyond_the_ones_shown(login, county, monkeypatch):
    """"共 N 条，显示前 M 条": the count is of every match in scope, not of the rows shown."""
    from tuopin.apps.registry import selectors

    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 2)
    response = login(county["accounts"]["county_admin"]).post(url("search"), {"q": "户主"})
    result = response.context["result"]
    assert len(result.persons) == 2 and result.more and result.total == 4
    assert "共 4 条，显示前 2 条" in response.content.decode()
    few = login(county["accounts"]["cadre"]).post(url("search"), {"q": "户主"})
    assert few.context["result"].total == 1 and "共 1 条" in few.content.decode()
