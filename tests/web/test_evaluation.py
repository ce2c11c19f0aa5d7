"""The evaluation round's pages: an account reaches only its county's rounds; the evaluator records findings and
the survey, the county office reads; the export masks ID numbers; a 错退 finding becomes a rectification item."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.factories import account, region
from tests.web.conftest import url
from tuopin.apps.accounts.models import Role
from tuopin.apps.assistance.models import Task
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.evaluation.models import EvaluationRound, SampleKind
from tuopin.apps.evaluation.services import evaluation_round_create
from tuopin.apps.geo.models import Level
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services as registry
from tuopin.apps.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(org):
    """A round of the small county (every village; h1 and h4 exited in 2018) and one of a neighbouring county,
    with its own evaluator."""
    for hh in (org["households"][0], org["households"][3]):
        registry.status_event_record(household=hh, kind=c.EventKind.EXITED, year=2018,
                                     effective_on=dt.date(2018, 12, 1), by=org["accounts"]["county_admin"])
    mine = evaluation_round_create(county=org["county"], data_year=2018, held_in=2019, name="本县评估", by=None,
                                   seed=7, villages=3)
    other_county = region("220822000000", "通榆县", Level.COUNTY, org["county"].parent)
    theirs = EvaluationRound.objects.create(name="邻县评估", held_in=2019, data_year=2018, county=other_county)
    neighbour = account("neighbour_evaluator", Role.EVALUATOR, region=other_county)
    return {**org, "mine": mine, "theirs": theirs, "neighbour": neighbour}


def test_an_evaluator_reaches_only_the_rounds_of_its_county(login, rounds):
    client = login(rounds["accounts"]["evaluator"])
    listing = client.get(url("evaluation_list")).content.decode()
    assert "本县评估" in listing and "邻县评估" not in listing
    assert client.get(url("evaluation_round", rounds["mine"].pk)).status_code == 200
    assert client.get(url("evaluation_round", rounds["theirs"].pk)).status_code == 404
    assert client.get(url("evaluation_export", rounds["theirs"].pk)).status_code == 404
    neighbour = login(rounds["neighbour"])
    assert neighbour.get(url("evaluation_round", rounds["mine"].pk)).status_code == 404
    assert "本县评估" not in neighbour.get(url("evaluation_list")).content.decode()
    sample = rounds["mine"].households.first()
    response = neighbour.post(url("evaluation_finding", rounds["mine"].pk, sample.pk),
                              {f"s{sample.pk}-finding": "ok", f"s{sample.pk}-on": "2019-07-01"})
    assert response.status_code == 404
    sample.refresh_from_db()
    assert sample.finding == ""


@pytest.mark.parametrize("role", ["cadre", "commander", "first_secretary", "department", "audit_admin"])
def test_other_roles_have_no_evaluation_pages(login, rounds, role):
    client = login(rounds["accounts"][role])
    assert client.get(url("evaluation_list")).status_code == 403
    assert client.get(url("evaluation_round", rounds["mine"].pk)).status_code == 404


def test_the_export_masks_id_numbers(login, rounds):
    client = login(rounds["accounts"]["evaluator"])
    response = client.get(url("evaluation_export", rounds["mine"].pk))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "户主身份证号（脱敏）"
    numbers = {r[1]: r for r in rows[1:]}
    assert set(numbers) == {s.household.number for s in rounds["mine"].households.all()}
    for number, row in numbers.items():
        full = Person.objects.get(household__number=number, relation="01").id_number
        assert row[3] != full and row[3][:6] == full[:6] and row[3][-4:] == full[-4:] and "*" in row[3]
        assert full not in repr(rows)
    assert AuditEvent.objects.filter(action="export", entity="evaluation.evaluationround",
                                     entity_id=str(rounds["mine"].pk)).exists()


def test_the_evaluator_records_findings_and_the_survey(login, rounds):
    round_ = rounds["mine"]
    exited = round_.households.filter(kind=SampleKind.EXITED).select_related("household").first()
    client = login(rounds["accounts"]["evaluator"])
    response = client.post(url("evaluation_finding", round_.pk, exited.pk),
                           {f"s{exited.pk}-finding": "wrongly_exited", f"s{exited.pk}-note": "收入靠临时救助",
                            f"s{exited.pk}-on": "2019-07-01", f"s{exited.pk}-version": exited.version})
    assert response.status_code == 302
    exited.refresh_from_db()
    assert (exited.finding, exited.note, exited.checked_on) == ("wrongly_exited", "收入靠临时救助", dt.date(2019, 7, 1))
    assert client.post(url("evaluation_survey", round_.pk), {"surveyed": 40, "approving": 41, "version": 1}).status_code == 400
    assert client.post(url("evaluation_survey", round_.pk), {"surveyed": 40, "approving": 38, "version": 1}).status_code == 302
    page = client.get(url("evaluation_round", round_.pk)).content.decode()
    assert "95.00%" in page  # 群众认可度 38/40
    assert AuditEvent.objects.filter(action="evaluation_finding").count() == 1
    assert AuditEvent.objects.filter(action="evaluation_survey").count() == 1
    # The 错退 finding made a rectification item for the household's pairing cadre.
    item = Task.objects.get(kind="rectification", household=exited.household)
    assert item.rectification.source == "finding" and item.rectification.sample == exited
    assert item.owner_cadre_id is not None and item.status == "open"


def test_the_county_office_reads_but_does_not_record_findings(login, rounds):
    round_ = rounds["mine"]
    client = login(rounds["accounts"]["county_admin"])
    page = client.get(url("evaluation_round", round_.pk)).content.decode()
    assert 'data-rate="recognition"' in page and "finding-form" not in page and "survey-form" not in page
    sample = round_.households.first()
    response = client.post(url("evaluation_finding", round_.pk, sample.pk),
                           {f"s{sample.pk}-finding": "ok", f"s{sample.pk}-on": "2019-07-01"})
    assert response.status_code == 403
    assert client.post(url("evaluation_survey", round_.pk), {"surveyed": 1, "approving": 1}).status_code == 403


def test_the_county_office_draws_a_round_of_standard_sizes(login, org):
    client = login(org["accounts"]["county_admin"])
    response = client.post(url("evaluation_list"), {"name": "2019年自评", "data_year": 2018, "held_in": 2019,
                                                    "seed": 3})
    assert response.status_code == 302
    round_ = EvaluationRound.objects.get(name="2019年自评")
    assert (round_.county, round_.seed, round_.created_by) == (org["county"], 3, org["accounts"]["county_admin"])
    # The standards' 20 villages are more than the county has: every village is drawn.
    assert round_.villages.count() == 3
    assert client.post(url("evaluation_list"), {"name": "x", "data_year": 2019, "held_in": 2018,
                                                "seed": 0}).status_code == 400


def test_a_finding_saved_meanwhile_is_not_overwritten(login, rounds):
    round_ = rounds["mine"]
    sample = round_.households.filter(kind=SampleKind.EXITED).first()
    client = login(rounds["accounts"]["evaluator"])
    body = {f"s{sample.pk}-finding": "ok", f"s{sample.pk}-on": "2019-07-01", f"s{sample.pk}-version": 1}
    assert client.post(url("evaluation_finding", round_.pk, sample.pk), body).status_code == 302
    body[f"s{sample.pk}-finding"] = "wrongly_exited"
    response = client.post(url("evaluation_finding", round_.pk, sample.pk), body)  # read version 1, now 2
    assert response.status_code == 409 and "未保存：evaluator 已于" in response.content.decode()
    sample.refresh_from_db()
    assert (sample.finding, sample.version) == ("ok", 2)
    assert not Task.objects.filter(kind="rectification").exists()
    assert client.post(url("evaluation_survey", round_.pk), {"surveyed": 5, "approving": 5, "version": 1}).status_code == 302
    assert client.post(url("evaluation_survey", round_.pk), {"surveyed": 6, "approving": 6, "version": 1}).status_code == 409
    round_.refresh_from_db()
    assert (round_.surveyed_households, round_.version) == (5, 2)
