"""A family not yet in the registry applies for identification (decision 1235): entered all or nothing, its
members' sex and birth date from their ID numbers, its application opened, ID numbers held elsewhere refused
without naming the holder (decision 1103)."""

import datetime as dt

import pytest
from django.utils import timezone

from tuopin.apps.accounts.permissions import Refused
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.id_refusals import ACTION as ID_REFUSED
from tuopin.apps.registry.models import Household, Person
from tuopin.apps.procedures.registration import RegistrationRefused, household_register
from tuopin.apps.registry.validation import ID_TAKEN_ELSEWHERE
from tuopin.common import idnumber

HEAD_ID = idnumber.make("220821", dt.date(1968, 3, 14), 41, "F")
CHILD_ID = idnumber.make("220821", dt.date(2009, 9, 1), 42, "M")


def member(id_number, name="张桂兰", relation=c.Relation.HEAD, **kw):
    return {"name": name, "id_number": id_number, "relation": relation, "ethnicity": c.Ethnicity.HAN,
            "labour_ability": c.LabourAbility.ORDINARY, "work_months": 0, **kw}


def register(county, account="first_secretary", members=None, village=None, **kw):
    today = timezone.localdate()
    return household_register(
        village=village or county["villages"][0], year=today.year, on=today, by=county["accounts"][account],
        household={"primary_cause": "1", "address": "西岗村三组", "phone": ""},
        year_record={"wage_income_fen": 120000, "dibao_fen": 0, "housing_grade": "C", "food_clothing_secure": True},
        members=members if members is not None else [member(HEAD_ID),
                                                     member(CHILD_ID, "李小军", c.Relation.SON)], **kw)


def test_a_family_is_entered_and_its_application_opened(county):
    done = register(county, by_name="张桂兰本人", note="因病致贫，申请纳入")
    hh = done.household
    assert hh.number == "220821100201003"  # the village's code and the next free sequence
    assert hh.status == c.PovertyStatus.NOT_REGISTERED and not hh.is_registered and hh.township == hh.village.parent
    head, child = hh.members.order_by("number")
    assert (head.sex, head.birth_date, head.number) == ("F", dt.date(1968, 3, 14), "220821100201003001")
    assert (child.sex, child.birth_date) == ("M", dt.date(2009, 9, 1))
    year = hh.years.get()
    assert (year.members, year.per_capita_net_income_fen, year.housing_grade) == (2, 60000, "C")
    event = done.event
    assert (event.kind, event.stage, event.household_id) == (c.EventKind.IDENTIFIED, c.Stage.APPLIED, hh.pk)
    assert event.steps.get().by_name == "张桂兰本人"
    actions = set(AuditEvent.objects.filter(actor=county["accounts"]["first_secretary"])
                  .values_list("action", flat=True))
    assert {"register", "create", "identification:applied"} <= actions


def test_every_refusal_is_keyed_to_its_field_and_nothing_is_written(county):
    bad_check = HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")
    before = Household.objects.count(), Person.objects.count()
    with pytest.raises(RegistrationRefused) as err:
        register(county, members=[member(bad_check), member(CHILD_ID, "", c.Relation.SON, disability_grade=2)])
    errors = err.value.message_dict
    assert "check character" in errors["members.0.id_number"][0] or "校验" in errors["members.0.id_number"][0]
    assert set(errors) == {"members.0.id_number", "members.1.name", "members.1.disability_grade"}
    with pytest.raises(RegistrationRefused) as err:
        register(county, members=[member(HEAD_ID, relation=c.Relation.SPOUSE), member(HEAD_ID, "李四")])
    assert "members.1.id_number" in err.value.message_dict
    with pytest.raises(RegistrationRefused) as err:
        register(county, members=[member(CHILD_ID, relation=c.Relation.SON)])
    assert "members" in err.value.message_dict  # no head
    assert (Household.objects.count(), Person.objects.count()) == before


def test_an_id_number_registered_elsewhere_is_refused_without_naming_its_household(county):
    holder = county["households"][3].members.first()  # in the other township: outside the village's reach
    secretary = county["accounts"]["first_secretary"]
    with pytest.raises(RegistrationRefused) as err:
        register(county, members=[member(holder.id_number)])
    message = err.value.message_dict["members.0.id_number"][0]
    assert message == str(ID_TAKEN_ELSEWHERE) and holder.household.number not in message
    assert not Household.objects.filter(number="220821100201003").exists()
    assert AuditEvent.objects.filter(actor=secretary, action=ID_REFUSED).count() == 1  # kept after the rollback


def test_only_the_village_office_and_up_register_and_only_in_their_area(county):
    with pytest.raises(Refused):
        register(county, account="cadre")
    with pytest.raises(RegistrationRefused) as err:
        register(county, village=county["villages"][2])  # the first secretary's is villages[0]
    assert set(err.value.message_dict) == {"village"}
    done = register(county, account="county_admin", village=county["villages"][2])
    assert done.household.number == "220821200201002"


def test_the_county_office_is_told_who_holds_a_number_and_nothing_is_counted(county):
    holder = county["households"][3].members.first()
    admin = county["accounts"]["county_admin"]
    with pytest.raises(RegistrationRefused) as err:
        register(county, account="county_admin", members=[member(holder.id_number)])
    assert holder.household.number in err.value.message_dict["members.0.id_number"][0]
    assert not AuditEvent.objects.filter(actor=admin, action=ID_REFUSED).exists()
