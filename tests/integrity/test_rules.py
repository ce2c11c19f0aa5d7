"""The signal rules over hand-made input tables (no database): each fires on its pattern and not beside it."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from tuopin import rules, standards
from tuopin.engine import signals

LINE = standards.load().poverty_line_fen(2017)
V1, V2, T = 220821100201, 220821100202, 220821100000


def _run(**tables):
    built = {name: pa.Table.from_pylist(rows, schema=signals.INPUTS[name]) for name, rows in tables.items()}
    return signals.run(built, rules.signal_parameters(standards.load(), 2017)).to_pylist()


def _exits(incomes):
    rows = [{"household_id": i, "year": 2017, "village_code": V1 if i % 2 else V2, "township_code": T,
             "per_capita_net_income_fen": fen} for i, fen in enumerate(incomes, 1)]
    return rows, [{"household_id": i, "year": 2017} for i in range(1, len(incomes) + 1)]


def test_bunching_fires_on_a_heap_just_above_the_line_and_not_on_a_smooth_spread():
    smooth = [int(LINE * (1.05 + 0.05 * (i % 8))) + 100 for i in range(40)]
    incomes, exits = _exits(smooth)
    assert not [r for r in _run(signal_incomes=incomes, signal_exits=exits) if r["kind"] == "income_bunching"]
    heaped = smooth[:30] + [int(LINE * 1.01)] * 15  # 15 where the neighbours say about 4
    incomes, exits = _exits(heaped)
    found = [r for r in _run(signal_incomes=incomes, signal_exits=exits) if r["kind"] == "income_bunching"]
    assert {r["finding"] for r in found} >= {f"township:{T}"}
    assert {r["household_id"] for r in found} == set(range(31, 46))


def test_a_cadre_in_four_villages_in_a_day_and_a_visit_before_the_pairing():
    day = dt.date(2017, 6, 12)
    visits = [{"visit_id": i, "household_id": i, "cadre_id": 7, "visited_on": day, "village_code": V1 + i,
               "township_code": T, "text": "走访"} for i in range(4)]
    visits.append({"visit_id": 9, "household_id": 9, "cadre_id": 8, "visited_on": dt.date(2017, 1, 5),
                   "village_code": V1, "township_code": T, "text": "走访"})
    pairings = [{"cadre_id": 8, "household_id": 9, "start": dt.date(2017, 2, 1), "end_on": None}]
    found = _run(signal_visits=visits, signal_pairings=pairings)
    assert {(r["kind"], r["finding"]) for r in found} == {("visit_many_villages", "cadre:7:2017-06-12"),
                                                         ("visit_before_pairing", "visit:9")}
    # three villages in a day are not asked about
    assert not _run(signal_visits=visits[1:4])
