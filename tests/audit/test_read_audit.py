"""Reads of personal data leave one `read` event per request with the ids read (decision 1152): household and
person pages, household documents, API lists and details, search; `tuopin export` names what its file holds."""

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from tests.web.conftest import url
from tuopin.apps.audit.context import expand_ranges, id_ranges, serving
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear

pytestmark = pytest.mark.django_db


def _reads():
    return list(AuditEvent.objects.filter(action="read").order_by("id"))


def _ids(event, entity):
    return sorted(expand_ranges(event.batch.get(entity, [])))


def _client(user, address="10.3.3.3"):
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def test_id_ranges_are_short_and_exact():
    ids = [9, 1, 2, 3, 4, 7, 12, 13, 14, 15, 20, 21]
    assert id_ranges(ids) == [[1, 4], 7, 9, [12, 15], 20, 21]
    assert expand_ranges(id_ranges(ids)) == sorted(ids)
    assert id_ranges(range(1, 100_001)) == [[1, 100_000]]


def test_the_household_page_is_one_read_event_with_everything_it_read(county):
    user = county["accounts"]["commander"]
    household = county["households"][0]
    assert _client(user).get(url("household", household.pk)).status_code == 200
    [event] = _reads()
    assert (event.actor, event.entity, event.entity_id, event.source) == (user, "registry.household",
                                                                          str(household.pk), "web")
    assert event.ip_address == "10.3.3.3" and event.summary == f"GET /households/{household.pk}/ → 200"
    assert _ids(event, "registry.household") == [household.pk]
    assert _ids(event, "registry.person") == sorted(household.members.values_list("pk", flat=True))
    assert _ids(event, "registry.householdyear") == sorted(household.years.values_list("pk", flat=True))


def test_the_person_page_and_search_are_recorded(county):
    admin = county["accounts"]["county_admin"]
    person = county["households"][3].members.first()
    client = _client(admin)
    assert client.get(url("person_edit", person.pk)).status_code == 200
    assert client.post(url("search"), {"q": person.id_number}).status_code == 200  # a full ID number read
    edit, search = _reads()
    assert edit.entity == "registry.person" and edit.entity_id == str(person.pk)
    assert person.pk in _ids(search, "registry.person")


def test_the_household_file_pdf_is_recorded_besides_its_export_event(county, download):
    household = county["households"][0]
    response = download(_client(county["accounts"]["county_admin"]), url("household_file_pdf", household.pk))
    assert response.status_code == 200
    # Two requests, each recorded: the page saying the file is being made (it checked the household's scope)
    # and the download.
    waiting, served = _reads()
    assert waiting.entity_id == served.entity_id == str(household.pk)
    assert {waiting.summary[-3:], served.summary[-3:]} == {"202", "200"}
    assert AuditEvent.objects.filter(action="export", entity_id=str(household.pk)).exists()


@pytest.mark.parametrize("endpoint, model, entity", [
    ("households", Household, "registry.household"),
    ("persons", Person, "registry.person"),
    ("household-years", HouseholdYear, "registry.householdyear"),
    ("person-years", PersonYear, "registry.personyear"),
])
def test_api_lists_and_details_are_one_event_per_request(county, endpoint, model, entity):
    client = APIClient(REMOTE_ADDR="10.5.5.5")
    assert client.login(username="commander", password=PASSWORD)
    pages, ids = 0, []
    response = client.get(f"/api/{endpoint}/?limit=2")
    while True:
        assert response.status_code == 200
        pages += 1
        ids += [row["id"] for row in response.json()["results"]]
        following = response.json()["next"]
        if not following:
            break
        response = client.get(following)
    detail = client.get(f"/api/{endpoint}/{ids[0]}/")
    assert detail.status_code == 200
    reads = _reads()
    assert len(reads) == pages + 1  # one event per request, however many rows
    assert all(r.source == "api" and r.ip_address == "10.5.5.5" and r.entity == entity for r in reads)
    listed = sorted({pk for r in reads[:-1] for pk in _ids(r, entity)})
    assert listed == sorted(ids) == sorted(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    assert reads[-1].entity_id == str(ids[0])


def test_out_of_scope_and_pages_without_personal_data_write_no_read(county):
    cadre = county["accounts"]["cadre"]
    client = _client(cadre)
    other = county["households"][3]
    assert client.get(url("household", other.pk)).status_code == 404
    assert client.get("/login/").status_code in (200, 302)
    assert client.get("/api/regions/").status_code == 200
    assert _reads() == []


def test_any_instance_loaded_while_serving_is_collected(county):
    """The collector is filled by the models themselves (select_related and prefetch_related too): a new page or
    endpoint cannot forget it."""
    with serving(address="::1") as collector:
        list(Person.objects.select_related("household").filter(household=county["households"][0]))
        list(Household.objects.filter(pk=county["households"][1].pk).prefetch_related("years"))
    h1, h2 = county["households"][:2]
    assert collector.ids["registry.person"] == set(h1.members.values_list("pk", flat=True))
    assert collector.ids["registry.household"] == {h1.pk, h2.pk}
    assert collector.ids["registry.householdyear"] == set(h2.years.values_list("pk", flat=True))
    list(Household.objects.all())  # outside a context nothing is collected, and nothing fails


def test_tuopin_export_names_the_households_and_persons_in_its_file(county, tmp_path):
    call_command("export", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--year", "2018",
                 "--as", "commander")
    event = AuditEvent.objects.get(action="export", source="cli")
    visible = county["households"][:3]
    assert _ids(event, "registry.household") == sorted(h.pk for h in visible)
    assert _ids(event, "registry.person") == sorted(
        Person.objects.filter(household__in=visible, active=True).values_list("pk", flat=True))
    assert not _reads()  # the export event itself carries the ids: one event for the command


def test_tuopin_export_parquet_too(county, tmp_path):
    call_command("export", "--format", "parquet", "--out", str(tmp_path / "snap"), "--as", "county_admin")
    event = AuditEvent.objects.get(action="export", source="cli")
    assert _ids(event, "registry.household") == sorted(h.pk for h in county["households"])
    assert _ids(event, "registry.person") == sorted(Person.objects.values_list("pk", flat=True))


def test_reads_do_not_move_the_figures_cache_marker_and_it_is_one_index_lookup(county):
    from django.db import connection

    from tuopin.apps.assessment.figures import write_marker
    from tuopin.apps.audit import marker
    from tuopin.apps.audit.services import audit_event

    before = write_marker()
    _client(county["accounts"]["commander"]).get(url("household", county["households"][0].pk))
    audit_event(actor=None, action="login", summary="x")
    assert _reads() and write_marker() == before
    changed = audit_event(actor=None, action="update", summary="a write")
    assert write_marker() == changed.pk
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + marker.query("sqlite"))
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "USING INDEX audit_write_marker" in plan or "USING COVERING INDEX audit_write_marker" in plan


def test_a_read_that_cannot_be_recorded_is_not_shown(county, monkeypatch):
    """Fail closed: if the read event cannot be written (a locked SQLite file past its busy timeout, a lost
    connection), the person gets an error, not the data — for a lock, the "busy, try again" page (1141)."""
    from django.db import OperationalError

    from tuopin.apps.audit import middleware

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(middleware, "audit_read", locked)
    client = Client(raise_request_exception=False)
    client.force_login(county["accounts"]["county_admin"])
    household = county["households"][0]
    response = client.get(url("household", household.pk))
    assert response.status_code == 503 and response["Retry-After"]
    assert household.members.first().name not in response.content.decode()
