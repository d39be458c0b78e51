"""Connections to the engines the analytics run on, and loading tables into them.

`connect("duckdb")` (the default: in-process, fast on files), `connect("sqlite")`,
`connect("pyspark")` (local mode, needs Java and the `spark` extra) and
`connect("postgres", url=...)`. Tables arrive as Arrow tables or pandas frames
(or, for DuckDB, Parquet/CSV paths) and come back as Ibis tables.
"""

from __future__ import annotations

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


def spark_session() -> Any:
    """One local Spark session per process, quiet and small (2 cores)."""
    global _SPARK
    if _SPARK is None:
        from pyspark.sql import SparkSession

        _SPARK = (
            SparkSession.builder.master("local[2]")
            .appName("capacity")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "2g")
            .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="capacity-spark-"))
            .getOrCreate()
        )
        _SPARK.sparkContext.setLogLevel("ERROR")
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
