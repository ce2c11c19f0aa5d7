"""The registry's Alkire–Foster measure in `tuopin assess`: the 短板清单 as 0/1 deprivations, persons weighted by
household members, over the households on the registry at the end of the year, weights and k from the
standards ([mpi]); checked against a computation in Python from the same gap rows and the definitions."""

import json
from fractions import Fraction

import pytest

from tuopin import rules, standards
from tuopin.apps.assessment import services
from tuopin.apps.registry.models import HouseholdYear
from tuopin.cli import main

ON_REGISTRY = ("identified", "returned", "exited", "monitoring_in", "risk_removed")


def expected_mpi(result, code_column=None, code=None):
    """H, A, M0, censored headcounts and contributions from the engine's household rows, by the definitions."""
    section = standards.load("220821").section("mpi")
    weights = {name: float(Fraction(w)) for name, w in section["weights"].items()}
    k = float(Fraction(section["k"]))
    gaps = {}
    for row in result.household_gaps.to_pylist():
        gaps.setdefault(row["household_id"], set()).add(row["indicator"])
    units = [r for r in result.household_result.to_pylist()
             if r["kind_at_end"] in ON_REGISTRY and r["members"] > 0 and (code is None or r[code_column] == code)]
    n = sum(r["members"] for r in units)
    poor = [(r, sum(weights[i] for i in gaps.get(r["household_id"], ()))) for r in units]
    poor = [(r, c) for r, c in poor if c >= k - 1e-9]
    q = sum(r["members"] for r, _ in poor)
    m0 = sum(r["members"] * c for r, c in poor) / n
    censored = {i: sum(r["members"] for r, _ in poor if i in gaps.get(r["household_id"], ())) / n for i in weights}
    return {"H": q / n, "A": (m0 * n / q) if q else 0.0, "M0": m0, "k": k, "censored_headcount": censored,
            "contribution": {i: (weights[i] * censored[i] / m0) if m0 else 0.0 for i in weights}}


def flat(mpi: dict) -> dict:
    """pytest.approx compares flat mappings only."""
    return {f"{key}.{i}" if isinstance(v, dict) else key: x
            for key, v in mpi.items() for i, x in (v.items() if isinstance(v, dict) else [(None, v)])}


def test_the_standard_is_nested_equal_weights_and_k_one_third():
    params = rules.mpi_parameters(standards.load("220821"))
    assert params["mpi_k"] == pytest.approx(1 / 3)
    assert params["mpi_weight_income"] == pytest.approx(1 / 3)
    assert params["mpi_weight_food_clothing"] + params["mpi_weight_water"] == pytest.approx(1 / 3)
    assert sum(params[f"mpi_weight_{i}"] for i in ("education", "medical", "housing")) == pytest.approx(1 / 3)


def test_assess_reports_the_registry_mpi_beside_fgt(county):
    summary, result = services.assess(year=2018)
    mpi = summary["mpi"]
    # On the registry: h1 (2 persons), h2 (4), h4 (2); h3 is not registered. Only h2 has a gap (income,
    # weight 1/3 = k), so 4 of 8 persons are poor, each deprived in a third of the weighted indicators.
    assert mpi["H"] == pytest.approx(0.5) and mpi["A"] == pytest.approx(1 / 3) and mpi["M0"] == pytest.approx(1 / 6)
    assert mpi["contribution"]["income"] == pytest.approx(1.0)
    assert list(mpi["censored_headcount"]) == list(rules.INDICATORS)
    assert flat(mpi) == pytest.approx(flat(expected_mpi(result)))
    t1, t2 = summary["townships"]
    assert t1["mpi"]["H"] == pytest.approx(4 / 6) and t2["mpi"]["M0"] == 0.0
    assert flat(t1["mpi"]) == pytest.approx(flat(expected_mpi(result, "township_code", 220821100000)))
    assert set(summary["fgt"]) == {"p0", "p1", "p2"}  # the existing keys stay


def test_more_deprivations_raise_intensity_and_censor_the_non_poor(county):
    h1, h2, _, h4 = county["households"]
    HouseholdYear.objects.filter(household=h2, year=2018).update(housing_grade="C")  # poor: 1/3 + 1/9
    HouseholdYear.objects.filter(household=h1, year=2018).update(housing_grade="D")  # 1/9: not poor, censored
    HouseholdYear.objects.filter(household=h4, year=2018).update(food_clothing_secure=False, housing_grade="C")
    summary, result = services.assess(year=2018)  # h4: 1/6 + 1/9 < 1/3, not poor
    mpi = summary["mpi"]
    assert mpi["H"] == pytest.approx(0.5) and mpi["A"] == pytest.approx(4 / 9)
    assert mpi["censored_headcount"]["housing"] == pytest.approx(4 / 8)  # h2 only: h1 and h4 are censored
    assert mpi["censored_headcount"]["food_clothing"] == 0.0
    assert mpi["contribution"] == pytest.approx({"income": 0.75, "food_clothing": 0.0, "education": 0.0,
                                                 "medical": 0.0, "housing": 0.25, "water": 0.0})
    assert flat(mpi) == pytest.approx(flat(expected_mpi(result)))
    # subgroup decomposability: the townships' person-weighted M0 is the county's
    n = {t["code"]: sum(r["members"] for r in result.household_result.to_pylist()
                        if r["township_code"] == int(t["code"]) and r["kind_at_end"] in ON_REGISTRY)
         for t in summary["townships"]}
    assert sum(n[t["code"]] * t["mpi"]["M0"] for t in summary["townships"]) / sum(n.values()) == pytest.approx(
        mpi["M0"])


def test_assess_json_carries_mpi(county, capsys):
    assert main(["assess", "--year", "2018", "--json", "--as", "county_admin"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["mpi"]) == {"H", "A", "M0", "k", "censored_headcount", "contribution"}
    assert out["mpi"]["k"] == pytest.approx(1 / 3)
    assert all("mpi" in t for t in out["townships"])
