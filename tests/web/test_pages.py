"""Each page renders for the roles that may open it, with the figures of the small county."""

import json
import re

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from tests.web.conftest import url
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import ProcedureStep

pytestmark = pytest.mark.django_db


def chart_data(html: str, chart_id: str = "chart-data") -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_pages_need_login(client, county):
    hh = county["households"][0]
    for path in (url("home"), url("region", county["county"].pk), url("household", hh.pk), url("search"),
                 url("household_edit", hh.pk)):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), path


def test_login_page_is_chinese_by_default_and_logs_in(client, county):
    page = client.get(url("login"))
    assert page.status_code == 200
    assert '<html lang="zh-hans">' in page.content.decode() and "登录" in page.content.decode()
    response = client.post(url("login"), {"username": "county_admin", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == url("region", county["county"].pk)
    assert "镇赉县" in response.content.decode()


def test_wrong_password_is_refused(client, county):
    response = client.post(url("login"), {"username": "county_admin", "password": "wrong-password-1"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_county_page_is_the_dashboard_of_the_latest_year(login, county):
    response = login(county["accounts"]["county_admin"]).get(url("region", county["county"].pk))
    assert response.templates[0].name == "web/dashboard.html"
    assert response.context["year"] == 2018 and response.context["years"] == [2018]
    summary = response.context["summary"]
    # 14 persons in the villages' records; households 1, 2 and 4 (2 + 4 + 2 members) still poor at the end of 2018.
    assert (summary["rural_population"], summary["poor_persons"], summary["poor_households"]) == (14, 8, 3)
    assert [row.name for row in response.context["children"]] == ["镇赉镇", "建平乡"]
    html = response.content.decode()
    assert "vendor/echarts/echarts.min.js" in html
    assert f'{url("region", county["townships"][0].pk)}?year=2018' in html
    assert chart_data(html, "chart-incidence")["categories"] == ["2018"]


def test_township_and_village_drill_down(login, county):
    client = login(county["accounts"]["county_admin"])
    t1 = county["townships"][0]
    response = client.get(url("region", t1.pk))
    rows = {row.name: row.figures for row in response.context["children"]}
    assert (rows["西岗村"]["rural_population"], rows["西岗村"]["poor_persons"]) == (6, 6)
    assert (rows["东岗村"]["rural_population"], rows["东岗村"]["poor_persons"]) == (4, 0)
    village = county["villages"][0]
    response = client.get(url("region", village.pk))
    html = response.content.decode()
    h1, h2 = county["households"][:2]
    assert url("household", h1.pk) in html and url("household", h2.pk) in html
    assert url("household", county["households"][3].pk) not in html
    listed = {hh.number: hh for hh in response.context["page"].object_list}
    assert listed[h2.number].active_members == 4 and listed[h2.number].head_name == f"{h2.number}户主"
    assert listed[h1.number].cadre_name == "王干部" and listed[h1.number].latest_per_capita_fen == 500000


def test_household_page_for_county_admin_shows_full_ids(login, county):
    hh = county["households"][0]
    event = hh.events.get()
    ProcedureStep.objects.create(event=event, stage=c.Stage.DEMOCRATIC_REVIEW, on="2015-08-01", by_name="西岗村评议小组")
    member = hh.members.first()
    member.phone = "13812345678"
    member.save()
    response = login(county["accounts"]["county_admin"]).get(url("household", hh.pk))
    html = response.content.decode()
    assert member.id_number in html and "13812345678" in html
    assert member.birth_date.isoformat() in html  # the county office sees the whole birth date too
    assert "10,000.00" in html and "5,000.00" in html  # wage income and net income per person, in yuan
    assert "识别" in html and "民主评议" in html and "西岗村评议小组" in html
    assert "王干部" in html and "县教育局" in html
    assert url("household_year_edit", hh.years.get().pk) in html


def test_household_page_masks_ids_and_phones_for_other_roles(login, county):
    hh = county["households"][0]
    member = hh.members.first()
    member.phone = "13812345678"
    member.save()
    for role in ("commander", "first_secretary", "cadre"):
        response = login(county["accounts"][role]).get(url("household", hh.pk))
        html = response.content.decode()
        assert response.status_code == 200
        assert member.id_number not in html and member.id_number[:6] + "********" + member.id_number[-4:] in html
        assert "13812345678" not in html and "138****5678" in html
        # The birth date is the masked number's hidden middle: the year only, and the age reached this year.
        assert "1970-05-01" not in html and "1970-**-**" in html
        assert f'<td class="num">{timezone.localdate().year - 1970}</td>' in html


def test_cadre_home_lists_their_households(login, county):
    response = login(county["accounts"]["cadre"]).get(url("home"))
    numbers = [hh.number for hh in response.context["page"].object_list]
    assert numbers == [county["households"][0].number]
    assert "我的包保户" in response.content.decode()


def test_commander_lands_on_their_township(login, county):
    response = login(county["accounts"]["commander"]).get(url("home"))
    assert response["Location"] == url("region", county["townships"][0].pk)


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_administrators_see_no_household_data(login, county, role):
    client = login(county["accounts"][role])
    home = client.get(url("home"))
    html = home.content.decode()
    assert home.status_code == 200 and "三员分立" in html
    for hh in county["households"]:
        assert hh.number not in html
        assert client.get(url("household", hh.pk)).status_code == 404
    assert client.get(url("region", county["county"].pk)).status_code == 404
    assert client.get(url("search")).status_code == 403
    assert client.post(url("search"), {"q": "户主"}).status_code == 403
    assert url("search") not in html  # no search link in their menu


def test_department_home_has_no_household_rows(login, county):
    response = login(county["accounts"]["department"]).get(url("home"))
    assert list(response.context["page"].object_list) == []
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["home", "region", "household", "search", "login"])
def test_pages_are_not_stored_by_browsers(login, county, name):
    client = login(county["accounts"]["county_admin"])
    args = {"region": (county["county"].pk,), "household": (county["households"][0].pk,)}.get(name, ())
    response = client.get(url(name, *args))
    assert response["Cache-Control"] == "no-store"


def test_static_assets_come_from_the_package(client, county):
    for path in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/echarts/echarts.min.js", "/static/web/site.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 1000
