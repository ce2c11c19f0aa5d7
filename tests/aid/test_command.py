"""`tuopin aid`: the totals of the account's scope as JSON, the import (refused with exit 3 and a report, or
written whole) and the template."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.apps.aid import services
from tuopin.apps.aid.imports import COLUMNS
from tuopin.apps.aid.models import AidPayment


def test_the_totals_of_the_scope(county, capsys):
    services.payment_record(by=county["accounts"]["department"], person=county["households"][3].members.first(),
                            year=2018, kind="grant_senior", amount_fen=200_000, paid_on=dt.date(2018, 9, 1),
                            reference="JY-1")
    call_command("aid", "--json", "--as", "county_admin")
    out = json.loads(capsys.readouterr().out)
    assert out["total_fen"] == 200_000 and out["by_kind"] == {"grant_senior": 200_000}
    assert [t["name"] for t in out["townships"]] == ["建平乡"]
    call_command("aid", "--json", "--as", "commander")
    assert json.loads(capsys.readouterr().out)["total_fen"] == 0  # the other township's
    with pytest.raises(CommandError) as refused:
        call_command("aid", "--as", "cadre")
    assert refused.value.returncode == 3


def test_import_refused_with_a_report_then_written(county, tmp_path, capsys):
    p1 = county["households"][0].members.first()
    path = tmp_path / "aid.csv"
    path.write_text(",".join(COLUMNS) + f"\n{p1.id_number},{p1.name},2018,两免一补,abc,2018-06-30,JY-1,,\n",
                    encoding="utf-8-sig")
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError) as refused:
        call_command("aid", "import", str(path), "--report", str(report), "--as", "department")
    assert refused.value.returncode == 3 and "金额（元）" in report.read_text(encoding="utf-8-sig")
    path.write_text(",".join(COLUMNS) + f"\n{p1.id_number},{p1.name},2018,两免一补,1250,2018-06-30,JY-1,,\n",
                    encoding="utf-8-sig")
    call_command("aid", "import", str(path), "--as", "department")
    assert AidPayment.objects.get().amount_fen == 125_000
    call_command("aid", "template", str(tmp_path / "t.xlsx"))
    assert (tmp_path / "t.xlsx").read_bytes()[:2] == b"PK"
