"""The signals page and command on the small county (decision 1593): scope, the rule that nobody sees a signal
about themselves, masked ID numbers, the link to the verification task, the command's JSON keys."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from tuopin.apps.integrity.models import Finding
from tuopin.apps.integrity.selectors import findings_visible_to
from tuopin.apps.organisation.models import Cadre
from tuopin.common.masking import mask_id

pytestmark = pytest.mark.django_db
DAY = dt.date(2019, 1, 5)


def _finding(county, household, key, **extra):
    return Finding.objects.create(year=2018, kind=extra.pop("kind", "identical_incomes"), key=f"2018|{key}",
                                  township=household.village.parent, village=household.village,
                                  households=[household.pk], explanation=f"待核查 {key}", found_on=DAY, seen_on=DAY,
                                  **extra)


def test_the_county_office_sees_all_a_commander_its_zone_and_nobody_a_signal_about_themselves(county, client):
    h1, _h2, _h3, h4 = county["households"]
    mine = _finding(county, h1, "zone-one")
    other = _finding(county, h4, "zone-two")
    li = Cadre.objects.get(name="李干部")
    about_the_cadre = _finding(county, h1, "about-li", kind="visit_many_villages", cadres=[li.pk])
    accounts = county["accounts"]
    assert set(findings_visible_to(accounts["county_admin"])) == {mine, other, about_the_cadre}
    assert set(findings_visible_to(accounts["commander"])) == {mine, about_the_cadre}
    for role in ("first_secretary", "cadre", "department", "evaluator", "audit_admin"):
        assert not findings_visible_to(accounts[role]).exists()
    # A commander who is also the cadre named (a cadre account linked to the commander's person) does not see it.
    commander = accounts["commander"]
    commander.cadre = li
    commander.save(update_fields=["cadre"])
    assert set(findings_visible_to(commander)) == {mine}

    client.force_login(accounts["county_admin"])
    page = client.get(reverse("web:signals") + "?year=2018").content.decode()
    assert "待核查 zone-one" in page and "待核查 zone-two" in page
    head = h1.members.get(relation="01")
    assert mask_id(head.id_number) in page and head.id_number not in page
    client.force_login(commander)
    page = client.get(reverse("web:signals") + "?year=2018").content.decode()
    assert "待核查 zone-one" in page and "zone-two" not in page and "about-li" not in page


def test_the_command_runs_the_signals_in_stable_json_and_refuses_others(county):
    out = io.StringIO()
    call_command("signals", "--year", "2018", "--json", "--as", "county_admin", stdout=out)
    outcome = json.loads(out.getvalue())
    assert list(outcome) == ["year", "scope", "counts", "created", "tasks_created", "reopened", "closed", "findings"]
    assert outcome["year"] == 2018 and set(outcome["counts"]) >= {"income_bunching", "edits_before_evaluation"}
    from tuopin.cli import main

    assert main(["signals", "--year", "2018", "--as", "commander"]) == 3
