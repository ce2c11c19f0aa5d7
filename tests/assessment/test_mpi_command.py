"""`tuopin mpi`: Alkire–Foster over a CSV of 0/1 deprivations, checked against a published worked example.

Published example: S. Alkire and J. Foster (2011), "Counting and multidimensional poverty measurement",
Journal of Public Economics 95(7–8): 476–487, section 3 (identification and the adjusted headcount ratio):
four persons, four dimensions, achievement matrix y below, deprivation cut-offs z = (13, 12, 3, 1), a person
deprived in dimension j when y_ij < z_j, equal weights. With k = 2 of 4 dimensions, persons 2 and 3 are poor
(deprivation counts c = (0, 2, 4, 1)): H = 1/2, A = (2 + 4) / (2 × 4) = 3/4, M0 = H × A = 3/8. (y and z as
reproduced in public course code that works the paper's example; H, A, M0 from the paper's definitions.)
"""

import csv
import json
import random

import pytest

from tuopin.cli import main

pytestmark = pytest.mark.django_db  # `tuopin` records each command in the audit trail

Y = [(13.1, 14, 4, 1), (15.2, 7, 5, 0), (12.5, 10, 1, 0), (20, 11, 3, 1)]
Z = (13, 12, 3, 1)
DIMENSIONS = ("d1", "d2", "d3", "d4")
EQUAL = ",".join(f"{d}=0.25" for d in DIMENSIONS)


def write(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


@pytest.fixture
def alkire_foster(tmp_path):
    deprived = [[int(y < z) for y, z in zip(person, Z)] for person in Y]
    assert [sum(row) for row in deprived] == [0, 2, 4, 1]  # the paper's deprivation counts
    return write(tmp_path / "af2011.csv", ("person", *DIMENSIONS), [(i + 1, *row) for i, row in enumerate(deprived)])


def run(capsys, *args):
    code = main(["mpi", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 and "--json" in args else out), err


def test_the_published_example_k_2_of_4(capsys, alkire_foster):
    code, out, _ = run(capsys, "--input", alkire_foster, "--weights", EQUAL, "--k", "0.5", "--json")
    assert code == 0
    assert set(out) == {"n", "H", "A", "M0", "censored_headcount", "contribution"}
    assert out["n"] == 4
    assert out["H"] == pytest.approx(0.5) and out["A"] == pytest.approx(0.75) and out["M0"] == pytest.approx(0.375)
    # censored headcounts: of the poor (persons 2 and 3), d1 only person 3, d2 both, d3 person 3, d4 both
    assert out["censored_headcount"] == pytest.approx({"d1": 0.25, "d2": 0.5, "d3": 0.25, "d4": 0.5})
    # M0 is the weighted sum of the censored headcounts; the contributions are its shares
    assert sum(0.25 * h for h in out["censored_headcount"].values()) == pytest.approx(out["M0"])
    assert out["contribution"] == pytest.approx({"d1": 1 / 6, "d2": 1 / 3, "d3": 1 / 6, "d4": 1 / 3})


@pytest.mark.parametrize("k, poor, h, a", [
    ("0.25", 3, 0.75, (2 + 4 + 1) / 12),  # union: deprived in any dimension (persons 2, 3, 4)
    ("1", 1, 0.25, 1.0),                  # intersection: deprived in all (person 3)
    ("3/4", 1, 0.25, 1.0),
])
def test_union_and_intersection_cut_offs_of_the_example(capsys, alkire_foster, k, poor, h, a):
    code, out, _ = run(capsys, "--input", alkire_foster, "--weights", EQUAL, "--k", k, "--json")
    assert code == 0
    assert out["H"] == pytest.approx(h) and out["A"] == pytest.approx(a) and out["M0"] == pytest.approx(h * a)


def test_weighted_indicators_and_person_weights(capsys, tmp_path):
    """Worked by hand from the definitions (not a published figure): weights 1/2, 1/4, 1/4, k = 1/2."""
    path = write(tmp_path / "w.csv", ("hh", "income", "school", "house", "members"),
                 [("a", 1, 0, 0, 3),   # c = 1/2: poor
                  ("b", 0, 1, 1, 2),   # c = 1/2: poor
                  ("c", 0, 1, 0, 4),   # c = 1/4: not poor, its school deprivation is censored
                  ("d", 1, 1, 1, 1)])  # c = 1: poor
    code, out, _ = run(capsys, "--input", path, "--weights", "income=1/2,school=0.25,house=0.25", "--k", "0.5",
                       "--weight-col", "members", "--json")
    assert code == 0
    n, poor_persons, intensity = 10, 3 + 2 + 1, 3 * 0.5 + 2 * 0.5 + 1 * 1.0
    assert out["n"] == n and out["H"] == pytest.approx(poor_persons / n)
    assert out["A"] == pytest.approx(intensity / poor_persons) and out["M0"] == pytest.approx(intensity / n)
    assert out["censored_headcount"] == pytest.approx({"income": 4 / 10, "school": 3 / 10, "house": 3 / 10})
    m0 = intensity / n
    assert out["contribution"] == pytest.approx({"income": 0.5 * 0.4 / m0, "school": 0.25 * 0.3 / m0,
                                                 "house": 0.25 * 0.3 / m0})
    assert sum(out["contribution"].values()) == pytest.approx(1.0)


def test_a_score_that_rounds_below_k_in_binary_still_counts(capsys, tmp_path):
    # 0.1 + 0.7 is 0.7999999999999999 in binary floating point; the person is deprived in weights summing to 0.8
    path = write(tmp_path / "r.csv", ("a", "b", "c"), [(1, 1, 0), (0, 0, 1)])
    code, out, _ = run(capsys, "--input", path, "--weights", "a=0.1,b=0.7,c=0.2", "--k", "0.8", "--json")
    assert code == 0 and out["H"] == 0.5


def test_groups_decompose_into_the_whole(capsys, tmp_path):
    """Subgroup decomposability: the population-weighted M0 (and H, censored headcounts) of the groups is the
    whole's M0 (Alkire & Foster 2011, section 4)."""
    rng = random.Random(7)
    rows = [(rng.choice("ABCD"), rng.randint(1, 6), *(int(rng.random() < p) for p in (0.3, 0.5, 0.2, 0.4)))
            for _ in range(300)]
    path = write(tmp_path / "g.csv", ("county", "members", "i1", "i2", "i3", "i4"), rows)
    code, out, _ = run(capsys, "--input", path, "--weights", "i1=0.4,i2=0.2,i3=0.2,i4=0.2", "--k", "0.4",
                       "--by", "county", "--weight-col", "members", "--json")
    assert code == 0
    groups = out["groups"]
    assert [g["group"] for g in groups] == list(dict.fromkeys(r[0] for r in rows))  # order of first appearance
    assert sum(g["n"] for g in groups) == out["n"] == sum(r[1] for r in rows)
    for key in ("H", "M0"):
        assert sum(g["n"] * g[key] for g in groups) / out["n"] == pytest.approx(out[key])
    for name in ("i1", "i2", "i3", "i4"):
        assert sum(g["n"] * g["censored_headcount"][name] for g in groups) / out["n"] == pytest.approx(
            out["censored_headcount"][name])
    assert 0 < out["M0"] < out["H"]  # not a degenerate table


def test_readable_table_without_json(capsys, alkire_foster):
    code, out, _ = run(capsys, "--input", alkire_foster, "--weights", EQUAL, "--k", "0.5", "--by", "person")
    assert code == 0
    assert "0.3750" in out and "d2" in out and "33.33%" in out


@pytest.mark.parametrize("weights, k, reason", [
    ("d1=0.25,d2=0.25,d3=0.25,d4=0.2", "0.5", "the weights sum to 0.95, not 1"),
    ("d1=0.25,d2=0.25,d3=0.25,d4=0.25", "0", "k is 0: it must be above 0 and at most 1"),
    ("d1=0.25,d2=0.25,d3=0.25,d4=0.25", "1.01", "k is 1.01: it must be above 0 and at most 1"),
    ("d1=0.5,d2=0.5,d3=0,d4=0", "0.5", "weight of d3 is 0: every weight must be above 0"),
    ("d1=0.5,d2=x", "0.5", "--weights d2: 'x' is not a number"),
    ("d1=0.25,d2=0.25,d3=0.25,d9=0.25", "0.5", "af2011.csv, row 1, column d9: no such column"),
])
def test_refusals_exit_3_and_say_why(capsys, alkire_foster, weights, k, reason):
    code, _, err = run(capsys, "--input", alkire_foster, "--weights", weights, "--k", k, "--json")
    assert code == 3
    assert reason in err


def test_every_bad_cell_is_named_with_its_spreadsheet_row(capsys, tmp_path):
    path = write(tmp_path / "bad.csv", ("id", "a", "b", "w"), [(1, 0, 1, 1), (2, 2, "", 1), (3, 1, "yes", -2)])
    code, out, err = run(capsys, "--input", path, "--weights", "a=0.5,b=0.5", "--k", "0.5", "--weight-col", "w",
                         "--json")
    assert code == 3 and out == ""
    assert "bad.csv, row 3, column a: '2' is not 0 or 1" in err
    assert "bad.csv, row 3, column b: blank" in err
    assert "bad.csv, row 4, column b: 'yes' is not 0 or 1" in err
    assert "bad.csv, row 4, column w: '-2' is not a positive number" in err
    assert "row 2" not in err


def test_a_missing_file_is_a_usage_error(capsys, tmp_path):
    assert main(["mpi", "--input", str(tmp_path / "none.csv"), "--weights", "a=1", "--k", "1"]) == 2


def test_nobody_deprived_gives_zeros_not_errors(capsys, tmp_path):
    path = write(tmp_path / "none.csv", ("g", "a", "b"), [("x", 0, 0), ("y", 0, 0)])
    code, out, _ = run(capsys, "--input", path, "--weights", "a=0.5,b=0.5", "--k", "0.5", "--by", "g", "--json")
    assert code == 0
    assert (out["n"], out["H"], out["A"], out["M0"]) == (2, 0, 0, 0)
    assert out["contribution"] == {"a": 0, "b": 0} and [g["n"] for g in out["groups"]] == [1, 1]


def test_a_header_without_rows_is_refused(capsys, tmp_path):
    path = write(tmp_path / "empty.csv", ("a", "b"), [])
    code, _, err = run(capsys, "--input", path, "--weights", "a=0.5,b=0.5", "--k", "0.5", "--json")
    assert code == 3 and "empty.csv: no data rows below the header" in err
