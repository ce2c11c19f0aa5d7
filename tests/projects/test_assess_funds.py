"""`tuopin assess --json` has `funds` for the scope and year, in fen, from the consolidation ledger."""

import json

import pytest

from tuopin.apps.projects import funds as fs
from tuopin.cli import main

pytestmark = pytest.mark.django_db


def test_assess_json_has_the_funds(books, capsys):
    b, admin, on = books, books["admin"], books["on"]
    fs.allocate(by=admin, fund=b["pooled"], project=b["water"], amount_fen=600_000_00, on=on)
    fs.allocate(by=admin, fund=b["pooled"], project=b["pv"], amount_fen=100_000_00, on=on)
    fs.spend(by=admin, fund=b["pooled"], project=b["water"], amount_fen=250_000_00, on=on)
    assert main(["assess", "--year", "2018", "--json", "--as", "county_admin"]) == 0
    funds = json.loads(capsys.readouterr().out)["funds"]
    assert (funds["allocated"], funds["spent"], funds["balance"], funds["amount"]) == \
        (700_000, 250_000, 450_000, 1_500_000)  # yuan
    assert funds["by_kind"]["water"] == {"allocated": 600_000, "spent": 250_000, "balance": 350_000}
    assert funds["by_source"]["pooled"]["allocated"] == 700_000
    assert main(["assess", "--year", "2018", "--json", "--as", "commander", "--county", "220821100000"]) == 0
    zone = json.loads(capsys.readouterr().out)["funds"]
    assert (zone["allocated"], zone["spent"], set(zone["by_kind"])) == (600_000, 250_000, {"water"})
    assert "amount" not in zone
    assert main(["assess", "--year", "2018", "--as", "county_admin"]) == 0
    assert "funds (yuan): allocated 700,000.00, spent 250,000.00, balance 450,000.00" in capsys.readouterr().out
