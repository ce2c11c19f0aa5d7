"""The roster pages: the list with its upload form (kinds limited to the account's; a refused file's problems shown,
nothing written), a roster's entries (ID numbers masked unless the account may see them; a township's or village's
account only its households' rows; filtered by how they matched), the template, and the refusals by role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tuopin.apps.policy.models import Roster
from tuopin.apps.policy.roster_import import roster_import

from .helpers import person_row, row, write_csv

pytestmark = pytest.mark.django_db


def _upload(client, kind, path, year=2018, **more):
    return client.post(reverse("web:rosters"), {"kind": kind, "year": year, **more,
                                               "file": SimpleUploadedFile(path.name, path.read_bytes())})


def test_a_department_uploads_its_kind_and_the_roster_is_listed(county, client, tmp_path):
    p1 = county["households"][0].members.first()
    client.force_login(county["accounts"]["department"])
    page = client.get(reverse("web:rosters")).content.decode()
    assert 'value="enrolment"' in page and 'value="death"' not in page  # the education bureau's kind only
    response = _upload(client, "enrolment", write_csv(tmp_path, "enrolment", [person_row("enrolment", p1, 学校="一中")]))
    roster = Roster.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:roster", args=[roster.pk])
    listed = client.get(reverse("web:rosters")).content.decode()
    assert reverse("web:roster", args=[roster.pk]) in listed and "在校学生名单" in listed
    refused = _upload(client, "death", write_csv(tmp_path, "death", [person_row("death", p1, 死亡日期="2018-01-01")]))
    assert refused.status_code == 200 and Roster.objects.count() == 1  # not a choice it has


def test_a_refused_file_shows_its_problems_and_writes_nothing(county, client, tmp_path):
    p1 = county["households"][0].members.first()
    client.force_login(county["accounts"]["county_admin"])
    response = _upload(client, "death", write_csv(tmp_path, "death", [person_row("death", p1, 死亡日期="2018-02-30")]))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="roster-problems"' in html and "死亡日期" in html
    assert not Roster.objects.exists()


def test_the_roster_page_masks_numbers_and_shows_only_the_rows_in_reach(county, client, tmp_path):
    h1, h4 = county["households"][0], county["households"][3]
    p1, p4 = h1.members.first(), h4.members.first()
    path = write_csv(tmp_path, "death", [person_row("death", p1, 死亡日期="2018-01-01"),
                                         person_row("death", p4, 死亡日期="2018-01-02"),
                                         row("death", 姓名="无号", 死亡日期="2018-01-03")])
    roster = roster_import(path, kind="death", year=2018, by=county["accounts"]["county_admin"]).roster
    url = reverse("web:roster", args=[roster.pk])
    client.force_login(county["accounts"]["county_admin"])
    html = client.get(url).content.decode()
    assert p1.id_number in html and p4.id_number in html and "无号" in html
    assert reverse("web:household", args=[h1.pk]) in html
    unmatched = client.get(url, {"how": "none"}).content.decode()
    assert "无号" in unmatched and p1.name not in unmatched.split('id="roster-entries"')[1]
    client.force_login(county["accounts"]["first_secretary"])  # 西岗村: h1 only, masked
    html = client.get(url).content.decode().split('id="roster-entries"')[1]
    assert p1.id_number not in html and p1.id_number[:6] + "********" + p1.id_number[-4:] in html
    assert p4.id_number[-4:] + "</td>" not in html and "无号" not in html


def test_who_sees_the_pages(county, client, tmp_path):
    p1 = county["households"][0].members.first()
    roster = roster_import(write_csv(tmp_path, "death", [person_row("death", p1, 死亡日期="2018-01-01")]),
                           kind="death", year=2018, by=county["accounts"]["county_admin"]).roster
    a = county["accounts"]
    for name in ("cadre", "evaluator", "system_admin"):
        client.force_login(a[name])
        assert client.get(reverse("web:rosters")).status_code == 403
    client.force_login(a["department"])  # the education bureau keeps no death list: not found
    assert client.get(reverse("web:roster", args=[roster.pk])).status_code == 404
    assert "死亡人员名单" not in client.get(reverse("web:rosters")).content.decode()
    client.force_login(a["commander"])  # reads, uploads nothing
    page = client.get(reverse("web:rosters")).content.decode()
    assert "死亡人员名单" in page and 'id="roster-upload"' not in page
    assert _upload(client, "death", tmp_path / "roster.csv").status_code == 403


def test_the_template_has_the_kinds_columns(county, client, tmp_path):
    client.force_login(county["accounts"]["county_admin"])
    response = client.get(reverse("web:roster_template", args=["death"]))
    (tmp_path / "t.xlsx").write_bytes(response.content)
    header = [c.value for c in load_workbook(tmp_path / "t.xlsx").active[1]]
    assert header[:2] == ["姓名*", "证件号码"] and header[-1] == "死亡日期*"
    assert client.get("/rosters/template/nothing.xlsx").status_code == 404  # not a kind: no page


def test_the_county_office_names_the_department_or_uploads_as_itself(county, client, tmp_path):
    p1 = county["households"][0].members.first()
    client.force_login(county["accounts"]["county_admin"])
    path = write_csv(tmp_path, "enrolment", [person_row("enrolment", p1)])
    assert _upload(client, "enrolment", path, department=county["unit"].pk).status_code == 302
    assert _upload(client, "enrolment", path).status_code == 302
    assert sorted((r.department_id or 0, r.current) for r in Roster.objects.all()) == [(0, True),
                                                                                      (county["unit"].pk, True)]
    refused = _upload(client, "death", write_csv(tmp_path, "death", [person_row("death", p1, 死亡日期="2018-01-01")]),
                      department=county["unit"].pk)  # the education bureau keeps no death list
    assert 'id="roster-problems"' in refused.content.decode() and Roster.objects.count() == 2
