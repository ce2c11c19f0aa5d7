"""Derived tables in a snapshot folder: the rows of the per-household rules (rules.DERIVED_RULES) computed
when the snapshot is written, by running the same rule text on DuckDB over the folder's own tables, so that
an assessment of the folder reads them instead of running those rules (decision 1002).

    DIR/derived/<rule>/year=YYYY/part-00000.parquet    the rule's rows for the year, sorted by household_id
                                                       (mpi_scores: by unit, which is the household_id)
    _snapshot.json  "derived": {rule: {"YYYY": {"sha256", "parameters", "parameters_sha256", "rows"}}}

`sha256` is the hash of the rendered text (parameters filled in) of the rule and of the derived rules before
it, which it may read (`chain`); `parameters` the standards values the rule's own text used; `derived_from` the fingerprint of the
input files (names, sizes, times). The runner reads a derived table only when that hash equals the hash of
the texts it would run now and the input files are those it was derived from; a changed rule, standard,
year or input file makes it run the rules again (and say so). Writing any table of the
snapshot again (snapshot.write_snapshot) drops the derived tables, which no longer describe it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

from tuopin import rules, standards
from tuopin.common.steps import Progress, Steps

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
         "mpi_scores": ("unit",)}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Every rule in the order the runner runs them: a derived table's hash covers the ones up to its own.
RUN_ORDER = (*rules.HOUSEHOLD_RULES, *rules.MPI_INPUT_RULES, rules.MPI_SCORE_RULE)
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


def sources(folder: str | Path, params: dict[str, str], year: int) -> dict[str, str]:
    """{rule: SQL reading its derived table} for the derived rules whose recorded hash equals the hash of
    the text rendered from `params` now; the others are left out (the runner runs them) and said so."""
    root = Path(folder)
    manifest = _manifest(root)
    recorded = manifest.get(FOLDER, {})
    if recorded and manifest.get("derived_from") != inputs_fingerprint(root):
        log.warning("%s: the tables changed after the derived tables were written; running every rule "
                    "(tuopin snapshot derive rewrites them)", root)
        return {}
    found = {}
    for name in rules.DERIVED_RULES:
        entry = recorded.get(name, {}).get(str(int(year)))
        files = _files(root, name, year)
        if entry is None:
            log.info("%s: no derived %s for %s; running the rule", root, name, year)
        elif entry.get("sha256") != chain(name, params) or not any(files.glob("*.parquet")):
            log.warning("%s: derived %s for %s was written from other rule text or standards; running the rule",
                        root, name, year)
        else:
            found[name] = (f"SELECT * FROM read_parquet('{files.as_posix()}/*.parquet', hive_partitioning = false)")
    return found


def write(folder: str | Path, years: list[int] | tuple[int, ...], *, say=lambda _msg: None,
          progress: Progress | None = None) -> dict:
    """Compute every derived rule for each year from the folder's own tables and record it; returns the
    manifest's "derived" section. Written beside the folder's tables first and moved in at the end, the
    manifest last, so a failure leaves the folder as it was. `progress(done, total)` counts the tables
    written (a rule in a year)."""
    root = Path(folder)
    manifest = _manifest(root)
    if not manifest:
        raise ValueError(f"{root}: not a snapshot folder (no {MANIFEST})")
    work = root / f".{FOLDER}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    entries: dict[str, dict[str, dict]] = {}
    step = Steps(len(years) * len(rules.DERIVED_RULES), progress)
    try:
        for year in years:
            params = rules.parameters(standards.load(STANDARDS), int(year))
            # Insertion order kept (unlike an assessment's connection): the files must come out sorted.
            con = connect(threads=os.cpu_count(), memory_limit=FOLDER_MEMORY_LIMIT)
            con.execute(f"SET temp_directory = '{spill_folder()}'")
            register_parquet(con, root, year=int(year))
            for name in rules.DERIVED_RULES:
                for view in VIEWS_BEFORE.get(name, ()):
                    con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {rules.render(view, params)}")
                sql = rules.render(name, params)
                target = work / name / f"year={int(year)}"
                target.mkdir(parents=True)
                order = ", ".join(ORDER.get(name, ("household_id",)))
                con.execute(f"COPY (SELECT * FROM ({sql}) ORDER BY {order}) TO "
                            f"'{(target / 'part-00000.parquet').as_posix()}' "
                            f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP})")
                # The rules after it read the rows just written, as an assessment would.
                files = f"read_parquet('{target.as_posix()}/*.parquet', hive_partitioning = false)"
                con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {files}")
                used = {k: params[k] for k in rules.placeholders(name)}
                rows = one_row(con, f"SELECT COUNT(*) FROM {files}")[0]
                entries.setdefault(name, {})[str(int(year))] = {
                    "sha256": chain(name, params), "parameters": used,
                    "parameters_sha256": digest(json.dumps(used, sort_keys=True, ensure_ascii=False)), "rows": rows}
                say(f"derived {name} {year}: {rows:,} rows")
                step()
            con.close()
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

