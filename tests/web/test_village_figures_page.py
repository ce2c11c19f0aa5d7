"""The county office uploads a year's village figures on a page (decision 1236): the command's service, all or
nothing, each problem with its row, column, value and reason in Chinese; other roles are refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web.conftest import url
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import VillageYear

pytestmark = pytest.mark.django_db
HEADER = "乡,行政村,农村户籍人口,户数,标准化卫生室,合格村医,通硬化路,安全饮水,村集体经济收入\n"


def upload(client, body, year=2019, header=HEADER, name="figures.csv"):
    return client.post(url("village_figures"), {
        "year": year, "file": SimpleUploadedFile(name, (header + body).encode("utf-8"), "text/csv")})


def test_the_county_office_uploads_the_figures_from_the_village_exit_tab(login, county):
    client = login(county["accounts"]["county_admin"])
    assert url("village_figures") in client.get(url("village_exits") + "?year=2018").content.decode()
    response = upload(client, "镇赉镇,西岗村,620,200,是,是,是,是,\"52,000.50\"\n建平乡,建平村,410,130,否,否,是,是,0\n")
    assert response.status_code == 302 and response["Location"] == url("village_exits") + "?year=2019"
    west = VillageYear.objects.get(village=county["villages"][0], year=2019)
    assert (west.population, west.households, west.collective_income_fen) == (620, 200, 5200050)
    event = AuditEvent.objects.get(action="village_figures_load")
    assert event.source == "web" and event.batch["created"] == 2
    template = client.get(url("village_figures_template") + "?year=2019").content.decode("utf-8-sig")
    assert f"{county['villages'][0].code},镇赉镇,西岗村,620,200,是,是,是,是,52000.50" in template
    # The template goes back in as it came out: nothing changes.
    response = client.post(url("village_figures"), {"year": 2019, "file": SimpleUploadedFile(
        "t.csv", template.encode("utf-8"), "text/csv")})
    assert response.status_code == 302, response.context["problems"]
    west.refresh_from_db()
    assert west.version == 1


def test_a_bad_file_lists_every_problem_in_chinese_and_writes_nothing(login, county):
    client = login(county["accounts"]["county_admin"])
    response = upload(client, "镇赉镇,西岗村,六百,200,是,是,是,也许,0\n镇赉镇,没有村,5,1,是,是,是,是,0\n")
    assert response.status_code == 200 and not VillageYear.objects.filter(year=2019).exists()
    problems = [(p.row, p.column) for p in response.context["problems"]]
    assert problems == [(2, "农村户籍人口"), (2, "安全饮水"), (3, "行政村")]
    text = response.content.decode()
    assert "不是整数" in text or "整数" in text
    assert "未写入" in text
    response = client.post(url("village_figures"), {"year": 2019, "file": SimpleUploadedFile(
        "gbk.csv", (HEADER + "镇赉镇,西岗村,600,1,是,是,是,是,0\n").encode("gbk"), "text/csv")})
    assert response.context["problems"][0].row == 1 and "UTF-8" in response.context["problems"][0].reason


def test_only_the_county_office_loads_figures(login, county):
    for role in ("commander", "first_secretary", "cadre", "evaluator", "department"):
        client = login(county["accounts"][role])
        assert client.get(url("village_figures")).status_code == 403
        assert upload(client, "镇赉镇,西岗村,620,200,是,是,是,是,0\n").status_code == 403
        assert client.get(url("village_figures_template")).status_code == 403
    assert not VillageYear.objects.filter(year=2019).exists()
    page = login(county["accounts"]["commander"]).get(url("village_exits") + "?year=2018").content.decode()
    assert url("village_figures") not in page
