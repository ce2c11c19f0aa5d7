"""`tuopin assess --json` (live) reports the scope's PV stations of the year (decision 1514)."""

import datetime as dt
import json

from tuopin.apps.revenue import services as s
from tuopin.cli import main

from .helpers import ledger


def test_assess_json_gains_pv(county, capsys):
    led = ledger(county)
    by = led["first_secretary"]
    s.income_record(project=led["station"], year=2018, month=6, kwh=20_000, by=by)
    s.plan_set(project=led["station"], year=2018, posts_pct=30, public_works_pct=55, dividends_pct=10,
               reserve_pct=5, by=by)
    s.payment_record(project=led["station"], year=2018, kind="dividend", household=led["unable"], amount_fen=800_00,
                     paid_on=dt.date(2018, 12, 1), by=by)
    s.payment_record(project=led["station"], year=2018, kind="post", person=led["worker"], post="保洁员", months=10,
                     monthly_wage_fen=300_00, paid_on=dt.date(2018, 12, 1), by=by)
    assert main(["assess", "--year", "2018", "--json", "--as", "county_admin"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pv"] == {"stations": 1, "kwh": 20_000, "revenue": 17_600.0, "paid_to_posts": 3000.0,
                         "paid_as_dividends": 800.0, "balance": 17_600.0 - 3800}  # yuan
    assert main(["assess", "--year", "2018", "--json", "--as", "commander", "--county", "220821100000"]) == 0
    assert json.loads(capsys.readouterr().out)["pv"]["stations"] == 1
    assert main(["assess", "--year", "2018", "--json", "--as", "county_admin", "--county", "220821200000"]) == 0
    assert json.loads(capsys.readouterr().out)["pv"]["stations"] == 0
    assert main(["assess", "--year", "2018", "--as", "county_admin"]) == 0
    assert "PV stations 1: 20,000 kWh, revenue 17,600.00 yuan" in capsys.readouterr().out
