"""The coverage page and the county dashboard's coverage panel: who sees which policies, the eligible persons not
covered with masked ID numbers and links to their households, the signals."""

from tuopin.apps.registry.models import Person


def _get(client, user, path):
    client.force_login(user)
    return client.get(path)


def test_the_county_office_sees_every_policy_the_gaps_and_the_signals(covered_county, client):
    accounts = covered_county["accounts"]
    response = _get(client, accounts["county_admin"], "/coverage/?year=2018&policy=family_doctor")
    assert response.status_code == 200
    html = response.content.decode()
    assert "农村最低生活保障" in html and "义务教育两免一补" in html and 'id="coverage-signals"' in html
    h4 = covered_county["households"][3]
    person = Person.objects.filter(household=h4).first()
    assert f"/households/{h4.pk}/" in html
    assert person.id_number not in html and person.id_number[:6] + "********" + person.id_number[-4:] in html
    assert "镇赉镇" in html and "建平乡" in html  # the townships' columns


def test_a_commander_sees_its_war_zone(covered_county, client):
    response = _get(client, covered_county["accounts"]["commander"], "/coverage/?year=2018&policy=family_doctor")
    assert response.status_code == 200
    html = response.content.decode()
    assert "西岗村" in html and "建平村" not in html
    assert f"/households/{covered_county['households'][3].pk}/" not in html  # 建平乡's household
    other = covered_county["townships"][1]
    assert _get(client, covered_county["accounts"]["commander"], f"/coverage/?region={other.pk}").status_code == 404


def test_a_department_sees_its_domains_policies_and_no_signals(covered_county, client):
    department = covered_county["accounts"]["department"]  # the education bureau
    html = _get(client, department, "/coverage/?year=2018").content.decode()
    assert "义务教育两免一补" in html and "农村最低生活保障" not in html and 'id="coverage-signals"' not in html
    assert _get(client, department, "/coverage/?year=2018&policy=dibao").status_code == 404


def test_others_are_refused(covered_county, client):
    for role in ("first_secretary", "cadre", "evaluator"):
        assert _get(client, covered_county["accounts"][role], "/coverage/").status_code == 403, role


def test_the_county_dashboard_has_the_coverage_panel(covered_county, client):
    county = covered_county["county"]
    html = _get(client, covered_county["accounts"]["county_admin"], f"/regions/{county.pk}/?year=2018").content.decode()
    assert 'id="coverage-panel"' in html and 'data-policy="dibao"' in html
    township = covered_county["townships"][0]
    html = _get(client, covered_county["accounts"]["commander"], f"/regions/{township.pk}/?year=2018").content.decode()
    assert 'id="coverage-panel"' not in html


def test_a_year_without_records_says_so(covered_county, client):
    response = _get(client, covered_county["accounts"]["county_admin"], "/coverage/?year=2016")
    assert response.status_code == 200 and 'id="coverage-policies"' not in response.content.decode()
    assert "本年度暂无数据" in response.content.decode()
