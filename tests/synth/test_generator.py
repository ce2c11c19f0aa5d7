"""The generator alone (no database): determinism, valid identities, proportional sizes, the story."""

from __future__ import annotations

from collections import Counter

import pytest

from tuopin.common import idnumber
from tuopin.synth import build_county
from tuopin.synth.distributions import Targets
from tuopin.synth.records import HOUSEHOLD_COLUMNS, PERSON_COLUMNS

from .checks import story_violations

SCALE = 0.02


@pytest.fixture(scope="module")
def county():
    return build_county(7, SCALE)


def _rows(reg, table):
    return reg.tables[table][1]


def test_same_seed_same_county_other_seed_other_county(county):
    reg, org = county
    again, org_again = build_county(7, SCALE)
    for table in reg.tables:
        assert _rows(reg, table) == _rows(again, table), table
    assert org.cadre_households == org_again.cadre_households
    other, _ = build_county(8, SCALE)
    ids = sorted(r[3] for r in _rows(reg, "person"))
    assert ids != sorted(r[3] for r in _rows(other, "person"))


def test_every_id_number_is_valid_unique_and_agrees_with_sex_and_birth_date(county):
    reg, _ = county
    P = {c: i for i, c in enumerate(PERSON_COLUMNS)}
    seen = set()
    for row in _rows(reg, "person"):
        parsed = idnumber.parse(row[P["id_number"]])
        assert parsed.division == "220821"
        assert parsed.sex == row[P["sex"]] and parsed.birth_date == row[P["birth_date"]]
        seen.add(parsed.value)
    persons = _rows(reg, "person")
    assert len(seen) == len(persons)
    assert len({r[P["number"]] for r in persons}) == len(persons)
    H = {c: i for i, c in enumerate(HOUSEHOLD_COLUMNS)}
    households = _rows(reg, "household")
    assert len({r[H["number"]] for r in households}) == len(households)
    heads = [r for r in persons if r[P["relation"]] == "01"]
    assert len(heads) == len(households)
    assert all(p[P["phone"]] == "" or (len(p[P["phone"]]) == 11 and p[P["phone"]][1] in "3456789") for p in persons)


def test_sizes_are_the_seed_figures_scaled(county):
    reg, org = county
    t = Targets()
    H = {c: i for i, c in enumerate(HOUSEHOLD_COLUMNS)}
    households = _rows(reg, "household")
    assert len(households) == round(t.households * SCALE)
    registered_2015 = [h for h in households if h[H["identified_year"]] and h[H["identified_year"]] <= 2015]
    assert len(registered_2015) == round(t.registered * SCALE)
    exits = [e for e in _rows(reg, "statusevent") if e[2] == "exited" and 2016 <= e[3] <= 2018]
    assert len(exits) == round(t.exits * SCALE)
    assert sum(e[6] for e in exits) == round(t.exit_persons * SCALE)
    population_2015 = sum(r[3] for r in _rows(reg, "villageyear") if r[2] == 2015)
    assert population_2015 == round(t.population * SCALE)
    # The geography and the organisation's fixed sizes stay whole.
    assert len(reg.geo.villages) == 141 and sum(v["is_poor_village"] for v in reg.geo.villages) == 82
    assert len(reg.geo.townships) == 11
    assert len(org.special_groups) == 28
    assert sum(1 for u in org.units if u[2] == "department") == 27
    assert len({u for (_, _, _, u, _) in org.unit_villages}) == 189
    assert sum(1 for m in org.team_members if m[5]) == 115
    assert sum(1 for m in org.team_members if not m[5]) == 302
    assert len(org.war_zones) == 11


def test_every_registered_household_has_a_cadre_and_each_cadre_one_to_five(county):
    reg, org = county
    H = {c: i for i, c in enumerate(HOUSEHOLD_COLUMNS)}
    open_registered = {h[H["id"]] for h in _rows(reg, "household") if h[H["is_registered"]] and not h[H["closed"]]}
    active = [p for p in org.cadre_households if p[2] is None]
    assert open_registered == {p[4] for p in active}
    per_cadre = Counter(p[3] for p in active)
    assert set(per_cadre.values()) <= {1, 2, 3, 4, 5}
    assert len(per_cadre) == round(Targets().pairing_cadres * SCALE)
    assert {m[2] for m in org.group_members} == set(per_cadre)  # every pairing cadre is in a 1×5 group


def test_the_yearly_records_tell_the_story(county):
    reg, _ = county
    assert story_violations(reg.tables, years=range(2015, 2026)) == []


def test_village_population_is_the_persons_recorded_for_the_year(county):
    reg, _ = county
    P = {c: i for i, c in enumerate(PERSON_COLUMNS)}
    household_village = {h.id: h.village for h in reg.households}
    person_household = {r[P["id"]]: r[P["household_id"]] for r in _rows(reg, "person")}
    recorded = Counter((household_village[person_household[r[1]]], r[2]) for r in _rows(reg, "personyear"))
    for row in _rows(reg, "villageyear"):
        assert row[3] == recorded.get((row[1], row[2]), 0)
    poor = {v["code"] for v in reg.geo.villages if v["is_poor_village"]}
    facts_2018 = [r for r in _rows(reg, "villageyear") if r[2] == 2018 and r[1] in poor]
    assert all(all(r[5:9]) and r[9] >= 50_000 * 100 for r in facts_2018)
