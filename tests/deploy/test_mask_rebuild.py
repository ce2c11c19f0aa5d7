"""No masked ID number can be rebuilt from what else the same account is shown (decision 1110).

For a commander, a pairing cadre, an evaluator and the audit administrator: every page, API answer, document
and export they receive that carries persons is read; every masked number in it is collected with the facts
beside it (the same row, object or page) and with the facts beside the same masked number anywhere else the
account looked; the test fails when some reading of those facts narrows a number down to the real one
(tests/deploy/rebuild.py). The first tests show the reading does rebuild a number when the birth date is there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.deploy import rebuild
from tuopin.apps.accounts.scoping import households_visible_to, persons_visible_to
from tuopin.apps.evaluation.models import EvaluationRound, SampledHousehold
from tuopin.apps.registry import services
from tuopin.apps.registry.models import Person
from tuopin.common import idnumber
from tuopin.common.masking import birth_date_for_rules, mask_birth_date, mask_id
from tuopin.web.documents import pdf as pdf_module

TODAY = dt.date.today()


# --- the reading itself --------------------------------------------------------------------------------------

def _real(birth: dt.date, sequence: int = 1, sex: str = "M") -> str:
    return idnumber.make("220821", birth, sequence, sex)


def test_a_full_birth_date_beside_the_masked_number_gives_it_back():
    real = _real(dt.date(1970, 5, 1))
    row = {"姓名": "张三", "出生日期": "1970-05-01", "身份证号": mask_id(real), "登记": "2015-10-01"}
    assert rebuild.masked_ids(row) == {mask_id(real)}
    assert real in rebuild.rebuilt(mask_id(real), rebuild.facts(row, today=TODAY))
    # Written any other way, or only in another response about the same number: the same.
    for text in ("1970/05/01", "1970年5月1日", "19700501"):
        assert rebuild.rebuilt(mask_id(real), rebuild.facts({"x": text}, today=TODAY)) == {real}


def test_the_year_alone_leaves_dozens_of_numbers():
    real = _real(dt.date(1970, 5, 1))
    windows = rebuild.facts({"出生日期": mask_birth_date(dt.date(1970, 5, 1)), "birth_year": "1970",
                             "今年满（岁）": str(TODAY.year - 1970)}, today=TODAY)
    assert real not in rebuild.rebuilt(mask_id(real), windows)
    assert len(rebuild.candidates(mask_id(real), dt.date(1970, 1, 1), dt.date(1970, 12, 31))) > 20


def test_an_age_that_changes_on_the_birthday_would_give_the_date_away():
    # Why pages show the age reached this year: the age on the day, with the year, leaves only the days
    # between New Year and today early in the year.
    today, birth = dt.date(2026, 1, 3), dt.date(1970, 1, 2)
    real = _real(birth)
    windows = rebuild.facts({"birth_year": "1970", "age": "56"}, today=today)
    assert real in rebuild.rebuilt(mask_id(real), windows)


def test_a_masked_snapshot_date_leaves_several_numbers_per_mask():
    # The masked snapshot's date: the year and its side of 1 September, the one fact the school-age rule needs.
    for birth in (dt.date(1970, 5, 1), dt.date(2012, 9, 1), dt.date(2012, 9, 2), dt.date(2012, 12, 31)):
        real = _real(birth)
        window = _snapshot_window(birth_date_for_rules(birth, school_age_on=(9, 1)))
        assert window[0] <= birth <= window[1]
        assert len(rebuild.candidates(mask_id(real), *window)) >= 8, birth


# --- what each account receives ------------------------------------------------------------------------------

ROLES = ("commander", "cadre", "evaluator", "audit_admin")
PHONE = "13857926468"  # shown as 138****6468


@pytest.fixture
def registry(county, monkeypatch):
    """The small county, with an evaluation sample, a member who changed ID number (and so birth date) and the
    HTML of every PDF captured as it is handed to WeasyPrint (the text a PDF carries, readable)."""
    h1 = county["households"][0]
    rnd = EvaluationRound.objects.create(name="2019 第三方评估", held_in=2019, data_year=2018, county=county["county"])
    SampledHousehold.objects.create(round=rnd, household=h1)
    member = h1.members.order_by("number").last()
    old_id = member.id_number
    born = dt.date(1981, 11, 23)
    services.person_update(person=member, version=member.version, by=county["accounts"]["county_admin"],
                           id_number=idnumber.make("220821", born, 61, member.sex), birth_date=born)
    county["retired_ids"] = [old_id]
    # Phone numbers everywhere a page may show one: the household's, a member's, the pairing cadre's.
    h1.phone = PHONE
    h1.save()
    h1.members.update(phone=PHONE)
    county["cadre"].phone = PHONE
    county["cadre"].save()
    county["pdf_html"] = pages = []
    real = pdf_module.render_to_string

    def capture(*args, **kwargs):
        pages.append(real(*args, **kwargs))
        return pages[-1]

    monkeypatch.setattr(pdf_module, "render_to_string", capture)
    return county


def _web(client, county, user) -> dict[str, list[dict]]:
    out = {}

    def page(name, response):
        if response.status_code == 200:
            out[name] = rebuild.html_records(response.content.decode())

    page("home", client.get(reverse("web:home")))
    for q in ("户主", "成员"):
        page(f"search {q}", client.post(reverse("web:search"), {"q": q}))
    for household in households_visible_to(user):
        page(f"household {household.number}", client.get(reverse("web:household", args=[household.pk])))
        before = len(county["pdf_html"])
        if client.get(reverse("web:household_file_pdf", args=[household.pk])).status_code == 200:
            out[f"household file {household.number}"] = rebuild.html_records(county["pdf_html"][before])
    for person in persons_visible_to(user):
        page(f"person edit {person.number}", client.get(reverse("web:person_edit", args=[person.pk])))
    if user.role == "audit_admin":
        page("audit trail", client.get(reverse("web:admin_audit")))
    return out


def _api(client, user) -> dict[str, list[dict]]:
    out = {}

    def get(name, url):
        response = client.get(url)
        if response.status_code == 200:
            out[name] = rebuild.json_records(response.json())
            return response.json()

    for listing in ("persons", "households", "person-years"):
        url, n = f"/api/{listing}/", 0
        while url:
            url = (get(f"api {listing} {n}", url) or {}).get("next")
            n += 1
    for person in persons_visible_to(user):
        get(f"api person {person.pk}", f"/api/persons/{person.pk}/")
    for household in households_visible_to(user):
        get(f"api events {household.pk}", f"/api/households/{household.pk}/events/")
    return out


def _snapshot_window(stored: dt.date) -> tuple[dt.date, dt.date]:
    """What a masked snapshot's birth_date says, as docs/data-formats.md documents it: 1 September stands for
    the days up to it, 31 December for those after. Any other day can only be the date itself."""
    if (stored.month, stored.day) == (12, 31):
        return dt.date(stored.year, 9, 2), stored
    if (stored.month, stored.day) == (9, 1):
        return dt.date(stored.year, 1, 1), stored
    return stored, stored


def _exports(user, tmp_path) -> dict[str, list[dict]]:
    out = {}
    if user.role == "audit_admin":
        buffer = io.StringIO()
        call_command("audit", "--json", "--as", user.username, stdout=buffer)
        out["tuopin audit"] = [r for line in buffer.getvalue().splitlines()
                               for r in rebuild.json_records(json.loads(line))]
        return out
    folder = tmp_path / user.username
    call_command("export", "--format", "xlsx", "--out", str(folder / "x.xlsx"), "--as", user.username,
                 stdout=io.StringIO())
    sheet = load_workbook(folder / "x.xlsx", read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    out["export xlsx"] = rebuild.table_records(list(rows[0]), rows[1:])
    call_command("export", "--format", "csv", "--out", str(folder / "x.csv"), "--as", user.username,
                 stdout=io.StringIO())
    rows = list(csv.reader((folder / "x.csv").read_text(encoding="utf-8-sig").splitlines()))
    out["export csv"] = rebuild.table_records(rows[0], rows[1:])
    call_command("export", "--format", "parquet", "--out", str(folder / "snap"), "--as", user.username,
                 stdout=io.StringIO())
    manifest = json.loads((folder / "snap" / "_snapshot.json").read_text())
    assert manifest["masked"]
    for path in sorted((folder / "snap").rglob("*.parquet")):
        table = pq.read_table(path).to_pylist()
        if table and "birth_date" in table[0] and "persons" in path.parts:
            for row in table:
                first, last = _snapshot_window(row["birth_date"])
                row["birth_date"] = f"{first}..{last}"
        if table:
            out[f"parquet {path.relative_to(folder)}"] = rebuild.table_records(list(table[0]),
                                                                               [r.values() for r in table])
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_masked_id_number_can_be_rebuilt(client, registry, tmp_path, role):
    user = registry["accounts"][role]
    assert not user.may_see_id_numbers
    client.force_login(user)
    responses = {**_web(client, registry, user), **_api(client, user), **_exports(user, tmp_path)}
    real_ids = [*Person.objects.values_list("id_number", flat=True), *registry["retired_ids"]]
    real = {mask_id(n): n for n in real_ids}
    assert len(real) == len(real_ids)  # the small county's masks are all different: one real number each

    facts: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))  # masked → response → windows
    for name, records in responses.items():
        text = json.dumps(records, ensure_ascii=False, default=str)
        assert not [n for n in real_ids if n in text], (role, name)  # and no number in full
        assert PHONE[:7] not in text and PHONE[3:] not in text, (role, name)  # nor the hidden digits with others
        for record in records:
            for masked in rebuild.masked_ids(record):
                facts[masked][name] |= rebuild.facts(record, today=dt.date.today())

    # The scan saw what the account sees: the masked number of every person in its scope.
    expected = {mask_id(n) for n in persons_visible_to(user).values_list("id_number", flat=True)}
    assert expected <= set(facts), (role, expected - set(facts))
    if role == "audit_admin":
        # The audit administrator sees which fields changed, never their values (decision 1151): not even the
        # masked form of a number that was replaced.
        assert not {mask_id(n) for n in registry["retired_ids"]} & set(facts)
    else:
        assert "138****6468" in json.dumps(responses, ensure_ascii=False, default=str)
    # Masks of no real number are left out: an 18-digit person number (人编号) masked by mask_text looks the same.
    given_away = {}
    for masked, by_response in facts.items():
        everything = set().union(*by_response.values())
        if masked in real and real[masked] in rebuild.rebuilt(masked, everything):
            alone = [name for name, windows in by_response.items() if real[masked] in rebuild.rebuilt(masked, windows)]
            given_away[masked] = alone or "only together: " + ", ".join(sorted(by_response))
    assert not given_away, (role, given_away)


@pytest.mark.django_db
def test_the_scan_catches_a_page_that_shows_the_birth_date(client, registry, monkeypatch):
    """The same scan over the commander's household page as it was (the full birth date beside the masked
    number): every member's number comes back."""
    monkeypatch.setattr("tuopin.web.templatetags.web.mask_birth_date", lambda value: value.isoformat())
    h1 = registry["households"][0]
    client.force_login(registry["accounts"]["commander"])
    records = rebuild.html_records(client.get(reverse("web:household", args=[h1.pk])).content.decode())
    members = list(h1.members.values_list("id_number", flat=True))
    found = set()
    for record in records:
        for masked in rebuild.masked_ids(record):
            found |= rebuild.rebuilt(masked, rebuild.facts(record, today=dt.date.today()))
    assert set(members) <= found and len(members) == 2
