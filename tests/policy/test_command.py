"""`tuopin roster`: the import's JSON (exactly the six keys; refused: exit 3 with the count), the template."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tuopin.apps.policy.models import Roster

from .helpers import person_row, row, write_csv

pytestmark = pytest.mark.django_db
KEYS = {"rows", "matched_by_id", "matched_by_likeness", "queued_for_review", "unmatched", "refused"}


def test_import_json_accepted_then_refused(county, tmp_path, capsys):
    p1 = county["households"][0].members.first()
    path = write_csv(tmp_path, "dibao", [person_row("dibao", p1, 保障金额="3000"), row("dibao", 姓名="无号")])
    call_command("roster", "import", str(path), "--kind", "dibao", "--year", "2018", "--json", "--as", "county_admin")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == KEYS
    assert out == {"rows": 2, "matched_by_id": 1, "matched_by_likeness": 0, "queued_for_review": 0, "unmatched": 1,
                   "refused": 0}
    bad = write_csv(tmp_path, "dibao", [person_row("dibao", p1, 保障金额="三千"), row("dibao", 开始日期="x")],
                    name="bad.csv")
    with pytest.raises(CommandError) as refused:
        call_command("roster", "import", str(bad), "--kind", "dibao", "--year", "2018", "--json",
                     "--report", str(tmp_path / "report.csv"), "--as", "county_admin")
    assert refused.value.returncode == 3
    captured = capsys.readouterr()
    assert json.loads(captured.out)["refused"] == 3 and "保障金额" in captured.err
    assert Roster.objects.count() == 1


def test_import_names_the_department_and_a_department_account_is_confined(county, tmp_path, capsys):
    p1 = county["households"][0].members.first()
    path = write_csv(tmp_path, "enrolment", [person_row("enrolment", p1)])
    call_command("roster", "import", str(path), "--kind", "enrolment", "--year", "2018", "--department", "县教育局",
                 "--as", "county_admin")
    assert Roster.objects.get().department == county["unit"]
    with pytest.raises(CommandError) as refused:
        call_command("roster", "import", str(path), "--kind", "death", "--year", "2018", "--as", "department")
    assert refused.value.returncode == 3
    with pytest.raises(CommandError) as usage:
        call_command("roster", "import", str(path), "--kind", "nothing", "--year", "2018", "--as", "county_admin")
    assert usage.value.returncode == 2


def test_template(tmp_path):
    call_command("roster", "template", "--kind", "pension", str(tmp_path / "t.xlsx"))
    header = [c.value for c in load_workbook(tmp_path / "t.xlsx").active[1]]
    assert header == ["姓名*", "证件号码", "性别", "出生日期", "县", "乡", "行政村", "缴费档次", "代缴"]
