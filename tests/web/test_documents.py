"""Downloads: the area report (xlsx, PDF), a village's public-notice list and a household's file (PDF) — the
right type, scoped to the account, audited, ID numbers masked on the notice list for every role, CJK fonts
embedded, and spreadsheet cells that could run as formulas neutralised."""

import datetime as dt
import io
import re
import zlib

import pytest
from openpyxl import load_workbook

from tests.factories import region
from tests.web.conftest import url
from tuopin.apps.assessment import services as assessment
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import Level, VillageYear
from tuopin.apps.procedures.procedure import exit_advance, exit_propose
from tuopin.common.masking import mask_birth_date, mask_id
from tuopin.common.spreadsheet import safe_cell, safe_row
from tuopin.web.documents import pdf as pdf_module

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def rendered(monkeypatch):
    """The HTML each PDF is made from, as handed to WeasyPrint."""
    pages = []
    real = pdf_module.render_to_string

    def capture(*args, **kwargs):
        pages.append(real(*args, **kwargs))
        return pages[-1]

    monkeypatch.setattr(pdf_module, "render_to_string", capture)
    return pages


def pdf_objects(body: bytes) -> bytes:
    """The PDF's own bytes plus every Flate stream inflated (fonts and object streams are compressed)."""
    parts = [body]
    for match in re.finditer(rb"stream\r?\n", body):
        try:
            parts.append(zlib.decompressobj().decompress(body[match.end():match.end() + 4_000_000]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def proposed(county, *households):
    admin = county["accounts"]["county_admin"]
    events = exit_propose(household_ids=[h.pk for h in households], year=2018, by=admin,
                          on=dt.date(2018, 10, 8)).created
    for event in events:
        exit_advance(event=event, stage="democratic_review", by=admin, on=dt.date(2018, 10, 10))
        exit_advance(event=event, stage="public_notice", by=admin, on=dt.date(2018, 10, 12),
                     ends_on=dt.date(2018, 10, 18))
    return events


def test_county_report_xlsx_holds_the_engines_figures(login, county, download):
    expected, _ = assessment.assess(year=2018, region=county["county"])
    response = download(login(county["accounts"]["county_admin"]), url("area_report_xlsx", county["county"].pk, 2018))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="report-220821000000-2018.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["汇总", "乡镇", "行政村", "短板指标"]
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert summary["贫困人口"] == expected["poor_persons"] and summary["农村人口"] == expected["rural_population"]
    assert summary["贫困发生率"] == pytest.approx(expected["incidence"])
    townships = list(book["乡镇"].iter_rows(min_row=2, values_only=True))
    assert [(t[0], t[3]) for t in townships] == [(t["name"], t["poor_persons"]) for t in expected["townships"]]
    villages = [row[0] for row in book["行政村"].iter_rows(min_row=2, values_only=True)]
    assert villages == ["西岗村", "东岗村", "建平村"]
    gaps = list(book["短板指标"].iter_rows(min_row=1, values_only=True))
    assert gaps[0][2] == "收入" and gaps[-1][0] == "合计" and gaps[-1][2] == expected["gaps"]["income"] == 1
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.entity, event.entity_id) == (county["accounts"]["county_admin"], "geo.region",
                                                            str(county["county"].pk))


def test_report_xlsx_gives_the_incidence_and_its_exit_check_distinct_headings(login, county, download):
    expected, _ = assessment.assess(year=2018, region=county["county"])
    response = download(login(county["accounts"]["county_admin"]), url("area_report_xlsx", county["county"].pk, 2018))
    book = load_workbook(io.BytesIO(response.content))
    for name in ("乡镇", "行政村"):
        heading = [cell.value for cell in book[name][1]]
        assert len(heading) == len(set(heading)), heading  # no two columns share a name
    rows = list(book["行政村"].iter_rows(values_only=True))
    heading = rows[0]
    figure = heading.index("贫困发生率（贫困人口÷农村户籍人口）")
    check = heading.index("贫困发生率低于贫困村退出标准")
    assert "退出指标：卫生室及合格村医" in heading
    by_village = {v["name"]: v for v in expected["villages"]} if "villages" in expected else None
    for row in rows[1:]:
        assert isinstance(row[figure], (int, float)) and row[check] in ("是", "否")  # the figure, and whether it passed
        if by_village and row[0] in by_village:
            assert row[figure] == pytest.approx(by_village[row[0]]["incidence"])


def test_area_report_pdf_embeds_the_cjk_font(login, county, rendered, download):
    response = download(login(county["accounts"]["county_admin"]), url("area_report_pdf", county["county"].pk, 2018))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    objects = pdf_objects(response.content)
    assert re.search(rb"/FontFile[23]?\b", objects)  # the font program itself is in the file
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+Noto-Sans-CJK-SC", objects)  # a subset of Noto Sans CJK SC
    assert "镇赉县 2018 年度脱贫攻坚报告" in rendered[0] and "57.14%" in rendered[0]


def test_reports_follow_the_scope(login, county, download):
    commander = login(county["accounts"]["commander"])
    t1, t2 = county["townships"]
    assert download(commander, url("area_report_xlsx", t1.pk, 2018)).status_code == 200
    assert commander.get(url("area_report_xlsx", t2.pk, 2018)).status_code == 404
    assert commander.get(url("area_report_pdf", county["county"].pk, 2018)).status_code == 404
    cadre = login(county["accounts"]["cadre"])
    assert cadre.get(url("area_report_xlsx", county["county"].pk, 2018)).status_code == 404
    # A year without village records has no report.
    assert commander.get(url("area_report_xlsx", t1.pk, 2016)).status_code == 404


def test_notice_list_never_shows_a_full_id_number(login, county, rendered):
    h1 = county["households"][0]
    proposed(county, h1)
    head = h1.members.get(relation="01")
    response = login(county["accounts"]["county_admin"]).get(url("notice_list_pdf", county["villages"][0].pk, 2018))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    html = rendered[0]
    assert h1.number in html and head.name in html and mask_id(head.id_number) not in html  # no ID at all (1234)
    assert head.id_number not in html
    assert all(p.id_number not in html for p in h1.members.all())
    assert head.id_number.encode() not in pdf_objects(response.content)
    assert "2018-10-12 – 2018-10-18" in html  # the notice period
    assert AuditEvent.objects.filter(action="export", summary__contains="1 households").exists()


def test_notice_list_is_scoped_and_only_for_the_village_offices(login, county):
    v1, _, v3 = county["villages"]
    cadre = login(county["accounts"]["cadre"])
    assert cadre.get(url("notice_list_pdf", v3.pk, 2018)).status_code == 404  # outside the cadre's scope
    assert cadre.get(url("notice_list_pdf", v1.pk, 2018)).status_code == 403  # their village, not their document
    assert login(county["accounts"]["commander"]).get(url("notice_list_pdf", v3.pk, 2018)).status_code == 404
    assert login(county["accounts"]["first_secretary"]).get(url("notice_list_pdf", v1.pk, 2018)).status_code == 200
    assert AuditEvent.objects.filter(action="access_refused", entity="geo.region").count() == 3


def test_household_file_masks_ids_unless_the_role_may_see_them(login, county, rendered, download):
    h1 = county["households"][0]
    proposed(county, h1)
    member = h1.members.first()
    response = download(login(county["accounts"]["commander"]), url("household_file_pdf", h1.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert member.id_number not in rendered[0] and mask_id(member.id_number) in rendered[0]
    assert member.birth_date.isoformat() not in rendered[0] and mask_birth_date(member.birth_date) in rendered[0]
    assert "民主评议" in rendered[0] and "村内公示" in rendered[0]  # the procedure history
    assert "5,000.00" in rendered[0]  # the yearly record: net income per person
    download(login(county["accounts"]["county_admin"]), url("household_file_pdf", h1.pk))
    # Made for that account, not the commander's file served again.
    assert member.id_number in rendered[1] and member.birth_date.isoformat() in rendered[1]
    assert login(county["accounts"]["cadre"]).get(url("household_file_pdf", county["households"][1].pk)).status_code == 404
    assert AuditEvent.objects.filter(action="export", entity="registry.household").count() == 2


def test_spreadsheet_cells_that_could_run_are_neutralised(login, county, download):
    village = region("220821100203", "=HYPERLINK(\"http://x\",\"点此\")", Level.VILLAGE, county["townships"][0])
    VillageYear.objects.create(village=village, year=2018, population=3, households=1)
    response = download(login(county["accounts"]["county_admin"]), url("area_report_xlsx", county["county"].pk, 2018))
    sheet = load_workbook(io.BytesIO(response.content))["行政村"]
    cell = next(row[0] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[0].value))
    assert cell.data_type == "s" and cell.value == "'=HYPERLINK(\"http://x\",\"点此\")"
    assert safe_row(["+1", "-2", "@SUM(A1)", "\tx", "ok", -5, 0.5, None]) == [
        "'+1", "'-2", "'@SUM(A1)", "'\tx", "ok", -5, 0.5, None]
    assert safe_cell("2018") == "2018"
