"""Hostile files at `tuopin import`: each is refused before any parser sees it, with exit code 3, a report line
naming the file and the reason, and nothing written."""

import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry.models import Household, Person

from .helpers import household_rows, read_report, write_csv, write_xlsx


def refused(path, tmp_path) -> dict:
    before = (Household.objects.count(), Person.objects.count(), AuditEvent.objects.filter(action="import").count())
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError) as exc:
        call_command("import", str(path), "--year", "2018", "--as", "county_admin", "--report", str(report))
    assert exc.value.returncode == 3
    assert (Household.objects.count(), Person.objects.count(),
            AuditEvent.objects.filter(action="import").count()) == before
    (line,) = read_report(report)
    assert line["reason"].startswith(path.name + "：")
    return line


def _rezip(source, target, change):
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            out.writestr(name, change(name, src.read(name)))
    return target


def test_a_file_over_the_size_limit_is_refused_unopened(county, tmp_path, settings):
    settings.IMPORT_MAX_MB = 1
    path = write_csv(tmp_path / "huge.csv", household_rows(2500))
    assert path.stat().st_size > 1024 * 1024
    assert "超过导入上限 1 MB" in refused(path, tmp_path)["reason"]


def test_a_workbook_renamed_to_csv_is_refused(county, tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", household_rows(1)).rename(tmp_path / "book.csv")
    assert "实际是工作簿" in refused(path, tmp_path)["reason"]


def test_binary_content_named_csv_is_refused(county, tmp_path):
    path = tmp_path / "blob.csv"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    assert "内容不是文本" in refused(path, tmp_path)["reason"]


def test_text_named_xlsx_is_refused_by_its_magic_bytes(county, tmp_path):
    path = write_csv(tmp_path / "text.csv", household_rows(1)).rename(tmp_path / "text.xlsx")
    assert "没有 zip 文件标识" in refused(path, tmp_path)["reason"]


def test_a_zip_bomb_is_refused_before_parsing(county, tmp_path, settings):
    settings.IMPORT_MAX_INFLATED_MB = 20  # so the bomb can be small
    base = write_xlsx(tmp_path / "base.xlsx", household_rows(1))
    zeros = b"<x/>" + b" " * (30 * 1024 * 1024)
    path = _rezip(base, tmp_path / "bomb.xlsx", lambda name, data: zeros if name.endswith("sheet1.xml") else data)
    assert path.stat().st_size < 1024 * 1024
    assert "解压后将达 30 MB（上限 20 MB），视为压缩炸弹" in refused(path, tmp_path)["reason"]


def test_a_highly_compressed_part_is_refused_as_a_bomb(county, tmp_path):
    base = write_xlsx(tmp_path / "base.xlsx", household_rows(1))
    zeros = b"<x/>" + b" " * (8 * 1024 * 1024)  # far under the total limit, but a 1000-fold ratio
    path = _rezip(base, tmp_path / "ratio.xlsx", lambda name, data: zeros if name.endswith("styles.xml") else data)
    assert "倍，视为压缩炸弹" in refused(path, tmp_path)["reason"]


def test_a_damaged_zip_is_refused(county, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", household_rows(3)).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert "工作簿已损坏" in refused(path, tmp_path)["reason"]


def _entity_workbook(tmp_path, secret_file):
    from tuopin.apps.registry.exchange.xlsx import write_xlsx as own_writer

    base = tmp_path / "own.xlsx"
    own_writer(base, "人员信息", ["人编号", "证件号码"], [["PLACEHOLDER", "x"]])
    dtd = (f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{secret_file}"><!ENTITY lol "lollollol">'
           '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>').encode()

    def change(name, data):
        if name == "xl/sharedStrings.xml":
            data = data.replace(b"?><sst", b"?>" + dtd + b"<sst").replace(b"PLACEHOLDER", b"A&xxe;B&lol2;C")
        return data

    return _rezip(base, tmp_path / "entities.xlsx", change)


def test_xml_entities_are_never_expanded_by_the_reader(tmp_path):
    # The defence behind the guard: calamine itself refuses an entity it does not know; it never reads the
    # file an external entity names nor expands an internal one.
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-HOSTNAME")
    path = _entity_workbook(tmp_path, secret)
    try:
        cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    except Exception as exc:  # calamine's XmlError: "unrecognized entity `&xxe;`"
        assert "entity" in str(exc)
    else:
        text = repr(cells)
        assert "TOP-SECRET" not in text and "lollol" not in text


def test_a_workbook_declaring_entities_is_refused(county, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-HOSTNAME")
    line = refused(_entity_workbook(tmp_path, secret), tmp_path)
    assert "声明了 XML 实体" in line["reason"] and "TOP-SECRET" not in line["reason"]


def test_an_ordinary_workbook_still_imports(county, tmp_path):
    path = write_xlsx(tmp_path / "fine.xlsx", household_rows(2))
    call_command("import", str(path), "--year", "2018", "--as", "county_admin", "--report", str(tmp_path / "r.csv"))
    assert Household.objects.filter(number__startswith="T").count() == 2
