"""`tuopin org [--on DATE] --json` with the keys of docs/data-formats.md §6."""

import io
import json

from django.core.management import call_command

from tuopin.apps.assistance.sync import tasks_sync

KEYS = {"units", "departments", "cadres", "pairing_cadres", "special_groups", "work_teams", "first_secretaries",
        "work_team_members", "unit_village_pairings", "cadre_household_pairings", "mutual_groups",
        "poor_households_without_cadre", "poor_villages_without_team", "open_tasks", "overdue_tasks"}


def org_json(*args):
    out = io.StringIO()
    call_command("org", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_org_json_counts_today(org):
    tasks_sync(year=2018, by=org["accounts"]["county_admin"])
    data = org_json()
    assert KEYS <= set(data)
    assert {k: data[k] for k in KEYS} == {
        "units": 9, "departments": 5, "cadres": 6, "pairing_cadres": 3, "special_groups": 0, "work_teams": 1,
        "first_secretaries": 1, "work_team_members": 0, "unit_village_pairings": 3, "cadre_household_pairings": 3,
        "mutual_groups": 0, "poor_households_without_cadre": 0,
        "poor_villages_without_team": 1,  # 建平村 is a poor village without a work team
        "open_tasks": 4, "overdue_tasks": 0,
    }


def test_org_json_on_a_date_before_the_pairings(county):
    data = org_json("--on", "2015-12-31")
    # The county fixture's pairings start in 2016; its three registered households were identified in 2015.
    assert data["cadre_household_pairings"] == 0 and data["poor_households_without_cadre"] == 3
    assert org_json("--on", "2016-01-01")["poor_households_without_cadre"] == 1  # h2 has no cadre in `county`
