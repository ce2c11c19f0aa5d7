"""Edit pages: money in yuan, stored in fen; stale versions refused; every edit audited; errors by the field."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.web.conftest import url
from tuopin.apps.accounts.models import User
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.selectors import as_row
from tuopin.apps.registry import services
from tuopin.apps.registry.models import HouseholdYear, Person
from tuopin.common import idnumber
from tuopin.web.form_errors import add_errors
from tuopin.web.forms import HouseholdYearForm

pytestmark = pytest.mark.django_db


def year_form_data(record: HouseholdYear, **changes) -> dict:
    """What the edit page would post back unchanged, plus `changes`."""
    form = HouseholdYearForm(instance=record, user=User.objects.get(username="county_admin"))
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if getattr(field.widget, "input_type", "") == "checkbox":
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else str(value)
    data.update({k: str(v) for k, v in changes.items()})
    return data


def test_yearly_record_edit_in_yuan_is_stored_in_fen_and_audited(login, county):
    admin = county["accounts"]["county_admin"]
    record = county["households"][0].years.get()
    old = record.wage_income_fen
    response = login(admin).post(url("household_year_edit", record.pk), year_form_data(record, wage_income_yuan="12345.67"))
    assert response.status_code == 302 and response["Location"] == url("household", record.household_id)
    record.refresh_from_db()
    assert record.wage_income_fen == 1234567 and record.version == 2 and record.updated_by == admin
    assert record.per_capita_net_income_fen == 1234567 // 2
    event = AuditEvent.objects.get(action="update", entity="registry.householdyear")
    assert event.actor == admin and event.entity_id == str(record.pk) and event.source == "web"
    assert event.changes["wage_income_fen"] == [old, 1234567]
    assert event.changes["per_capita_net_income_fen"] == [old // 2, 1234567 // 2]
    page = login(admin).get(url("household", record.household_id)).content.decode()
    assert "12,345.67" in page


def test_stale_version_shows_the_message_and_changes_nothing(login, county):
    admin, commander = county["accounts"]["county_admin"], county["accounts"]["commander"]
    record = county["households"][0].years.get()
    stale = year_form_data(record, wage_income_yuan="999.00")  # read at version 1
    services.household_year_update(record=record, version=1, by=commander, wage_income_fen=700000)
    response = login(admin).post(url("household_year_edit", record.pk), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "未保存" in html and "commander" in html and "第 1 版" in html
    record.refresh_from_db()
    assert record.wage_income_fen == 700000 and record.version == 2
    assert AuditEvent.objects.filter(entity="registry.householdyear", action="update").count() == 1  # the commander's


def test_invalid_values_are_shown_next_to_their_fields(login, county):
    record = county["households"][0].years.get()
    response = login(county["accounts"]["county_admin"]).post(
        url("household_year_edit", record.pk), year_form_data(record, wage_income_yuan="-5", members="0"))
    form = response.context["form"]
    assert set(form.errors) == {"wage_income_yuan", "members"}
    record.refresh_from_db()
    assert record.version == 1


def test_service_errors_land_on_the_yuan_field():
    record = HouseholdYear(members=1, version=1)
    user = type("U", (), {"may_see_id_numbers": True})()
    form = HouseholdYearForm({"version": "1"}, instance=record, user=user)
    form.is_valid()
    add_errors(form, ValidationError({"wage_income_fen": "an income line cannot be negative",
                                   "elsewhere": "refused"}))
    assert form.errors["wage_income_yuan"][-1] == "an income line cannot be negative"
    assert "refused" in form.non_field_errors()


def test_household_edit_by_cadre(login, county):
    cadre = county["accounts"]["cadre"]
    hh = county["households"][0]
    data = {"version": "1", "attribute": "04", "primary_cause": "1", "other_causes": ["5", "8"], "phone": "",
            "address": "西岗村三组", "cultivated_land_mu": "12.5", "housing_area_m2": "60"}
    response = login(cadre).post(url("household_edit", hh.pk), data)
    assert response.status_code == 302
    hh.refresh_from_db()
    assert (hh.attribute, hh.other_causes, hh.address, hh.cultivated_land_mu) == ("04", "5,8", "西岗村三组", Decimal("12.5"))
    event = AuditEvent.objects.get(entity="registry.household", action="update")
    assert event.changes["other_causes"] == ["", "5,8"] and event.actor == cadre
    assert "phone" not in event.changes  # the empty phone field kept the stored (hidden) value


def person_data(person: Person, **changes) -> dict:
    data = {"version": str(person.version), "name": person.name, "id_number": "", "sex": person.sex,
            "birth_date": person.birth_date.isoformat(), "relation": person.relation, "ethnicity": person.ethnicity,
            "education": person.education, "school_status": person.school_status, "labour_ability": person.labour_ability,
            "work_status": person.work_status, "work_months": str(person.work_months), "phone": ""}
    data.update(changes)
    return data


def test_person_form_never_shows_a_hidden_id_number(login, county):
    person = county["households"][0].members.first()
    person.phone = "13812345678"
    person.save()
    client = login(county["accounts"]["commander"])
    html = client.get(url("person_edit", person.pk)).content.decode()
    assert person.id_number not in html and "13812345678" not in html and "138****5678" in html
    assert person.birth_date.isoformat() not in html  # the number's hidden digits (decision 1110)
    assert 'name="birth_date" value="1970-**-**"' in html and "disabled" in html.split('name="birth_date"')[1][:80]
    response = client.post(url("person_edit", person.pk), person_data(person, work_months="6"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.work_months == 6 and person.phone == "13812345678"
    assert person.id_number == idnumber.parse(person.id_number).value


def test_a_masked_editor_changes_the_birth_date_only_through_the_id_number(login, county):
    person = county["households"][0].members.first()
    client = login(county["accounts"]["commander"])
    # A birth date sent anyway is ignored, right or wrong: no answer may tell whether it was right.
    for sent in ("1999-01-01", person.birth_date.isoformat()):
        response = client.post(url("person_edit", person.pk), person_data(person, birth_date=sent, work_months="3"))
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.birth_date == dt.date(1970, 5, 1)
    # A corrected ID number brings its birth date, and the edit is audited with both.
    new_id = idnumber.make("220821", dt.date(1971, 8, 9), 77, person.sex)
    response = client.post(url("person_edit", person.pk), person_data(person, id_number=new_id))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.birth_date) == (new_id, dt.date(1971, 8, 9))
    event = AuditEvent.objects.filter(entity="registry.person", action="update").latest("id")
    assert event.changes["birth_date"] == ["1970-05-01", "1971-08-09"]
    # The audit administrator sees that they changed, not their values (decision 1151).
    assert {"birth_date", "id_number"} <= set(as_row(event)["fields"]) and "changes" not in as_row(event)


def test_a_mismatch_never_quotes_the_recorded_birth_date_to_a_masked_editor(county):
    person = county["households"][0].members.first()
    other_day = idnumber.make("220821", dt.date(1971, 8, 9), 77, person.sex)
    for user, quoted in ((county["accounts"]["commander"], False), (county["accounts"]["county_admin"], True)):
        with pytest.raises(ValidationError) as err:
            services.person_update(person=person, version=1, by=user, id_number=other_day,
                                   birth_date=person.birth_date)
        # The message quotes the typed number's date to a role that may see ID numbers, and never the recorded one.
        assert "1970-05-01" not in str(err.value) and ("1971-08-09" in str(err.value)) is quoted


def test_a_mismatch_on_the_stored_number_never_quotes_its_date_to_a_masked_editor(county):
    # Editing only the sex checks it against the stored number, whose birth date is the masked part.
    person = county["households"][0].members.first()
    other_sex = "2" if person.sex == "1" else "1"
    with pytest.raises(ValidationError) as err:
        services.person_update(person=person, version=1, by=county["accounts"]["commander"], sex=other_sex,
                               birth_date=dt.date(1970, 5, 2))
    assert "1970-05-01" not in str(err.value) and "05-01" not in str(err.value)


def test_county_admin_sees_and_edits_the_id_number(login, county):
    person = county["households"][0].members.first()
    client = login(county["accounts"]["county_admin"])
    assert person.id_number in client.get(url("person_edit", person.pk)).content.decode()
    # A birth date no factory person has: the factories' sequence numbers cannot make the same number.
    new_id = idnumber.make("220821", dt.date(1971, 8, 9), 77, person.sex)
    response = client.post(url("person_edit", person.pk), person_data(person, id_number=new_id,
                                                                      birth_date="1971-08-09"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.birth_date) == (new_id, dt.date(1971, 8, 9))
    assert AuditEvent.objects.get(entity="registry.person", action="update").changes["id_number"][1] == new_id


def test_id_number_errors_are_explained(login, county):
    person, other = county["households"][0].members.all()[:2]
    client = login(county["accounts"]["county_admin"])
    bad_check = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")
    form = client.post(url("person_edit", person.pk), person_data(person, id_number=bad_check)).context["form"]
    assert form.errors["id_number"] == [f"校验码是 {bad_check[17]}，应为 {person.id_number[17]}，请重新核对号码"]
    taken = person_data(person, id_number=other.id_number, sex=other.sex, birth_date=other.birth_date.isoformat())
    form = client.post(url("person_edit", person.pk), taken).context["form"]
    # The other person is in the editor's scope: named, as the API and the import name them (decision 0008).
    assert form.errors["id_number"] == [f"该身份证号码已被户 {other.household.number} 的 {other.name} 使用"]
    form = client.post(url("person_edit", person.pk), person_data(person, id_number=person.id_number, sex="F")).context["form"]
    assert form.errors["sex"] == ["与身份证号码不符（身份证号码显示为男）"]
    person.refresh_from_db()
    assert person.version == 1


def test_an_id_number_held_outside_the_scope_is_refused_without_naming_anyone(login, county):
    mine = county["households"][0].members.get(sex="M")
    theirs = county["households"][3].members.get(sex="M")  # another township
    client = login(county["accounts"]["commander"])
    data = person_data(mine, id_number=theirs.id_number, birth_date=theirs.birth_date.isoformat())
    form = client.post(url("person_edit", mine.pk), data).context["form"]
    assert form.errors["id_number"] == ["该身份证号码已登记，不能在此录入；请联系县扶贫办核实处理"]
    assert theirs.name not in str(form.errors) and theirs.household.number not in str(form.errors)
    mine.refresh_from_db()
    assert mine.version == 1


def test_person_form_shows_the_birth_date_in_the_date_field(login, county):
    person = county["households"][0].members.first()
    html = login(county["accounts"]["county_admin"]).get(url("person_edit", person.pk)).content.decode()
    assert f'type="date" name="birth_date" value="{person.birth_date.isoformat()}"' in html
