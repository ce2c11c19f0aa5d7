"""Alkire–Foster over any table of 0/1 deprivation indicators (`tuopin mpi`), by the rule text the engine
runs over the registry (`rules/sql/mpi_scores.sql`, `rules/sql/mpi.sql`).

The CSV is read and checked here — every problem, with the row as a spreadsheet shows it (header = row 1) —
then handed to DuckDB as three Arrow tables: units, their deprivations and the weights. Indicator names and
group values stay data; only k reaches the SQL text, as a checked number.

One unit per CSV row (`grp` = the `--by` value), only the 1-cells as deprivation rows; the area rule runs twice,
over the whole table (`area_key` a constant) and by `grp`. The engine builds the same three inputs from the
household results as views (`rules.MPI_INPUT_RULES`: weights from the standards, the gap rows as deprivations),
keeps the scores as one table (`MPI_SCORE_RULE`) and runs `MPI_AREA_RULE` per level with `rules.AREA_KEYS`.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from tuopin import rules
from tuopin.rules import mpi as parameters

from . import duckdb_runner

OVERALL = "''"  # the group key of the whole table: one constant group


class InputProblems(ValueError):
    """The CSV cannot be measured; `problems` lists each (file, row, column, reason)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Table:
    """A CSV read into the rules' inputs."""

    units: pa.Table  # unit (row number), grp, unit_weight
    deprivations: pa.Table  # unit, indicator, deprived (= 1; rows with 0 left out)
    groups: list[str] = field(default_factory=list)  # in order of first appearance


def read_csv(path: str | Path, weights: dict[str, float], *, by: str | None = None,
             weight_col: str | None = None) -> Table:
    """Read FILE.csv; refuse (InputProblems) a missing column, a value other than 0/1, a bad unit weight."""
    path = Path(path)
    name = path.name
    problems: list[str] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        index: dict[str, int] = {}
        for col, title in enumerate(header):
            if title in index and title in (*weights, by, weight_col):
                problems.append(f"{name}, row 1, column {title}: the column appears twice")
            index.setdefault(title, col)
        for wanted, role in [*((w, "weighted indicator") for w in weights), (by, "--by column"),
                             (weight_col, "--weight-col column")]:
            if wanted is not None and wanted not in index:
                problems.append(f"{name}, row 1, column {wanted}: no such column (the {role})")
        if problems:
            raise InputProblems(problems)
        units, grps, unit_weights, dep_units, dep_indicators = [], [], [], [], []
        groups: dict[str, None] = {}
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue  # a blank line, as spreadsheets leave at the end
            cells = row + [""] * (len(header) - len(row))
            for indicator in weights:
                value = cells[index[indicator]].strip()
                if value == "1":
                    dep_units.append(number)
                    dep_indicators.append(indicator)
                elif value != "0":
                    reason = "blank" if value == "" else f"{value!r} is not 0 or 1"
                    problems.append(f"{name}, row {number}, column {indicator}: {reason}")
            weight = 1.0
            if weight_col is not None:
                text = cells[index[weight_col]].strip()
                try:
                    weight = float(text)
                    if not math.isfinite(weight) or weight <= 0:
                        raise ValueError
                except ValueError:
                    problems.append(f"{name}, row {number}, column {weight_col}: "
                                    f"{text!r} is not a positive number (a unit weight)")
            group = cells[index[by]].strip() if by is not None else ""
            groups.setdefault(group)
            units.append(number)
            grps.append(group)
            unit_weights.append(weight)
    if not units and not problems:
        problems.append(f"{name}: no data rows below the header")
    if problems:
        raise InputProblems(problems)
    return Table(
        units=pa.table({"unit": pa.array(units, pa.int64()), "grp": pa.array(grps, pa.string()),
                        "unit_weight": pa.array(unit_weights, pa.float64())}),
        deprivations=pa.table({"unit": pa.array(dep_units, pa.int64()),
                               "indicator": pa.array(dep_indicators, pa.string()),
                               "deprived": pa.array([1] * len(dep_units), pa.int32())}),
        groups=list(groups),
    )


def weights_table(weights: dict[str, float]) -> pa.Table:
    return pa.table({"indicator": pa.array(list(weights), pa.string()),
                     "weight": pa.array(list(weights.values()), pa.float64())})


KEYS = ("n", "H", "A", "M0", "censored_headcount", "contribution")  # docs/data-formats.md, `tuopin mpi --json`


def measure(table: Table, weights: dict[str, float], k: float, *, by: bool = False) -> dict:
    """The `tuopin mpi --json` object (docs/data-formats.md): the whole table, and with `by` a `groups` list."""
    weights, k = parameters.check(weights, k)
    params = {"mpi_k": rules.literal(k)}
    con = duckdb_runner.connect(threads=1)
    try:
        duckdb_runner.register_arrow(con, {"mpi_units": table.units, "mpi_deprivations": table.deprivations,
                                           "mpi_weights": weights_table(weights)})
        con.execute(f"CREATE TEMP TABLE {rules.MPI_SCORE_RULE} AS {rules.render(rules.MPI_SCORE_RULE, params)}")

        def measured(area_key: str) -> dict:
            rows = con.sql(rules.render(rules.MPI_AREA_RULE, {**params, "area_key": area_key})).to_arrow_table()
            return by_code(rows, list(weights))

        whole = measured(OVERALL)[""]
        out = {key: whole[key] for key in KEYS}
        if by:
            grouped = measured("grp")
            out["groups"] = [{"group": g, **{key: grouped[g][key] for key in KEYS}} for g in table.groups]
        return out
    finally:
        con.close()


def by_code(rows: pa.Table, order) -> dict:
    """mpi.sql's rows (one per group and indicator) as {code: {n, H, A, M0, k, censored_headcount, contribution}},
    the indicators in the given order."""
    rank = {name: i for i, name in enumerate(order)}
    out: dict = {}
    for row in sorted(rows.to_pylist(), key=lambda r: rank.get(r["indicator"], len(rank))):
        entry = out.setdefault(row["code"], {"n": row["n"], "H": row["h"], "A": row["a"], "M0": row["m0"],
                                             "k": row["k"], "censored_headcount": {}, "contribution": {}})
        entry["censored_headcount"][row["indicator"]] = row["censored_headcount"]
        entry["contribution"][row["indicator"]] = row["contribution"]
    return out
