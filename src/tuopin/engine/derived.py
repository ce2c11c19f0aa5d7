"""Derived tables in a snapshot folder (`TABLES`): the rows of the per-household rules (rules.DERIVED_RULES)
and each village's sums over them (rules.PER_VILLAGE_RULES), computed
when the snapshot is written, by running the same rule text on DuckDB over the folder's own tables, so that
an assessment of the folder reads them instead of running those rules (decision 1002).

    DIR/derived/<rule>/year=YYYY/part-NNNNN.parquet    the rule's rows for the year, one file per partition
                                                       (engine/partitions.py: a province, or a range of
                                                       households), sorted by household_id (mpi_scores: by
                                                       unit, which is the household_id); NNNNN in id order
    _snapshot.json  "derived": {rule: {"YYYY": {"sha256", "parameters", "parameters_sha256", "rows",
                                                "partitions": [{"households", "province", "inputs", "rows",
                                                                "file"}]}}}

`sha256` is the hash of the rendered text (parameters filled in) of the rule and of the derived rules before
it, which it may read (`chain`); `parameters` the standards values the rule's own text used; `derived_from` the fingerprint of the
input files (names, sizes, times). The runner reads a derived table only when that hash equals the hash of
the texts it would run now and the input files are those it was derived from; a changed rule, standard,
year or input file makes it run the rules again (and say so). Writing any table of the
snapshot again (snapshot.write_snapshot) drops the derived tables, which no longer describe it. Deriving
again computes only the partitions whose `inputs` (partitions.fingerprints) or rule texts changed
(decision 1395).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Collection
from pathlib import Path

from tuopin import rules, standards
from tuopin.common.steps import Progress, Steps

from . import partitions
from .connection import FOLDER_MEMORY_LIMIT, connect, one_row, register_parquet, spill_folder
from .snapshot import DERIVED as FOLDER
from .snapshot import ROW_GROUP, SCHEMAS
from .snapshot import drop_derived as drop  # noqa: F401 (callers say derived.drop)

log = logging.getLogger(__name__)
MANIFEST = "_snapshot.json"
# The standards a snapshot folder is assessed under (`tuopin assess --data` reads the national ones).
STANDARDS = "000000"
# Row order of each derived table (a full order, so the files are the same from run to run).
ORDER = {"household_gaps": ("household_id", "indicator"), "exits": ("household_id", "effective_on", "persons"),
         "mpi_scores": ("unit",), "village_households": ("village_code", "township_code", "county_code"),
         "monitoring_candidates": ("household_id", "criterion"),
         "village_monitoring": ("village_code", "township_code", "county_code")}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Every rule in the order the runner runs them: a derived table's hash covers the ones up to its own.
RUN_ORDER = (*rules.HOUSEHOLD_RULES, *rules.MPI_INPUT_RULES, rules.MPI_SCORE_RULE, *rules.MONITORING_RULES)
# The tables a snapshot carries derived, in the order they run: the per-household rules and the villages' sums.
TABLES = tuple(name for name in RUN_ORDER if name in (*rules.DERIVED_RULES, *rules.PER_VILLAGE_RULES))
# mpi_scores reads these views (over the household rules' rows); they are no tables of their own.
VIEWS_BEFORE = {rules.MPI_SCORE_RULE: rules.MPI_INPUT_RULES}


def chain(name: str, params: dict[str, str]) -> str:
    """The hash a derived table is recorded under: the rendered text of its rule and of every rule run before
    it (household_result reads household_status and household_gaps: a change there changes it)."""
    upto = RUN_ORDER[:RUN_ORDER.index(name) + 1]
    return digest("\n;\n".join(rules.render(n, params) for n in upto))


def inputs_fingerprint(root: Path) -> str:
    """The hash of the input files' names, sizes and modification times: a table replaced or edited by hand
    after the derived tables were written makes them stale (a copy that keeps no times does too — re-derive)."""
    lines = []
    for table in sorted(SCHEMAS):
        for f in sorted((root / table).rglob("*.parquet")):
            st = f.stat()
            lines.append(f"{f.relative_to(root).as_posix()} {st.st_size} {st.st_mtime_ns}")
    return digest("\n".join(lines))


def _manifest(root: Path) -> dict:
    path = root / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _files(root: Path, name: str, year: int) -> Path:
    return root / FOLDER / name / f"year={int(year)}"


def sources(folder: str | Path, params: dict[str, str], year: int, *,
            only: Collection[str] = TABLES) -> dict[str, str]:
    """{rule: SQL reading its derived table} for the derived rules (those named in `only`) whose recorded hash
    equals the hash of the text rendered from `params` now; the others are left out (the runner runs them) and
    said so."""
    root = Path(folder)
    manifest = _manifest(root)
    recorded = manifest.get(FOLDER, {})
    if recorded and manifest.get("derived_from") != inputs_fingerprint(root):
        log.warning("%s: the tables changed after the derived tables were written; running every rule "
                    "(tuopin snapshot derive rewrites them)", root)
        return {}
    found = {}
    for name in (t for t in TABLES if t in only):
        entry = recorded.get(name, {}).get(str(int(year)))
        files = _files(root, name, year)
        if entry is None:
            log.info("%s: no derived %s for %s; running the rule", root, name, year)
        elif entry.get("sha256") != chain(name, params) or not any(files.glob("*.parquet")):
            log.warning("%s: derived %s for %s was written from other rule text or standards; running the rule",
                        root, name, year)
        elif "partitions" in entry and {f.name for f in files.glob("*.parquet")} != {
                p["file"] for p in entry["partitions"]}:
            log.warning("%s: derived %s for %s lacks a partition's file or holds one not recorded; running the "
                        "rule (tuopin snapshot derive rewrites it)", root, name, year)
        else:
            found[name] = (f"SELECT * FROM read_parquet('{files.as_posix()}/*.parquet', hive_partitioning = false)")
    return found


def _key(name: str) -> str:
    return ORDER.get(name, ("household_id",))[0]


def _in(column: str, span) -> str:
    low, high = span
    where = ([f"{column} >= {int(low)}"] if low is not None else []) + (
        [f"{column} <= {int(high)}"] if high is not None else [])
    return " AND ".join(where) or "TRUE"


def _reusable(manifest: dict, root: Path, year: int, params: dict[str, str], spans, prints) -> list[dict | None]:
    """Per partition, its recorded entries ({rule: partition record}) when every derived rule recorded it
    under today's rule text, with the same range and input fingerprint, and its files are there; else None."""
    recorded = manifest.get(FOLDER, {})
    found: list[dict | None] = [{} for _ in spans]
    for name in TABLES:
        entry = recorded.get(name, {}).get(str(int(year)), {})
        fresh = entry.get("sha256") == chain(name, params)
        parts = {(tuple(p["households"]), p["inputs"]): p for p in entry.get("partitions", ())} if fresh else {}
        for k, (span, mark) in enumerate(zip(spans, prints)):
            part = parts.get((tuple(span), mark))
            partition = found[k]
            if partition is None or part is None or not (_files(root, name, year) / part["file"]).is_file():
                found[k] = None
            else:
                partition[name] = part
    return found


# The most households one pass computes together: beyond this, adjacent stale partitions are run in passes of
# their own. One pass over 30 million households ran out of DuckDB's memory limit (the monitoring rule keeps the
# households it judges, most of them, for its seven reasons), where passes of about 4 million peaked at 1.2 GB
# and took less time (docs/benchmarks.md, "National scale").
RUN_HOUSEHOLDS = 4_000_000


def _runs(stale: list[int], households: list[int]) -> list[list[int]]:
    """Adjacent stale partitions, run together (one pass over their households) up to RUN_HOUSEHOLDS a pass;
    a partition larger than that is a pass of its own. `households`: each partition's count."""
    runs: list[list[int]] = []
    for k in stale:
        if runs and runs[-1][-1] == k - 1 and sum(households[j] for j in runs[-1]) + households[k] <= RUN_HOUSEHOLDS:
            runs[-1].append(k)
        else:
            runs.append([k])
    return runs


def write(folder: str | Path, years: list[int] | tuple[int, ...], *, say=lambda _msg: None,
          progress: Progress | None = None) -> dict:
    """Compute the derived rules for each year from the folder's own tables and record them; returns the
    manifest's "derived" section. One file per partition (engine/partitions.py): partitions whose inputs and
    rule texts are those recorded are kept as they are, the others computed again, adjacent ones in one pass
    (decision 1395). Written beside the folder's tables first and moved in at the end, the manifest last, so
    a failure leaves the folder as it was. `progress(done, total)` counts the tables written (a rule in a
    year, kept or computed)."""
    root = Path(folder)
    manifest = _manifest(root)
    if not manifest:
        raise ValueError(f"{root}: not a snapshot folder (no {MANIFEST})")
    work = root / f".{FOLDER}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    entries: dict[str, dict[str, dict]] = {}
    step = Steps(len(years) * len(TABLES), progress)
    try:
        for year in years:
            entries_of_year = _write_year(root, work, manifest, int(year), say, step)
            for name, entry in entries_of_year.items():
                entries.setdefault(name, {})[str(int(year))] = entry
        for name, by_year in entries.items():
            for year_key in by_year:
                final = _files(root, name, int(year_key))
                shutil.rmtree(final, ignore_errors=True)
                final.parent.mkdir(parents=True, exist_ok=True)
                (work / name / f"year={year_key}").rename(final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    manifest["derived_from"] = inputs_fingerprint(root)
    section = manifest.setdefault(FOLDER, {})
    for name, by_year in entries.items():
        section.setdefault(name, {}).update(by_year)
    partial = root / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    partial.replace(root / MANIFEST)
    return section


def _write_year(root: Path, work: Path, manifest: dict, year: int, say, step) -> dict:
    params = rules.parameters(standards.load(STANDARDS), year)
    # Insertion order kept (unlike an assessment's connection): the files must come out sorted.
    con = connect(threads=os.cpu_count(), memory_limit=FOLDER_MEMORY_LIMIT)
    con.execute(f"SET temp_directory = '{spill_folder()}'")
    register_parquet(con, root, year=year)
    parts = partitions.sized(con, year)
    spans = [span for span, _, _ in parts]
    prints = partitions.fingerprints(root, year, spans)
    kept = _reusable(manifest, root, year, params, spans, prints)
    stale = [k for k, found in enumerate(kept) if found is None]
    say(f"derived {year}: {len(stale)} of {len(spans)} partitions computed, {len(spans) - len(stale)} kept "
        "(their inputs and rule texts unchanged)")
    rows: dict[str, dict[int, int]] = {name: {} for name in TABLES}
    for r, run in enumerate(_runs(stale, [n for _, _, n in parts])):
        households = (spans[run[0]][0], spans[run[-1]][1])
        register_parquet(con, root, year=year, households=households)
        people = partitions.person_span(root, year, households) if households != (None, None) else None
        if people is not None:  # a partial pass reads only the persons its persons_yearly rows may name
            con.execute(f"CREATE OR REPLACE VIEW persons AS SELECT * FROM read_parquet("
                        f"'{(root / 'persons').as_posix()}/*.parquet') WHERE {_in('person_id', people)}")
        done: dict[str, str] = {}  # the per-household rules written in this pass, as sources to read
        for name in TABLES:
            for view in VIEWS_BEFORE.get(name, ()):
                con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {rules.render(view, params)}")
            order = ", ".join(ORDER.get(name, ("household_id",)))
            target = work / name / f"year={year}"
            target.mkdir(parents=True, exist_ok=True)
            if name in rules.PER_VILLAGE_RULES:  # rows per village: each partition from its own households
                for k in run:
                    for before, source in done.items():
                        con.execute(f"CREATE OR REPLACE TEMP VIEW {before} AS SELECT * FROM {source} "
                                    f"WHERE {_in(_key(before), spans[k])}")
                    rows[name][k] = _copy(con, f"SELECT * FROM ({rules.render(name, params)}) ORDER BY {order}",
                                          target / f"part-{k:05d}.parquet")
                for before, source in done.items():
                    con.execute(f"CREATE OR REPLACE TEMP VIEW {before} AS SELECT * FROM {source}")
                continue
            whole = work / "runs" / f"{name}-{year}-{r}.parquet"
            whole.parent.mkdir(parents=True, exist_ok=True)
            _copy(con, f"SELECT * FROM ({rules.render(name, params)}) ORDER BY {order}", whole)
            # The rules after it read the rows just written, as an assessment would.
            source = f"read_parquet('{whole.as_posix()}', hive_partitioning = false)"
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {source}")
            done[name] = source
            for k in run:  # a sorted file read in order, so each partition's file comes out sorted
                rows[name][k] = _copy(con, f"SELECT * FROM {source} WHERE {_in(_key(name), spans[k])}",
                                      target / f"part-{k:05d}.parquet")
    con.close()
    entries = {}
    for name in TABLES:
        target = work / name / f"year={year}"
        target.mkdir(parents=True, exist_ok=True)
        records = []
        for k, (span, province, _) in enumerate(parts):
            file = f"part-{k:05d}.parquet"
            stored = kept[k]
            if stored is not None:  # linked, not moved: the folder stays whole until the swap
                _link(_files(root, name, year) / stored[name]["file"], target / file)
                count = stored[name]["rows"]
            else:
                count = rows[name][k]
            records.append({"households": list(span), "province": province, "inputs": prints[k],
                            "rows": count, "file": file})
        used = {k: params[k] for k in rules.placeholders(name)}
        entries[name] = {"sha256": chain(name, params), "parameters": used,
                         "parameters_sha256": digest(json.dumps(used, sort_keys=True, ensure_ascii=False)),
                         "rows": sum(p["rows"] for p in records), "partitions": records}
        say(f"derived {name} {year}: {entries[name]['rows']:,} rows")
        step()
    return entries


def _copy(con, select: str, path: Path) -> int:
    """The rows of `select` into one Parquet file of the snapshot's shape; how many."""
    return one_row(con, f"COPY ({select}) TO '{path.as_posix()}' "
                        f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP})")[0]


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
