"""`tuopin evaluation create|show|export`: the acting account's role and county decide, as on the pages."""

import json

import pytest
from openpyxl import load_workbook

from tests.factories import account, region
from tuopin.apps.accounts.models import Role
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.evaluation.models import EvaluationRound
from tuopin.apps.geo.models import Level
from tuopin.cli import main

pytestmark = pytest.mark.django_db


def test_create_show_and_export(county, tmp_path, capsys):
    assert main(["evaluation", "create", "--data-year", "2018", "--seed", "7", "--json", "--as", "evaluator"]) == 0
    created = json.loads(capsys.readouterr().out)
    round_ = EvaluationRound.objects.get(pk=created["round"])
    assert (round_.name, round_.held_in, round_.seed, created["villages"]) == ("2019年第三方评估", 2019, 7, 3)
    assert AuditEvent.objects.filter(action="evaluation_sample", source="cli").exists()

    assert main(["evaluation", "show", str(round_.pk), "--json", "--as", "county_admin"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["recognition"] is None and shown["passes"] is False
    assert shown["comprehensive_incidence"] == pytest.approx(8 / 14)  # nobody exited: h1 (2), h2 (4), h4 (2) poor of 14

    target = tmp_path / "sample.xlsx"
    assert main(["evaluation", "export", str(round_.pk), str(target), "--as", "evaluator"]) == 0
    rows = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + round_.households.count()
    assert all("*" in row[3] for row in rows[1:])


def test_refusals(county, tmp_path, capsys):
    other = region("220822000000", "通榆县", Level.COUNTY, county["county"].parent)
    account("neighbour", Role.EVALUATOR, region=other)
    assert main(["evaluation", "create", "--data-year", "2018", "--as", "cadre"]) == 2  # no county of its own
    assert main(["evaluation", "create", "--data-year", "2018", "--county", county["county"].code,
                 "--as", "cadre"]) == 3
    assert main(["evaluation", "create", "--data-year", "2018", "--county", county["county"].code,
                 "--as", "neighbour"]) == 3
    assert not EvaluationRound.objects.exists()
    assert main(["evaluation", "create", "--data-year", "2018", "--as", "evaluator"]) == 0
    round_ = EvaluationRound.objects.get()
    assert main(["evaluation", "show", str(round_.pk), "--as", "neighbour"]) == 3
    assert main(["evaluation", "export", str(round_.pk), str(tmp_path / "x.xlsx"), "--as", "commander"]) == 3
    assert main(["evaluation", "show", "--as", "evaluator"]) == 2
