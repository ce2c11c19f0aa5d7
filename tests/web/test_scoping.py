"""Object access goes through the scoping layer: out of scope is 404, in scope but read-only is 403."""

import pytest

from tests.web.conftest import url
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.evaluation.models import EvaluationRound, SampledHousehold

pytestmark = pytest.mark.django_db


def test_cadre_gets_404_on_another_household(login, county):
    client = login(county["accounts"]["cadre"])
    own, other = county["households"][0], county["households"][1]
    assert client.get(url("household", own.pk)).status_code == 200
    assert client.get(url("household_edit", own.pk)).status_code == 200
    assert client.get(url("household", other.pk)).status_code == 404
    assert client.get(url("household_edit", other.pk)).status_code == 404
    assert client.post(url("household_edit", other.pk), {"version": 1}).status_code == 404
    assert client.get(url("person_edit", other.members.first().pk)).status_code == 404
    assert client.get(url("household_year_edit", other.years.get().pk)).status_code == 404


def test_refused_access_is_audited(login, county):
    cadre = county["accounts"]["cadre"]
    other = county["households"][1]
    login(cadre).get(url("household", other.pk))
    event = AuditEvent.objects.get(action="access_refused")
    assert (event.actor, event.entity, event.entity_id) == (cadre, "registry.household", str(other.pk))
    assert event.summary.startswith("404 GET")


def test_commander_sees_only_their_zone(login, county):
    client = login(county["accounts"]["commander"])
    t1, t2 = county["townships"]
    assert client.get(url("region", t1.pk)).status_code == 200
    assert client.get(url("region", county["villages"][1].pk)).status_code == 200
    assert client.get(url("region", t2.pk)).status_code == 404
    assert client.get(url("region", county["villages"][2].pk)).status_code == 404
    assert client.get(url("region", county["county"].pk)).status_code == 404
    assert client.get(url("household", county["households"][3].pk)).status_code == 404
    response = client.get(url("region", t1.pk))
    assert response.context["summary"]["scope"]["code"] == t1.code
    assert [row.region.name for row in response.context["children"]] == ["西岗村", "东岗村"]
    # The county appears in the path as plain text: it is not theirs to open.
    assert url("region", county["county"].pk) not in response.content.decode()


def test_first_secretary_sees_only_their_village(login, county):
    client = login(county["accounts"]["first_secretary"])
    assert client.get(url("region", county["villages"][0].pk)).status_code == 200
    assert client.get(url("region", county["villages"][1].pk)).status_code == 404
    assert client.get(url("household", county["households"][2].pk)).status_code == 404


def test_county_figures_follow_the_account_scope(login, county):
    """A village counted by the first secretary and by a cadre: the cadre counts only their own households and
    sees none of the village's area figures (its incidence, its gap list)."""
    t1 = county["townships"][0]
    village = county["villages"][0]
    secretary = login(county["accounts"]["first_secretary"]).get(url("region", village.pk))
    assert secretary.context["headline"].counts.households == 2
    assert secretary.context["readiness"].row["rural_population"] == 6
    client = login(county["accounts"]["cadre"])
    response = client.get(url("region", village.pk))
    assert response.context["headline"].counts.households == 1
    assert "readiness" not in response.context
    assert client.get(url("region", t1.pk)).status_code == 404


def test_read_only_role_gets_403_on_edit_pages(login, county):
    evaluator = county["accounts"]["evaluator"]
    hh = county["households"][3]
    round_ = EvaluationRound.objects.create(name="2019 第三方评估", held_in=2019, data_year=2018, county=county["county"])
    SampledHousehold.objects.create(round=round_, household=hh)
    client = login(evaluator)
    assert client.get(url("household", hh.pk)).status_code == 200
    assert client.get(url("household_edit", hh.pk)).status_code == 403
    assert client.post(url("household_year_edit", hh.years.get().pk), {"version": 1}).status_code == 403
    assert client.get(url("person_edit", hh.members.first().pk)).status_code == 403
    page = client.get(url("household", hh.pk)).content.decode()
    assert url("household_edit", hh.pk) not in page and url("household_year_edit", hh.years.get().pk) not in page
    assert AuditEvent.objects.filter(action="access_refused", summary__startswith="403").count() == 3


def test_department_sees_no_household(login, county):
    client = login(county["accounts"]["department"])
    hh = county["households"][0]
    assert client.get(url("household", hh.pk)).status_code == 404
    assert client.get(url("household_edit", hh.pk)).status_code == 404
