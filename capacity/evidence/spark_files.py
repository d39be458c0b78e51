"""Spark reads results files itself: Parquet and CSV at any address Spark understands.

With `--engine spark`, `ResultsReader` (capacity/evidence/readers.py) opens a
long-format Parquet or CSV file here instead of reading it into Arrow: Spark
reads the file on its executors (a local path, `hdfs://`, `s3a://`, or any
filesystem the cluster has), and the checks (capacity/evidence/checks.py) run
as Spark queries over it. Nothing of the data passes through this process;
only the header, a few counts and the rows with problems come back.

Every row keeps the number a spreadsheet would give it (the header is row 1,
the first data row 2), so problems name the same rows as with DuckDB:

* **Parquet**: `_metadata.row_index`, the row's position in its file, plus 2.
  A directory of part files (as Spark writes them) is numbered as one file, its
  parts in name order.
* **CSV**: Spark reads the file's lines (split into blocks that are read in
  parallel); each line's number is its position in its block
  (`monotonically_increasing_id`, consecutive within a block) plus the lines of
  the blocks before it, counted in one small aggregate. A blank line counts as
  a row, as with DuckDB: it holds nothing and is skipped. Each line is then
  parsed with `from_csv`, every column as text under the header's names. A
  line with more or fewer values than the header is refused with its row, and
  the others are still checked. A value cannot span lines (as with DuckDB).
  One CSV file at a time: a directory is refused.
* **Encodings**: Spark reads text as UTF-8. A line that is not (it holds U+FFFD,
  the character Spark puts for bytes that are not UTF-8) refuses the file with
  its row, saying to save it as UTF-8 or to read it with DuckDB, which also
  reads Windows-1252.
"""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.utils.translation import gettext as _

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Spark puts this character where bytes are not UTF-8.
REPLACEMENT = "\ufffd"
CORRUPT = "_capacity_bad"
LINE = "_capacity_line"

Problem = Callable[[int | None, str, str], None]


def is_uri(text: str) -> bool:
    """True for an address with a scheme (hdfs://, s3a://, file://), which only Spark opens."""
    return bool(SCHEME.match(text))


class Refused(Exception):
    """The file cannot be read; the message says why, for the report."""


@dataclass
class SparkFile:
    """A file opened by Spark: its header, column types (Parquet) and a DataFrame with `row`.

    `frame` has `row` and the file's columns as `c0`, `c1`, ... in the header's order (CSV: all
    text, "" for an empty value; rows of the wrong width and the header left out).
    """

    header: list[str]
    types: list[pa.DataType] | None
    frame: Any
    bad_rows: list[tuple[int, int]]


def session() -> Any:
    from capacity.evidence.analytics import engines

    return engines.spark_session()


def _reason(exc: Exception) -> str:
    """The first line of a Spark error, without its class names and stack."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return re.sub(r"^\[[A-Z_.]+\]\s*", "", text).strip()


def _missing(exc: Exception) -> bool:
    text = str(exc)
    return "PATH_NOT_FOUND" in text or "Path does not exist" in text


def input_bytes(spark: Any, location: str) -> int | None:
    """The size of the file (or directory) at `location`, asked of its filesystem; None when it cannot tell."""
    try:
        jvm = spark.sparkContext._jvm
        path = jvm.org.apache.hadoop.fs.Path(location)
        fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        return int(fs.getContentSummary(path).getLength())
    except Exception:  # noqa: BLE001 - sizing is a hint; any failure leaves Spark's defaults
        return None


def size_shuffles(spark: Any, location: str) -> None:
    """Shuffle partitions from the input's size: about one per 64 MB, at least one per core.

    Adaptive execution (engines.spark_session) then merges the small ones.
    """
    size = input_bytes(spark, location)
    if size is None:
        return
    cores = max(1, int(spark.sparkContext.defaultParallelism))
    partitions = max(cores, -(-size // (64 << 20)))
    spark.conf.set("spark.sql.shuffle.partitions", str(min(partitions, 4000)))


def open_parquet(location: str) -> SparkFile:
    """A Parquet file (or directory of part files) opened by Spark, `row` from each row's index in its file."""
    from pyspark.errors import PySparkException
    from pyspark.sql import functions as F  # noqa: N812
    from pyspark.sql.pandas.types import to_arrow_type

    spark = session()
    try:
        frame = spark.read.parquet(location)
        files = sorted(frame.inputFiles())
    except PySparkException as exc:
        if _missing(exc):
            raise Refused(
                _("The file cannot be read: %(reason)s") % {"reason": _("there is no such file")}
            ) from exc
        raise Refused(
            _("The Parquet file cannot be opened: %(reason)s") % {"reason": _reason(exc)}
        ) from exc
    size_shuffles(spark, location)
    header = list(frame.columns)
    types = []
    for field in frame.schema.fields:
        try:
            types.append(to_arrow_type(field.dataType))
        except Exception:  # noqa: BLE001 - a type Arrow lacks is refused as unreadable by the reader
            types.append(pa.struct([]))
    columns = [frame[f"`{name}`"].alias(f"c{index}") for index, name in enumerate(header)]
    index = F.col("_metadata.row_index")
    if len(files) <= 1:
        row = index + F.lit(2)
        numbered = frame.select(row.cast("bigint").alias("row"), *columns)
    else:
        # Several part files: each is numbered after the rows of those before it by name.
        counts = {
            record["file"]: int(record["n"])
            for record in frame.groupBy(F.col("_metadata.file_path").alias("file"))
            .agg(F.count(F.lit(1)).alias("n"))
            .collect()
        }
        offsets, before = [], 0
        for name in sorted(counts):
            offsets.append((name, before))
            before += counts[name]
        table = spark.createDataFrame(offsets, "file string, offset bigint")
        tagged = frame.select(
            F.col("_metadata.file_path").alias("_file"), index.alias("_index"), *columns
        )
        joined = tagged.join(F.broadcast(table), tagged["_file"] == table["file"])
        numbered = joined.select(
            (F.col("_index") + F.col("offset") + F.lit(2)).cast("bigint").alias("row"),
            *(f"c{position}" for position in range(len(header))),
        )
    return SparkFile(header=header, types=types, frame=numbered, bad_rows=[])


def open_csv(location: str, *, local: Path | None, max_problems: int) -> SparkFile:
    """A CSV file read by Spark line by line, every column as text; raises Refused with the reason."""
    from pyspark.errors import PySparkException
    from pyspark.sql import functions as F  # noqa: N812

    from capacity.imports.sniff import binary_cause, delimiter_cause

    spark = session()
    if local is not None:
        # The same first look as every other import (a spreadsheet or a binary named .csv).
        try:
            with local.open("rb") as handle:
                head = handle.read(1 << 16)
        except FileNotFoundError as exc:
            raise Refused(
                _("The file cannot be read: %(reason)s") % {"reason": _("there is no such file")}
            ) from exc
        except OSError as exc:
            raise Refused(
                _("The file cannot be read: %(reason)s") % {"reason": exc.strerror}
            ) from exc
        cause = binary_cause(local, head, expect="csv")
        if cause is not None:
            raise Refused(cause)
    try:
        lines = spark.read.text(location)
        files = lines.inputFiles()
        first = lines.first()
    except PySparkException as exc:
        if _missing(exc):
            raise Refused(
                _("The file cannot be read: %(reason)s") % {"reason": _("there is no such file")}
            ) from exc
        raise Refused(_("The file cannot be read: %(reason)s") % {"reason": _reason(exc)}) from exc
    if len(files) > 1:
        raise Refused(
            _(
                "This is a directory of %(count)s files; give one CSV file, or the directory as Parquet."
            )
            % {"count": len(files)}
        )
    if first is None or not "".join(row[0] for row in lines.limit(50).collect()).strip():
        raise Refused(_("The file is empty."))
    size_shuffles(spark, location)
    first_line = str(first[0]).lstrip("\ufeff")
    header = [name.strip() for name in next(csv.reader([first_line]), [])]
    cause = delimiter_cause(header, first_line)
    if cause is not None:
        raise Refused(cause)

    # Each line's number: its place in its block, after the lines of the blocks before it.
    tagged = lines.select(
        F.col("value").alias(LINE),
        F.col("_metadata.file_block_start").alias("_block"),
        F.monotonically_increasing_id().alias("_id"),
    )
    blocks = (
        tagged.groupBy("_block")
        .agg(
            F.count(F.lit(1)).alias("n"),
            F.min("_id").alias("first"),
            F.min(F.when(_not_utf8(spark, F.col(LINE)), F.col("_id"))).alias("bad"),
        )
        .collect()
    )
    offsets, before, not_utf8 = [], 0, None
    for block in sorted(blocks, key=lambda record: record["_block"]):
        # A line's number (the header is 1) = its id - the block's first id + this.
        shift = before + 1 - int(block["first"])
        offsets.append((int(block["_block"]), shift))
        if block["bad"] is not None and not_utf8 is None:
            not_utf8 = int(block["bad"]) + shift
        before += int(block["n"])
    if not_utf8 is not None:
        raise Refused(
            _(
                "The file is not UTF-8 (row %(row)s is the first that is not). Spark reads UTF-8 only: save "
                "the file as UTF-8, or read it with --engine duckdb, which also reads Windows-1252."
            )
            % {"row": not_utf8}
        )
    table = spark.createDataFrame(offsets, "block bigint, shift bigint")
    numbered = tagged.join(F.broadcast(table), tagged["_block"] == table["block"]).select(
        (F.col("_id") + F.col("shift")).alias("row"), F.col(LINE)
    )
    numbered = numbered.filter(F.col("row") >= 2)
    width = len(header)
    schema = ", ".join([*(f"c{index} string" for index in range(width)), f"{CORRUPT} string"])
    parsed = numbered.select(
        "row",
        F.col(LINE),
        F.from_csv(
            F.col(LINE),
            schema,
            # RFC 4180 quoting ("" inside quotes is one "), as DuckDB and pyarrow read it.
            {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT, "escape": '"'},
        ).alias("_cells"),
    )
    blank = F.col(LINE) == ""
    # A line with the wrong number of values: refused with its row (blank lines are rows of blanks).
    wrong = ~blank & F.col(f"_cells.{CORRUPT}").isNotNull()
    bad_rows = []
    for record in (
        parsed.filter(wrong).select("row", LINE).orderBy("row").limit(max_problems).collect()
    ):
        values = next(csv.reader([str(record[LINE])]), [])
        bad_rows.append((int(record["row"]), len(values)))
    frame = parsed.filter(~wrong).select(
        "row",
        *(
            F.when(blank, F.lit(""))
            .otherwise(F.coalesce(F.col(f"_cells.c{index}"), F.lit("")))
            .alias(f"c{index}")
            for index in range(width)
        ),
    )
    return SparkFile(header=header, types=None, frame=frame, bad_rows=bad_rows)


def _not_utf8(spark: Any, line: Any) -> Any:
    """True for a line whose bytes are not UTF-8.

    Spark's text reader keeps a line's bytes as they are; Spark 4 tells valid UTF-8
    (`is_valid_utf8`), and older Spark is asked for U+FFFD, which it puts for bad bytes
    when it decodes.
    """
    from pyspark.errors import PySparkException
    from pyspark.sql import functions as F  # noqa: N812

    try:
        spark.sql("SELECT is_valid_utf8('a')").collect()
    except PySparkException:
        return F.instr(line, REPLACEMENT) > 0
    return ~F.call_function("is_valid_utf8", line)


def to_engine(con: Any, opened: SparkFile, position: dict[str, int], name: str) -> Any:
    """The opened file as an Ibis table on `con`: `row` and each present column under its canonical name."""
    frame = opened.frame.select(
        "row",
        *(opened.frame[f"c{index}"].alias(canonical) for canonical, index in position.items()),
    )
    frame.createOrReplaceTempView(name)
    return con.table(name)


# --- Progress -------------------------------------------------------------------------------------


@dataclass
class Tasks:
    """What Spark ran while `progress` watched: stages and tasks (finished, whatever their outcome)."""

    stages: int = 0
    tasks: int = 0


@contextmanager
def progress(console: Any, label: str = "Spark") -> Iterator[Tasks]:
    """Spark's running stages as the command's own progress bar on `console` (standard error).

    A thread asks Spark's status tracker four times a second for the active stages and shows
    their tasks, completed of total, with the first stage's name. Spark's own console
    progress is off (engines.SPARK_DEFAULTS). Yields the count of stages and tasks run.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    tracker = session().sparkContext.statusTracker()
    counted = Tasks()
    stop = threading.Event()
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = bar.add_task(label, total=None)

    def poll() -> None:
        while not stop.wait(0.25):
            try:
                infos = [tracker.getStageInfo(stage) for stage in tracker.getActiveStageIds()]
            except Exception:  # noqa: BLE001 - the session is closing; the bar just stops
                return
            infos = [info for info in infos if info is not None]
            if infos:
                name = str(infos[0].name).split(" at ")[0]
                bar.update(
                    task,
                    description=f"{label}: {name}",
                    total=sum(info.numTasks for info in infos),
                    completed=sum(info.numCompletedTasks for info in infos),
                )

    watcher = threading.Thread(target=poll, name="capacity-spark-progress", daemon=True)
    jobs_before = set(tracker.getJobIdsForGroup(None))
    with bar:
        watcher.start()
        try:
            yield counted
        finally:
            stop.set()
            watcher.join()
    # Every stage of the jobs run meanwhile, from Spark's own record (a skipped stage ran no task).
    stages: set[int] = set()
    for job in set(tracker.getJobIdsForGroup(None)) - jobs_before:
        info = tracker.getJobInfo(job)
        stages.update(info.stageIds if info is not None else ())
    for stage in stages:
        stage_info = tracker.getStageInfo(stage)
        if stage_info is not None and stage_info.numCompletedTasks:
            counted.stages += 1
            counted.tasks += stage_info.numCompletedTasks
