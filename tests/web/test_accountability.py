"""The accountability pages: a cadre's households with tasks and visits, recording a visit, completing a task,
the task list's filters and history, the zone board with the veto, and the county board."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.web.conftest import url
from tuopin.apps.assistance.models import Assessment, Task, TaskEvent, Visit
from tuopin.apps.assistance.services import task_create

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _task(org, household, title="修院墙", due=None, cadre=None, unit=None, indicator=""):
    task = task_create(kind="rectification", title=title, household=household,
                       owner_cadre=cadre if unit is None else None, owner_unit=unit,
                       due=due, by=org["accounts"]["county_admin"])
    if indicator:
        Task.objects.filter(pk=task.pk).update(indicator=indicator)
    return task


@pytest.fixture
def work(org):
    h1, h2, _h3, h4 = org["households"]
    today = timezone.localdate()
    mine = _task(org, h1, "打扫院落", due=today + dt.timedelta(days=3), cadre=org["cadre"])
    late = _task(org, h1, "修补院墙", due=today + dt.timedelta(days=1), cadre=org["cadre"], indicator="housing")
    Task.objects.filter(pk=late.pk).update(due=today - dt.timedelta(days=2))
    other = _task(org, h2, "赵的任务", cadre=org["zhao"])
    far = _task(org, h4, "建平村任务", unit=org["other_unit"])
    Visit.objects.create(household=h1, cadre=org["cadre"], on=today - dt.timedelta(days=10), found="屋顶漏雨")
    return {**org, "mine": mine, "late": late, "other": other, "far": far}


def test_cadre_home_shows_cards_with_tasks_and_last_visit(login, work):
    response = login(work["accounts"]["cadre"]).get(url("home"))
    body = response.content.decode()
    cards = response.context["cards"]
    assert [c.household.number for c in cards] == ["220821100201001"]
    assert (cards[0].open_count, cards[0].overdue_count) == (2, 1)
    assert [t.title for t in cards[0].tasks] == ["修补院墙", "打扫院落"]  # soonest due first
    assert cards[0].last_visit.found == "屋顶漏雨"
    assert "赵的任务" not in body and url("visit_record", work["households"][0].pk) in body
    assert response["Cache-Control"] == "no-store"


def test_cadre_records_a_visit_with_a_follow_up(login, work):
    h1 = work["households"][0]
    client = login(work["accounts"]["cadre"])
    assert client.get(url("visit_record", h1.pk)).status_code == 200
    due = timezone.localdate() + dt.timedelta(days=7)
    response = client.post(url("visit_record", h1.pk), {"on": timezone.localdate().isoformat(), "found": "缺少被褥",
                                                        "follow_up": "送被褥", "follow_up_due": due.isoformat()})
    assert response.status_code == 302
    visit = Visit.objects.get(found="缺少被褥")
    assert (visit.household, visit.cadre, visit.created_by) == (h1, work["cadre"], work["accounts"]["cadre"])
    task = Task.objects.get(title="送被褥")
    assert (task.owner_cadre, task.due, task.kind, task.household) == (work["cadre"], due, "visit_followup", h1)


def test_a_future_visit_is_refused_with_the_reason(login, work):
    h1 = work["households"][0]
    future = timezone.localdate() + dt.timedelta(days=3)
    response = login(work["accounts"]["cadre"]).post(url("visit_record", h1.pk), {"on": future.isoformat()})
    assert response.status_code == 400 and not Visit.objects.filter(on=future).exists()


def test_first_secretary_records_a_visit_for_the_paired_cadre(login, work):
    h2 = work["households"][1]
    client = login(work["accounts"]["first_secretary"])
    response = client.post(url("visit_record", h2.pk), {"on": timezone.localdate().isoformat(), "found": "x",
                                                        "cadre": work["zhao"].pk})
    assert response.status_code == 302 and Visit.objects.get(found="x").cadre == work["zhao"]


def test_cadre_completes_a_task_with_text_and_photo(login, work, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(work["accounts"]["cadre"])
    task = work["mine"]
    photo = SimpleUploadedFile("../../etc/x.png", PNG, content_type="image/png")
    response = client.post(url("task_complete", task.pk), {"text": "已打扫", "photo": photo, "version": task.version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    evidence = task.evidence.get()
    assert evidence.text == "已打扫" and evidence.photo.name.endswith(".png") and "etc" not in evidence.photo.name
    page = client.get(url("task", task.pk)).content.decode()
    assert "已打扫" in page and 'data-kind="completed"' in page


def test_completion_needs_evidence_and_refuses_a_fake_photo(login, work, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(work["accounts"]["cadre"])
    assert client.post(url("task_complete", work["mine"].pk), {"text": ""}).status_code == 400
    fake = SimpleUploadedFile("x.png", b"GIF89a....", content_type="image/png")
    assert client.post(url("task_complete", work["mine"].pk), {"photo": fake}).status_code == 400
    work["mine"].refresh_from_db()
    assert work["mine"].status == "open"


def test_task_list_filters_and_scope(login, work):
    client = login(work["accounts"]["commander"])
    titles = lambda r: {t.title for t in r.context["page"].object_list}  # noqa: E731
    assert titles(client.get(url("tasks"))) == {"打扫院落", "修补院墙", "赵的任务"}
    assert titles(client.get(url("tasks"), {"overdue": "on"})) == {"修补院墙"}
    assert titles(client.get(url("tasks"), {"indicator": "housing"})) == {"修补院墙"}
    assert titles(client.get(url("tasks"), {"owner": f"c{work['zhao'].pk}"})) == {"赵的任务"}
    assert titles(client.get(url("tasks"), {"status": "done"})) == set()
    # A cadre: its own tasks only; the task of another cadre's household is 404.
    cadre = login(work["accounts"]["cadre"])
    assert titles(cadre.get(url("tasks"))) == {"打扫院落", "修补院墙"}
    assert cadre.get(url("task", work["other"].pk)).status_code == 404


def test_task_list_puts_the_most_urgent_first(login, work):
    """Overdue first (most overdue at the top), then the nearest due date, open tasks without a date, and the
    closed ones last, however old their due dates (decision 1260)."""
    today = timezone.localdate()
    h1 = work["households"][0]
    older = _task(work, h1, "早已逾期", due=today + dt.timedelta(days=1), cadre=work["cadre"])
    Task.objects.filter(pk=older.pk).update(due=today - dt.timedelta(days=400))
    done = _task(work, h1, "去年已办", due=today + dt.timedelta(days=1), cadre=work["cadre"])
    Task.objects.filter(pk=done.pk).update(due=today - dt.timedelta(days=900), status="done",
                                           closed_on=today - dt.timedelta(days=800))
    undated = _task(work, h1, "无期限", cadre=work["cadre"])
    response = login(work["accounts"]["cadre"]).get(url("tasks"))
    assert [t.title for t in response.context["page"].object_list] == [
        "早已逾期", "修补院墙", "打扫院落", "无期限", "去年已办"]
    body = response.content.decode()
    assert "逾期400天" in body and "逾期2天" in body
    assert "户编号" in body and "户基本信息" not in body  # the column holds the household number
    assert undated.due is None


def test_task_page_shows_its_history(login, work):
    task = work["mine"]
    TaskEvent.objects.create(task=task, kind="handed", at=timezone.now(), by_name="sync", note="新的包保干部")
    body = login(work["accounts"]["county_admin"]).get(url("task", task.pk)).content.decode()
    assert 'data-kind="opened"' in body and 'data-kind="handed"' in body and "新的包保干部" in body


def _assessment(org, unit, score=80):
    return Assessment.objects.create(period="2018", subject_kind="unit", subject_id=unit.pk, score=score,
                                     result="good", computed_result="good")


def test_zone_board_and_veto(login, work):
    paired = _assessment(work, work["paired_unit"])
    elsewhere = _assessment(work, work["other_unit"], score=70)
    client = login(work["accounts"]["commander"])
    t1, t2 = work["townships"]
    assert client.get(url("zone_home")).url == url("zone_board", t1.pk)
    response = client.get(url("zone_board", t1.pk), {"period": "2018"})
    assert [r.name for r in response.context["rows"]] == ["县财政局"]
    assert [(r["owner"], r["overdue"]) for r in response.context["overdue"]] == [("王干部", 1)]
    assert client.get(url("zone_board", t2.pk)).status_code == 404
    # A veto needs a reason; then it caps the result and shows who and why.
    client.post(url("assessment_veto", paired.pk), {"reason": " "})
    paired.refresh_from_db()
    assert not paired.vetoed
    client.post(url("assessment_veto", paired.pk), {"reason": "虚报帮扶成效"})
    paired.refresh_from_db()
    assert (paired.vetoed, paired.result, paired.vetoed_by) == (True, "fail", work["accounts"]["commander"])
    body = client.get(url("zone_board", t1.pk), {"period": "2018"}).content.decode()
    assert "虚报帮扶成效" in body and "commander" in body
    # Another zone's unit: 404, nothing written.
    assert client.post(url("assessment_veto", elsewhere.pk), {"reason": "x"}).status_code == 404
    assert client.post(url("assessment_propose", elsewhere.pk), {"text": "x"}).status_code == 404
    elsewhere.refresh_from_db()
    assert not elsewhere.vetoed and not elsewhere.commander_suggestion


def test_county_board_ranks_and_lists_vetoes(login, work):
    a = _assessment(work, work["paired_unit"], score=90)
    _assessment(work, work["other_unit"], score=70)
    admin = login(work["accounts"]["county_admin"])
    admin.post(url("assessment_veto", a.pk), {"reason": "台账不实"})
    response = admin.get(url("county_board"), {"period": "2018"})
    assert [r["unit"] for r in response.context["units"]] == ["县农业局", "县财政局"]  # the vetoed one last
    assert "台账不实" in response.content.decode()
    assert login(work["accounts"]["commander"]).get(url("county_board")).status_code == 403


def test_county_board_picks_a_period_and_its_counts_agree(login, work, monkeypatch):
    """One period throughout (decision 1261): the picker's year and part, a provisional board for a period nobody
    scored, overdue counts by owner equal to the Overdue column, every row reachable through the pager."""
    from tuopin.web.views import boards

    admin = login(work["accounts"]["county_admin"])
    this_year = timezone.localdate().year
    # Nobody has scored this year: the scores are computed now and say so.
    response = admin.get(url("county_board"), {"year": str(this_year), "part": "Q1"})
    assert response.context["period"] == f"{this_year}Q1" and not response.context["board"].recorded
    body = response.content.decode()
    assert "临时得分" in body and f"{this_year}年第一季度" in body
    response = admin.get(url("county_board"), {"year": str(this_year), "part": ""})
    board = response.context["board"]
    assert response.context["period"] == str(this_year)
    late = {r["key"]: r["overdue"] for r in response.context["overdue"]}
    # The cadre with the task two days overdue: counted once, in the list and in its row alike.
    cadre_row = next(r for r in board.cadres if r["cadre_id"] == work["cadre"].pk)
    assert cadre_row["overdue"] == 1 and late[f"c{work['cadre'].pk}"] == 1
    assert all(late[f"u{r['unit_id']}"] == r["overdue"] for r in board.units if r["overdue"])
    assert all(late[f"c{r['cadre_id']}"] == r["overdue"] for r in board.cadres if r["overdue"])
    assert "得分说明" in response.content.decode()
    # A recorded period: the recorded rows, two units on two pages of one.
    _assessment(work, work["paired_unit"], score=90)
    _assessment(work, work["other_unit"], score=70)
    monkeypatch.setattr(boards, "BOARD_ROWS", 1)
    response = admin.get(url("county_board"), {"period": "2018"})
    assert response.context["board"].recorded and response.context["units"].paginator.count == 2
    body = response.content.decode()
    assert "单位排名（2）" in body and "显示第1–1名" in body and "units_page=2" in body
    second = admin.get(url("county_board"), {"period": "2018", "units_page": "2"})
    assert [r["unit"] for r in second.context["units"]] == ["县农业局"]
    assert "2018年" in second.content.decode()


def test_department_home_is_its_worklist(login, work):
    """The housing department's home: the open housing gaps routed to it, counted, most urgent first."""
    from tuopin.apps.assistance.sync import tasks_sync

    tasks_sync(year=2018, by=work["accounts"]["county_admin"])
    client = login(work["accounts"]["housing_department"])
    response = client.get(url("home"))
    assert response.status_code == 200 and response.templates[0].name == "web/department_home.html"
    work_ = response.context["work"]
    assert work_.indicators == ["housing"] and work_.open_count == 1
    titles = [t.title for t in response.context["page"].object_list]
    assert titles == ["住房为D级危房，尚未改造（住房安全未保障）"]
    body = response.content.decode()
    assert "县住房和城乡建设局：工作清单" in body and "住房安全" in body and "镇赉镇" in body
    assert work["households"][1].number in body
    # The education department (no gap of its domain): an empty worklist that says what it would hold.
    response = login(work["accounts"]["department"]).get(url("home"))
    assert response.context["work"].indicators == ["education"] and response.context["work"].open_count == 0
    assert "义务教育" in response.content.decode()
