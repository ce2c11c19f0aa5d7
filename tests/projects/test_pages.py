"""The funds and project pages, scoped: the county office sees the county's ledger and every project; a commander
its zone's projects and what reached them; a first secretary its village's projects, read-only, and no ledger;
a department none."""

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tuopin.apps.projects import funds as fs
from tuopin.apps.projects import services as ps

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def paid(books):
    b, admin, on = books, books["admin"], books["on"]
    fs.allocate(by=admin, fund=b["pooled"], project=b["water"], amount_fen=600_000_00, on=on)
    fs.allocate(by=admin, fund=b["central"], project=b["pv"], amount_fen=300_000_00, on=on)
    fs.spend(by=admin, fund=b["pooled"], project=b["water"], amount_fen=100_000_00, on=on)
    ps.project_start(project=b["pv"], by=admin, version=None, on=dt.date(2018, 4, 1))
    return b


def test_the_county_office_sees_the_ledger_and_every_project(paid):
    client = _client(paid["admin"])
    html = client.get("/funds/?year=2018").content.decode()
    assert 'data-figure="amount">1,500,000.00' in html and 'data-figure="allocated">900,000.00' in html
    assert 'data-figure="balance">800,000.00' in html and "funds-import" in html
    html = client.get("/projects/").content.decode()
    assert html.count("data-project=") == 3
    assert client.get("/projects/?kind=pv").content.decode().count("data-project=") == 1
    assert client.get("/projects/?status=under_way").content.decode().count("data-project=") == 1
    township = paid["townships"][1]
    assert client.get(f"/projects/?township={township.pk}").content.decode().count("data-project=") == 1
    page = client.get(f"/projects/{paid['water'].pk}/").content.decode()
    assert 'data-entry="allocation"' in page and 'data-entry="spending"' in page
    template = client.get("/funds/template.xlsx")
    assert template.status_code == 200
    assert "资金分配" in load_workbook(io.BytesIO(template.content)).sheetnames


def test_a_commander_sees_its_zone(paid):
    client = _client(paid["accounts"]["commander"])
    html = client.get("/funds/?year=2018").content.decode()
    assert 'data-figure="amount"' not in html and 'data-figure="allocated">600,000.00' in html
    assert "funds-import" not in html
    assert client.post("/funds/", {}).status_code == 403
    assert client.get("/projects/").content.decode().count("data-project=") == 2
    assert client.get(f"/projects/{paid['pv'].pk}/").status_code == 404  # another zone's
    assert client.get("/funds/template.xlsx").status_code == 403


def test_a_village_sees_its_projects_read_only(paid):
    client = _client(paid["accounts"]["first_secretary"])
    assert client.get("/funds/").status_code == 403
    html = client.get("/projects/").content.decode()
    assert html.count("data-project=") == 1 and f'data-project="{paid["water"].pk}"' in html
    page = client.get(f"/projects/{paid['water'].pk}/").content.decode()
    assert "data-entry=" not in page  # no ledger entries for the village
    village = client.get(f"/regions/{paid['villages'][0].pk}/").content.decode()
    assert "village-projects" in village and paid["water"].name in village


@pytest.mark.parametrize("role", ["department", "cadre", "evaluator"])
def test_others_are_refused(paid, role):
    client = _client(paid["accounts"][role])
    assert client.get("/projects/").status_code == 403
    assert client.get("/funds/").status_code == 403
    assert client.get(f"/projects/{paid['water'].pk}/").status_code == 403


def test_after_exit_funding_flag_links_to_the_ledger():
    from tuopin.apps.monitoring.four_not_removes import Flag
    from tuopin.web.views.after_exit import _links

    from django.utils import translation

    flag = Flag("funding", "220821000000", "", dt.date(2019, 8, 20), None, "cut", year=2020)
    with translation.override("en"):
        assert _links(flag) == [("Funds ledger", "/funds/?year=2020")]




def test_the_api_lists_the_projects_in_scope(paid):
    admin = _client(paid["admin"]).get("/api/projects/").json()
    assert admin["count"] == 3
    assert _client(paid["admin"]).get("/api/projects/?kind=pv").json()["count"] == 1
    detail = _client(paid["admin"]).get(f"/api/projects/{paid['water'].pk}/").json()
    assert detail["budget"] == [{"source": "pooled", "amount_fen": 600_000_00}] and detail["spent_fen"] == 100_000_00
    assert detail["villages"] == [paid["villages"][0].code]
    secretary = _client(paid["accounts"]["first_secretary"])
    assert secretary.get("/api/projects/").json()["count"] == 1
    assert secretary.get(f"/api/projects/{paid['pv'].pk}/").status_code == 404
    assert _client(paid["accounts"]["department"]).get("/api/projects/").status_code == 403


def test_the_county_office_records_on_the_project_page(paid):
    from tuopin.apps.audit.models import AuditEvent
    from tuopin.apps.projects.models import Allocation, Project

    b = paid
    client = _client(b["admin"])
    pv = Project.objects.get(pk=b["pv"].pk)
    page = client.get(f"/projects/{pv.pk}/").content.decode()
    assert 'data-what="check"' in page and 'data-what="entry"' in page and "reverse-form" in page
    post = f"/projects/{pv.pk}/record/"
    client.post(post, {"what": "check", "version": pv.version, "checked_on": "2018-09-20", "checked_by": "县发改局",
                       "passed": "on"})
    pv.refresh_from_db()
    assert pv.status == "completed"
    client.post(post, {"what": "handover", "version": pv.version, "village": b["villages"][2].pk,
                       "on": "2018-10-01", "assets": "500千瓦光伏电站", "value": "3500000"})
    pv.refresh_from_db()
    assert pv.status == "handed_over"
    response = client.post(post, {"what": "entry", "entry": "spend", "fund": b["central"].pk, "amount": "400000",
                                  "on": "2018-10-02"}, follow=True)
    assert "300,000.00" in response.content.decode()  # refused: only 300,000 allocated, the figures shown
    client.post(post, {"what": "entry", "entry": "spend", "fund": b["central"].pk, "amount": "1000.50",
                       "on": "2018-10-02"})
    pv.refresh_from_db()
    assert pv.spent_fen == 1000_50
    allocation = Allocation.objects.get(project=pv)
    response = client.post(post, {"what": "reverse", "entry": "allocation", "entry_id": allocation.pk,
                                  "note": "录入错误"}, follow=True)
    assert "请先冲销支出" in response.content.decode()
    assert AuditEvent.objects.filter(action="project_hand_over").exists()


def test_a_reader_cannot_record(paid):
    client = _client(paid["accounts"]["first_secretary"])
    water = paid["water"]
    page = client.get(f"/projects/{water.pk}/").content.decode()
    assert "project-record" not in page
    assert client.post(f"/projects/{water.pk}/record/", {"what": "start", "version": 1,
                                                          "on": "2018-04-01"}).status_code == 403
    assert client.post(f"/projects/{paid['pv'].pk}/record/", {"what": "start"}).status_code == 404
