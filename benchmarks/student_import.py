"""How fast student-level results are counted into school results, beside the school-level import.

    CAPACITY_VAR_DIR=/tmp/bench-students .venv/bin/python benchmarks/student_import.py
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/student_import.py --students 50000

Uses the database DATABASE_URL points to (default: SQLite under CAPACITY_VAR_DIR;
give a scratch one: the benchmark deletes every result in it). Made-up schools
(numbers 800000 and up, in a board B89999) are added when missing. The students
come from capacity/evidence/demo_students.py: `--schools` schools, each with
`--students / (schools x 2)` students taking Grade 3 reading and mathematics,
in four groups (girls, boys, English language learners, special education).

Timed, each from an empty results table unless said:

1. the student-level CSV (`capacity import student-results`'s service);
2. the same CSV again (every result unchanged);
3. the same students as Ed-Fi StudentAssessment JSON with their associations;
4. the baseline: the school results those students make up, as a long-format
   CSV through `capacity import results` (the school-level import of the same
   schools).

Prints the machine, then students (or rows) per second and the peak memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from capacity.directory.models import Board, Province, School  # noqa: E402
from capacity.evidence.demo_students import as_csv, as_edfi, students  # noqa: E402
from capacity.evidence.importers.results import import_results  # noqa: E402
from capacity.evidence.models import Result  # noqa: E402
from capacity.evidence.services_students import student_results_import  # noqa: E402

ASSESSMENTS = ("G3-READ", "G3-MATH")
YEAR = "2018-19"


def ensure_schools(count: int) -> list[str]:
    province, _ = Province.objects.get_or_create(code="ON", defaults={"name": "Ontario"})
    board, _ = Board.objects.get_or_create(
        number="B89999",
        defaults={
            "province": province,
            "name": "Benchmark District School Board",
            "language": "en",
            "board_type": Board.Type.PUBLIC,
        },
    )
    numbers = [str(800000 + index) for index in range(count)]
    have = set(School.objects.filter(number__in=numbers).values_list("number", flat=True))
    School.objects.bulk_create(
        School(
            board=board,
            number=number,
            name=f"Benchmark School {number}",
            level=School.Level.ELEMENTARY,
            language="en",
        )
        for number in numbers
        if number not in have
    )
    return numbers


def machine() -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load {load}; "
        f"Python {platform.python_version()}; {connection.vendor} "
        f"{sqlite3.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}"  # type: ignore[attr-defined]
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, count: int, unit: str, run) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    report = run()
    seconds = time.perf_counter() - start
    assert report.applied, report.problems[:5]
    print(
        f"{label:<44} {count:>7,} {unit} in {seconds:6.2f} s = {count / seconds:>9,.0f} {unit}/s  "
        f"({report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
        f"peak {peak_mb():,.0f} MB)"
    )
    return seconds


def long_format(path: Path) -> int:
    """The stored results as a long-format CSV; returns its rows."""
    rows = Result.objects.select_related("school", "assessment").order_by("id")
    lines = [
        "school_number,school_year,assessment,group,participating,"
        "pct_level_1,pct_level_2,pct_level_3,pct_level_4,pct_at_standard,status"
    ]
    for r in rows:
        lines.append(
            ",".join(
                "" if v is None else str(v)
                for v in (
                    r.school.number,
                    r.school_year,
                    r.assessment.code,
                    r.group,
                    r.participating,
                    r.pct_level_1,
                    r.pct_level_2,
                    r.pct_level_3,
                    r.pct_level_4,
                    r.pct_at_standard,
                    r.status,
                )
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50_000, help="student results in all")
    parser.add_argument("--schools", type=int, default=500)
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    schools = ensure_schools(args.schools)
    per_school = max(1, args.students // (args.schools * len(ASSESSMENTS)))
    made = students(schools, year=YEAR, assessments=ASSESSMENTS, per_school=per_school, seed=13)
    csv_bytes, json_bytes = as_csv(made), as_edfi(made)
    print(f"Machine: {machine()}")
    print(
        f"{len(made):,} student results ({args.schools} schools x {per_school} students x "
        f"{len(ASSESSMENTS)} assessments): CSV {len(csv_bytes) / 1e6:.1f} MB, "
        f"Ed-Fi JSON {len(json_bytes) / 1e6:.1f} MB"
    )

    def fresh() -> None:
        Result.objects.all().delete()

    def student_csv():  # type: ignore[no-untyped-def]
        return student_results_import(data=csv_bytes, name="bench.csv", actor_label="bench")

    fresh()
    timed("student-level CSV, empty table", len(made), "students", student_csv)
    timed("student-level CSV again (unchanged)", len(made), "students", student_csv)
    fresh()
    timed(
        "Ed-Fi JSON, empty table",
        len(made),
        "students",
        lambda: student_results_import(data=json_bytes, name="bench.json", actor_label="bench"),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "school-results.csv"
        rows = long_format(path)
        fresh()
        timed(
            "baseline: school-level long format, empty table",
            rows,
            "rows",
            lambda: import_results([(None, path)], actor_label="bench"),
        )
    fresh()


if __name__ == "__main__":
    main()
