"""The pre-filled sheets: what each account may visit, what a sheet holds, and a whole village in a fixed handful of
queries however many households it has (decision 1560)."""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import household
from tuopin.apps.fieldwork.selectors import changes_for, field_households, visit_sheet
from tuopin.apps.fieldwork.services import Answer, visit_submit
from tuopin.apps.monitoring.services import clue_record

from .conftest import ON


def test_a_cadre_sees_only_the_households_it_is_paired_with(field):
    h1, h2 = field["households"][:2]
    assert [s["number"] for s in field_households(field["accounts"]["cadre"], 2018)] == [h1.number]
    assert [s["number"] for s in field_households(field["accounts"]["zhao"], 2018)] == [h2.number]
    assert {s["number"] for s in field_households(field["accounts"]["first_secretary"], 2018)} == {h1.number,
                                                                                                  h2.number}
    assert field_households(field["accounts"]["department"], 2018) == []


def test_a_sheet_holds_what_the_phone_shows_before_the_visit(field):
    h1 = field["households"][0]
    head, child = field["head"], field["child"]
    visit_submit(by=field["accounts"]["cadre"], household=h1, on=ON, client_id=uuid.uuid4(), found="屋顶漏雨",
                 answers=[Answer("income_quarter", 4321)])
    clue_record(by=field["accounts"]["cadre"], household=h1, channel="cadre_visit", on=ON, note="突发大病")
    sheet = visit_sheet(field["accounts"]["cadre"], h1, 2018)
    assert (sheet["number"], sheet["head"], sheet["village"], sheet["year"]) == (h1.number, head.name, "西岗村", 2018)
    members = {m["id"]: m for m in sheet["members"]}
    assert members[child.pk]["age"] == 10 and members[child.pk]["in_school"] is True
    assert head.id_number not in str(sheet) and members[head.pk]["id_number"].count("*") == 8
    assert [t["title"] for t in sheet["tasks"]] == ["整治环境卫生"]
    assert sheet["monitoring"]["stage"] == "clue"
    assert [v["found"] for v in sheet["visits"]] == ["屋顶漏雨"]
    questions = {(q["key"], q["person"]): q for q in sheet["questions"]}
    assert questions[("in_school", child.pk)]["seen"] is True
    assert ("in_school", head.pk) not in questions  # an adult is not asked
    assert questions[("insurance_card", head.pk)]["seen"] is True
    assert ("house_safe", None) not in questions  # an A-grade house
    assert questions[("task:hygiene", None)]["seen"] is False
    assert questions[("income_quarter", None)]["last"] == 4321  # the previous visit's answer


def test_the_gaps_and_the_policies_not_received_come_with_the_sheet(field):
    # h2 has income and housing gaps in 2018 (tests/accountability.py).
    sheet = visit_sheet(field["accounts"]["zhao"], field["households"][1], 2018)
    assert {g["indicator"] for g in sheet["gaps"]} >= {"income", "housing"}
    assert ("house_safe", None) in {(q["key"], q["person"]) for q in sheet["questions"]}
    assert all({"person", "policy", "name"} <= set(p) for p in sheet["policies"])


def _queries(user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        sheets = field_households(user, 2018)
    return len(queries), len(sheets)


def test_a_whole_village_is_a_fixed_handful_of_queries(field):
    user = field["accounts"]["first_secretary"]
    village = field["villages"][0]
    few, n_few = _queries(user)
    for i in range(30):
        household(village, f"2208211002019{i:02d}", members=3)
    many, n_many = _queries(user)
    assert (n_few, n_many) == (2, 32)
    assert many == few and many <= 25  # 5 of the checklist, 6 of each rule run, 5 of the rest


def test_changes_are_seen_by_the_village_they_belong_to(field):
    change = visit_submit(by=field["accounts"]["cadre"], household=field["households"][0], on=ON,
                          client_id=uuid.uuid4(),
                          answers=[Answer("insurance_card", False, person=field["head"].pk)]).proposals[0]
    assert list(changes_for(field["accounts"]["first_secretary"])) == [change]
    assert list(changes_for(field["accounts"]["cadre"])) == [change]
    assert not changes_for(field["accounts"]["zhao"]).exists()
    assert not changes_for(field["accounts"]["department"]).exists()


def _village_of(village, n: int) -> None:
    """n households of three in bulk (a real village's size), each with its 2018 records."""
    import datetime as dt

    from tuopin.apps.registry import choices as c
    from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear
    from tuopin.common import idnumber

    homes = Household.objects.bulk_create(
        Household(number=f"22082110020180{i:04d}", village=village, township=village.parent, is_registered=True,
                  status=c.PovertyStatus.POOR, attribute=c.HouseholdAttribute.GENERAL) for i in range(n))
    HouseholdYear.objects.bulk_create(HouseholdYear(household=h, year=2018, members=3, wage_income_fen=900_000,
                                                    net_income_fen=900_000, per_capita_net_income_fen=300_000)
                                      for h in homes)
    people = []
    for i, h in enumerate(homes):
        for j, (relation, born) in enumerate(((c.Relation.HEAD, 1970), (c.Relation.SPOUSE, 1972), (c.Relation.SON, 2008))):
            birth = dt.date(born, 1, 1) + dt.timedelta(days=i)
            people.append(Person(household=h, number=f"{h.number}{j:03d}", name=f"村民{i}-{j}", sex="M",
                                 birth_date=birth, relation=relation, labour_ability=c.LabourAbility.ORDINARY,
                                 id_number=idnumber.make("220821", birth, j, "M")))
    PersonYear.objects.bulk_create(PersonYear(person=p, year=2018, basic_medical=True,
                                              school_status="20" if p.relation == c.Relation.SON else "")
                                   for p in Person.objects.bulk_create(people))


def test_a_village_of_500_households_is_the_same_handful_of_queries(field, django_assert_max_num_queries):
    _village_of(field["villages"][0], 500)
    with django_assert_max_num_queries(25):
        sheets = field_households(field["accounts"]["first_secretary"], 2018)
    assert len(sheets) == 502
    last = sheets[-1]
    assert len(last["members"]) == 3 and {q["key"] for q in last["questions"]} >= {"in_school", "insurance_card"}
