"""Heavy documents as background jobs (decision 1130): asked for, queued once, made by django-tasks' worker,
kept per data version and served from the file — and only ever to an account that passes the view's checks.

These run the real path in this process: the request inserts the job and its task into the database queue,
`run_jobs` runs django-tasks' own worker loop over it, the file is written under DOCUMENTS_DIR, and the next
request serves it. `test_serve.py` runs the same with `tuopin serve` and its worker as separate processes.
"""

import pytest

from tests.web.conftest import url
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.services import audit_event
from tuopin.web.documents import jobs, report_xlsx
from tuopin.web.models import DocumentJob

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def builds(monkeypatch):
    """How many times the workbook was built."""
    made = []
    real = report_xlsx.build

    def counting(*args, **kwargs):
        made.append(args[:2])
        return real(*args, **kwargs)

    monkeypatch.setattr(report_xlsx, "build", counting)
    return made


def tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(queue_name=jobs.QUEUE)


def kept(settings):
    return sorted(p.name for p in settings.DOCUMENTS_DIR.glob("*") if not p.name.startswith("."))


def test_a_document_asked_for_twice_is_made_once(login, county, run_jobs, builds, settings):
    county_url = url("area_report_xlsx", county["county"].pk, 2018)
    office = login(county["accounts"]["county_admin"])
    first = office.get(county_url)
    assert first.status_code == 202 and first["Refresh"] == "2" and first["Content-Type"].startswith("text/html")
    assert office.get(county_url).status_code == 202  # still being made: no second job
    assert DocumentJob.objects.count() == 1 and tasks().count() == 1 and builds == []
    assert not AuditEvent.objects.filter(action="export").exists()  # nothing handed out yet

    assert run_jobs() == 1
    assert kept(settings) == [f"area-report-xlsx-{county['county'].pk}-2018-0-zh-hans-v0.xlsx"]
    one = office.get(county_url)
    two = office.get(county_url)
    assert one.status_code == two.status_code == 200 and one["Content-Type"] == XLSX
    assert one.content == two.content and one.content.startswith(b"PK")
    # Another account allowed to open the county (a department: county-wide by design) gets the same file.
    assert login(county["accounts"]["department"]).get(county_url).content == one.content
    assert len(builds) == 1 and tasks().count() == 1 and run_jobs() == 0
    assert AuditEvent.objects.filter(action="export").count() == 3  # each download is still audited


def test_a_write_makes_a_new_version(login, county, download, builds, settings):
    county_url = url("area_report_xlsx", county["county"].pk, 2018)
    office = login(county["accounts"]["county_admin"])
    assert download(office, county_url).status_code == 200
    assert office.get(county_url).status_code == 200 and len(builds) == 1
    before = kept(settings)

    audit_event(actor=county["accounts"]["county_admin"], action="update", entity="registry.household",
                entity_id=str(county["households"][0].pk), summary="a write")
    assert office.get(county_url).status_code == 202  # the kept file is of the previous version
    assert download(office, county_url).status_code == 200 and len(builds) == 2
    after = kept(settings)
    assert len(after) == 1 and after != before  # the older version's file is gone
    assert list(DocumentJob.objects.values_list("version", flat=True)) == [
        AuditEvent.objects.exclude(action__in=("export", "access_refused")).latest("id").pk]

    # A download is a read: it does not make the next request start again.
    assert office.get(county_url).status_code == 200 and len(builds) == 2


def test_concurrent_requests_share_one_job(login, county, client, monkeypatch, run_jobs):
    """The race made certain: the second request runs to its end after the first has looked for a job and
    found none, so the first one's insert meets the unique constraint and it waits on the second's task."""
    from django.test import Client

    county_url = url("area_report_pdf", county["county"].pk, 2018)
    other = Client()
    other.force_login(county["accounts"]["department"])
    answers, asked = [], []
    real = jobs._existing

    def looked(fields):
        found = real(fields)
        if not asked:  # the first request has looked and found nothing: the second one runs now
            asked.append(True)
            answers.append(other.get(county_url))
        return found

    monkeypatch.setattr(jobs, "_existing", looked)
    first = login(county["accounts"]["county_admin"]).get(county_url)
    assert first.status_code == answers[0].status_code == 202
    assert DocumentJob.objects.count() == 1 and tasks().count() == 1
    monkeypatch.setattr(jobs, "_existing", real)
    assert run_jobs() == 1
    assert client.get(county_url).content == other.get(county_url).content
    assert client.get(county_url).content.startswith(b"%PDF-")


def test_an_account_out_of_scope_never_gets_the_kept_file(login, county, download, settings):
    t1, t2 = county["townships"]
    county_url, t2_url = url("area_report_pdf", county["county"].pk, 2018), url("area_report_xlsx", t2.pk, 2018)
    office = login(county["accounts"]["county_admin"])
    assert download(office, county_url).status_code == 200 and download(office, t2_url).status_code == 200
    assert len(kept(settings)) == 2
    exports = AuditEvent.objects.filter(action="export").count()
    for name, status in (("commander", 404), ("first_secretary", 404), ("cadre", 404), ("system_admin", 404)):
        client = login(county["accounts"][name])
        for path in (county_url, t2_url):
            response = client.get(path)
            assert response.status_code == status, (name, path)
            assert not response.content.startswith((b"%PDF", b"PK"))
    assert AuditEvent.objects.filter(action="export").count() == exports
    assert DocumentJob.objects.count() == 2  # and no job was started for them

    # A household's file depends on who asks: kept per account, never handed to another.
    h1, h2 = county["households"][:2]
    assert download(login(county["accounts"]["commander"]), url("household_file_pdf", h1.pk)).status_code == 200
    cadre = login(county["accounts"]["cadre"])  # paired with h1 only
    assert cadre.get(url("household_file_pdf", h2.pk)).status_code == 404
    assert cadre.get(url("household_file_pdf", h1.pk)).status_code == 202  # its own job, not the commander's file
    assert set(DocumentJob.objects.filter(kind="household-file").values_list("account_id", flat=True)) == {
        county["accounts"]["commander"].pk, county["accounts"]["cadre"].pk}


def test_a_failed_job_is_told_once_then_asked_again(login, county, run_jobs, monkeypatch):
    county_url = url("area_report_xlsx", county["county"].pk, 2018)
    office = login(county["accounts"]["county_admin"])

    real = report_xlsx.build

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(report_xlsx, "build", broken)
    assert office.get(county_url).status_code == 202
    run_jobs()
    failed = office.get(county_url)
    assert failed.status_code == 500 and "Refresh" not in failed
    monkeypatch.setattr(report_xlsx, "build", real)
    assert office.get(county_url).status_code == 202  # a new job
    run_jobs()
    assert office.get(county_url).status_code == 200


def test_a_job_cut_short_by_a_stopped_worker_is_made_again(login, county, run_jobs):
    county_url = url("area_report_xlsx", county["county"].pk, 2018)
    office = login(county["accounts"]["county_admin"])
    assert office.get(county_url).status_code == 202
    tasks().update(status="RUNNING")  # its worker was killed while making it
    assert jobs.forget_unfinished() == 1  # what the workers do when they start again
    assert office.get(county_url).status_code == 202 and tasks().filter(status="READY").count() == 1
    run_jobs()
    assert office.get(county_url).status_code == 200


def test_the_waiting_page_reloads_less_often_the_longer_the_queue(login, county, settings):
    settings.DOCUMENT_JOBS = 1
    t1, t2 = county["townships"]
    office = login(county["accounts"]["county_admin"])
    answers = [office.get(url("area_report_xlsx", pk, 2018)) for pk in (county["county"].pk, t1.pk, t2.pk)]
    assert [a["Refresh"] for a in answers] == ["2", "4", "6"]
    assert "前面还有 2 份文件正在生成或排队" in answers[2].content.decode()
    assert '<meta http-equiv="refresh" content="6">' in answers[2].content.decode()
    settings.DOCUMENT_JOBS = 2  # two made at a time: the queue moves twice as fast
    assert office.get(url("area_report_xlsx", t2.pk, 2018))["Refresh"] == "4"


def test_no_copy_outlives_the_next_write(login, county, download, run_jobs, builds, settings):
    """Kept files hold personal data (a household's file): each is readable by the server's account only, and
    once a newer version is made no file or row of an older version stays — of any document, any account."""
    t1 = county["townships"][0]
    office = login(county["accounts"]["county_admin"])
    assert download(office, url("area_report_xlsx", county["county"].pk, 2018)).status_code == 200
    assert download(office, url("household_file_pdf", county["households"][0].pk)).status_code == 200
    assert {p.stat().st_mode & 0o777 for p in settings.DOCUMENTS_DIR.iterdir()} == {0o600}
    assert office.get(url("area_report_xlsx", t1.pk, 2018)).status_code == 202  # queued before the write

    audit_event(actor=county["accounts"]["county_admin"], action="update", summary="a write")
    version = AuditEvent.objects.get(action="update").pk
    assert run_jobs() == 1 and len(builds) == 1  # the queued one is of the old version: dropped unmade
    assert download(office, url("area_report_xlsx", t1.pk, 2018)).status_code == 200
    assert kept(settings) == [f"area-report-xlsx-{t1.pk}-2018-0-zh-hans-v{version}.xlsx"]
    assert DocumentJob.objects.count() == 1


def test_tuopin_worker_batch_makes_what_is_waiting(login, county, run_jobs, capsys, settings):
    from tuopin import cli

    office = login(county["accounts"]["county_admin"])
    assert office.get(url("area_report_xlsx", county["county"].pk, 2018)).status_code == 202
    assert cli.main(["worker", "--batch"]) == 0
    assert "1 document job(s) run" in capsys.readouterr().out
    assert kept(settings) == [f"area-report-xlsx-{county['county'].pk}-2018-0-zh-hans-v0.xlsx"]
    # Like every `tuopin` command it left a `command` event in the audit trail: a write, so the next request asks
    # for a newer version (decision 1130's consequences).
    assert AuditEvent.objects.filter(action="command").exists()
