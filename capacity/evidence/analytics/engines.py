"""Connections to the engines the analytics run on, and loading tables into them.

`connect("duckdb")` (the default: in-process, fast on files), `connect("sqlite")`,
`connect("pyspark")` (local mode, needs Java and the `spark` extra) and
`connect("postgres", url=...)`. Tables arrive as Arrow tables or pandas frames
(or, for DuckDB, Parquet/CSV paths) and come back as Ibis tables.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

ENGINES = ("duckdb", "sqlite", "pyspark", "postgres")


def connect(engine: str = "duckdb", *, url: str | None = None) -> Any:
    """An Ibis backend for `engine`."""
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "sqlite":
        return ibis.sqlite.connect()
    if engine in ("pyspark", "spark"):
        return ibis.pyspark.connect(spark_session())
    if engine == "postgres":
        if not url:
            raise ValueError("The postgres engine needs a url, like postgres://user@host/db.")
        return ibis.connect(
            url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
        )
    raise ValueError(f"Unknown engine {engine!r}: use one of {', '.join(ENGINES)}.")


_SPARK: Any = None

# Spark settings the session starts with, for data of any size on any cluster. The input's
# size sets the shuffle partitions when a file is read (capacity/evidence/spark_files.py);
# adaptive execution merges small ones, so a small file runs in a few tasks.
SPARK_DEFAULTS = {
    "spark.app.name": "capacity",
    "spark.ui.enabled": "false",
    # The command shows Spark's tasks in its own progress bar (spark_progress), not Spark's.
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
    "spark.sql.adaptive.advisoryPartitionSizeInBytes": "64m",
    "spark.sql.files.maxPartitionBytes": "128m",
    "spark.sql.shuffle.partitions": "8",
}


def spark_settings(environ: Any = None) -> tuple[str | None, dict[str, str]]:
    """(master, settings) for the Spark session, from SPARK_DEFAULTS and the environment.

    CAPACITY_SPARK_MASTER (default local[2]; ignored under spark-submit, which gives its
    own), CAPACITY_SPARK_DRIVER_MEMORY (default 2g, local mode only) and CAPACITY_SPARK_CONF,
    extra key=value settings separated by spaces or commas, which win over the defaults.
    """
    environ = os.environ if environ is None else environ
    settings = dict(SPARK_DEFAULTS)
    submitted = "PYSPARK_GATEWAY_PORT" in environ  # launched by spark-submit (or pyspark)
    master = environ.get("CAPACITY_SPARK_MASTER") or (None if submitted else "local[2]")
    if not submitted:
        settings["spark.driver.memory"] = environ.get("CAPACITY_SPARK_DRIVER_MEMORY") or "2g"
        settings["spark.sql.warehouse.dir"] = tempfile.mkdtemp(prefix="capacity-spark-")
    for item in re.split(r"[\s,]+", environ.get("CAPACITY_SPARK_CONF", "").strip()):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(
                f"CAPACITY_SPARK_CONF holds {item!r}: give settings as key=value, "
                "like spark.executor.memory=4g."
            )
        settings[key.strip()] = value.strip()
    return master, settings


def spark_session() -> Any:
    """One Spark session per process: the one already running (spark-submit), or one made here.

    Quiet: no console progress, and Spark's log at ERROR.
    """
    global _SPARK
    if _SPARK is None:
        from pyspark.sql import SparkSession

        master, settings = spark_settings()
        builder = SparkSession.builder
        if master and SparkSession.getActiveSession() is None:
            builder = builder.master(master)
        for key, value in settings.items():
            builder = builder.config(key, value)
        _SPARK = builder.getOrCreate()
        _SPARK.sparkContext.setLogLevel("ERROR")
        # PySpark logs each failed query (a missing file) as JSON on stderr; the command says it itself.
        logging.getLogger("DataFrameQueryContextLogger").setLevel(logging.CRITICAL)
    return _SPARK


def load_table(con: Any, name: str, data: Any, *, temp: bool = True) -> ir.Table:
    """Put an Arrow table, pandas frame or (DuckDB only) a Parquet/CSV path into `con` as `name`."""
    if isinstance(data, (str, Path)):
        path = str(data)
        if path.endswith(".parquet"):
            return con.read_parquet(path, table_name=name)
        return con.read_csv(path, table_name=name)
    if con.name == "pyspark":
        # A temporary view over a Spark DataFrame built from Arrow. Going
        # through pandas would turn nullable integers into floats, which Spark
        # then silently nulls in a bigint column; and create_table would write
        # a managed table to the warehouse, which takes seconds per table.
        if isinstance(data, ir.Table):
            return con.create_view(name, data, overwrite=True)
        import pyarrow as pa

        arrow = (
            data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
        )
        spark_session().createDataFrame(arrow).createOrReplaceTempView(name)
        return con.table(name)
    kwargs: dict[str, Any] = {"overwrite": True}
    if temp and con.name in ("duckdb", "sqlite", "postgres"):
        kwargs["temp"] = True
    return con.create_table(name, data, **kwargs)
