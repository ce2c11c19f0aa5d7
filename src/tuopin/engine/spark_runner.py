"""Run the rules on Spark: the same rule files as `duckdb_runner`, transpiled by sqlglot from DuckDB's
dialect to Spark's, over a snapshot folder (local, HDFS, S3) or over Arrow tables (a county from the live
registry). Returns the same `Result`, so whatever summarises a DuckDB run summarises this one.

Framework-free like the rest of the engine; PySpark is imported only here (and in `spark_submit`).
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Mapping

import pyarrow as pa
import pyarrow.compute as pc
import sqlglot
from sqlglot import exp

from tuopin import rules

from .duckdb_runner import INPUT_TABLES, Result
from .snapshot import YEARLY

# Semantics the rules rely on, set on every session, local or on a cluster: ANSI arithmetic (an overflow
# is an error, as in DuckDB, not a silent wrap-around) and dates read without a local time zone.
SQL_CONF = {
    "spark.sql.ansi.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
}
# The in-process session (tests, `tuopin assess --engine spark`): local threads, no UI, nothing listening
# beyond the loopback interface, few shuffle partitions. Adaptive execution is off: it runs each shuffle
# stage as a job of its own, which on a county's rows tripled the jobs and doubled the time of a run, and
# with four partitions there is nothing left for it to coalesce.
LOCAL_CONF = {
    "spark.master": "local[*]",
    "spark.app.name": "tuopin",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.adaptive.enabled": "false",
    "spark.default.parallelism": "4",
}
# Errors only: Spark's INFO and WARN lines would bury a command's output.
LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""

_session = None


class SparkUnavailable(RuntimeError):
    """PySpark is not installed or its JVM does not start (no Java 17+ on the PATH or in JAVA_HOME)."""


class SparkMissing(SparkUnavailable):
    """PySpark is not installed: it is the optional `spark` extra (`pip install 'tuopin[spark]'`)."""


INSTALL_HINT = ("the Spark engine needs PySpark, which is not installed: pip install 'tuopin[spark]' "
                "(and Java 17 or later to run it)")


def session():
    """The process's one local SparkSession (starting the JVM costs seconds; later calls cost nothing).

    `TUOPIN_SPARK_MEMORY` sets the driver's heap (default 2g), which in local mode is all of Spark's."""
    global _session
    if _session is None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise SparkMissing(INSTALL_HINT) from None
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        log_conf = Path(tempfile.gettempdir()) / "tuopin-spark-log4j2.properties"
        log_conf.write_text(LOG4J2)
        builder = SparkSession.builder
        for key, value in {**LOCAL_CONF, **SQL_CONF}.items():
            builder = builder.config(key, value)
        builder = (builder.config("spark.driver.memory", os.environ.get("TUOPIN_SPARK_MEMORY", "2g"))
                   .config("spark.jars", splink_jar())
                   .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log_conf}"))
        try:
            _session = builder.getOrCreate()
        except Exception as exc:  # PySparkRuntimeError (JAVA_GATEWAY_EXITED) and the like
            raise SparkUnavailable(f"Spark did not start: {exc}. It needs Java 17 or later "
                                   "(java on the PATH or JAVA_HOME).") from None
        _session.sparkContext.setLogLevel("ERROR")
    return _session


def splink_jar() -> str:
    """Splink's Scala functions (damerau_levenshtein, which linkage.toml's levels compare with): a jar loaded when
    the JVM starts, so on every session, whether or not it will link rosters (`tuopin match --engine spark`)."""
    from splink.backends.spark import similarity_jar_location

    return similarity_jar_location()


def connect(spark=None):
    """A session of its own over the shared SparkContext: temp views registered on it are not seen by
    another caller's (like a DuckDB cursor), while the JVM, executors and cache are shared."""
    isolated = (spark or session()).newSession()
    for key, value in SQL_CONF.items():
        isolated.conf.set(key, value)
    return isolated


# Arrow tables below this many bytes (Spark's default: 48 MB, which a whole county's inputs stay under)
# would become LocalRelations: their rows written into the query plan itself. Every rule's plan then
# carries every input row through the analyser and the optimiser, which copy the plan rule by rule, and
# a county's 175,000 persons filled a 2 GB heap before any job ran. At 0 the rows go to the executors as
# an RDD, as a Parquet scan's would, and the plans hold only a reference to them.
ARROW_INLINE_BYTES = "0"


def register_arrow(spark, tables: Mapping[str, pa.Table]) -> None:
    """Temp views over Arrow tables (a county read from the live registry), kept out of the query plans."""
    spark.conf.set("spark.sql.execution.arrow.localRelationThreshold", ARROW_INLINE_BYTES)
    for name, table in tables.items():
        spark.createDataFrame(table).createOrReplaceTempView(name)


def register_parquet(spark, directory: str | Path, *, year: int | None = None) -> None:
    """Temp views over a snapshot folder (a local path or any Hadoop URI: hdfs://, s3a://); yearly tables
    are limited to the year and the one before if given, which Spark prunes to those `year=` folders."""
    from pyspark.sql import functions as F

    root = str(directory).rstrip("/")
    for name in INPUT_TABLES:
        folder = f"{root}/{name}"
        if not _exists(spark, folder):
            continue
        frame = spark.read.option("basePath", folder).parquet(folder)
        if name in YEARLY and year:
            frame = frame.where(F.col("year").isin(year - 1, year))
        frame.createOrReplaceTempView(name)


def region_names(spark, deepest: int) -> dict[int, str]:
    """Names of the snapshot's regions down to a level (0 province … 4 village), by code."""
    if not spark.catalog.tableExists("regions"):
        return {}
    rows = spark.sql(f"SELECT code, name FROM regions WHERE level <= {int(deepest)}").collect()
    return {int(row["code"]): row["name"] for row in rows}


def _exists(spark, uri: str) -> bool:
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(path)


def execute(spark, params: dict[str, str], *, levels: tuple[str, ...] = ("township", "county")) -> dict:
    """Run the rules in `duckdb_runner.run`'s order, each registered as a temp view named after its file
    (the household rules and the Alkire–Foster scores cached, as DuckDB keeps them as tables). Returns the
    Spark DataFrames by name: each rule's, and per level `area_<level>` (area_result with p0 p1 p2) and
    `mpi_<level>`. Inputs must be registered on `spark`; call `release` once the frames have been read."""
    frames = {}

    def rule(name: str, sql: str, *, view: str | None = None, cache: bool = True):
        frame = spark.sql(to_spark(sql))
        frame = frame.cache() if cache else frame
        frame.createOrReplaceTempView(view or name)
        frames[view or name] = frame
        return frame

    for name in rules.HOUSEHOLD_RULES:
        rule(name, rules.render(name, params))
    for name in rules.MPI_INPUT_RULES:
        rule(name, rules.render(name, params), cache=False)
    rule(rules.MPI_SCORE_RULE, rules.render(rules.MPI_SCORE_RULE, params))
    for name in rules.MONITORING_RULES:
        rule(name, rules.render(name, params))
    for level in ("village", *levels):
        frames[f"monitoring_{level}"] = spark.sql(
            to_spark(rules.render(rules.MONITORING_AREA_RULE, params, area=level)))
    for level in levels:
        frames[f"mpi_{level}"] = spark.sql(to_spark(rules.render(rules.MPI_AREA_RULE, params, area=level)))
        rule("area_result", rules.render("area_result", params, area=level), view=f"_area_{level}")
        fgt = to_spark(rules.render("fgt", params, area=level))
        frames[f"area_{level}"] = spark.sql(
            f"SELECT a.*, f.p0, f.p1, f.p2 FROM _area_{level} a LEFT JOIN ({fgt}) f ON f.code = a.code")
    return frames


def release(frames: dict) -> None:
    for frame in frames.values():
        frame.unpersist()


def run(spark, params: dict[str, str], *, year: int, levels: tuple[str, ...] = ("township", "county"),
        households: bool = True) -> Result:
    """`duckdb_runner.run` on Spark: the same rules in the same order, the same Arrow tables, the same order
    of rows. `households=False` leaves the per-household tables empty, as there."""
    frames = execute(spark, params, levels=levels)
    detail = (lambda frame: frame) if households else (lambda frame: frame.limit(0))
    try:
        return Result(
            year=year,
            household_gaps=_arrow(detail(frames["household_gaps"]), "household_id", "indicator"),
            household_result=_arrow(detail(frames["household_result"]), "household_id"),
            village_result=_arrow(frames["village_result"], "village_code"),
            areas=_by_level(frames, "area", levels, ("code",)),
            mpi=_by_level(frames, "mpi", levels, ("code", "indicator")),
            gaps_of_poor=gaps_of_poor(spark),
            monitoring_candidates=_arrow(detail(frames["monitoring_candidates"]), "household_id", "criterion"),
            monitoring_result=_arrow(detail(frames["monitoring_result"]), "household_id"),
            monitoring=_by_level(frames, "monitoring", ("village", *levels), ("code",)),
        )
    finally:
        release(frames)


def gaps_of_poor(spark) -> dict[str, int]:
    """Gap rows of the households poor at the end of the year, per indicator (the summary's `gaps`)."""
    rows = spark.sql("SELECT g.indicator, COUNT(*) AS n FROM household_gaps g JOIN household_result r "
                     "ON r.household_id = g.household_id WHERE r.poor_at_end GROUP BY g.indicator").collect()
    return {row["indicator"]: int(row["n"]) for row in rows}


def _by_level(frames: dict, prefix: str, levels: tuple[str, ...], order: tuple[str, ...]) -> dict[str, pa.Table]:
    """Every level's frame in one Spark job (each level alone is a job, and on a county most of a job's
    cost is starting it), parted again in Arrow."""
    if not levels:
        return {}
    from pyspark.sql import functions as F

    tagged = [frames[f"{prefix}_{level}"].withColumn("_level", F.lit(level)) for level in levels]
    table = _arrow(functools.reduce(lambda a, b: a.unionByName(b), tagged), *order)
    return {level: table.filter(pc.equal(table["_level"], level)).drop_columns(["_level"]) for level in levels}


def _arrow(frame, *order: str) -> pa.Table:
    """The frame as Arrow, sorted in Arrow (a Spark ORDER BY costs a sampling job and a shuffle for rows
    that are collected anyway), its columns nullable as DuckDB leaves them."""
    table = frame.toArrow()
    table = table.cast(pa.schema([f.with_nullable(True) for f in table.schema]))
    return table.sort_by([(name, "ascending") for name in order]) if order else table


@functools.lru_cache(maxsize=512)
def to_spark(sql: str) -> str:
    """One rule's text in Spark's dialect. sqlglot does the translation; one DuckDB rule it cannot know
    is added here: DuckDB's `/` gives a DOUBLE for every operand type, decimals included (`SUM(x) * 1.0 /
    n`), where Spark keeps a DECIMAL rounded to 6 places. Casting the dividend to DOUBLE gives Spark
    DuckDB's result, to the bit, and changes nothing where the dividend already was one."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    return tree.transform(_double_division).sql(dialect="spark")


def _double_division(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Div) and not (isinstance(node.this, exp.Cast) and node.this.to.is_type("double")):
        node.set("this", exp.cast(node.this, exp.DataType.build("double")))
    return node
