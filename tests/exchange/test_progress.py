"""`tuopin import` and `tuopin export` report their progress to a bar (drawn only on a terminal: tests/cli)."""

import importlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.bars import assert_counts_to_the_end, record_bars
from tuopin.apps.registry.exchange import export as national

import_command = importlib.import_module("tuopin.apps.registry.management.commands.import")
export_command = importlib.import_module("tuopin.apps.registry.management.commands.export")


def test_export_reports_the_persons_written_and_import_its_stages(county, tmp_path, monkeypatch):
    monkeypatch.setattr(national, "PROGRESS_EVERY", 4)
    export_bars = record_bars(monkeypatch, export_command)
    out = tmp_path / "county.csv"
    call_command("export", "--format", "csv", "--out", str(out), "--year", "2018", "--as", "county_admin",
                 "--unmasked")
    # The fixture's 10 persons, told every 4 and at the end.
    assert export_bars.opened == [[(0, 10), (4, 10), (8, 10), (10, 10)]]

    import_bars = record_bars(monkeypatch, import_command)
    call_command("import", str(out), "--year", "2018", "--as", "county_admin", "--dry-run")
    call_command("import", str(out), "--year", "2018", "--as", "county_admin")
    dry_run, written = import_bars.opened
    assert assert_counts_to_the_end(dry_run) == 3  # read, checked against the layout, against the registry
    assert assert_counts_to_the_end(written) == 4  # … and written


def test_a_refused_file_stops_the_import_after_reading(county, tmp_path, monkeypatch):
    import_bars = record_bars(monkeypatch, import_command)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01 not a table")
    with pytest.raises(CommandError):  # the refusal itself: test_hostile_files
        call_command("import", str(bad), "--year", "2018", "--as", "county_admin")
    [calls] = import_bars.opened
    assert calls == [(0, 4)]  # nothing read, nothing checked, nothing written
