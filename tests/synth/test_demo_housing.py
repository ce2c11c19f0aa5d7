"""The demo county's renovations as the workflow's rows (decision 1523): one finished renovation for every house
the registry says was renovated, agreeing with it (option, year, cost, re-inspection grade), their costs and
subsidies; and the seed's figures unchanged — the build writes the 2016–2018 exits only where the engine, under
the housing rule that asks for the re-inspection, finds the households eligible."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Sum

from tuopin import standards
from tuopin.apps.assessment.services import assess
from tuopin.apps.demo.load import demo_build
from tuopin.apps.housing.models import HouseRenovation
from tuopin.apps.registry.models import HouseholdYear, StatusEvent
from tuopin.synth.county import build_registry
from tuopin.synth.housing import COLUMNS, renovation_rows

SEED, SCALE = 5, 0.02


def test_the_generator_gives_each_renovated_house_its_finished_workflow():
    reg = build_registry(SEED, SCALE)
    rows, counts = renovation_rows(reg.households, seed=SEED, stamp=None)
    ix = {name: i for i, name in enumerate(COLUMNS)}
    renovated = {h.id: h for h in reg.households if h.renovation_year}
    done = {r[ix["household_id"]]: r for r in rows if r[ix["stage"]] == "safe"}
    assert set(done) == set(renovated) and counts["renovations"] == len(renovated) > 100
    for hid, r in done.items():
        h = renovated[hid]
        assert (r[ix["grade"]], r[ix["option"]], r[ix["cost_fen"]], r[ix["reinspection_grade"]]) == (
            h.grade, h.renovation, h.renovation_cost_fen, h.renovation_grade)
        dates = [r[ix[k]] for k in ("inspected_on", "option_on", "approved_on", "works_on", "accepted_on",
                                    "reinspected_on")]
        assert dates == sorted(dates) and {d.year for d in dates} == {h.renovation_year}, hid
        assert 0 < r[ix["subsidy_fen"]] <= r[ix["cost_fen"]]
    assert counts["cost_fen"] == sum(h.renovation_cost_fen for h in renovated.values())
    # A D house is reinforced more often than rebuilt or moved (the county's D-grade model); C houses are repaired.
    d_options = Counter(h.renovation for h in renovated.values() if h.grade == "D")
    assert d_options.most_common(1)[0][0] == "reinforce"
    assert {h.renovation for h in renovated.values() if h.grade == "C"} == {"repair"}
    # Estimated costs are the standards' reference for the option (relocation by the person).
    options = standards.load("220821").section("housing")["options"]
    for r in done.values():
        entry = options[r[ix["option"]]]
        assert r[ix["estimated_cost_fen"]] == entry.get("cost_yuan", 0) * 100 + entry.get(
            "cost_yuan_per_person", 0) * 100 * r[ix["members"]]
    # The same seed, the same rows.
    assert renovation_rows(reg.households, seed=SEED, stamp=None)[0] == rows


@pytest.mark.django_db
def test_the_demo_build_loads_the_renovations_and_keeps_the_seeds_figures():
    built = demo_build(seed=SEED, scale=SCALE)
    safe = HouseRenovation.objects.filter(stage="safe")
    headline = built["headline"]
    assert safe.count() == built["housing"]["renovations"] == built["counts"]["houserenovation"] - \
        built["housing"]["open"]
    assert safe.filter(reinspected_on__year__range=(2016, 2018)).count() == headline["renovated_2016_2018"]
    # Each finished renovation agrees with the household's yearly records from its year on.
    renovated = HouseholdYear.objects.exclude(renovation="")
    assert renovated.values("household").distinct().count() == safe.count()
    for r in safe.select_related("household")[:200]:
        records = HouseholdYear.objects.filter(household=r.household, year__gte=r.reinspected_on.year)
        assert set(records.values_list("renovation", "renovation_year", "renovation_cost_fen",
                                       "renovation_grade")) == {
            (r.option, r.reinspected_on.year, r.cost_fen, r.reinspection_grade)}
    assert safe.aggregate(total=Sum("cost_fen"))["total"] == built["housing"]["cost_fen"] > 0
    assert safe.aggregate(total=Sum("subsidy_fen"))["total"] == built["housing"]["subsidy_fen"] > 0
    # The seed's figures: the build wrote every planned 2016–2018 exit on the engine's proposals (it stops
    # otherwise), and the engine's incidence is the story's.
    exits = StatusEvent.objects.filter(kind="exited", stage="announced", year__range=(2016, 2018))
    assert exits.count() == headline["exited_households_2016_2018"]
    for year, key in ((2015, "incidence_2015"), (2018, "incidence_2018")):
        summary, result = assess(year=year)
        assert summary["incidence"] == pytest.approx(headline[key], abs=1e-12), year
    # No house renovated by 2018 has a housing gap in 2018.
    _, result = assess(year=2018)
    housing_gaps = {r["household_id"] for r in result.household_gaps.to_pylist() if r["indicator"] == "housing"}
    assert not housing_gaps & set(safe.filter(reinspected_on__year__lte=2018).values_list("household_id",
                                                                                         flat=True))
