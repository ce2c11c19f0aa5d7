"""Property-based tests: malformed rows and cells thrown at the validator and at `tuopin import`.

Never a crash, never a partial write, always a report line a person can read. Bounded for `make test`
(a few dozen examples); `make fuzz` runs the same properties with HYPOTHESIS_PROFILE=fuzz (thousands).
"""

import datetime as dt
import math
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings, strategies as st

from tuopin.apps.registry.exchange.layout import cell_text, unescape
from tuopin.apps.registry.exchange.parse import parse_sheet
from tuopin.apps.registry.exchange.readers import Sheet
from tuopin.apps.registry.models import Household, HouseholdYear, Person, PersonYear

from .helpers import HEADERS, household_rows, read_report, write_csv, write_xlsx

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HOSTILE_TEXT = st.sampled_from([
    "=1+1", "+cmd|' /C calc'!A0", "-", "@SUM(A1)", "'", "''=", "\t", "\r\n", " ", "　", "\u200b", "NaN", "inf",
    "-0", "1e309", "9" * 40, "是否", "否是", "户主户主", "X" * 5000, "360426199101010072", "36042619910101007x",
    "0000-00-00", "2018-02-30", "1900-01-00", "<script>", "&amp;", "%s%s%n", "\\x00", "０１２", "١٢٣",
])
SAFE_CHARS = st.characters(blacklist_categories=("Cs", "Cc"))  # what an xlsx can hold
CELL = st.one_of(
    st.none(), HOSTILE_TEXT, st.text(SAFE_CHARS, max_size=40), st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
# (row index, header, value): a handful of cells of a valid file replaced.
EDITS = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(HEADERS), CELL), min_size=1, max_size=8)


def _rows(edits):
    rows = household_rows(2)
    for i, header, value in edits:
        rows[i][header] = value
    return rows


@given(grid=st.lists(st.lists(CELL, min_size=0, max_size=len(HEADERS) + 3), min_size=0, max_size=6),
       header_edits=st.lists(st.tuples(st.integers(0, len(HEADERS) - 1), CELL), max_size=4))
def test_the_validator_never_crashes_and_explains_every_refusal(grid, header_edits):
    headers = list(HEADERS)
    for i, value in header_edits:
        headers[i] = value if isinstance(value, str) else headers[i]
    from tuopin.apps.registry.exchange.layout import canonical_header

    sheet = Sheet(file="x.xlsx", name="人员信息", header_row=1, headers=[canonical_header(h) for h in headers],
                  rows=[(i + 2, list(r) + [None] * (len(headers) - len(r))) for i, r in enumerate(grid)])
    parsed = parse_sheet(sheet)
    for problem in parsed.problems:
        assert problem.reason and isinstance(problem.reason, str)
    if not grid:
        assert parsed.problems  # an empty file is refused with a reason


def _counts():
    return tuple(m.objects.count() for m in (Household, Person, HouseholdYear, PersonYear))


def _import_and_check(path, tmp_path, rows):
    before = _counts()
    report = tmp_path / f"report-{path.stem}.csv"
    with transaction.atomic():  # each example starts from the same registry
        try:
            call_command("import", str(path), "--year", "2018", "--as", "county_admin", "--report", str(report))
        except CommandError as exc:
            assert exc.returncode == 3
            assert _counts() == before  # refused: nothing written
            lines = read_report(report)
            assert lines and all(line["reason"] for line in lines)
        else:  # accepted: every person of the file is in the registry, not some of them
            numbers = {unescape(cell_text(r["人编号"])) for r in rows}  # as the reader sees the cell
            assert Person.objects.filter(number__in=numbers).count() == len(numbers)
        transaction.set_rollback(True)


@pytest.mark.django_db
@given(edits=EDITS)
def test_malformed_csv_files_are_refused_whole_or_imported_whole(county, tmp_path, edits):
    rows = _rows(edits)
    path = write_csv(tmp_path / "fuzz.csv", [{k: ("" if v is None else v) for k, v in r.items()} for r in rows])
    _import_and_check(path, tmp_path, rows)


def _xlsx_safe(value):
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # a workbook cannot hold NaN or infinity as a number
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    return value


@pytest.mark.django_db
@given(edits=EDITS)
def test_malformed_workbooks_are_refused_whole_or_imported_whole(county, tmp_path, edits):
    rows = [{k: _xlsx_safe(v) for k, v in r.items()} for r in _rows(edits)]
    path = write_xlsx(tmp_path / "fuzz.xlsx", rows)
    _import_and_check(path, tmp_path, rows)


@pytest.mark.django_db
@given(data=st.binary(min_size=1, max_size=2048), suffix=st.sampled_from([".csv", ".xlsx", ".xls"]),
       prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "人编号,证件号码\n".encode()]))
def test_random_bytes_are_refused_with_a_reason(county, tmp_path, data, suffix, prefix):
    path = tmp_path / f"noise{suffix}"
    path.write_bytes(prefix + data)
    _import_and_check(path, tmp_path, [])
