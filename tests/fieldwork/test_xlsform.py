"""The XLSForms (decision 1570): built from checklist.toml, accepted by pyxform and by ODK Validate, carrying the
checklist's questions with their conditions, the members as a repeat group, and never an ID number; the command and
the page that give them."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from tuopin.apps.accounts.models import Role
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.fieldwork import checklist, xlsform


def _sheet(content: bytes, name: str) -> list[dict]:
    rows = list(load_workbook(io.BytesIO(content))[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def _bind(xform: str, nodeset: str) -> str:
    match = re.search(rf'<bind nodeset="{re.escape(nodeset)}"[^>]*>', xform)
    assert match, nodeset
    return match.group(0)


@pytest.mark.parametrize("form", xlsform.FORMS)
def test_every_form_converts_with_pyxform(form):
    warnings: list[str] = []
    result = convert(xlsform=xlsform.workbook(form), warnings=warnings, file_type=".xlsx")
    assert f"<h:title>{xlsform.TITLES[form][0]}</h:title>" in result.xform
    assert f'<{xlsform.FORM_IDS[form]} id="{xlsform.FORM_IDS[form]}"' in result.xform
    assert "<instanceID/>" in result.xform  # the idempotency key of each submission
    assert not [w for w in warnings if "label" in w.lower()], warnings


def test_odk_validate_accepts_both_forms():
    # JavaRosa's own parse of the forms (Java 17 is installed for the Spark engine too).
    for form in xlsform.FORMS:
        assert xlsform.xform(form, validate=True)


def test_the_visit_form_carries_the_checklist():
    xform = xlsform.xform("visit")
    root = "/tuopin_visit"
    for name in ("household", "visit_date", "income_quarter", "hardship", "house_safe", "task_fences", "found",
                 "done", "photo", "follow_up", "follow_up_due"):
        assert f'nodeset="{root}/{name}"' in xform, name
    # The member questions sit in a repeat group over the members, each member named.
    assert f'<repeat nodeset="{root}/members">' in xform
    for name in ("name", "in_school", "insurance_card"):
        assert f'nodeset="{root}/members/{name}"' in xform, name
    # Each question is asked under its condition: gates the cadre taps stand for what the registry knows.
    assert "relevant=\" ../if_school_age  = 'yes'\"" in _bind(xform, f"{root}/members/in_school")
    assert f"relevant=\" {root}/if_renovation_due  = 'yes'\"" in _bind(xform, f"{root}/house_safe")
    assert f"relevant=\"selected( {root}/if_tasks , 'fences')\"" in _bind(xform, f"{root}/task_fences")
    assert 'relevant' not in _bind(xform, f"{root}/members/insurance_card")  # asked of every member
    assert 'type="binary"' in _bind(xform, f"{root}/photo") and 'mediatype="image/*"' in xform
    # The household is its number, checked by pattern; no ID number anywhere.
    assert 'constraint="regex(' in _bind(xform, f"{root}/household")
    assert "证件号码" not in xform and "身份证号码" not in xform and "id_number" not in xform


def test_the_household_survey_asks_what_a_survey_can_propose():
    xform = xlsform.xform("household")
    root = "/tuopin_household"
    for name in ("household", "year", "house_safe", "members/name", "members/in_school", "members/insurance_card"):
        assert f'nodeset="{root}/{name}"' in xform, name
    assert f'<repeat nodeset="{root}/members">' in xform
    # A survey writes proposals only: the visit's clue and task questions are not in it.
    for name in ("income_quarter", "hardship", "task_fences", "photo", "visit_date"):
        assert f"{root}/{name}" not in xform, name


def test_labels_in_chinese_and_english():
    survey = _sheet(xlsform.workbook("visit"), "survey")
    by_name = {row["name"]: row for row in survey}
    assert by_name["household"]["label::Chinese (zh)"] == "户编号"
    assert by_name["household"]["label::English (en)"] == "Household number"
    assert by_name["income_quarter"]["label::Chinese (zh)"] == checklist.questions()["income_quarter"].text
    settings = _sheet(xlsform.workbook("visit"), "settings")[0]
    assert settings["default_language"] == "Chinese (zh)" and settings["form_id"] == "tuopin_visit"


def test_the_form_follows_the_checklist(tmp_path, monkeypatch):
    """A question added to checklist.toml is in the next export, under a new version: nothing to keep in step."""
    before = _sheet(xlsform.workbook("visit"), "settings")[0]["version"]
    data = tmp_path / "checklist.toml"
    data.write_text(checklist.DATA.read_text(encoding="utf-8") + '''
[[question]]
key = "water_ok"
text = "饮水方便吗？"
kind = "choice"
choices = ["方便", "不方便"]
per = "household"
when = "always"
checks = ""
on_contradiction = ""
''', encoding="utf-8")
    monkeypatch.setattr(checklist, "DATA", data)
    checklist.load.cache_clear()
    try:
        content = xlsform.workbook("visit")
        assert _sheet(content, "settings")[0]["version"] != before
        assert {"type": "select_one c_water_ok", "name": "water_ok"}.items() <= next(
            r for r in _sheet(content, "survey") if r["name"] == "water_ok").items()
        assert [r["name"] for r in _sheet(content, "choices") if r["list_name"] == "c_water_ok"] == ["方便", "不方便"]
        assert 'nodeset="/tuopin_visit/water_ok"' in xlsform.xform("visit")
    finally:
        checklist.load.cache_clear()


def test_forms_export_command(tmp_path):
    out = tmp_path / "household.xlsx"
    call_command("forms", "export", "--form", "household", "--out", str(out))
    assert "<repeat nodeset=\"/tuopin_household/members\">" in convert(xlsform=str(out)).xform


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_the_download_is_for_those_who_record_visits(client, county, role):
    client.force_login(county["accounts"][role])
    response = client.get(reverse("web:field_form_xlsx", args=["visit"]))
    if role in (Role.COUNTY_ADMIN, Role.COMMANDER, Role.FIRST_SECRETARY, Role.CADRE):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "<repeat" in convert(xlsform=response.content, file_type=".xlsx").xform
        assert AuditEvent.objects.filter(action="export", summary="XLSForm visit").exists()
    else:
        assert response.status_code == 403
    assert client.get("/field/forms/other.xlsx").status_code == 404
