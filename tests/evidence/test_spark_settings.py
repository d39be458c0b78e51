"""Spark's session settings and file addresses, decided without starting Spark (fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from capacity.evidence.analytics.engines import SPARK_DEFAULTS, spark_settings
from capacity.evidence.readers import ResultsReader, parse_source
from capacity.evidence.spark_files import is_uri
from capacity.imports import ImportReport


def test_a_session_made_here_is_local_quiet_and_adaptive() -> None:
    master, settings = spark_settings({})
    assert master == "local[2]"
    assert settings["spark.ui.showConsoleProgress"] == "false"
    assert settings["spark.sql.adaptive.coalescePartitions.enabled"] == "true"
    assert settings["spark.driver.memory"] == "2g"


def test_the_environment_sets_master_memory_and_any_setting() -> None:
    master, settings = spark_settings(
        {
            "CAPACITY_SPARK_MASTER": "spark://head:7077",
            "CAPACITY_SPARK_DRIVER_MEMORY": "6g",
            "CAPACITY_SPARK_CONF": "spark.sql.files.maxPartitionBytes=64m, spark.executor.memory=8g",
        }
    )
    assert master == "spark://head:7077"
    assert settings["spark.driver.memory"] == "6g"
    assert settings["spark.sql.files.maxPartitionBytes"] == "64m"
    assert settings["spark.executor.memory"] == "8g"
    assert SPARK_DEFAULTS["spark.sql.files.maxPartitionBytes"] == "128m"  # defaults untouched


def test_under_spark_submit_its_master_and_memory_are_kept() -> None:
    master, settings = spark_settings({"PYSPARK_GATEWAY_PORT": "40000"})
    assert master is None
    assert "spark.driver.memory" not in settings and "spark.sql.warehouse.dir" not in settings


def test_a_setting_without_a_value_stops_with_its_name() -> None:
    with pytest.raises(ValueError, match="spark.executor.memory"):
        spark_settings({"CAPACITY_SPARK_CONF": "spark.executor.memory"})


def test_addresses_stay_whole_and_only_spark_reads_them() -> None:
    assert is_uri("hdfs://namenode:8020/data/results.parquet") and is_uri("s3a://b/r.csv")
    assert not is_uri("/data/results.parquet") and not is_uri("2018-19=results.csv")
    assert parse_source("2018-19=s3a://bucket/r.parquet") == ("2018-19", "s3a://bucket/r.parquet")
    assert parse_source("hdfs://nn/x/r.parquet") == (None, "hdfs://nn/x/r.parquet")
    assert parse_source("results.csv") == (None, Path("results.csv"))
    report = ImportReport(kind="results", source="test")
    reader = ResultsReader([parse_source("hdfs://nn/x/r.parquet")], report)
    reader.check()
    assert [(p.row, p.column, p.reason) for p in report.problems] == [
        (
            None,
            "",
            "Only Spark reads files at addresses like hdfs:// or s3a://: add --engine spark.",
        )
    ]
