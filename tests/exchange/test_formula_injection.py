"""Formula injection (OWASP ASVS 1.2.10) is neutralised in every export of the national layout, xlsx and csv:
a name or address a spreadsheet would run as a formula is written with a leading apostrophe, and an
import of the same file gives back the original text."""

import pytest
from django.core.management import call_command

from tuopin.apps.registry.exchange import layout
from tuopin.apps.registry.models import Household, Person
from tuopin.common.spreadsheet import safe_cell

from .helpers import read_csv, read_xlsx

HOSTILE = {"=": '=HYPERLINK("http://e.cn","点击")', "+": "+1+cmd|' /C calc'!A0", "-": "-2+3",
           "@": "@SUM(1,1)"}


def test_the_import_export_package_uses_the_one_guard():
    assert layout.escape is safe_cell


@pytest.mark.parametrize("fmt,reader", [("xlsx", read_xlsx), ("csv", read_csv)])
def test_hostile_names_and_addresses_are_exported_as_text(county, tmp_path, fmt, reader):
    households = county["households"]
    for text, household in zip(HOSTILE.values(), households):
        Household.objects.filter(pk=household.pk).update(address=text)
        Person.objects.filter(pk=household.members.order_by("number").first().pk).update(name=text)
    out = tmp_path / f"export.{fmt}"
    call_command("export", "--format", fmt, "--out", str(out), "--year", "2018", "--as", "county_admin")

    rows = reader(out)
    header = rows[0]
    names = [r[header.index("姓名")] for r in rows[1:]]
    addresses = [r[header.index("住址")] for r in rows[1:]]
    for text in HOSTILE.values():
        assert "'" + text in names and "'" + text in addresses
    for cell in (c for r in rows[1:] for c in r):
        assert not (isinstance(cell, str) and cell.startswith(tuple("=+-@\t\r"))), cell
    # Each hostile cell in the workbook is a plain string, never a formula.
    if fmt == "xlsx":
        import zipfile

        with zipfile.ZipFile(out) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet and "<f " not in sheet


def test_the_guard_is_undone_on_import():
    for text in HOSTILE.values():
        assert layout.unescape(safe_cell(text)) == text
    assert layout.unescape("'plain") == "'plain"
