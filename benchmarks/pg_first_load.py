"""The first load of a school year's results on PostgreSQL: a partition of its own vs the upsert.

    DATABASE_URL=postgres://postgres@127.0.0.1:55433/capacity CAPACITY_VAR_DIR=/tmp/bench \\
        .venv/bin/python benchmarks/pg_first_load.py --rows 1000000 --rows 10000000

PostgreSQL only. For each size, one long-format CSV of that many results for
one school year new to the database (2031-32) is generated once, from
`--schools` schools (created in a board of their own, "Benchmark board", when
the directory has fewer; 100,000 by default, a national directory): every
school x the six Grade 3 and 6 assessments x as many student groups as it
takes ("all", "female", "male", then "group-04", ...), with the four level
percentages and about one result in twenty-five not reported. Then, timed:

1. **first load**: the year has no partition, so the importer builds one
   (COPY into a standalone table, indexes built once, foreign keys checked
   once when it is attached; capacity/evidence/partitions.py);
2. **the same file again**: every row unchanged (the upsert path);
3. **baseline, the upsert path**: the year's partition is dropped and
   created again empty, so the importer upserts every row into it, which is
   what a first load cost before partitions (COPY into a temporary table,
   then one INSERT ... ON CONFLICT through the indexes and a deferred
   foreign-key check per row).

What is timed is `import_results`, the function `capacity import results`
calls: reading and checking the file, looking up every school and assessment,
writing, counting, auditing and committing. Not timed: the command's start-up,
and the listeners of `results_changed` (an identification proposal and cache
warming; they run after the commit and are disconnected here). The figures
from inside the first load (COPY, indexes, attach, ANALYZE) are summed from
timers wrapped around the writer's steps; COPY overlaps with reading, which
runs in a thread. Two more lines split the import in two: reading, checking
and looking up the schools alone (the batches are kept in memory), then the
writing alone on those batches, as `import_results` runs the writer (in one
transaction: COPY, indexes, ANALYZE, attach, commit), which is the part a
partition of its own changes.

The year's partition is dropped at the end, so the database is left as found.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from capacity.directory.models import Board, Province, School  # noqa: E402
from capacity.evidence import partitions  # noqa: E402
from capacity.evidence.importers import results as importer  # noqa: E402
from capacity.evidence.importers.results import import_results  # noqa: E402
from capacity.evidence.readers import KIND, ResultsReader  # noqa: E402
from capacity.evidence.services import assessments_ensure  # noqa: E402
from capacity.evidence.signals import results_changed  # noqa: E402
from capacity.imports import ImportReport  # noqa: E402

YEAR = "2031-32"
ASSESSMENTS = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")
FIRST_SCHOOL = 800_000  # benchmark schools are numbered 800000, 800001, ...

# Seconds spent in each step of the writer, summed over a run.
steps: dict[str, float] = defaultdict(float)


def timer(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            steps[name] += time.perf_counter() - started

    return timed


def instrument() -> None:
    """Time the writer's steps (the functions run unchanged)."""
    partitions.YearPartition.index = timer("indexes", partitions.YearPartition.index)  # type: ignore[method-assign]
    partitions.YearPartition.attach = timer("attach", partitions.YearPartition.attach)  # type: ignore[method-assign]
    writer = importer._PostgresWriter
    writer._copy = timer("copy", writer._copy)  # type: ignore[method-assign]
    writer._upsert = timer("upsert", writer._upsert)  # type: ignore[method-assign]
    importer.refresh_statistics = timer("analyze", importer.refresh_statistics)


def schools_for(count: int) -> np.ndarray:
    """`count` school numbers from the directory, adding benchmark schools when it has fewer."""
    numbers = sorted(School.objects.values_list("number", flat=True))
    if len(numbers) < count:
        province, _created = Province.objects.get_or_create(code="ON", defaults={"name": "Ontario"})
        board, _created = Board.objects.get_or_create(
            number="B99999",
            defaults={
                "province": province,
                "name": "Benchmark board",
                "language": "en",
                "board_type": Board.Type.PUBLIC,
            },
        )
        have = set(numbers)
        new = []
        number = FIRST_SCHOOL
        while len(numbers) + len(new) < count:
            text = f"{number:06d}"
            if text not in have:
                new.append(
                    School(
                        board=board,
                        number=text,
                        name=f"Benchmark school {text}",
                        level=School.Level.ELEMENTARY,
                        language="en",
                    )
                )
            number += 1
        School.objects.bulk_create(new, batch_size=5000)
        print(f"added {len(new):,} benchmark schools to the directory")
        numbers = sorted(School.objects.values_list("number", flat=True))
    return np.array(numbers[:count])


def generate(path: Path, rows: int, schools: np.ndarray, *, seed: int) -> None:
    """`rows` long-format results of YEAR, vectorised with numpy (never Python rows)."""
    per_group = len(schools) * len(ASSESSMENTS)
    groups = np.array(
        ["all", "female", "male", *(f"group-{n:02d}" for n in range(4, 4 + rows // per_group))]
    )
    rng = np.random.default_rng(seed)
    index = np.arange(rows)
    levels = np.round(rng.dirichlet((1.5, 3.0, 5.0, 2.5), size=rows) * 100, 1)
    not_reported = rng.random(rows) < 0.04

    def figure(values: np.ndarray) -> pa.Array:
        return pa.array(np.round(values, 1), mask=not_reported)

    table = pa.table(
        {
            "school_number": pa.array(schools[index // len(ASSESSMENTS) % len(schools)]),
            "school_year": pa.array(np.full(rows, YEAR)),
            "assessment": pa.array(np.array(ASSESSMENTS)[index % len(ASSESSMENTS)]),
            "group": pa.array(groups[index // per_group]),
            "participating": pa.array(rng.integers(8, 160, size=rows)),
            "pct_level_1": figure(levels[:, 0]),
            "pct_level_2": figure(levels[:, 1]),
            "pct_level_3": figure(levels[:, 2]),
            "pct_level_4": figure(levels[:, 3]),
            "pct_at_standard": figure(levels[:, 2] + levels[:, 3]),
            "status": pa.array(np.where(not_reported, "nr", "")),
        }
    )
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))


def drop_year() -> None:
    """Drop YEAR's partition, and with it its results (the state before a first load)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {partitions.partition_name(YEAR)}")


def read_only(path: Path) -> tuple[float, list[tuple[Any, Any]]]:
    """Seconds to read and check the file and look up its schools; the batches, kept."""
    started = time.perf_counter()
    reader = ResultsReader([(None, path)], ImportReport(kind=KIND, source=str(path)))
    directory = importer._Directory()
    batches = [(batch, directory.resolve(batch, reader)) for batch in reader.batches()]
    reader.tidy()
    assert batches and not reader.report.problems
    return time.perf_counter() - started, batches


def write_only(label: str, batches: list[tuple[Any, Any]], rows: int) -> float:
    """The import's writing alone, on batches already read: the writer as import_results runs it."""
    steps.clear()
    started = time.perf_counter()
    with transaction.atomic(), connection.wrap_database_errors:
        writer = importer._writer()
        for batch, ids in batches:
            writer.write(batch, ids)
        created, _updated = writer.finish()
        writer.analyze()
        writer.close()
    seconds = time.perf_counter() - started
    assert created == rows, created
    inside = ", ".join(f"{name} {value:.1f} s" for name, value in sorted(steps.items()))
    print(
        f"  {label:<40} {seconds:7.1f} s {rows / seconds:>10,.0f} rows/s   ({inside})",
        flush=True,
    )
    return seconds


def timed(label: str, path: Path, rows: int, expect: tuple[int, int, int]) -> float:
    steps.clear()
    started = time.perf_counter()
    report = import_results([(None, path)], actor_label="benchmarks/pg_first_load.py")
    seconds = time.perf_counter() - started
    if report.problems:
        for problem in report.problems[:10]:
            print("  problem:", problem)
        raise SystemExit(f"{label}: the import was rejected.")
    counted = (report.created, report.updated, report.unchanged)
    if counted != expect:
        raise SystemExit(f"{label}: counted {counted}, expected {expect}.")
    inside = ", ".join(f"{name} {value:.1f} s" for name, value in sorted(steps.items()))
    print(
        f"  {label:<40} {seconds:7.1f} s {rows / seconds:>10,.0f} rows/s   "
        f"created {report.created:,}, unchanged {report.unchanged:,}   ({inside})",
        flush=True,
    )
    return rows / seconds


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows",
        type=int,
        action="append",
        help="rows in a file (repeat for several sizes; default 1,000,000 and 10,000,000)",
    )
    parser.add_argument("--schools", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2031)
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the upsert path (step 3), the slow one"
    )
    arguments = parser.parse_args()
    sizes = arguments.rows or [1_000_000, 10_000_000]

    if connection.vendor != "postgresql":
        raise SystemExit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", interactive=False, verbosity=0)
    assessments_ensure()
    with transaction.atomic():
        schools = schools_for(arguments.schools)
    for uid in ("evidence.warm_analyses", "evidence.identification_proposal"):
        results_changed.disconnect(dispatch_uid=uid)
    instrument()
    folder = Path(settings.VAR_DIR) / "benchmarks"
    folder.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW maintenance_work_mem")
        (work_mem,) = cursor.fetchone()
        cursor.execute("SHOW max_wal_size")
        (wal,) = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        (buffers,) = cursor.fetchone()
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; PostgreSQL "
        f"{connection.pg_version} (shared_buffers {buffers}, max_wal_size {wal}, "
        f"maintenance_work_mem {work_mem}, raised to "
        f"{importer._PostgresWriter.MAINTENANCE_WORK_MEM} for a first load); "
        f"schools in the directory: {School.objects.count():,}"
    )
    for rows in sizes:
        path = folder / f"first_load_{rows}.csv"
        if not path.exists():
            generate(path, rows, schools, seed=arguments.seed)
        print(
            f"{rows:,} rows, one school year ({YEAR}), {path.stat().st_size / 1e6:,.0f} MB CSV; "
            f"load average {load()}",
            flush=True,
        )
        seconds, batches = read_only(path)
        print(f"  {'reading, checking, looking up schools':<40} {seconds:7.1f} s", flush=True)
        drop_year()
        write_only("writing only, first load", batches, rows)
        del batches
        drop_year()
        first = timed("1. first load (new partition)", path, rows, (rows, 0, 0))
        timed("2. the same file again (unchanged)", path, rows, (0, 0, rows))
        if not arguments.no_baseline:
            drop_year()
            partitions.ensure_years([YEAR])
            baseline = timed("3. baseline: upsert into the empty year", path, rows, (rows, 0, 0))
            print(f"  first load / upsert: {first / baseline:.1f} x", flush=True)
        drop_year()
        print(f"  load average after: {load()}", flush=True)


if __name__ == "__main__":
    main()
