"""Roster rows without a valid ID number linked to registry persons by likeness: a Fellegi–Sunter model (Splink on
DuckDB) over name, sex, birth date and place, with the blocking rules, levels and priors of linkage.toml.

    link_by_likeness(persons, rows) -> one row per roster row: the best candidate, its weight and probability,
    the agreement level of every compared field, and the decision 'match', 'review' or 'none'.

The model's parameters (m and u of every level, λ) travel with the result: `model_of(result)`."""

from __future__ import annotations

import json
import logging
import time
from typing import Callable

import duckdb
import pyarrow as pa

from tuopin.engine.connection import connect

from . import settings as linkage_settings
from .settings import COLUMNS, LinkageSettings

MODEL_KEY = b"tuopin.linkage.model"
# u is sampled against at most about this many persons (and rows to link): the national match draws them by a
# hash of their ids that DuckDB and Spark compute alike (match.py), so both engines fit on the same records.
U_SAMPLE = 200_000
RESULT = pa.schema([
    ("row", pa.int64()), ("person_id", pa.int64()), ("match_weight", pa.float64()),
    ("match_probability", pa.float64()), ("second_probability", pa.float64()),
    *[(f"{c}_level", pa.string()) for c in COLUMNS],
    ("decision", pa.string()),  # match review none
])


def link_by_likeness(persons: pa.Table, rows: pa.Table, *, settings: LinkageSettings | None = None,
                     persons_in_scope: int | None = None, u_sample: pa.Table | None = None,
                     model: dict | None = None, connection: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """`persons`: person_id, name, sex ('M'/'F'), birth_date, and village_code or village (the place: a code or a
    'county/township/village' path, the same kind as the rows'); `rows`: row, name, sex, birth_date, village.

    `persons_in_scope` (λ's denominator) defaults to the persons given: a caller that passes only the persons
    that share a block with some row (match.py) says how many there were before. `u_sample` is the persons u is
    sampled against (default `persons`). `model`, from `fit`, scores with parameters fitted beforehand (the
    national match fits once, whichever engine scores). Rows with no candidate come back with decision 'none'."""
    settings = settings or linkage_settings.load()
    scope = persons_in_scope or persons.num_rows
    con = connection or connect()
    if model is None:
        model = fit(rows.num_rows, scope, rows, u_sample if u_sample is not None else persons,
                    settings=settings, connection=con)
    model = json.loads(json.dumps(model))  # the caller's copy is not the one this run fills in
    if not rows.num_rows or not persons.num_rows:  # nothing to pair: Splink would refuse an empty input
        none = {"row": rows["row"], "decision": ["none"] * rows.num_rows}
        result = pa.table({f.name: none.get(f.name, pa.nulls(rows.num_rows, f.type)) for f in RESULT}).cast(RESULT)
        return result.replace_schema_metadata({MODEL_KEY: json.dumps(model, ensure_ascii=False)})
    con.register("_lk_persons_in", persons)
    con.register("_lk_rows_in", rows)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lk_registry AS SELECT person_id AS unique_id, "
                f"{fields(_place(persons))} FROM _lk_persons_in")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lk_roster AS SELECT row AS unique_id, {fields('village')} "
                "FROM _lk_rows_in")
    # Wall and CPU seconds (all threads): on a shared machine the CPU's are the figure.
    started, cpu = time.perf_counter(), time.process_time()
    scored = _predict(con, model)
    model["tuopin"].setdefault("seconds", {}).update(
        {"predict": round(time.perf_counter() - started, 2), "predict_cpu": round(time.process_time() - cpu, 2)})
    result = con.sql(decide_sql(scored, "_lk_roster", settings)).to_arrow_table()
    for table in ("_lk_registry", "_lk_roster", "_lk_scored"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    for view in ("_lk_persons_in", "_lk_rows_in"):
        con.unregister(view)
    result = result.cast(RESULT)
    return result.replace_schema_metadata({MODEL_KEY: json.dumps(model, ensure_ascii=False)})


def fit(rows_to_link: int, persons_in_scope: int, u_rows: pa.Table | Callable[[], pa.Table],
        u_persons: pa.Table | Callable[[], pa.Table], *, settings: LinkageSettings | None = None,
        connection: duckdb.DuckDBPyConnection | None = None) -> dict:
    """The model a run scores with: m from the priors, λ from the scope, u sampled from `u_rows` (row, name, sex,
    birth_date, village) × `u_persons` (as `link_by_likeness`'s persons; at most U_SAMPLE of them count) when the
    rows to link and the persons offer enough pairs (linkage.toml's prior), else the priors' u. The samples may
    be functions, called only when u is sampled. Always on DuckDB: Splink's sample is a hash of the records'
    ids, which each engine hashes its own way, so a model fitted here and scored on Spark has the parameters
    the DuckDB run scores with (decision 1575)."""
    settings = settings or linkage_settings.load()
    model = settings.splink(persons_in_scope)
    model["tuopin"] = {"persons_in_scope": persons_in_scope, "rows": rows_to_link, "u": "priors"}
    if not (rows_to_link * min(persons_in_scope, U_SAMPLE) >= settings.u_sampling_min_pairs
            and rows_to_link >= settings.u_sampling_min_rows):
        return model
    u_rows = u_rows() if callable(u_rows) else u_rows
    u_persons = u_persons() if callable(u_persons) else u_persons
    con = connection or connect()
    started, cpu = time.perf_counter(), time.process_time()
    # Sorted: the same records in the same order, whichever engine drew them.
    con.register("_lk_u_rows_in", u_rows.sort_by("row"))
    con.register("_lk_u_persons_in", u_persons.sort_by("person_id"))
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lk_u_roster AS SELECT row AS unique_id, {fields('village')} "
                "FROM _lk_u_rows_in")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lk_u_sample AS SELECT person_id AS unique_id, "
                f"{fields(_place(u_persons))} FROM _lk_u_persons_in")
    linker = _linker(con, ["_lk_u_roster", "_lk_u_sample"], model)
    linker.training.estimate_u_using_random_sampling(max_pairs=settings.u_sampling_max_pairs,
                                                     seed=settings.u_sampling_seed)
    trained = linker.misc.save_model_to_json()
    trained["tuopin"] = {**model["tuopin"], "u": f"sampled ({settings.u_sampling_max_pairs:,} pairs at most)",
                         "seconds": {"u": round(time.perf_counter() - started, 2),
                                     "u_cpu": round(time.process_time() - cpu, 2)}}
    for table in ("_lk_u_roster", "_lk_u_sample"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    for view in ("_lk_u_rows_in", "_lk_u_persons_in"):
        con.unregister(view)
    return trained


def model_of(result: pa.Table) -> dict:
    """The model's settings and parameters (Splink's JSON: m and u per level, λ) that produced `result`."""
    return json.loads((result.schema.metadata or {})[MODEL_KEY])


def _place(persons: pa.Table) -> str:
    return "CAST(village_code AS VARCHAR)" if "village_code" in persons.column_names else "village"


def fields(place: str) -> str:
    """The compared fields of a record in DuckDB's SQL (transpiled for Spark). """
    # Birth dates as YYYYMMDD text: the levels compare digits (one typed wrong, day and month swapped).
    # Sex as the registry writes it (M, F) or as a roster may (男, 女).
    return ("NULLIF(trim(name), '') AS name, "
            "CASE upper(trim(sex)) WHEN '男' THEN 'M' WHEN '女' THEN 'F' ELSE NULLIF(upper(trim(sex)), '') END AS sex, "
            "strftime(CAST(birth_date AS DATE), '%Y%m%d') AS birth_date, "
            "CAST(year(CAST(birth_date AS DATE)) AS VARCHAR) AS birth_year, "
            f"NULLIF(trim({place}), '') AS place")


def _linker(con, tables: list[str], model: dict):
    from splink import DuckDBAPI, Linker

    api = DuckDBAPI(connection=con)
    # The roster first: Splink puts the first data set's record on the left of each pair.
    frames = [api.register(t, dataset_display_name=t.removeprefix("_lk_")) for t in tables]
    return Linker(frames, {k: v for k, v in model.items() if k != "tuopin"}, log_level=logging.WARNING)


def _predict(con, model: dict) -> str:
    linker = _linker(con, ["_lk_roster", "_lk_registry"], model)
    # Pairs far below the review band can change no decision; keeping them would only grow the table.
    predictions = linker.inference.predict(threshold_match_probability=0.001)
    model.update({k: v for k, v in linker.misc.save_model_to_json().items() if k != "tuopin"})
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lk_scored AS SELECT * FROM {predictions.physical_name}")
    return "_lk_scored"


def decide_sql(scored: str, roster: str, settings: LinkageSettings) -> str:
    """Each roster row's best candidate and its decision, in DuckDB's SQL (transpiled for Spark)."""
    # Splink orders a pair's records by data set; whichever side the roster landed on, `row` is the roster's.
    side = ("CASE WHEN source_dataset_l = 'roster' THEN {l} ELSE {r} END")
    roster_id = side.format(l="unique_id_l", r="unique_id_r")
    person_id = side.format(l="unique_id_r", r="unique_id_l")
    levels = ", ".join(
        f"CASE gamma_{c} WHEN -1 THEN 'null' " + " ".join(
            f"WHEN {g} THEN '{label}'" for g, label in enumerate(settings.labels(c))) + f" END AS {c}_level"
        for c in COLUMNS)
    return f"""
        WITH pairs AS (
            SELECT {roster_id} AS row, {person_id} AS person_id, match_weight, match_probability, {levels},
                   row_number() OVER (PARTITION BY {roster_id} ORDER BY match_probability DESC, {person_id}) AS rank
            FROM {scored}),
        best AS (
            SELECT b.*, s.match_probability AS second_probability
            FROM pairs b LEFT JOIN pairs s ON s.row = b.row AND s.rank = 2
            WHERE b.rank = 1)
        SELECT r.unique_id AS row, b.person_id, b.match_weight, b.match_probability, b.second_probability,
               {", ".join(f"b.{c}_level" for c in COLUMNS)},
               CASE WHEN b.match_probability >= {settings.match}
                         AND coalesce(b.second_probability, 0) < {settings.review} THEN 'match'
                    WHEN b.match_probability >= {settings.review} THEN 'review'
                    ELSE 'none' END AS decision
        FROM {roster} r LEFT JOIN best b ON b.row = r.unique_id
        ORDER BY r.unique_id"""
