"""The page where the village office or the county office enters an applying family (decision 1235): refusals in
Chinese next to their fields, nothing saved until all is right, an ID number held elsewhere refused naming
nobody, and on success the new identification procedure's page."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.web.conftest import url
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, StatusEvent
from tuopin.common import idnumber

pytestmark = pytest.mark.django_db
HEAD_ID = idnumber.make("220821", dt.date(1968, 3, 14), 41, "F")
SON_ID = idnumber.make("220821", dt.date(1995, 9, 1), 42, "M")


def posted(county, head_id=HEAD_ID, son_id=SON_ID, son_name="李小军", village=None, rows=3, **extra):
    today = timezone.localdate()
    data = {"year": today.year, "village": (village or county["villages"][0]).pk, "primary_cause": "1",
            "cultivated_land_mu": "3.5", "housing_area_m2": "45", "housing_grade": "C", "water_litres_per_day": "40",
            "water_quality_ok": "on", "water_minutes": "5", "water_cut_days": "0", "food_clothing_secure": "on",
            "wage_income_yuan": "1800", "dibao_yuan": "", "on": today.isoformat(), "by_name": "张桂兰",
            "member-TOTAL_FORMS": str(rows), "member-INITIAL_FORMS": "1", "member-MIN_NUM_FORMS": "0",
            "member-MAX_NUM_FORMS": "30"}
    rows_data = [("张桂兰", head_id, c.Relation.HEAD), (son_name, son_id, c.Relation.SON)]
    for i in range(rows):
        name, pid, relation = rows_data[i] if i < len(rows_data) else ("", "", "")
        data.update({f"member-{i}-name": name, f"member-{i}-id_number": pid, f"member-{i}-relation": relation,
                     f"member-{i}-ethnicity": c.Ethnicity.HAN, f"member-{i}-labour_ability": c.LabourAbility.ORDINARY,
                     f"member-{i}-work_months": "0"})
    data.update(extra)
    return data


def test_the_first_secretary_enters_a_family_and_lands_on_its_application(login, county):
    client = login(county["accounts"]["first_secretary"])
    page = client.get(url("identification_procedures"))
    assert url("household_register") in page.content.decode()
    assert client.get(url("household_register")).status_code == 200
    response = client.post(url("household_register"), posted(county))
    hh = Household.objects.get(number="220821100201003")
    event = StatusEvent.objects.get(household=hh, kind=c.EventKind.IDENTIFIED)
    assert response.status_code == 302 and response["Location"] == url("procedure_event", event.pk)
    assert event.stage == c.Stage.APPLIED and hh.members.count() == 2
    year = hh.years.get()
    assert (year.wage_income_fen, year.per_capita_net_income_fen, year.housing_grade) == (180000, 90000, "C")
    listed = client.get(url("identification_procedures") + f"?year={event.year}")
    assert event in listed.context["sections"][0]["events"]


def test_refusals_are_in_chinese_by_their_fields_and_nothing_is_saved(login, county):
    client = login(county["accounts"]["first_secretary"])
    wrong = HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")
    before = Household.objects.count()
    response = client.post(url("household_register"), posted(county, head_id=wrong, son_name="", phone="12345"))
    assert response.status_code == 200 and Household.objects.count() == before
    members = response.context["members"]
    assert "校验" in members.forms[0].errors["id_number"][0]
    assert members.forms[1].errors["name"]  # a row in use needs its name
    assert "电话" in response.context["form"].errors["phone"][0]
    assert "未保存任何内容" in response.content.decode()


def test_an_id_number_of_another_area_is_refused_without_saying_where(login, county):
    holder = county["households"][3].members.first()  # the other township's household
    client = login(county["accounts"]["first_secretary"])
    response = client.post(url("household_register"), posted(county, son_id=holder.id_number))
    assert response.status_code == 200
    message = response.context["members"].forms[1].errors["id_number"][0]
    assert "县扶贫办" in message or "扶贫办" in message
    assert holder.household.number not in response.content.decode() and holder.name not in response.content.decode()
    assert not Household.objects.filter(number="220821100201003").exists()


def test_a_pairing_cadre_and_a_department_may_not_register(login, county):
    for role in ("cadre", "department", "evaluator"):
        assert login(county["accounts"][role]).get(url("household_register")).status_code == 403
    client = login(county["accounts"]["first_secretary"])
    response = client.post(url("household_register"), posted(county, village=county["villages"][2]))
    assert response.status_code == 404  # not a village of the first secretary's: absent, as outside households are
    assert not Household.objects.filter(number__startswith=county["villages"][2].code, members__name="李小军").exists()
