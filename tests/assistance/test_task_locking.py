"""Optimistic locking on tasks (decision 0906): a completion names the version it read; a task changed since —
by a colleague or by the sync — is refused through the service, the page and the API, with who and when, and the
page keeps what the person typed."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tuopin.apps.assistance.models import Task, TaskStatus
from tuopin.apps.assistance.sync import tasks_sync
from tuopin.apps.assistance.tasks import task_complete
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry.services import StaleEdit

YEAR = 2018


@pytest.fixture
def reopened(org):
    """zhao's income task as an old page saw it (version 1), after zhao completed it elsewhere and the sync,
    run by the county administrator, reopened it because the gap is still there."""
    admin, zhao = org["accounts"]["county_admin"], org["accounts"]["zhao"]
    tasks_sync(year=YEAR, by=admin)
    task = Task.objects.get(indicator="income", owner_cadre=org["zhao"])
    assert task.version == 1
    task_complete(task=task, by=zhao, text="介绍到合作社务工", version=1)
    tasks_sync(year=YEAR, by=admin)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.version == 3
    return task


def test_every_version_move_says_who_and_when(org, reopened):
    # The sync's reopening is the last change: the county administrator ran it, just now.
    assert reopened.updated_by == org["accounts"]["county_admin"]
    assert abs((timezone.now() - reopened.updated_at).total_seconds()) < 120


def test_the_service_refuses_a_stale_completion_naming_who_and_when(org, reopened):
    zhao = org["accounts"]["zhao"]
    with pytest.raises(StaleEdit) as refused:
        task_complete(task=reopened, by=zhao, text="旧页面上写的", version=1)
    message = str(refused.value)
    when = timezone.localtime(reopened.updated_at).strftime("%Y-%m-%d %H:%M")
    assert "county_admin" in message and when in message and "第 3 版" in message
    reopened.refresh_from_db()
    assert reopened.status == TaskStatus.OPEN and reopened.version == 3
    assert not reopened.evidence.filter(text="旧页面上写的").exists()
    assert AuditEvent.objects.filter(action="complete", entity_id=str(reopened.pk)).count() == 1  # zhao's first
    # The current version goes through, and moves the version on with its author.
    done = task_complete(task=reopened, by=zhao, text="再次完成", version=3)
    assert (done.status, done.version, done.updated_by) == (TaskStatus.DONE, 4, zhao)


def test_a_colleague_completing_first_is_named(org):
    admin, zhao = org["accounts"]["county_admin"], org["accounts"]["zhao"]
    tasks_sync(year=YEAR, by=admin)
    task = Task.objects.get(indicator="income", owner_cadre=org["zhao"])
    task_complete(task=task, by=zhao, text="先完成", version=1)
    with pytest.raises(StaleEdit, match="zhao"):
        task_complete(task=task, by=org["accounts"]["commander"], text="后完成", version=1)


def test_the_page_refuses_a_stale_completion_and_keeps_the_text(client, org, reopened):
    client.force_login(org["accounts"]["zhao"])
    url = reverse("web:task_complete", args=[reopened.pk])
    response = client.post(url, {"text": "我在旧页面上写的证明", "version": 1})
    assert response.status_code == 409
    body = response.content.decode()
    when = timezone.localtime(reopened.updated_at).strftime("%Y-%m-%d %H:%M")
    assert "county_admin" in body and when in body
    assert "我在旧页面上写的证明" in body  # the person's text is still in the form
    assert 'name="version" value="3"' in body  # submitting again is a deliberate save over version 3
    reopened.refresh_from_db()
    assert (reopened.status, reopened.version) == (TaskStatus.OPEN, 3)
    # The re-shown form saves on purpose.
    assert client.post(url, {"text": "我在旧页面上写的证明", "version": 3}).status_code == 302
    reopened.refresh_from_db()
    assert reopened.status == TaskStatus.DONE and reopened.updated_by == org["accounts"]["zhao"]


def test_the_page_carries_the_version_it_showed(client, org, reopened):
    client.force_login(org["accounts"]["zhao"])
    body = client.get(reverse("web:task", args=[reopened.pk])).content.decode()
    assert 'name="version" value="3"' in body
    # A post without a version (a hand-made form) is not saved.
    assert client.post(reverse("web:task_complete", args=[reopened.pk]), {"text": "x"}).status_code == 400
    reopened.refresh_from_db()
    assert reopened.status == TaskStatus.OPEN


def test_the_api_answers_409_with_who_when_and_the_current_version(org, reopened):
    api = APIClient()
    api.force_authenticate(org["accounts"]["zhao"])
    url = f"/api/tasks/{reopened.pk}/complete/"
    stale = api.post(url, {"text": "旧的", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 3 and "county_admin" in stale.json()["detail"]
    assert api.post(url, {"text": "没有版本"}, format="json").status_code == 400
    detail = api.get(f"/api/tasks/{reopened.pk}/").json()
    assert (detail["version"], detail["updated_by"]) == (3, "county_admin") and detail["updated_at"]
    ok = api.post(url, {"text": "新的", "version": 3}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 4 and ok.json()["updated_by"] == "zhao"
