"""The aid import: all or nothing, every problem named by row and column in Chinese, ID numbers checked and
matched to registered persons, the kind checked against what the account's department pays."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from tuopin.apps.aid.imports import COLUMNS, aid_import, template_bytes
from tuopin.apps.aid.models import AidPayment
from tuopin.apps.audit.models import AuditEvent
from tuopin.common import idnumber


def _csv(tmp_path, rows, name="aid.csv", encoding="utf-8-sig"):
    path = tmp_path / name
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def _row(person, *, ref="JY-1", kind="两免一补", amount="1250", year="2018", on="2018-06-30", dept="", name=None):
    return [person.id_number, name or person.name, year, kind, amount, on, ref, dept, ""]


def test_a_good_file_is_written_whole_and_audited_once(county, tmp_path):
    a = county["accounts"]
    p1 = county["households"][0].members.first()
    p4 = county["households"][3].members.first()
    path = _csv(tmp_path, [_row(p1), _row(p4, ref="JY-2", kind="高中助学金", amount="2000.00", on="2018/9/1")])
    result = aid_import(path, by=a["department"])
    assert result.ok and result.written == 2 and result.total_fen == 325_000
    assert AidPayment.objects.filter(department=county["unit"]).count() == 2
    assert AuditEvent.objects.filter(action="aid:import").count() == 1


def test_one_bad_row_writes_nothing_and_each_problem_names_row_column_and_reason_in_chinese(county, tmp_path):
    a = county["accounts"]
    p1 = county["households"][0].members.first()
    unregistered = idnumber.make("220821", dt.date(2005, 1, 1), 999, "M")
    bad_check = p1.id_number[:17] + ("0" if p1.id_number[17] != "0" else "1")
    path = _csv(tmp_path, [
        _row(p1),                                            # row 2: good
        [unregistered, "无名", "2018", "两免一补", "1000", "2018-06-30", "JY-2", "", ""],  # row 3: not registered
        _row(p1, ref="JY-3", name="别人"),                    # row 4: name differs
        _row(p1, ref="JY-4", kind="医疗救助"),                # row 5: not the education bureau's kind
        _row(p1, ref="JY-5", amount="abc", on="2018-13-01"),  # row 6: two problems
        _row(p1, ref="JY-1"),                                 # row 7: the reference again
        [bad_check, p1.name, "2018", "两免一补", "1000", "2018-06-30", "JY-8", "", ""],  # row 8: check digit
    ])
    result = aid_import(path, by=a["department"])
    assert not result.ok and result.written == 0 and not AidPayment.objects.exists()
    where = {(p.row, p.column) for p in result.problems}
    assert where == {(3, "证件号码"), (4, "姓名"), (5, "资助类别"), (6, "金额（元）"), (6, "发放日期"),
                     (7, "凭证号"), (8, "证件号码")}
    reasons = {p.row: p.reason for p in result.problems}
    assert "登记" in reasons[3]          # unmatched: refused with the reason, never created
    assert "校验" in reasons[8]


def test_the_county_office_names_the_paying_department(county, tmp_path):
    a = county["accounts"]
    p1 = county["households"][0].members.first()
    result = aid_import(_csv(tmp_path, [_row(p1)]), by=a["county_admin"])
    assert [(p.row, p.column) for p in result.problems] == [(2, "发放部门")]
    result = aid_import(_csv(tmp_path, [_row(p1, dept="县教育局")]), by=a["county_admin"])
    assert result.ok and AidPayment.objects.get().department == county["unit"]


def test_an_xlsx_with_a_title_row_and_a_gbk_csv_are_read(county, tmp_path):
    a = county["accounts"]
    p1 = county["households"][0].members.first()
    book = Workbook()
    sheet = book.active
    sheet.append(["2018年两免一补发放名册"])
    sheet.append(list(COLUMNS))
    sheet.append(_row(p1))
    book.save(tmp_path / "aid.xlsx")
    assert aid_import(tmp_path / "aid.xlsx", by=a["department"]).written == 1
    gbk = _csv(tmp_path, [_row(p1, ref="JY-9")], name="gbk.csv", encoding="gb18030")
    assert aid_import(gbk, by=a["department"]).written == 1


def test_a_file_that_is_not_a_table_is_refused(county, tmp_path):
    path = tmp_path / "aid.xlsx"
    path.write_bytes(b"not a zip at all")
    result = aid_import(path, by=county["accounts"]["department"])
    assert not result.ok and result.problems[0].row is None


def test_those_who_may_not_record_aid_may_not_import(county, tmp_path):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        aid_import(_csv(tmp_path, []), by=county["accounts"]["first_secretary"])


def test_the_template_has_the_columns_and_the_notes(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_bytes())
    book = load_workbook(path)
    assert [c.value.rstrip("*") for c in book["资助发放"][1]] == list(COLUMNS)
    assert book["说明"].max_row > len(COLUMNS)
