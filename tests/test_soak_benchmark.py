"""benchmarks/soak.py: its checks of the database find a lost, changed or wrongly kept write, and it
runs end to end (a real server and worker, its own SQLite database) for about 20 seconds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.soak import ImportRun, Ledger, Write, verify_imports, verify_plans
from capacity.directory.models import School
from capacity.evidence.models import Assessment, Result
from capacity.evidence.services import assessments_ensure
from capacity.planning import services
from capacity.planning.models import Kind, Plan

ROOT = Path(__file__).resolve().parents[1]
YEAR = "2022-23"
TAG = "soak-test-1"


def file_rows(schools: list[str]) -> list[dict]:
    return [
        {
            "school": school,
            "assessment": "G3-READ",
            "participating": 40,
            "levels": [10.0, 20.0, 30.0, 40.0],
            "pct": 70.0,
            "status": "",
        }
        for school in schools
    ]


def store(rows: list[dict], tag: str = TAG) -> None:
    assessments_ensure()
    for row in rows:
        Result.objects.create(
            school=School.objects.get(number=row["school"]),
            school_year=YEAR,
            assessment=Assessment.objects.get(code=row["assessment"]),
            group=tag,
            participating=row["participating"],
            pct_level_1=row["levels"][0],
            pct_level_2=row["levels"][1],
            pct_level_3=row["levels"][2],
            pct_level_4=row["levels"][3],
            pct_at_standard=row["pct"],
            status=row["status"],
        )


def imported(rows: list[dict], *runs: tuple[int, int, int], tag: str = TAG) -> Ledger:
    """A ledger where the command imported the file once per `runs` (created, updated, unchanged)."""
    ledger = Ledger()
    ledger.files[tag] = rows
    ledger.imports = [
        ImportRun(tag, "cli", True, Path(f"{tag}.csv"), exit_code=0, counts=counts)
        for counts in runs
    ]
    return ledger


def test_an_import_stored_exactly_as_the_file_passes(world) -> None:
    rows = file_rows(["700001", "700003"])
    store(rows)
    assert verify_imports(imported(rows, (2, 0, 0), (0, 0, 2)), YEAR)[0] == []


def test_it_finds_a_row_that_differs_and_a_row_lost(world) -> None:
    rows = file_rows(["700001", "700003"])
    store(rows[:1])
    Result.objects.filter(group=TAG).update(pct_at_standard=69.0)
    problems = verify_imports(imported(rows, (2, 0, 0)), YEAR)[0]
    assert any("1 rows stored, the file has 2" in p for p in problems)
    assert any("2 rows differ from the file" in p for p in problems)


def test_it_finds_a_re_import_that_created_the_rows_again(world) -> None:
    rows = file_rows(["700001"])
    store(rows)
    problems = verify_imports(imported(rows, (1, 0, 0), (1, 0, 0)), YEAR)[0]
    assert problems == [
        f"{TAG}: its 2 imports created 2 and updated 0 rows in all (expected 1 and 0)"
    ]


def test_it_finds_rows_of_a_refused_file(world) -> None:
    rows = file_rows(["700001"])
    store(rows)
    ledger = Ledger()
    ledger.files[TAG] = []
    ledger.imports = [
        ImportRun(TAG, "cli", False, Path("bad.csv"), exit_code=1, output="Nothing was imported.")
    ]
    problems = verify_imports(ledger, YEAR)[0]
    assert problems == [f"{TAG}: a file with an error was refused, yet 1 of its rows are stored"]


@pytest.fixture
def plan(world) -> Plan:
    school = School.objects.get(number="700001")
    return Plan.objects.create(
        kind=Kind.SCHOOL, school=school, board=school.board, school_year="2023-24"
    )


def test_a_saved_goal_with_its_history_passes_and_a_missing_one_does_not(world, plan) -> None:
    principal = world.personas["principal_a1"]
    goal = services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement="Lire « mieux »"
    )
    ledger = Ledger()
    ledger.writes = [Write("goal", plan.pk, "Lire « mieux »", True, goal=goal.pk)]
    assert verify_plans(ledger, [plan.pk], 1, 1) == []

    ledger.writes.append(Write("checkpoint", plan.pk, "Nowhere", True))
    assert verify_plans(ledger, [plan.pk], 1, 1) == [
        f"plan {plan.pk}: saved checkpoint found 0 times: 'Nowhere'",
        f"plan {plan.pk}: saved checkpoint has 0 history entries: 'Nowhere'",
    ]


def test_it_finds_a_refused_write_that_was_stored_anyway(world, plan) -> None:
    principal = world.personas["principal_a1"]
    services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Kept anyway")
    ledger = Ledger()
    ledger.writes = [Write("goal while submitted", plan.pk, "Kept anyway", False)]
    assert verify_plans(ledger, [plan.pk], 1, 1) == [
        f"plan {plan.pk}: a refused goal while submitted was stored (goal, history): 'Kept anyway'"
    ]


@pytest.mark.slow
def test_twenty_seconds_of_soak_lose_nothing(tmp_path) -> None:
    """The script end to end on a small demo: readers, plan reviews, uploads and the command at once."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "PYTEST", "CAPACITY_", "DJANGO_SETTINGS_MODULE"))
    }
    environment["TMPDIR"] = str(tmp_path)
    result = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(ROOT / "benchmarks" / "soak.py"),
            *("--minutes", "0.34", "--boards", "4", "--schools", "80", "--readers", "4"),
            *("--plans", "2", "--rows", "60", "--workers", "2"),
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "No errors, nothing lost" in result.stdout
    assert "Plan writes saved: {" in result.stdout and "'plan impact': " in result.stdout
    assert "'web valid': " in result.stdout and "'cli valid': " in result.stdout
    assert "Server log: " in result.stdout and ", 0 errors" in result.stdout
