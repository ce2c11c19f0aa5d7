"""DuckDB and Spark "agree" (docs/data-formats.md §7): every integer count equal and the sets of (household, indicator,
reason) rows equal, money compared in integer fen. Checked here on every column the runners return: integers,
booleans, text and dates exactly, fractions to 1e-12 (sums of fractions may be added in another order).
"""

from __future__ import annotations

import math

import pyarrow as pa
import pyarrow.types as pt

from tuopin.engine.duckdb_runner import Result


def assert_agree(duck: Result, spark: Result, *, where: str = "") -> None:
    assert duck.year == spark.year
    gaps = {(r["household_id"], r["indicator"], r["reason"]) for r in duck.household_gaps.to_pylist()}
    assert gaps == {(r["household_id"], r["indicator"], r["reason"]) for r in spark.household_gaps.to_pylist()}, where
    assert len(gaps) == duck.household_gaps.num_rows == spark.household_gaps.num_rows, where
    assert_tables_equal(duck.household_gaps, spark.household_gaps, f"{where} household_gaps")
    assert_tables_equal(duck.household_result, spark.household_result, f"{where} household_result")
    assert_tables_equal(duck.village_result, spark.village_result, f"{where} village_result")
    assert sorted(duck.areas) == sorted(spark.areas), where
    for level in duck.areas:
        assert_tables_equal(duck.areas[level], spark.areas[level], f"{where} area {level}")
    assert sorted(duck.mpi) == sorted(spark.mpi), where
    for level in duck.mpi:
        assert_tables_equal(duck.mpi[level].sort_by([("code", "ascending"), ("indicator", "ascending")]),
                            spark.mpi[level], f"{where} mpi {level}")
    assert duck.gaps_of_poor == spark.gaps_of_poor, where
    # 监测预警: the reasons, their text, each household's kind, and the roll-ups at every level and village.
    assert_tables_equal(duck.monitoring_candidates, spark.monitoring_candidates, f"{where} monitoring_candidates")
    assert_tables_equal(duck.monitoring_result, spark.monitoring_result, f"{where} monitoring_result")
    assert sorted(duck.monitoring) == sorted(spark.monitoring), where
    for level in duck.monitoring:
        assert_tables_equal(duck.monitoring[level], spark.monitoring[level], f"{where} monitoring {level}")


def assert_tables_equal(a: pa.Table, b: pa.Table, where: str) -> None:
    """Same columns of the same types in the same order, the same rows in the same order."""
    assert a.schema == b.schema, f"{where}: {a.schema} != {b.schema}"
    assert a.num_rows == b.num_rows, f"{where}: {a.num_rows} rows != {b.num_rows}"
    for field in a.schema:
        left, right = a[field.name].to_pylist(), b[field.name].to_pylist()
        same = _close if pt.is_floating(field.type) else (lambda x, y: x == y)
        bad = [i for i, (x, y) in enumerate(zip(left, right)) if not same(x, y)]
        assert not bad, (f"{where}.{field.name}: {len(bad)} rows differ, first at {bad[0]}: "
                         f"{left[bad[0]]!r} != {right[bad[0]]!r}")


def _close(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is y
    return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-15)


LEVELS = ("nation", "province", "city", "county", "township")


def assert_snapshot_agrees(folder, years, *, levels: tuple[str, ...] = LEVELS) -> dict[int, Result]:
    """Run both engines over a snapshot folder for each year, every household and every area level;
    returns DuckDB's results (for the caller to check they are not trivially empty)."""
    from tuopin import rules, standards
    from tuopin.engine import duckdb_runner, spark_runner

    results = {}
    for year in years:
        params = rules.parameters(standards.load("000000"), year)
        duck = duckdb_runner.connect()
        duckdb_runner.register_parquet(duck, folder, year=year)
        spark = spark_runner.connect()
        spark_runner.register_parquet(spark, folder, year=year)
        results[year] = duckdb_runner.run(duck, params, year=year, levels=levels)
        assert_agree(results[year], spark_runner.run(spark, params, year=year, levels=levels), where=str(year))
    return results


def assert_summaries_agree(a, b, path: str = "") -> None:
    """Two `tuopin assess --json` objects: the same keys, counts and text; fractions to 1e-12."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, (int, float)) and isinstance(b, (int, float)), f"{path}: {a!r} != {b!r}"
        assert _close(a, b), f"{path}: {a!r} != {b!r}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), f"{path}: keys {list(a)} != {b!r:.200}"
        for key in a:
            assert_summaries_agree(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: {len(a)} items != {b!r:.200}"
        for n, (x, y) in enumerate(zip(a, b)):
            assert_summaries_agree(x, y, f"{path}[{n}]")
    else:
        assert type(a) is type(b) and a == b, f"{path}: {a!r} != {b!r}"


def assert_export_agrees(folder, years, *, levels: tuple[str, ...] = LEVELS) -> dict[int, Result]:
    """Export the registry as the county administrator sees it (`tuopin export --format parquet`) and
    check both engines agree on it, every year given."""
    from tuopin.apps.accounts.models import Role, User
    from tuopin.apps.registry.exchange.snapshot_export import write_parquet

    write_parquet(user=User.objects.filter(role=Role.COUNTY_ADMIN).first(), out=folder, year=None, unmasked=False)
    return assert_snapshot_agrees(folder, years, levels=levels)
