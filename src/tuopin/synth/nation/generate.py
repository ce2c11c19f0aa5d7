"""Generate the whole registry chunk by chunk into a snapshot folder.

A chunk is contiguous villages (`CHUNK_HOUSEHOLDS` ≈ 1.45 M persons by default), each written as its own
`part-NNNNN.parquet` per table and dropped. Everything goes into a hidden sibling folder renamed at the end, so a
failure leaves nothing half-written. numpy generators are seeded `[seed, part, chunk]`: the first years' story
and records `[seed, 1, chunk]`, the consolidation years' story `[seed, 4, chunk]` (always drawn to 2025: the
status events run to 2025 whichever yearly tables are written) and each of their yearly tables
`[seed, 5, chunk, year]` (decision 1460)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa

from tuopin import standards
from tuopin.common.steps import Progress, Steps
from tuopin.engine import derived

from . import consolidation, geography, households, persons, villages
from .writer import PartWriter

YEARS_ALLOWED = range(households.FIRST_YEAR, consolidation.LAST_YEAR + 1)   # 建档立卡 began in 2014
CHUNK_HOUSEHOLDS = 500_000        # ≈ 1.45 million persons: one part file per table and chunk


class SynthRefused(ValueError):
    """Arguments the generator cannot honour; the message says which and why."""


def parse_years(text: str) -> tuple[int, ...]:
    """`2018`, `2016-2018` (a range, both ends included) or `2016,2018` (a list)."""
    try:
        if "-" in text:
            first, last = (int(x) for x in text.split("-", 1))
            years = tuple(range(first, last + 1))
        else:
            years = tuple(sorted({int(x) for x in text.split(",") if x.strip()}))
    except ValueError:
        raise SynthRefused(f"--years {text!r}: give a year (2018), a range (2016-2018) or a list (2016,2018)") from None
    if not years:
        raise SynthRefused(f"--years {text!r} names no year")
    outside = [y for y in years if y not in YEARS_ALLOWED]
    if outside:
        raise SynthRefused(f"--years {text!r}: {outside[0]} is outside {YEARS_ALLOWED[0]}–{YEARS_ALLOWED[-1]}, "
                           "the years of the 建档立卡 registry")
    return years


def generate(out: str | Path, *, households_total: int, years: tuple[int, ...] = (2018,), seed: int = 1,
             chunk_households: int = CHUNK_HOUSEHOLDS, rows_per_file: int | None = None,
             say: Callable[[str], None] | None = None,
             progress: Progress | None = None, unmasked: bool = False) -> dict:
    """Write the registry into `out` (which must not exist or be empty); returns the manifest.

    Written into a sibling folder first and renamed at the end, so a failure leaves nothing half-written.
    `say` gets a line per stage; `progress(done, total)` counts the chunks written, then the derived tables.
    `unmasked` writes whole, valid ID numbers (made up like the rest) so that rosters can be linked by them.
    """
    out = Path(out)
    if households_total < 1:
        raise SynthRefused(f"--households {households_total}: give at least 1")
    if chunk_households < 1:
        raise SynthRefused("the chunk size must be at least 1 household")
    if not years:
        raise SynthRefused("no year to write")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SynthRefused(f"--out {out}: exists and is not an empty folder; name a new folder")
    national = standards.load("000000")
    line_fen = {y: national.poverty_line_fen(y) for y in years}
    # The consolidation years' story reads each year's poverty and monitoring lines from 2020 on.
    lines = {y: (national.poverty_line_fen(y), national.monitoring_line_fen(y))
             for y in range(households.LAST_YEAR, consolidation.LAST_YEAR + 1)}
    started = time.perf_counter()
    say = say or (lambda _msg: None)
    work = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        geo = geography.build(households_total, np.random.default_rng([seed, 0]))
        chunks = _chunks(geo.households, chunk_households)
        total = len(chunks) + len(years) * len(derived.TABLES)
        step = Steps(total, progress)
        manifest = _write(work, geo, chunks, households_total, years, seed, chunk_households, rows_per_file,
                          line_fen, lines, say, step, unmasked)
        manifest["generator"]["seconds"] = round(time.perf_counter() - started, 1)
        (work / "_snapshot.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        # The per-household rules' rows, by the engine's own rule text (decision 1002): assessments read them.
        derive_started = time.perf_counter()
        # derived.write counts its own tables from 0: each one after that is a step here.
        derived.write(work, years, say=say, progress=lambda done, _of: step() if done else None)
        manifest = json.loads((work / "_snapshot.json").read_text())  # with what derived.write recorded
        manifest["generator"]["derive_seconds"] = round(time.perf_counter() - derive_started, 1)
        (work / "_snapshot.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        if out.exists():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _write(root: Path, geo, chunks, total: int, years, seed: int, chunk_size: int, rows_per_file, line_fen, lines,
           say, chunk_done, unmasked: bool = False) -> dict:
    writer = PartWriter(root, **({"rows_per_file": rows_per_file} if rows_per_file else {}))
    writer.write("regions", geo.regions)
    say(f"geography: {geo.villages:,} villages in {len(geography.PROVINCES)} provinces")
    registered_persons = np.zeros(geo.villages, dtype=np.int64)
    for k, (v0, v1) in enumerate(chunks):
        rng = np.random.default_rng([seed, 1, k])
        first_id = int(geo.households[:v0].sum()) + 1
        later = lambda chunk, status_2020, k=k: consolidation.story(  # noqa: E731
            geo, chunk, status_2020, lines, 8 * (total + 1), np.random.default_rng([seed, 4, k]))
        chunk, hh_table, events = households.story(geo, v0, v1, first_id, rng, years, later=later,
                                                   current_year=consolidation.LAST_YEAR)
        person_table, facts = persons.members(geo, chunk, rng, unmasked=unmasked)
        school = None
        for year in years:
            if year <= households.LAST_YEAR:
                year_rng = rng
                table = households.yearly(geo, chunk, year, line_fen[year], rng)
            else:
                year_rng = np.random.default_rng([seed, 5, k, year])
                table = consolidation.yearly(geo, chunk, year, year_rng)
            writer.write("households_yearly", table, year=year)
            py, school = persons.yearly(chunk, facts, year, year_rng)
            writer.write("persons_yearly", py, year=year)
        assert school is not None  # generate() refuses an empty `years`
        person_table = person_table.set_column(person_table.schema.get_field_index("school_status"),
                                               "school_status", pa.array(school.astype(np.int8)))
        writer.write("households", hh_table)
        writer.write("persons", person_table)
        writer.write("status_events", events)
        registered_persons += np.bincount(chunk.village, weights=chunk.members,
                                          minlength=geo.villages).astype(np.int64)
        say(f"chunk {k + 1}: households {first_id:,}–{first_id + len(chunk.household_id) - 1:,}")
        chunk_done()
    base = villages.base_population(geo, registered_persons, np.random.default_rng([seed, 2]))
    for year in years:
        writer.write("villages_yearly", villages.yearly(geo, base, registered_persons, year,
                                                        np.random.default_rng([seed, 3, year])), year=year)
    return writer.finish({"masked": not unmasked,
                          "generator": {"synth": "tuopin.synth.nation", "seed": seed, "households": total,
                                        "years": list(years), "chunk_households": chunk_size}})


def _chunks(per_village: np.ndarray, size: int):
    """Runs of contiguous villages holding about `size` households each (a village is never split)."""
    ends = np.searchsorted(np.cumsum(per_village), np.arange(size, per_village.sum(), size), side="left") + 1
    bounds = np.unique(np.concatenate([[0], ends, [len(per_village)]]))
    return list(zip(bounds[:-1], bounds[1:]))
