import pytest
from django.urls import reverse

from tests.accountability import org  # noqa: F401  (the fixture)


@pytest.fixture
def run_jobs(monkeypatch):
    """The document worker in this process: django-tasks' own worker loop takes every waiting job off the queue
    (the database table) and runs it, then returns how many ran. The loop's connection check would close the
    test's open transaction, so it is left out."""
    from django_tasks_db.management.commands import db_worker

    from tuopin.web.documents.workers import run_batch

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return run_batch


@pytest.fixture
def download(run_jobs):
    """GET a document as a browser would: the page saying it is being made (202), the worker, then the file."""

    def _download(client, path):
        response = client.get(path)
        if response.status_code == 202:
            assert response["Refresh"]
            run_jobs()
            response = client.get(path)
        return response

    return _download


@pytest.fixture
def live_county(transactional_db):
    """The small county for live-server (browser) tests: the server thread must see committed rows.

    Household 1 gets two earlier yearly records, a phone number and its identification procedure, so the
    household page (and its screenshot) shows what a real file holds.
    """
    from tests.factories import small_county

    county = small_county()
    _fill_household_file(county["households"][0])
    return county


def _fill_household_file(household):
    import datetime as dt

    from tuopin.apps.registry import choices as c
    from tuopin.apps.registry.models import HouseholdYear, ProcedureStep

    household.phone, household.address = "13912345678", "西岗村二组"
    household.other_causes = "8"
    household.save()
    for year, wage, dibao, grade in ((2016, 360000, 120000, "C"), (2017, 680000, 120000, "B")):
        record = HouseholdYear(household=household, year=year, members=2, wage_income_fen=wage, dibao_fen=dibao,
                               housing_grade=grade, water_litres_per_day=40)
        record.compute_income()
        record.save()
    event = household.events.get()
    for stage, on, by in ((c.Stage.DEMOCRATIC_REVIEW, dt.date(2015, 8, 20), "西岗村民主评议小组"),
                          (c.Stage.PUBLIC_NOTICE, dt.date(2015, 8, 25), "西岗村委会"),
                          (c.Stage.TOWNSHIP_REVIEW, dt.date(2015, 9, 5), "镇赉镇人民政府"),
                          (c.Stage.COUNTY_APPROVAL, dt.date(2015, 9, 20), "镇赉县扶贫开发领导小组"),
                          (c.Stage.ANNOUNCED, dt.date(2015, 10, 1), "镇赉县扶贫办")):
        ProcedureStep.objects.create(event=event, stage=stage, on=on, by_name=by,
                                     ends_on=on + dt.timedelta(days=7) if stage == c.Stage.PUBLIC_NOTICE else None)


@pytest.fixture
def login(client):
    """Log the test client in as one of the county's accounts and return it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


def url(name, *args):
    return reverse(f"web:{name}", args=args)
