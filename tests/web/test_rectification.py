"""The rectification pages: made by hand and routed, seen by its owner on /tasks/, listed by source and status,
reopened; a commander works only in its zone; other roles have no such pages."""

import datetime as dt

import pytest

from tests.web.conftest import url
from tuopin.apps.assistance import rectification
from tuopin.apps.assistance.models import Task

pytestmark = pytest.mark.django_db


def test_the_county_office_makes_an_item_its_owner_sees(login, org):
    h1 = org["households"][0]
    admin = login(org["accounts"]["county_admin"])
    response = admin.post(url("rectification_new"), {"household": h1.number, "title": "补齐帮扶手册",
                                                      "detail": "评估时缺少2018年收入台账", "due": ""})
    task = Task.objects.get(title="补齐帮扶手册")
    assert response.status_code == 302 and response["Location"] == url("task", task.pk)
    assert (task.kind, task.owner_cadre, task.rectification.source) == ("rectification", org["cadre"], "manual")
    assert task.due == dt.date.today() + dt.timedelta(days=30)  # the routing table's time limit
    cadre = login(org["accounts"]["cadre"])
    assert "补齐帮扶手册" in cadre.get(url("tasks")).content.decode()
    assert cadre.get(url("task", task.pk)).status_code == 200


def test_a_village_item_and_bad_input(login, org):
    v3 = org["villages"][2]
    admin = login(org["accounts"]["county_admin"])
    assert admin.post(url("rectification_new"), {"title": "无村无户"}).status_code == 400
    assert admin.post(url("rectification_new"), {"household": "999", "title": "x"}).status_code == 400
    assert admin.post(url("rectification_new"), {"village": v3.pk, "title": "村部公示栏更新"}).status_code == 302
    assert Task.objects.get(title="村部公示栏更新").owner_unit == org["other_unit"]


def test_a_commander_works_in_its_zone_only(login, org):
    h1, _h2, _h3, h4 = org["households"]
    commander = login(org["accounts"]["commander"])
    response = commander.post(url("rectification_new"), {"household": h4.number, "title": "越界"})
    assert response.status_code == 400 and "您的范围内没有该户编号" in response.content.decode()
    assert commander.post(url("rectification_new"), {"household": h1.number, "title": "本区"}).status_code == 302
    other = rectification.rectification_create(title="建平村事项", household=h4, by=org["accounts"]["county_admin"])
    Task.objects.filter(pk=other.pk).update(status="done")
    assert "建平村事项" not in commander.get(url("rectification_list")).content.decode()
    assert commander.post(url("rectification_reopen", other.pk), {"note": "x", "version": 1}).status_code == 404


@pytest.mark.parametrize("role", ["cadre", "first_secretary", "department", "evaluator"])
def test_other_roles_have_no_rectification_pages(login, org, role):
    client = login(org["accounts"][role])
    assert client.get(url("rectification_list")).status_code == 403
    assert client.get(url("rectification_new")).status_code == 403


def test_the_list_by_source_and_status_and_reopening(login, org):
    h1, h2 = org["households"][:2]
    admin_account = org["accounts"]["county_admin"]
    done = rectification.rectification_create(title="已整改事项", household=h1, by=admin_account)
    Task.objects.filter(pk=done.pk).update(status="done", closed_on=dt.date.today())
    rectification.rectification_create(title="待整改事项", household=h2, by=admin_account)
    admin = login(admin_account)
    page = admin.get(url("rectification_list"), {"status": "done"}).content.decode()
    assert "已整改事项" in page and "待整改事项" not in page
    assert "待整改事项" not in admin.get(url("rectification_list"), {"source": "finding"}).content.decode()
    response = admin.post(url("rectification_reopen", done.pk), {"note": "复查未完成", "version": done.version})
    assert response.status_code == 302
    done.refresh_from_db()
    assert done.status == "open" and done.events.last().note == "复查未完成"
