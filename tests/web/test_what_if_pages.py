"""The what-if pages (decisions 1601–1603): a changed standard or budget line beside today's figures, scoped to
the account's area, nothing stored unless kept by name; kept runs listed and compared."""

import pytest

from tests.web.conftest import url
from tuopin.apps.assessment.models import AssessmentRun, WhatIfRun
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry.models import Household, HouseholdYear, StatusEvent

pytestmark = pytest.mark.django_db


def _state():
    return (list(Household.objects.order_by("pk").values_list("pk", "status", "is_registered")),
            list(HouseholdYear.objects.order_by("pk").values_list("pk", "net_income_fen")),
            StatusEvent.objects.count(), AssessmentRun.objects.count(), WhatIfRun.objects.count())


def _post(client, region, **fields):
    return client.post(url("what_if"), {"region": region.pk, "year": 2018, "try": "", **fields})


def test_a_raised_line_is_shown_beside_today_and_nothing_is_stored(county, login):
    client = login(county["accounts"]["county_admin"])
    page = client.get(url("what_if"))
    assert page.status_code == 200 and 'placeholder="3535"' in page.content.decode()
    before = _state()
    html = _post(client, county["county"], poverty_line=100000).content.decode()
    assert _state() == before
    assert not AuditEvent.objects.filter(action="what_if_save").exists()
    # h1 and h4 (5,000 yuan a person) stop meeting the exit standard; they and h3 (not registered) become
    # income-poor; h2 was under the line already and does not move
    h1, h2, h3, h4 = county["households"]
    assert 'id="what-if-moved"' in html
    for h in (h1, h3, h4):
        assert f'href="{url("household", h.pk)}">{h.number}</a>' in html
    assert f">{h2.number}<" not in html
    assert "poverty_line.2018.yuan" in html and "镇赉镇" in html and "建平乡" in html
    # the head's ID number masked
    head = h1.members.get(relation="01")
    assert head.id_number not in html and head.id_number[:6] in html


def test_refusals_name_the_key_and_where_it_was_set(county, login):
    client = login(county["accounts"]["county_admin"])
    region = county["county"]
    html = _post(client, region, text="[water]\ntrip_minute = 3\n").content.decode()
    assert "water.trip_minute: unknown key" in html and 'id="what-if-moved"' not in html
    html = _post(client, region, text="[water\n").content.decode()
    assert "not TOML" in html
    html = _post(client, region, trip_minutes=30, text="[water]\ntrip_minutes = 40\n").content.decode()
    assert "water.trip_minutes" in html and 'id="what-if-moved"' not in html
    html = _post(client, region, w_income="1/2").content.decode()  # the weights no longer sum to 1
    assert "weights" in html and 'id="what-if-moved"' not in html
    html = _post(client, region, text="[budget]\ndibao = 1\n").content.decode()
    assert "budget.dibao: unknown budget line" in html
    # keeping without a name
    response = client.post(url("what_if"), {"region": region.pk, "year": 2018, "poverty_line": 4000, "keep": ""})
    assert response.status_code == 200 and WhatIfRun.objects.count() == 0


def test_a_budget_line_on_the_page_says_what_it_costs(county, login):
    from tuopin.apps.registry import choices as c
    from tuopin.apps.registry.models import Person

    Person.objects.filter(household=county["households"][3]).update(labour_ability=c.LabourAbility.NONE)
    client = login(county["accounts"]["county_admin"])
    html = _post(client, county["county"], subsidy_per_person=2000, dividend_without_labour="500.50").content.decode()
    # 2,000 yuan to each of the 8 members of the three poor households, 500.50 to h4 alone (no one able to work)
    assert 'id="what-if-budget-total">16,500.50<' in html or 'id="what-if-budget-total">16500.50<' in html
    h2 = county["households"][1]
    assert f">{h2.number}</a>" in html  # 2,000 a person rises above the line: h2 meets the exit standard


def test_kept_runs_are_listed_compared_and_audited(county, login):
    client = login(county["accounts"]["county_admin"])
    region = county["county"]
    response = client.post(url("what_if"), {"region": region.pk, "year": 2018, "poverty_line": 100000,
                                            "name": "line 100k", "keep": ""})
    first = WhatIfRun.objects.get()
    assert response.status_code == 302 and response["Location"] == url("what_if_run", first.pk)
    assert first.what_if == "[poverty_line.2018]\nyuan = 100000\n" and first.scope_code == region.code
    event = AuditEvent.objects.get(action="what_if_save")
    assert event.source == "web" and event.entity_id == str(first.pk)
    client.post(url("what_if"), {"region": region.pk, "year": 2018, "trip_minutes": 30, "name": "water 30",
                                 "keep": ""})
    second = WhatIfRun.objects.get(name="water 30")
    # the same name again is refused on the form; nothing else kept
    html = client.post(url("what_if"), {"region": region.pk, "year": 2018, "poverty_line": 5,
                                        "name": "line 100k", "keep": ""}).content.decode()
    assert "已保存名为 line 100k 的测算" in html and WhatIfRun.objects.count() == 2
    listing = client.get(url("what_if_runs")).content.decode()
    assert "line 100k" in listing and "water 30" in listing
    run_page = client.get(url("what_if_run", first.pk)).content.decode()
    assert "yuan = 100000" in run_page and 'id="what-if-moved"' in run_page
    html = client.get(url("what_if_compare") + f"?a={first.pk}&b={second.pk}").content.decode()
    # eligible: 2 under the raised line, 2 under the water limit (as today): the difference is +2
    assert "line 100k" in html and "water 30" in html and '<td class="num changed">+2</td>' in html
    html = client.get(url("what_if_compare") + f"?a={first.pk}&b=today").content.decode()
    assert '<td class="num changed">-2</td>' in html


def test_a_commander_tries_its_township_only(county, login):
    t1, t2 = county["townships"]
    client = login(county["accounts"]["commander"])
    page = client.get(url("what_if")).content.decode()
    assert f'value="{t1.pk}"' in page and f'value="{t2.pk}"' not in page
    assert client.get(url("what_if") + f"?region={t2.pk}").status_code == 404
    assert _post(client, t2, poverty_line=100000).status_code == 404
    html = _post(client, t1, poverty_line=100000).content.decode()
    h1, h4 = county["households"][0], county["households"][3]
    assert f">{h1.number}</a>" in html and h4.number not in html
    # a run the county office kept for the county is not the commander's to read
    admin = login(county["accounts"]["county_admin"])
    admin.post(url("what_if"), {"region": county["county"].pk, "year": 2018, "poverty_line": 100000,
                                "name": "county", "keep": ""})
    kept = WhatIfRun.objects.get()
    client = login(county["accounts"]["commander"])
    assert client.get(url("what_if_run", kept.pk)).status_code == 404
    assert "county" not in client.get(url("what_if_runs")).content.decode().split('<main', 1)[-1].split("</main>")[0] \
        .replace("county_admin", "")


@pytest.mark.parametrize("role", ["first_secretary", "cadre", "department", "evaluator", "system_admin"])
def test_other_roles_are_refused(county, login, role):
    client = login(county["accounts"][role])
    assert client.get(url("what_if")).status_code == 403
    assert client.get(url("what_if_runs")).status_code == 403
    assert _post(client, county["county"], poverty_line=100000).status_code == 403
