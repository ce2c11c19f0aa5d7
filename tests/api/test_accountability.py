"""/api/tasks/ and /api/visits/: scoped lists and details, a visit by POST, a task completed by POST."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.util import results
from tests.factories import PASSWORD
from tuopin.apps.assistance.models import Task, Visit
from tuopin.apps.assistance.services import task_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_(org):
    def signed_in(name: str) -> APIClient:
        client = APIClient(enforce_csrf_checks=False)
        assert client.login(username=org["accounts"][name].username, password=PASSWORD)
        return client

    return signed_in


@pytest.fixture
def tasks(org):
    h1, h2, _h3, h4 = org["households"]
    by = org["accounts"]["county_admin"]
    today = timezone.localdate()
    mine = task_create(kind="rectification", title="打扫院落", household=h1, owner_cadre=org["cadre"],
                       due=today + dt.timedelta(days=5), by=by)
    late = task_create(kind="rectification", title="修补院墙", household=h1, owner_cadre=org["cadre"],
                       due=today + dt.timedelta(days=5), by=by)
    Task.objects.filter(pk=late.pk).update(due=today - dt.timedelta(days=1))
    zhao = task_create(kind="rectification", title="赵的任务", household=h2, owner_cadre=org["zhao"], by=by)
    far = task_create(kind="rectification", title="建平村任务", household=h4, owner_unit=org["other_unit"], by=by)
    return {"mine": mine, "late": late, "zhao": zhao, "far": far}


def test_task_list_is_scoped_and_filtered(as_, tasks):
    assert {t["title"] for t in results(as_("cadre").get("/api/tasks/"))} == {"打扫院落", "修补院墙"}
    assert {t["title"] for t in results(as_("commander").get("/api/tasks/"))} == {"打扫院落", "修补院墙", "赵的任务"}
    assert [t["title"] for t in results(as_("commander").get("/api/tasks/?overdue=true"))] == ["修补院墙"]
    assert results(as_("evaluator").get("/api/tasks/")) == []
    assert results(as_("system_admin").get("/api/tasks/")) == []
    assert as_("cadre").get(f"/api/tasks/{tasks['zhao'].pk}/").status_code == 404
    detail = as_("cadre").get(f"/api/tasks/{tasks['mine'].pk}/").json()
    assert detail["history"][0]["kind"] == "opened" and detail["overdue"] is False


def test_task_completion_over_the_api(as_, tasks):
    cadre = as_("cadre")
    assert cadre.post(f"/api/tasks/{tasks['mine'].pk}/complete/", {}, format="json").status_code == 400
    response = cadre.post(f"/api/tasks/{tasks['mine'].pk}/complete/", {"text": "已打扫", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert [e["kind"] for e in response.json()["history"]] == ["opened", "completed"]
    assert cadre.post(f"/api/tasks/{tasks['zhao'].pk}/complete/", {"text": "x"}, format="json").status_code == 404
    assert as_("evaluator").post(f"/api/tasks/{tasks['far'].pk}/complete/", {"text": "x"},
                                 format="json").status_code == 404


def test_visit_by_post_with_a_follow_up(as_, org):
    h1, h2 = org["households"][:2]
    body = {"household": h1.pk, "found": "缺少被褥", "follow_ups": [{"title": "送被褥"}]}
    response = as_("cadre").post("/api/visits/", body, format="json")
    assert response.status_code == 201, response.content
    visit = Visit.objects.get(pk=response.json()["id"])
    assert (visit.cadre, visit.on) == (org["cadre"], timezone.localdate())
    assert Task.objects.get(title="送被褥").owner_cadre == org["cadre"]
    assert as_("cadre").post("/api/visits/", {"household": h2.pk}, format="json").status_code == 404
    assert as_("department").post("/api/visits/", {"household": h1.pk}, format="json").status_code == 403
    assert as_("first_secretary").post("/api/visits/", {"household": h2.pk}, format="json").status_code == 400
    ok = as_("first_secretary").post("/api/visits/", {"household": h2.pk, "cadre": org["zhao"].pk}, format="json")
    assert ok.status_code == 201
    assert {v["household"] for v in results(as_("cadre").get("/api/visits/"))} == {h1.pk}
    assert results(as_("department").get("/api/visits/")) == []
    assert as_("cadre").get(f"/api/visits/{ok.json()['id']}/").status_code == 404
