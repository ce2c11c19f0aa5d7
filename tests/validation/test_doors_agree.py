"""Property tests: for generated hostile values, the API and the edit pages refuse exactly what the import
refuses, with the same reason, and store nothing when they refuse (decision 1120).

Each example sends one value through the three doors — PATCH /api/household-years/<id>/, /api/persons/<id>/
or /api/households/<id>/; the matching edit page; the import's file checks on a file holding it — and
compares the answers. The strategies are those of the import's hostile tests (tests/exchange), which also
register the hypothesis profiles (`ci`: 25 examples; `make fuzz` runs HYPOTHESIS_PROFILE=fuzz).
"""

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import example, given, strategies as st

from tests.exchange.test_hostile_properties import HOSTILE_TEXT, SAFE_CHARS
from tuopin.apps.registry import validation as V
from tuopin.apps.registry.models import HouseholdYear
from tuopin.common import idnumber

from .doors import COLUMN, HOUSEHOLD_PHONE, PERSON_PHONE, api_verdict, form_verdict, import_verdict, record_state, \
    yuan_text

pytestmark = pytest.mark.django_db

MONEY = sorted(V.MONEY_MAX_YUAN)
INTEGERS = ("members", "renovation_year", "water_litres_per_day", "water_minutes", "water_cut_days")
INT_EDGES = (-1, 0, 1, 12, 30, 31, 366, 367, 1000, 1001, 1440, 1441, 1948, 1949, dt.date.today().year,
             dt.date.today().year + 1, 100_000, 2 ** 31, -(2 ** 31))
# Control characters are not in SAFE_CHARS (an xlsx cannot hold them), but JSON and forms can carry them.
CONTROLS = st.sampled_from(["138\x0012345678", "\x00", "张\x07三", "张\u200b三", "\u202e三张", "a\u2028b"])
TEXT = st.one_of(HOSTILE_TEXT, st.text(SAFE_CHARS, max_size=40), CONTROLS,
                 st.sampled_from(["=1+2", "'=1+2", "+1", "-", "@x", " =x", "'" + "张" * 32, "=" + "张" * 40]))
PHONES = st.one_of(TEXT, st.from_regex(r"1[0-9]{10}", fullmatch=True),
                   st.from_regex(r"\(?0[0-9]{2,3}\)?[ -]?[0-9]{6,9}(-[0-9]{1,7})?", fullmatch=True),
                   st.sampled_from(["13812345678", "+8613812345678", "138 1234 5678", "0436-6234567"]))


@pytest.fixture
def doors(api, login, county):
    admin = county["accounts"]["county_admin"]
    with translation.override("zh-hans"):
        yield api("county_admin"), login(admin), county


def _agree(api_says, form_says, import_says):
    assert api_says == import_says, (api_says, import_says)
    assert form_says == import_says, (form_says, import_says)


@given(field=st.sampled_from(MONEY),
       fen=st.one_of(st.integers(-10 ** 16, 10 ** 16), st.sampled_from([-1, 0, 1, -50_000_000, 10 ** 15])),
       edge=st.sampled_from([None, 0, 1]))
@example(field="production_cost_fen", fen=-50_000_000, edge=None)
@example(field="wage_income_fen", fen=10 ** 15, edge=None)
def test_money_lines(doors, field, fen, edge):
    client, browser, county = doors
    if edge is not None:  # at the line's bound, or one fen above it
        fen = V.MONEY_MAX_YUAN[field] * 100 + edge
    record = HouseholdYear.objects.get(household=county["households"][0], year=2018)
    before = record_state(record)
    says = import_verdict(COLUMN[field], yuan_text(fen))
    _agree(api_verdict(client, record, **{field: fen}), form_verdict(browser, record, field, yuan_text(fen)), says)
    assert record_state(record) == before  # refused or rolled back: the assessment's inputs are unchanged


@given(field=st.sampled_from(INTEGERS), value=st.one_of(st.integers(-10 ** 7, 10 ** 7), st.sampled_from(INT_EDGES)))
@example(field="members", value=100_000)
@example(field="renovation_year", value=1)
def test_whole_numbers_of_the_yearly_record(doors, field, value):
    client, browser, county = doors
    record = HouseholdYear.objects.get(household=county["households"][0], year=2018)
    before = record_state(record)
    says = import_verdict(COLUMN[field], str(value))
    _agree(api_verdict(client, record, **{field: value}), form_verdict(browser, record, field, str(value)), says)
    assert record_state(record) == before


@given(value=PHONES)
@example(value="=1+2")
def test_a_persons_phone(doors, value):
    client, browser, county = doors
    head = county["households"][0].members.order_by("number").first()
    before = record_state(head)
    _agree(api_verdict(client, head, phone=value), form_verdict(browser, head, "phone", value),
           import_verdict(PERSON_PHONE, value))
    assert record_state(head) == before


@given(value=PHONES)
@example(value="=1+2")
def test_a_households_phone(doors, value):
    client, browser, county = doors
    household = county["households"][0]
    before = record_state(household)
    _agree(api_verdict(client, household, phone=value), form_verdict(browser, household, "phone", value),
           import_verdict(HOUSEHOLD_PHONE, value))
    assert record_state(household) == before


@given(field=st.sampled_from(["name", "address"]), value=TEXT)
@example(field="name", value="=HYPERLINK(1)")
def test_names_and_addresses(doors, field, value):
    client, browser, county = doors
    household = county["households"][0]
    record = household.members.order_by("number").first() if field == "name" else household
    before = record_state(record)
    header = "姓名" if field == "name" else "住址"
    _agree(api_verdict(client, record, **{field: value}), form_verdict(browser, record, field, value),
           import_verdict(header, value))
    assert record_state(record) == before


def _valid_ids():
    days = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31))
    return st.builds(lambda birth, n, sex: idnumber.make("220821", birth, n, sex), days, st.integers(0, 99),
                     st.sampled_from("MF"))


def _damaged(pid: str, i: int, ch: str) -> str:
    return pid[:i % 18] + ch + pid[i % 18 + 1:]


ID_NUMBERS = st.one_of(
    HOSTILE_TEXT, st.text(SAFE_CHARS, max_size=24), _valid_ids(),
    st.builds(_damaged, _valid_ids(), st.integers(0, 17), st.sampled_from("0123456789Xx Ａ１")),
    st.builds(lambda pid: "".join(chr(ord(d) + 0xFEE0) if d.isdigit() else d for d in pid), _valid_ids()),
    st.builds(lambda pid: pid[:6] + pid[8:17], _valid_ids()),  # a 15-digit legacy number
)


@given(value=ID_NUMBERS)
@example(value="360426199101010072")
def test_id_numbers(doors, value):
    """The ID number's own reasons agree; a valid number is sent with its sex and birth date, as a clerk would."""
    client, browser, county = doors
    person = county["households"][0].members.order_by("number").first()
    before = record_state(person)
    says = import_verdict("证件号码", value)
    try:
        parsed = idnumber.parse(value)
    except idnumber.IDNumberError:
        extra = {}
    else:
        extra = {"sex": parsed.sex, "birth_date": parsed.birth_date.isoformat()}
    api_says = api_verdict(client, person, id_number=value, **extra)
    person.refresh_from_db()
    data = {"id_number": value, **extra}
    form_says = _form_with(browser, person, data)
    _agree(api_says, form_says, says)
    assert record_state(person) == before


def _form_with(browser, person, data):
    from tests.web.conftest import url
    from tests.web.test_edit import person_data

    from .doors import rolled_back

    with rolled_back():
        response = browser.post(url("person_edit", person.pk), person_data(person, **data))
        if response.status_code == 302:
            return None
        errors = response.context["form"].errors
    return str(errors["id_number"][0]) if "id_number" in errors else f"other: {dict(errors)}"
