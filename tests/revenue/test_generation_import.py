"""The import of PV stations' monthly generation (decision 1612): all or nothing, each problem naming the file,
the sheet, the row, the column and the reason; a month entered twice written once, a different figure corrected
with the old one kept in the audit trail; the command and the page."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.revenue.imports import COLUMNS, SHEET, generation_import, template_bytes
from tuopin.apps.revenue.models import Income

from .helpers import station

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def stations(county):
    v1, _v2, v3 = county["villages"]
    s1, s3 = station(v1), station(v3, name="建平村光伏电站")
    s1.code, s3.code = "GF-001", "GF-003"
    s1.save(), s3.save()
    return s1, s3


def _book(path, rows, *, sheet=SHEET, title=False):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    if title:
        ws.append(["2018年村级光伏电站发电量"])
    ws.append(list(COLUMNS))
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


def test_a_workbook_is_written_whole_once_and_a_changed_month_corrected(county, stations, tmp_path):
    s1, s3 = stations
    admin = county["accounts"]["county_admin"]
    path = _book(tmp_path / "gen.xlsx", [("GF-001", "西岗村光伏电站", 2018, 5, 90000, ""),
                                         ("", "建平村光伏电站", "2018", "6", "100,000", "")], title=True)
    result = generation_import(path, by=admin, source="cli")
    assert result.ok, result.problems
    assert (result.created, result.unchanged, result.kwh, result.sheet) == (2, 0, 190_000, SHEET)
    june = Income.objects.get(project=s3, year=2018, month=6)
    assert (june.kwh, june.amount_fen) == (100_000, 8_800_000)   # × the standards' 0.88 yuan a kWh
    batch = AuditEvent.objects.get(action="revenue:generation_import")
    assert batch.batch["created"] == 2 and batch.batch["file"] == "gen.xlsx"

    again = generation_import(path, by=admin)
    assert (again.created, again.unchanged, again.corrected) == (0, 2, [])
    _book(path, [("GF-001", "", 2018, 5, 95000, "")])
    fixed = generation_import(path, by=admin)
    assert fixed.corrected == ["西岗村光伏电站 2018-05: 90,000 → 95,000 kWh"]
    may = Income.objects.get(project=s1, year=2018, month=5)
    assert may.kwh == 95_000 and may.version == 2
    update = AuditEvent.objects.filter(action="update", entity_id=str(may.pk)).get()
    assert update.changes["kwh"] == [90000, 95000]          # the figure replaced stays in the trail


def test_a_bad_file_writes_nothing_and_names_sheet_row_column_and_reason(county, stations, tmp_path):
    admin = county["accounts"]["county_admin"]
    path = _book(tmp_path / "bad.xlsx", [("GF-001", "", 2018, 5, 90000, ""),      # good, but not written
                                         ("GF-001", "", 2018, 13, 1, ""),          # row 3
                                         ("GF-999", "", 2018, 6, 1, ""),           # row 4
                                         ("GF-001", "", 2018, 5, 1, ""),           # row 5: row 2's month again
                                         ("GF-003", "", 2018, 7, "abc", ""),       # row 6
                                         ("GF-001", "东岗村光伏电站", 2018, 8, 1, "")])  # row 7
    result = generation_import(path, by=admin)
    assert not result.ok and not Income.objects.exists()
    assert not AuditEvent.objects.filter(action__in=("create", "revenue:generation_import")).exists()
    got = {(p.row, p.column) for p in result.problems}
    assert got == {(3, "月份"), (4, "项目编号"), (5, "月份"), (6, "发电量（千瓦时）"), (7, "电站名称")}
    assert result.created == 0
    line = result.where(next(p for p in result.problems if p.row == 3))
    assert line.startswith("bad.xlsx, sheet 发电量, row 3, 月份 '13'") and "1 to 12" in line

    missing = tmp_path / "cols.csv"
    missing.write_text("电站名称,月份\n西岗村光伏电站,5\n", encoding="utf-8-sig")
    [problem] = generation_import(missing, by=admin).problems
    assert "年度" in problem.reason and "发电量（千瓦时）" in problem.reason


def test_a_village_imports_its_own_stations_only(county, stations, tmp_path):
    a = county["accounts"]
    path = _book(tmp_path / "gen.xlsx", [("GF-001", "", 2018, 5, 90000, ""), ("GF-003", "", 2018, 5, 1, "")])
    result = generation_import(path, by=a["first_secretary"])          # 西岗村's secretary: not 建平村's station
    assert [(p.row, p.column) for p in result.problems] == [(3, "项目编号")] and not Income.objects.exists()
    for role in ("cadre", "commander", "department"):
        with pytest.raises(PermissionDenied):
            generation_import(path, by=a[role])


def test_the_command_and_the_page(county, stations, tmp_path, client, capsys):
    path = _book(tmp_path / "gen.xlsx", [("GF-001", "", 2018, 13, 90000, "")])
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError) as refused:
        call_command("generation", "import", str(path), "--report", str(report), "--as", "county_admin")
    assert refused.value.returncode == 3
    assert "gen.xlsx,发电量,2,月份,13" in report.read_text(encoding="utf-8-sig")
    assert "gen.xlsx, sheet 发电量, row 2" in capsys.readouterr().err
    call_command("generation", "template", str(tmp_path / "t.xlsx"))
    template = load_workbook(tmp_path / "t.xlsx")
    assert template.sheetnames == [SHEET, "说明"] and template[SHEET]["E1"].value == "发电量（千瓦时）*"
    assert template_bytes()[:2] == b"PK"

    client.force_login(county["accounts"]["county_admin"])
    page = reverse("web:asset_income_import")
    assert reverse("web:asset_income_import") in client.get(reverse("web:asset_income")).content.decode()
    with path.open("rb") as fh:
        html = client.post(page, {"file": fh}).content.decode()
    assert 'id="generation-problems"' in html and "月份应为 1 至 12" in html and not Income.objects.exists()
    _book(path, [("GF-001", "", 2018, 12, 90000, "")])
    with path.open("rb") as fh:
        assert client.post(page, {"file": fh}).status_code == 302
    assert Income.objects.get().kwh == 90_000
    answer = client.get(reverse("web:asset_income_template"))
    assert answer.status_code == 200 and load_workbook(io.BytesIO(answer.content)).sheetnames[0] == SHEET
    client.force_login(county["accounts"]["cadre"])
    assert client.get(page).status_code == 403
