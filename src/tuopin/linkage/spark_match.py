"""`match.match` on Spark (`tuopin match --engine spark`): the same SQL (match.py's, DuckDB's dialect turned
into Spark's by sqlglot), the likeness pass scored by Splink's Spark backend, the same files out.

The model is not fitted on Spark: the u sample's persons and rows (a few hundred thousand at most, drawn by the
md5 of their ids, which Spark and DuckDB compute alike) are collected to the driver and `likeness.fit` fits u
there on DuckDB, as the DuckDB match does with the same records. Splink samples pairs by a hash each engine
computes its own way, so a model fitted on each engine would differ; fitted once, both score with the same m, u
and λ (decision 1575). The roster and the registry stay on Spark; the driver holds only the sample and the
counts. OUT/matches.parquet is one file, as DuckDB writes it."""

from __future__ import annotations

import functools
import json
import logging
import shutil
import time
from pathlib import Path

import pyarrow.parquet as pq

from tuopin.engine import spark_runner
from tuopin.engine.spark_runner import to_spark

from . import match as duck
from . import settings as linkage_settings
from .likeness import decide_sql, fields, fit
from .settings import COLUMNS, LinkageSettings


def match(registry_dir: str | Path, roster_path: str | Path, kind: str, out_dir: str | Path, *,
          spark=None, settings: LinkageSettings | None = None) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    settings = settings or linkage_settings.load()
    registry, out = Path(registry_dir), Path(out_dir)
    files = duck.roster_files(Path(roster_path))
    manifest = duck.read_manifest(registry)
    out.mkdir(parents=True, exist_ok=True)
    spark = spark_runner.connect(spark)
    cached = []

    def table(name: str, sql: str, *, cache: bool = False):
        # Only what is read again is cached: on a small roster most of Spark's time is planning, caching and
        # releasing, not rows.
        frame = spark.sql(to_spark(sql))
        if cache:
            frame = frame.cache()
            cached.append(frame)
        frame.createOrReplaceTempView(name)
        return frame

    try:
        persons_total = _views(spark, registry, files, roster_path)
        for name, sql, made_as in duck.ID_PASS:
            table(name, sql, cache=made_as == "table" and name != "shared_hashes")
        table("rest", duck.REST, cache=True)
        id_seconds, id_cpu = time.perf_counter() - started, time.process_time() - cpu
        table("keys", duck.KEYS)
        table("candidates", duck.CANDIDATES, cache=True)
        rest_count, candidates = spark.sql("SELECT (SELECT count(*) FROM rest), (SELECT count(*) FROM candidates)") \
            .collect()[0]
        likeness_started, likeness_cpu = time.perf_counter(), time.process_time()
        model = fit(rest_count, persons_total, lambda: spark.sql(to_spark(duck.u_rows(rest_count))).toArrow(),
                    lambda: spark.sql(to_spark(duck.u_persons(persons_total))).toArrow(), settings=settings)
        model = _score(spark, model, settings, table, rows=rest_count, candidates=candidates)
        likeness_seconds = time.perf_counter() - likeness_started
        likeness_cpu = time.process_time() - likeness_cpu
        model_path = duck.write_model(out, model)
        _write_one_file(table("matched", duck.OUTPUT), out / "matches.parquet")
    finally:
        for frame in cached:
            frame.unpersist()
    how = pq.read_table(out / "matches.parquet", columns=["how"])["how"].value_counts().to_pylist()
    counts = {entry["values"]: entry["counts"] for entry in how}
    return duck.summary(kind, counts, persons_total=persons_total, likeness_rows=rest_count,
                        likeness_candidates=candidates, id_seconds=id_seconds, id_cpu=id_cpu,
                        likeness_seconds=likeness_seconds, likeness_cpu=likeness_cpu,
                        seconds=time.perf_counter() - started, out=out, model_path=model_path, manifest=manifest,
                        engine="spark")


def _score(spark, model: dict, settings: LinkageSettings, table, *, rows: int, candidates: int) -> dict:
    """`likeness.link_by_likeness` on Spark: the fitted model's parameters, Splink's Spark backend; registers
    `linked` (likeness.RESULT's columns) and returns the model as it scored."""
    from pyspark.sql import functions as F
    from splink import Linker
    from splink.backends.spark import SparkAPI

    table("_lk_roster", f"SELECT row AS unique_id, {fields('village')} FROM rest")
    table("_lk_registry", f"SELECT person_id AS unique_id, {fields('village')} FROM candidates")
    model = json.loads(json.dumps(model))
    if not rows or not candidates:  # nothing to pair: Splink would refuse an empty input
        empty = spark.table("_lk_roster").select(F.col("unique_id").alias("row"))
        typed = {"person_id": "bigint", "match_weight": "double", "match_probability": "double",
                 "second_probability": "double", **{f"{c}_level": "string" for c in COLUMNS}}
        for name, kind in typed.items():
            empty = empty.withColumn(name, F.lit(None).cast(kind))
        empty.withColumn("decision", F.lit("none")).createOrReplaceTempView("linked")
        return model
    started, cpu = time.perf_counter(), time.process_time()
    # Persisted, not checkpointed to files: the session is local or the cluster's own, and no checkpoint
    # folder need be configured for it.
    api = SparkAPI(spark_session=spark, break_lineage_method="persist")
    frames_in = [api.register(t, dataset_display_name=t.removeprefix("_lk_")) for t in ("_lk_roster", "_lk_registry")]
    settings_in = {k: v for k, v in model.items() if k != "tuopin"} | {"sql_dialect": "spark"}
    linker = Linker(frames_in, settings_in, log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=0.001)
    model.update({k: v for k, v in linker.misc.save_model_to_json().items() if k not in ("tuopin", "sql_dialect")})
    predictions.as_spark_dataframe().createOrReplaceTempView("_lk_scored")
    table("linked", decide_sql("_lk_scored", "_lk_roster", settings))
    model["tuopin"].setdefault("seconds", {}).update(
        {"predict": round(time.perf_counter() - started, 2), "predict_cpu": round(time.process_time() - cpu, 2)})
    return model


def _views(spark, registry: Path, files: list[Path], roster_path) -> int:
    """Registers the views match.py's SQL reads; returns the registry's persons (from the files' footers: a
    count would be a Spark job)."""
    from pyspark.sql import functions as F

    parts = []
    for path, first in duck.first_rows(files):
        frame = spark.read.parquet(str(path))
        duck.check_columns(roster_path, set(frame.columns))
        # A row's number as DuckDB gives it: its place in its file, after the rows of the files before.
        parts.append(frame.select((F.col("_metadata.row_index") + F.lit(first + 1)).alias("row"),
                                  *duck.ROSTER_COLUMNS))
    functools.reduce(lambda a, b: a.unionByName(b), parts).createOrReplaceTempView("roster_numbered")
    for name in ("persons", "households", "regions"):
        spark.read.parquet(str(registry / name)).createOrReplaceTempView(f"_registry_{name}")
    spark.sql("SELECT person_id, id_number FROM _registry_persons").createOrReplaceTempView("person_ids")
    spark.sql(to_spark(duck.persons_sql("_registry_persons", "_registry_households", "_registry_regions"))) \
        .createOrReplaceTempView("persons")
    return sum(pq.ParquetFile(f).metadata.num_rows for f in (registry / "persons").glob("*.parquet"))


def _write_one_file(frame, path: Path) -> None:
    """The frame as one Parquet file at `path` (Spark writes a folder of parts: one part, moved out of it)."""
    folder = path.with_name(f".{path.name}.parts")
    # One partition by a shuffle (coalesce would run the whole query in one task), sorted within it (a global
    # sort would add a sampling job).
    frame.repartition(1).sortWithinPartitions("row").write.mode("overwrite").option("compression", "zstd").parquet(str(folder))
    (part,) = folder.glob("part-*.parquet")
    part.replace(path)
    shutil.rmtree(folder)
