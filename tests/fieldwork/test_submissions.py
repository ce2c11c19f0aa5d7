"""Importing XLSForm submissions (decision 1571): Kobo's JSON and XLSX exports and ODK Central's CSV files, each
submission through the phone's services; all or nothing, every problem named by file, row, member row and field;
a re-import stores nothing twice; a household outside the account's reach is refused; hostile files refused."""

from __future__ import annotations

import csv
import datetime as dt
import json
import uuid
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from tuopin.apps.assistance.models import Task, Visit
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.fieldwork.models import ProposedChange
from tuopin.apps.fieldwork.submissions import forms_import

pytestmark = pytest.mark.django_db

H1 = "220821100201001"
HEAD, SPOUSE = f"{H1}户主", f"{H1}成员1"


def _uuid(n: int) -> str:
    return str(uuid.UUID(int=n))


def _visit(n: int, *, household=H1, on="2018-05-01", head_insured="no", income="3000", **extra) -> dict:
    """One submission as KoboToolbox's JSON export gives it."""
    return {"_id": 1000 + n, "_uuid": _uuid(n), "formhub/uuid": "f" * 32, "household": household, "visit_date": on,
            "if_renovation_due": "no", "income_quarter": income, "hardship": "no",
            "members": [{"members/name": HEAD, "members/if_school_age": "no", "members/insurance_card": head_insured},
                        {"members/name": SPOUSE, "members/if_school_age": "no", "members/insurance_card": "yes"}],
            "found": "院子干净", "done": "讲解医保政策", "photo": "1714.jpg", "meta/instanceID": f"uuid:{_uuid(n)}",
            "_submission_time": "2018-05-01T10:00:00", "_attachments": [{"filename": "x/1714.jpg"}], **extra}


def _json(tmp_path, submissions, name="visits.json"):
    path = tmp_path / name
    path.write_text(json.dumps(submissions, ensure_ascii=False), encoding="utf-8")
    return path


def _kobo_xlsx(tmp_path, submissions, name="kobo.xlsx"):
    """KoboToolbox's XLS export: the submissions on the first sheet, the members on a sheet of their own."""
    book = Workbook()
    main = book.active
    main.title = "帮扶走访"
    columns = ["household", "visit_date", "income_quarter", "hardship", "found", "done", "meta/instanceID", "_id",
               "_uuid", "_index"]
    main.append(columns)
    members = book.create_sheet("members")
    members.append(["members/name", "members/if_school_age", "members/insurance_card", "_index", "_parent_index",
                    "_parent_table_name", "_submission__uuid"])
    index = 0
    for i, s in enumerate(submissions, start=1):
        main.append([s.get(c) if c != "_index" else i for c in columns])
        for m in s["members"]:
            index += 1
            members.append([m["members/name"], m["members/if_school_age"], m["members/insurance_card"], index, i,
                            "帮扶走访", s["_uuid"]])
    path = tmp_path / name
    book.save(path)
    return path


def _import(paths, by, form="visit"):
    return forms_import(paths if isinstance(paths, list) else [paths], form=form, by=by)


def test_a_kobo_json_export_is_stored_through_the_visit_service(tmp_path, county):
    cadre = county["accounts"]["cadre"]
    result = _import(_json(tmp_path, [_visit(1)]), cadre)
    assert result.ok, result.problems
    assert result.counts() == {"file": "visits.json", "form": "visit", "submissions": 1, "stored": 1,
                               "duplicates": 0, "proposals": 1, "conflicts": 0}
    visit = Visit.objects.get(client_id=uuid.UUID(_uuid(1)))
    assert (visit.source, visit.on, visit.cadre, visit.found) == ("xlsform", dt.date(2018, 5, 1), county["cadre"],
                                                                   "院子干净")
    head = county["households"][0].members.get(name=HEAD)
    assert {(a["question"], a["person"], a["value"]) for a in visit.answers} >= {
        ("insurance_card", head.pk, False), ("income_quarter", None, 3000), ("hardship", None, False)}
    change = ProposedChange.objects.get()  # the head's "no card" contradicts the registry: a proposal, not a write
    assert (change.person, change.field, change.proposed, change.visit) == (head, "person_year.basic_medical", False,
                                                                           visit)
    assert head.years.get(year=2018).basic_medical is True
    batch = AuditEvent.objects.get(action="fieldwork:import")
    assert batch.actor == cadre and batch.batch["visits"] == [visit.pk] and batch.batch["stored"] == 1


def test_a_re_import_stores_nothing_twice(tmp_path, county):
    cadre = county["accounts"]["cadre"]
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    path = _json(tmp_path, [_visit(1, follow_up="帮办医保卡", follow_up_due=due)])
    assert _import(path, cadre).stored == 1
    counts = (Visit.objects.count(), ProposedChange.objects.count(), Task.objects.count())
    again = _import(path, cadre)
    assert again.ok and (again.stored, again.duplicates, again.proposals) == (0, 1, 0)
    assert (Visit.objects.count(), ProposedChange.objects.count(), Task.objects.count()) == counts
    assert Task.objects.filter(kind="visit_followup", title="帮办医保卡").count() == 1


def test_a_follow_up_due_in_the_past_is_named(tmp_path, county):
    result = _import(_json(tmp_path, [_visit(1, follow_up="帮办医保卡", follow_up_due="2018-06-01")]),
                     county["accounts"]["cadre"])
    assert [(p.row, p.field, p.value) for p in result.problems] == [(1, "follow_up_due", "2018-06-01")]
    assert not Visit.objects.exists()


def test_a_kobo_xlsx_with_its_members_sheet(tmp_path, county):
    cadre = county["accounts"]["cadre"]
    path = _kobo_xlsx(tmp_path, [_visit(1), _visit(2, on="2018-06-01", head_insured="yes")])
    result = _import(path, cadre)
    assert result.ok, result.problems
    assert (result.stored, result.proposals) == (2, 1)
    second = Visit.objects.get(client_id=uuid.UUID(_uuid(2)))
    assert sorted(a["value"] for a in second.answers if a["question"] == "insurance_card") == [True, True]


def test_odk_central_csv_files_joined_by_key(tmp_path, county):
    main, members = tmp_path / "tuopin_visit.csv", tmp_path / "tuopin_visit-members.csv"
    key = f"uuid:{_uuid(7)}"
    with main.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["SubmissionDate", "household", "visit_date", "income_quarter", "hardship", "meta-instanceID",
                      "KEY"])
        out.writerow(["2018-05-02T08:00:00.000Z", H1, "2018-05-01", "3000", "no", key, key])
    with members.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["name", "if_school_age", "insurance_card", "PARENT_KEY", "KEY"])
        out.writerow([HEAD, "no", "yes", key, f"{key}/members[1]"])
    result = _import([main, members], county["accounts"]["cadre"])
    assert result.ok, result.problems
    assert result.stored == 1 and Visit.objects.get(client_id=uuid.UUID(_uuid(7))).source == "xlsform"


def test_a_bad_cell_is_named_and_nothing_is_written(tmp_path, county):
    """The first submission is right, the second has a wrong answer in its second member row and an unknown member:
    each problem names file, sheet, row, member row and field; neither visit is stored."""
    bad = _visit(2)
    bad["members"][1]["members/insurance_card"] = "maybe"
    unknown = _visit(3)
    unknown["members"][0]["members/name"] = "王五"
    path = _kobo_xlsx(tmp_path, [_visit(1), bad, unknown])
    with translation.override("zh-hans"):
        result = _import(path, county["accounts"]["cadre"])
    assert not result.ok and result.stored == 0
    by_row = {p.row: p for p in result.problems}
    assert set(by_row) == {3, 4}
    wrong = by_row[3]
    assert (wrong.file, wrong.sheet, wrong.member_row, wrong.field, wrong.value) == (
        "kobo.xlsx", "members", 5, "insurance_card", "maybe")
    assert "第 3 行" in wrong.line() and "kobo.xlsx" in wrong.line()
    missing = by_row[4]
    assert (missing.sheet, missing.member_row, missing.field, missing.value) == ("members", 6, "name", "王五")
    assert missing.reason == f"户 {H1} 中没有叫这个名字的成员"
    assert not Visit.objects.exists() and not ProposedChange.objects.exists()
    assert not AuditEvent.objects.filter(action="fieldwork:import").exists()


def test_a_json_problem_names_the_submission_and_member(tmp_path, county):
    bad = _visit(2)
    bad["members"][1]["members/insurance_card"] = "maybe"
    future = _visit(3, on="2999-01-01")
    result = _import(_json(tmp_path, [_visit(1), bad, future]), county["accounts"]["cadre"])
    assert [(p.file, p.row, p.member_row, p.field, p.value) for p in result.problems] == [
        ("visits.json", 2, 2, "insurance_card", "maybe"), ("visits.json", 3, None, "visit_date", "2999-01-01")]
    assert not Visit.objects.exists()


def test_a_first_secretary_enters_the_village_s_visits_naming_the_cadre(tmp_path, county):
    """The village's first secretary imports the team's export: each visit is the named cadre's (paired with the
    household on the day), answers written as their labels (是/否) read too; a cadre not paired is named."""
    labelled = _visit(1, cadre="王干部", hardship="否")
    labelled["members"][0]["members/insurance_card"] = "是"
    wrong = _visit(2, cadre="李干部")
    secretary = county["accounts"]["first_secretary"]
    refused = _import(_json(tmp_path, [labelled, wrong]), secretary)
    assert [(p.row, p.field, p.value) for p in refused.problems] == [(2, "cadre", "李干部")]
    result = _import(_json(tmp_path, [labelled], name="one.json"), secretary)
    assert result.ok and (result.stored, result.proposals) == (1, 0)
    visit = Visit.objects.get()
    assert visit.cadre == county["cadre"] and visit.created_by == secretary
    assert {a["value"] for a in visit.answers if a["question"] in ("hardship", "insurance_card")} == {True, False}


def test_a_cadre_cannot_import_a_colleague_s_household(tmp_path, county):
    """h4 is paired with another cadre: the cadre's file naming it is refused as a whole."""
    h4 = county["households"][3]
    with translation.override("zh-hans"):
        result = _import(_json(tmp_path, [_visit(1), _visit(2, household=h4.number)]), county["accounts"]["cadre"])
    assert [(p.row, p.field, p.value, p.reason) for p in result.problems] == [
        (2, "household", h4.number, "您的范围内没有这个户")]
    assert not Visit.objects.exists()


def test_roles_that_record_no_visits_are_refused(tmp_path, county):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _import(_json(tmp_path, [_visit(1)]), county["accounts"]["evaluator"])


def test_a_household_survey(tmp_path, county):
    survey = {"household": H1, "year": "2018", "meta": {"instanceID": f"uuid:{_uuid(9)}"},
              "members": [{"members/name": HEAD, "members/if_school_age": "no", "members/insurance_card": "no"}]}
    path = _json(tmp_path, {"results": [survey]}, name="survey.json")
    first = _import(path, county["accounts"]["first_secretary"], form="household")
    assert first.ok, first.problems
    assert (first.stored, first.proposals) == (1, 1)
    change = ProposedChange.objects.get()
    assert (change.client_id, change.visit, change.source) == (uuid.UUID(_uuid(9)), None, "xlsform")
    again = _import(path, county["accounts"]["first_secretary"], form="household")
    assert (again.stored, again.duplicates) == (0, 1) and ProposedChange.objects.count() == 1
    assert not Visit.objects.exists()


def test_the_wrong_form_s_export_is_refused(tmp_path, county):
    result = _import(_json(tmp_path, [_visit(1)]), county["accounts"]["cadre"], form="household")
    assert [p.field for p in result.problems] == ["year"]


@pytest.mark.parametrize("name,content", [
    ("deep.json", b"[" * 100_000 + b"]" * 100_000),
    ("zip.json", b"PK\x03\x04" + b"\0" * 100),
    ("fake.xlsx", b"household,visit_date\n"),
    ("list.json", b'{"a": 1}'),
])
def test_hostile_or_foreign_files_are_refused(tmp_path, county, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = _import(path, county["accounts"]["cadre"])
    assert len(result.problems) == 1 and result.problems[0].row is None and name in result.problems[0].reason
    assert not Visit.objects.exists()


def test_a_zip_bomb_named_xlsx_is_refused_before_reading(tmp_path, county, settings):
    settings.IMPORT_MAX_INFLATED_MB = 1
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * (3 << 20) + "</a>")
    with translation.override("en"):
        result = _import(path, county["accounts"]["cadre"])
    assert "zip bomb" in result.problems[0].reason


def test_the_command_prints_the_counts(tmp_path, county, capsys):
    path = _json(tmp_path, [_visit(1)])
    call_command("forms", "import", str(path), "--form", "visit", "--json", "--as", "cadre")
    assert json.loads(capsys.readouterr().out) == {"file": "visits.json", "form": "visit", "submissions": 1,
                                                   "stored": 1, "duplicates": 0, "proposals": 1, "conflicts": 0}


def test_the_command_refuses_with_a_report(tmp_path, county):
    from tuopin.apps.accounts.commands import InputRefused

    report = tmp_path / "report.csv"
    with pytest.raises(InputRefused):
        call_command("forms", "import", str(_json(tmp_path, [_visit(1, household="999999")])), "--form", "visit",
                     "--report", str(report), "--as", "cadre")
    rows = list(csv.reader(report.open(encoding="utf-8-sig")))
    assert rows[0] == ["file", "sheet", "row", "member_row", "field", "value", "reason"]
    assert rows[1][:6] == ["visits.json", "", "1", "", "household", "999999"]


def test_the_upload_page(client, tmp_path, county):
    client.force_login(county["accounts"]["cadre"])
    assert client.get(reverse("web:field_forms_import")).status_code == 200
    bad = _json(tmp_path, [_visit(1, household="999999")])
    with bad.open("rb") as fh:
        page = client.post(reverse("web:field_forms_import"), {"form": "visit", "files": fh})
    assert page.status_code == 200 and "999999" in page.content.decode() and not Visit.objects.exists()
    good = _json(tmp_path, [_visit(1)])
    with good.open("rb") as fh:
        done = client.post(reverse("web:field_forms_import"), {"form": "visit", "files": fh})
    assert done.status_code == 302 and Visit.objects.filter(source="xlsform").count() == 1
    client.force_login(county["accounts"]["department"])
    assert client.get(reverse("web:field_forms_import")).status_code == 403
