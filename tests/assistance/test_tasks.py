"""Task completion with evidence (photo checks), the 4+4 templates, overdue lists, who sees which tasks."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuopin.apps.accounts.scoping import tasks_visible_to, visits_visible_to
from tuopin.apps.assistance.evidence import MAX_PHOTO_BYTES
from tuopin.apps.assistance.models import Task, TaskEvidence, TaskStatus
from tuopin.apps.assistance.selectors import overdue_tasks, task_counts_on
from tuopin.apps.assistance.tasks import task_complete, task_create, tasks_generate_templates

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
GIF = b"GIF89a" + b"\x00" * 100


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def task(org):
    h1 = org["households"][0]
    return task_create(kind="other", title="整修院墙", household=h1, owner_cadre=org["cadre"],
                       due=timezone.localdate() + dt.timedelta(days=7), by=org["accounts"]["county_admin"])


def test_completion_with_a_jpeg_photo_stores_it_under_media_root(org, task, media):
    done = task_complete(task=task, by=org["accounts"]["cadre"], text="已整修",
                         photo=SimpleUploadedFile("wall.jpg", JPEG, content_type="image/jpeg"))
    assert done.status == TaskStatus.DONE and done.closed_on == timezone.localdate()
    evidence = TaskEvidence.objects.get(task=task)
    assert evidence.photo.name.startswith("tasks/") and evidence.photo.name.endswith(".jpg")
    assert "wall" not in evidence.photo.name  # the server names the file
    assert (media / evidence.photo.name).read_bytes() == JPEG
    assert [e.kind for e in done.events.all()] == ["opened", "completed"]


def test_png_accepted_by_its_bytes_whatever_its_name(org, task):
    task_complete(task=task, by=org["accounts"]["cadre"], photo=SimpleUploadedFile("x.jpg", PNG))
    assert TaskEvidence.objects.get(task=task).photo.name.endswith(".png")


@pytest.mark.parametrize("content, name", [(GIF, "a.gif"), (b"<script>alert(1)</script>", "photo.jpg"),
                                           (b"%PDF-1.4", "photo.png"), (b"", "empty.jpg")])
def test_anything_but_jpeg_or_png_is_refused(org, task, content, name):
    with pytest.raises(ValidationError):
        task_complete(task=task, by=org["accounts"]["cadre"], text="x",
                      photo=SimpleUploadedFile(name, content, content_type="image/jpeg"))
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and not TaskEvidence.objects.exists()


def test_a_photo_over_5_mb_is_refused(org, task):
    big = JPEG + b"\x00" * (MAX_PHOTO_BYTES - len(JPEG) + 1)
    with pytest.raises(ValidationError, match="5 MB"):
        task_complete(task=task, by=org["accounts"]["cadre"], photo=SimpleUploadedFile("big.jpg", big))
    # Exactly 5 MB passes; a stream without a size is read only one byte past the limit.
    just = JPEG + b"\x00" * (MAX_PHOTO_BYTES - len(JPEG))
    task_complete(task=task, by=org["accounts"]["cadre"], photo=io.BytesIO(just))


def test_completion_needs_evidence_and_the_right_person(org, task):
    with pytest.raises(ValidationError):
        task_complete(task=task, by=org["accounts"]["cadre"], text="  ")
    for other in ("zhao", "department", "evaluator", "other_commander"):
        with pytest.raises(PermissionDenied):
            task_complete(task=task, by=org["accounts"][other], text="done")
    task_complete(task=task, by=org["accounts"]["cadre"], text="done")
    with pytest.raises(ValidationError):
        task_complete(task=task, by=org["accounts"]["cadre"], text="again")


def test_overdue_lists(org, task):
    today = timezone.localdate()
    Task.objects.filter(pk=task.pk).update(due=today - dt.timedelta(days=1))
    task.events.update(at=timezone.now() - dt.timedelta(days=3))  # opened three days ago
    assert list(overdue_tasks()) == [task]
    assert task_counts_on(today) == {"open": 1, "overdue": 1}
    assert not overdue_tasks(on=today - dt.timedelta(days=1)).exists()  # due that day: not yet overdue
    task_complete(task=task, by=org["accounts"]["cadre"], text="done")
    assert not overdue_tasks().exists()
    # Yesterday, from the history, it was still open (and not yet overdue); four days ago it did not exist.
    assert task_counts_on(today - dt.timedelta(days=1)) == {"open": 1, "overdue": 0}
    assert task_counts_on(today - dt.timedelta(days=4)) == {"open": 0, "overdue": 0}


def test_four_plus_four_per_pairing_once(org):
    admin = org["accounts"]["county_admin"]
    counts = tasks_generate_templates(year=2018, by=admin)
    # 3 unit–village pairings and 3 cadre–household pairings (h1, h2, h4; h3 is not registered)
    assert counts == {"unit4": 3 * 4, "cadre4": 3 * 4}
    cadre_tasks = Task.objects.filter(kind="cadre4", owner_cadre=org["zhao"])
    assert sorted(cadre_tasks.values_list("template", flat=True)) == ["courtyard_economy", "fences",
                                                                       "house_interior", "hygiene"]
    assert {t.due for t in cadre_tasks} == {dt.date(2018, 12, 31)}
    assert set(Task.objects.filter(kind="unit4", owner_unit=org["paired_unit"]).values_list("template", flat=True)) \
        == {"collective_economy", "industry", "infrastructure", "livelihood"}
    assert tasks_generate_templates(year=2018, by=admin) == {"unit4": 0, "cadre4": 0}
    assert Task.objects.count() == 24


def test_who_sees_which_tasks(org):
    tasks_generate_templates(year=2018, by=org["accounts"]["county_admin"])
    a = org["accounts"]
    v1, v2, v3 = org["villages"]

    def villages(user):
        return {t.village.name for t in tasks_visible_to(user)}

    assert tasks_visible_to(a["county_admin"]).count() == 24
    assert villages(a["commander"]) == {v1.name, v2.name}
    assert villages(a["first_secretary"]) == {v1.name}
    mine = tasks_visible_to(a["cadre"])
    assert {t.household for t in mine} == {org["households"][0]} and mine.count() == 4
    for role in ("department", "evaluator", "system_admin", "security_admin", "audit_admin"):
        assert not tasks_visible_to(a[role]).exists(), role
        assert not visits_visible_to(a[role]).exists(), role
