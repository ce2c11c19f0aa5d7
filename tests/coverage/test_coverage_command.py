"""`tuopin coverage --json`: per policy the persons eligible, covered and the gaps both ways, and the rosters'
signals, for the account's scope; a department sees its domain's policies; a snapshot folder gives the same."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.apps.assessment import live_inputs
from tuopin.apps.policy import coverage
from tuopin.apps.registry.exchange.snapshot_export import write_parquet
from tuopin.engine import snapshot
from tuopin.standards import policies


def _coverage(*args) -> dict:
    out = io.StringIO()
    call_command("coverage", "--year", "2018", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_county_office_sees_every_policy_in_the_documented_shape(covered_county):
    got = _coverage("--as", "county_admin")
    assert list(got) == ["year", "scope", "policies", "signals"]
    assert got["year"] == 2018 and got["scope"] == {"code": "220821000000", "name": "镇赉县", "level": "county"}
    assert [p["code"] for p in got["policies"]] == list(policies.catalogue())
    dibao = next(p for p in got["policies"] if p["code"] == "dibao")
    assert dibao == {"code": "dibao", "name": "农村最低生活保障", "eligible": 7, "covered": 3,
                     "eligible_not_covered": 4, "covered_not_eligible": 0}
    assert got["signals"] == dict.fromkeys(("deceased_registered", "deceased_paid", "vehicle", "property",
                                            "business", "public_employee"), 0)


def test_a_commander_sees_its_war_zone_and_not_the_other(covered_county):
    got = _coverage("--as", "commander")
    assert got["scope"]["code"] == "220821100000"
    assert next(p for p in got["policies"] if p["code"] == "family_doctor")["eligible"] == 10
    with pytest.raises(CommandError, match="outside the scope"):
        _coverage("--as", "commander", "--region", "220821200000")


def test_a_department_sees_its_domains_policies_only(covered_county):
    got = _coverage("--as", "department")  # the education bureau
    assert [p["code"] for p in got["policies"]] == ["two_exemptions", "grant_senior"]


def test_roles_without_the_action_are_refused(covered_county):
    for role in ("first_secretary", "cadre", "evaluator"):
        with pytest.raises(CommandError) as refused:
            _coverage("--as", role)
        assert refused.value.returncode == 3, role


def test_a_snapshot_folder_with_rosters_gives_what_the_live_registry_gives(covered_county, tmp_path):
    h1, h2, _, _ = covered_county["households"]
    head1, head2 = h1.members.get(relation="01"), h2.members.get(relation="01")
    rows = [(2018, "dibao", None, None, None), (2018, "dibao", head2.pk, None, None),
            (2017, "death", head1.pk, dt.date(2017, 5, 1), None)]
    live = coverage.summary(coverage.run(year=2018, region=covered_county["county"], rows=rows),
                            covered_county["county"])
    folder = tmp_path / "snap"
    write_parquet(user=covered_county["accounts"]["county_admin"], out=folder, year=2018, unmasked=False)
    without = _coverage("--as", "county_admin", "--data", str(folder))
    assert next(p for p in without["policies"] if p["code"] == "dibao")["covered"] == 3  # the column's
    snapshot.write_snapshot(folder, {"roster_matches": live_inputs.roster_matches(rows)})
    assert snapshot.read_table(folder, "roster_matches").num_rows == 3
    stored = _coverage("--as", "county_admin", "--data", str(folder))
    assert stored["policies"] == live["policies"] and stored["signals"] == live["signals"]
    assert stored["signals"]["deceased_registered"] == 1
    assert next(p for p in stored["policies"] if p["code"] == "dibao")["covered"] == 1
    with pytest.raises(CommandError):
        _coverage("--as", "commander", "--data", str(folder))


def test_a_village_and_the_text_output(covered_county):
    village = covered_county["villages"][0]  # 西岗村: h1 and h2
    got = _coverage("--as", "commander", "--region", village.code)
    assert got["scope"] == {"code": village.code, "name": "西岗村", "level": "village"}
    assert next(p for p in got["policies"] if p["code"] == "dibao")["eligible"] == 7
    out = io.StringIO()
    call_command("coverage", "--year", "2018", "--as", "county_admin", stdout=out)
    text = out.getvalue()
    assert text.startswith("镇赉县 2018:") and "农村最低生活保障 (dibao): 7 / 3 / 4 / 0" in text
    with pytest.raises(CommandError) as refused:
        _coverage("--as", "county_admin", "--year", "1999")
    assert refused.value.returncode == 3
