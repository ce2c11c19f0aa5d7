"""The security review's findings, each through the three doors: the API, the edit pages and `tuopin import`
refuse it with the same reason, and the household's assessment inputs stay as they were."""

import datetime as dt

import pytest
from django.utils import translation

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry.models import HouseholdYear

from .doors import (
    COLUMN, HOUSEHOLD_PHONE, PERSON_PHONE, api_verdict, counts, form_verdict, import_refusal, record_state, yuan_text,
)

pytestmark = pytest.mark.django_db

FORMULA = "不能以 =、+、-、@ 开头（电子表格会把它当作公式执行）"
YEAR_FINDINGS = [
    # (field, value in the registry's unit — fen for money, the reason every door gives)
    ("production_cost_fen", -500_000 * 100, "不能为负数"),
    ("wage_income_fen", 10 ** 15, "不能超过 10,000,000 元"),
    ("members", 100_000, "必须在 1 到 30 之间"),
    ("renovation_year", 1, f"必须在 1949 到 {dt.date.today().year} 之间"),
]


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _in_file(field, value):
    return yuan_text(value) if field.endswith("_fen") else str(value)


@pytest.mark.parametrize("field,value,reason", YEAR_FINDINGS)
def test_yearly_record_findings_are_refused_alike_through_every_door(api, login, county, tmp_path, field, value,
                                                                     reason):
    h1 = county["households"][0]
    record = HouseholdYear.objects.get(household=h1, year=2018)
    before, audited = record_state(record), AuditEvent.objects.filter(action="update").count()
    admin = county["accounts"]["county_admin"]

    assert api_verdict(api("county_admin"), record, **{field: value}) == reason
    assert form_verdict(login(admin), record, field, _in_file(field, value)) == reason
    assert import_refusal(tmp_path, h1.number, {COLUMN[field]: _in_file(field, value)})[COLUMN[field]] == reason

    assert record_state(record) == before  # income lines, derived income, members, version: as they were
    assert AuditEvent.objects.filter(action="update").count() == audited


def test_the_refused_production_cost_would_have_passed_the_income_test(county):
    """Why the first finding matters: a negative cost adds to the net income the income test reads."""
    record = HouseholdYear(members=2, wage_income_fen=1_440_800, production_cost_fen=-50_000_000)
    record.compute_income()
    assert record.per_capita_net_income_fen == 25_720_400  # 257,204 yuan a head, far above any poverty line


@pytest.mark.parametrize("value", ["=1+2", "'=1+2", "+1+2", "@SUM(1)"])
def test_a_formula_as_a_persons_phone_is_refused_alike(api, login, county, tmp_path, value):
    h1 = county["households"][0]
    head = h1.members.order_by("number").first()
    before, stored = counts(), record_state(head)
    assert api_verdict(api("county_admin"), head, phone=value) == FORMULA
    assert form_verdict(login(county["accounts"]["county_admin"]), head, "phone", value) == FORMULA
    assert import_refusal(tmp_path, h1.number, {PERSON_PHONE: value}, person=head.number)[PERSON_PHONE] == FORMULA
    assert record_state(head) == stored and counts() == before


def test_a_formula_as_a_households_phone_is_refused_alike(api, login, county, tmp_path):
    h1 = county["households"][0]
    before, stored = counts(), record_state(h1)
    assert api_verdict(api("county_admin"), h1, phone="=1+2") == FORMULA
    assert form_verdict(login(county["accounts"]["county_admin"]), h1, "phone", "=1+2") == FORMULA
    assert import_refusal(tmp_path, h1.number, {HOUSEHOLD_PHONE: "=1+2"})[HOUSEHOLD_PHONE] == FORMULA
    assert record_state(h1) == stored and counts() == before


def test_formula_like_names_and_addresses_are_refused_alike(api, login, county, tmp_path):
    h1 = county["households"][0]
    head = h1.members.order_by("number").first()
    admin = county["accounts"]["county_admin"]
    assert api_verdict(api("county_admin"), head, name="=HYPERLINK(1)") == FORMULA
    assert form_verdict(login(admin), head, "name", "=HYPERLINK(1)") == FORMULA
    assert import_refusal(tmp_path, h1.number, {"姓名": "=HYPERLINK(1)"}, person=head.number)["姓名"] == FORMULA
    assert api_verdict(api("county_admin"), h1, address="-2+3") == FORMULA
    assert form_verdict(login(admin), h1, "address", "-2+3") == FORMULA
    assert import_refusal(tmp_path, h1.number, {"住址": "-2+3"})["住址"] == FORMULA


def test_the_service_refuses_what_a_door_forgot(county):
    """The rules sit in the write service: a caller that skips every door is refused all the same."""
    from django.core.exceptions import ValidationError

    from tuopin.apps.registry import services

    record = HouseholdYear.objects.get(household=county["households"][0], year=2018)
    with pytest.raises(ValidationError) as exc:
        services.household_year_update(record=record, version=1, by=county["accounts"]["county_admin"],
                                       production_cost_fen=-50_000_000, members=100_000)
    assert {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()} == {
        "production_cost_fen": ["不能为负数"], "members": ["必须在 1 到 30 之间"]}
    record.refresh_from_db()
    assert (record.version, record.production_cost_fen, record.members) == (1, 0, 2)
