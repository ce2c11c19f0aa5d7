"""Partitions of a snapshot folder's derived tables: ranges of household ids, one per province where the
provinces' households lie in ranges of their own (as `tuopin synth` and a province-by-province import write
them), else ranges of about a million households (tuopin.engine.ranges). Every household id falls in exactly
one partition (the first and last are open), and the derived rules look at one household at a time, so the
partitions' rows together are the rows of one pass over the folder (decision 1395).

A partition's input fingerprint names the input files that may hold its rows — those whose household_id
statistics (Parquet footers, no data read) overlap its range, and the persons files whose person_id statistics
overlap the person ids of those persons_yearly files — with their sizes and modification times. A province
re-imported changes its own fingerprint (and its neighbours' where they share a file), not the others'.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from . import ranges
from .connection import household_conditions
from .snapshot import YEARLY

# The tables the derived rules read (rules/sql: status and exits read the events and households, the person
# facts persons_yearly and persons, gaps and result households_yearly), by the key that places their rows.
BY_HOUSEHOLD = ("households", "households_yearly", "persons_yearly", "status_events")
PROVINCE = 10_000_000_000  # a 12-digit division code divided by this is its province's two digits

Range = tuple[int | None, int | None]


def sized(con: duckdb.DuckDBPyConnection, year: int) -> list[tuple[Range, int | None, int]]:
    """[((low, high), province code or None, households)] in ascending order of ids, over the year's yearly
    households: a partition per province where their ids do not interleave, else id ranges."""
    rows = con.execute(f"SELECT CAST(county_code // {PROVINCE} AS BIGINT) * {PROVINCE}, MIN(household_id), "
                       f"MAX(household_id), COUNT(*) FROM households_yearly WHERE year = {int(year)} GROUP BY 1 "
                       f"ORDER BY 2").fetchall()
    if len(rows) > 1 and all(a[2] < b[1] for a, b in pairwise(rows)):
        starts = [r[1] for r in rows[1:]]
        spans = list(zip([None, *starts], [s - 1 for s in starts] + [None]))
        return [(span, r[0], r[3]) for span, r in zip(spans, rows)]
    spans = ranges.id_ranges(con, year)
    counts = con.execute("SELECT " + ", ".join(
        "COUNT(*) FILTER (WHERE " + (" AND ".join(household_conditions(span)) or "TRUE") + ")"
        for span in spans) + f" FROM households_yearly WHERE year = {int(year)}").fetchall()[0]
    return [(span, None, n) for span, n in zip(spans, counts)]


@lru_cache(maxsize=4096)
def _span(path: str, size: int, mtime: int, column: str) -> tuple[int | None, int | None] | None:
    """(min, max) of a column over a Parquet file's row groups, from its footer; None when a row group has no
    statistics (the file then counts as overlapping every range). Cached under the file's size and time."""
    meta = pq.ParquetFile(path).metadata
    try:
        index = meta.schema.to_arrow_schema().get_field_index(column)
    except Exception:  # an unreadable schema places the file nowhere: it overlaps everything
        return None
    if index < 0:
        return None
    low = high = None
    for g in range(meta.num_row_groups):
        stats = meta.row_group(g).column(index).statistics
        if meta.row_group(g).num_rows == 0:
            continue
        if stats is None or not stats.has_min_max:
            return None
        low = stats.min if low is None else min(low, stats.min)
        high = stats.max if high is None else max(high, stats.max)
    return low, high


def _files(root: Path, table: str, year: int) -> list[Path]:
    folder = root / table
    if table in YEARLY:  # the views read the year and the one before (connection.register_parquet)
        return [f for y in (year - 1, year) for f in sorted((folder / f"year={y}").glob("*.parquet"))]
    return sorted(folder.glob("*.parquet"))


def _overlaps(span, low: int | None, high: int | None) -> bool:
    if span is None:
        return True
    if span[0] is None:  # a file without rows
        return False
    return (high is None or span[0] <= high) and (low is None or span[1] >= low)


def _stat(f: Path):
    st = f.stat()
    return st.st_size, st.st_mtime_ns


def inputs(root: str | Path, year: int, span: Range) -> list[Path]:
    """The input files that may hold a range's rows for the year (module docstring), in a fixed order."""
    root = Path(root)
    found = []
    for table in BY_HOUSEHOLD:
        found += [f for f in _files(root, table, year) if _overlaps(_span(str(f), *_stat(f), "household_id"), *span)]
    people = _people(root, year, span)
    found += [f for f in _files(root, "persons", year)
              if people is None or any(_overlaps(_span(str(f), *_stat(f), "person_id"), *p) for p in people)]
    return found


def fingerprints(root: str | Path, year: int, spans: list[Range]) -> list[str]:
    """The input fingerprint of each partition: its input files' names, sizes and times."""
    root = Path(root)
    out = []
    for span in spans:
        lines = [f"{f.relative_to(root).as_posix()} {' '.join(map(str, _stat(f)))}" for f in inputs(root, year, span)]
        out.append(hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest())
    return out


def _people(root: Path, year: int, span: Range) -> list[tuple[int, int]] | None:
    """The person id spans of the persons_yearly files that may hold a range's rows; None when one has no
    statistics (it may name any person)."""
    found: list[tuple[int, int]] = []
    for f in _files(root, "persons_yearly", year):
        if _overlaps(_span(str(f), *_stat(f), "household_id"), *span):
            people = _span(str(f), *_stat(f), "person_id")
            if people is None:
                return None
            low, high = people
            if low is not None and high is not None:
                found.append((low, high))
    return found


def person_span(root: str | Path, year: int, span: Range) -> tuple[int, int] | None:
    """The person ids the persons_yearly rows of a range of households may name, so that a partial
    derivation reads only those persons; None when unknown or none."""
    people = _people(Path(root), year, span)
    if not people:
        return None
    return min(p[0] for p in people), max(p[1] for p in people)
