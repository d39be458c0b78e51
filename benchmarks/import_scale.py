"""How fast `capacity import results` is on a million-row long-format CSV.

    CAPACITY_VAR_DIR=/tmp/bench .venv/bin/python benchmarks/import_scale.py
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/capacity .venv/bin/python benchmarks/import_scale.py

Uses the database DATABASE_URL points to (default: SQLite under
CAPACITY_VAR_DIR). When it has no schools, the demo province is built first
(4,870 schools). The file is generated once, deterministically, from those
schools: ten school years x four student groups x the six Grade 3 and 6
assessments, with participating counts, the four level percentages, and about
one result in twenty-five not reported. Every result already in the database
is deleted before the first run (on PostgreSQL, every school year's partition is
dropped, so the first run is each year's first load: benchmarks/pg_first_load.py
measures that path against the upsert). Then three imports are timed:

1. the file into an empty results table (every row created);
2. the same file again (every row unchanged);
3. a copy with one row in ten changed (those updated, the rest unchanged).

Each prints rows per second for the whole import: reading, checking every row
against the directory, writing and counting.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from capacity.directory.demo import DemoOptions, build_demo  # noqa: E402
from capacity.directory.models import School  # noqa: E402
from capacity.evidence.importers.results import import_results  # noqa: E402
from capacity.evidence.models import Result  # noqa: E402
from capacity.evidence.partitions import year_partitions  # noqa: E402

ASSESSMENTS = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")
GROUPS = ("all", "female", "male", "ell")
YEARS = tuple(f"{start}-{(start + 1) % 100:02d}" for start in range(2014, 2024))


def generate(path: Path, rows: int, *, seed: int, changed_share: float = 0.0) -> None:
    """Write `rows` long-format results for the database's schools (vectorised with numpy)."""
    schools = np.array(sorted(School.objects.values_list("number", flat=True)))
    per_year_group = len(schools) * len(ASSESSMENTS)
    needed = -(-rows // (len(YEARS) * per_year_group))
    if needed > len(GROUPS):
        raise SystemExit(
            f"{rows} rows need more than {len(GROUPS)} groups for {len(schools)} schools."
        )
    rng = np.random.default_rng(seed)
    index = np.arange(rows)
    year = np.array(YEARS)[index // (len(GROUPS) * per_year_group) % len(YEARS)]
    group = np.array(GROUPS)[index // per_year_group % len(GROUPS)]
    school = schools[index // len(ASSESSMENTS) % len(schools)]
    assessment = np.array(ASSESSMENTS)[index % len(ASSESSMENTS)]

    levels = rng.dirichlet((1.5, 3.0, 5.0, 2.5), size=rows) * 100
    levels = np.round(levels, 1)
    if changed_share:
        # Nudge one row in ten: its level 3 and level 4 trade a point.
        nudged = np.random.default_rng(seed + 1).random(rows) < changed_share
        levels[nudged, 2] += 1.0
        levels[nudged, 3] -= 1.0
        levels = np.clip(levels, 0, 100)
    participating = rng.integers(8, 160, size=rows)
    not_reported = rng.random(rows) < 0.04
    nulls = pa.array(not_reported)

    def figure(values: np.ndarray) -> pa.Array:
        return pa.array(np.round(values, 1), mask=not_reported)

    table = pa.table(
        {
            "school_number": pa.array(school),
            "school_year": pa.array(year),
            "assessment": pa.array(assessment),
            "group": pa.array(group),
            "participating": pa.array(participating),
            "pct_level_1": figure(levels[:, 0]),
            "pct_level_2": figure(levels[:, 1]),
            "pct_level_3": figure(levels[:, 2]),
            "pct_level_4": figure(levels[:, 3]),
            "pct_at_standard": figure(levels[:, 2] + levels[:, 3]),
            "status": pa.array(np.where(not_reported, "nr", "")),
        }
    )
    assert nulls.true_count == int(not_reported.sum())
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))


def timed(label: str, path: Path, rows: int) -> None:
    started = time.perf_counter()
    report = import_results([(None, path)], actor_label="benchmarks/import_scale.py")
    seconds = time.perf_counter() - started
    if report.problems:
        for problem in report.problems[:10]:
            print("  problem:", problem)
        raise SystemExit(f"{label}: the import was rejected.")
    print(
        f"{label:<34} {seconds:7.2f} s  {rows / seconds:>10,.0f} rows/s   "
        f"created {report.created:,}, updated {report.updated:,}, unchanged {report.unchanged:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the generated file")
    parser.add_argument("--seed", type=int, default=2016)
    arguments = parser.parse_args()

    call_command("migrate", interactive=False, verbosity=0)
    if not School.objects.exists():
        print("No schools yet: building the demo province (4,870 schools)...")
        build_demo(DemoOptions(seed=arguments.seed))
    folder = Path(settings.VAR_DIR) / "benchmarks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"results_{arguments.rows}.csv"
    changed = folder / f"results_{arguments.rows}_changed.csv"
    if not path.exists():
        generate(path, arguments.rows, seed=arguments.seed)
    if not changed.exists():
        generate(changed, arguments.rows, seed=arguments.seed, changed_share=0.1)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for partition in (year_partitions(cursor) or {}).values():
                cursor.execute(f"DROP TABLE {partition}")
        cursor.execute(f"DELETE FROM {Result._meta.db_table}")  # noqa: S608 - the table's own name
    # Start every run from the same state: no results, no pending write-ahead log, no free pages.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("VACUUM")
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Result._meta.db_table}")
    version = (
        connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else connection.pg_version
    )
    database = f"{connection.vendor} {version}"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; database {database}; load average {load}"
    )
    print(
        f"file: {path} ({arguments.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB); "
        f"schools in the directory: {School.objects.count():,}"
    )
    timed("1. empty table (all created)", path, arguments.rows)
    timed("2. same file again (unchanged)", path, arguments.rows)
    timed("3. one row in ten changed", changed, arguments.rows)


if __name__ == "__main__":
    main()
