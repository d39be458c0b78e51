"""Imports drive the plans: identified schools are proposed, and once a ministry officer confirms they get a
focused-intervention plan; targets move with new results."""

from __future__ import annotations

from pathlib import Path

from capacity.evidence.importers.results import import_results
from capacity.evidence.models import Assessment
from capacity.planning import services
from capacity.planning.models import Plan
from capacity.planning.progress import MET, OFF_TRACK, target_progress
from tests.evidence.decisions_kit import confirm_everything

HEADER = "school_number,school_year,assessment,participating,pct_at_standard\n"
SIX = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")


def results_file(path: Path, rows: dict[tuple[str, str], list[float]]) -> Path:
    lines = [HEADER]
    for (school, year), values in rows.items():
        lines += [
            f"{school},{year},{code},40,{value}\n" for code, value in zip(SIX, values, strict=True)
        ]
    path.write_text("".join(lines))
    return path


def test_an_import_starts_focused_plans_and_moves_targets(world, tmp_path) -> None:
    first = results_file(
        tmp_path / "first.csv",
        {
            # Aspen: under 50% on five of six assessments, two years running (ofip-2016 identifies it).
            ("700001", "2017-18"): [40, 42, 30, 45, 48, 44],
            ("700001", "2018-19"): [41, 40, 35, 44, 47, 48],
            ("700003", "2017-18"): [80, 75, 70, 85, 82, 60],
            ("700003", "2018-19"): [81, 76, 72, 84, 80, 66],
        },
    )
    assert import_results([(None, first)]).applied
    assert not Plan.objects.exists()  # the import proposes; no plan opens before a confirmation
    confirm_everything(world)
    plan = Plan.objects.get()
    assert (plan.school, plan.school_year, plan.focused_intervention) == (
        world.school_a1,
        "2018-19",
        True,
    )
    assert {r["school_year"] for r in plan.identification["reasons"]} == {"2017-18", "2018-19"}

    principal = world.personas["principal_a1"]
    goal = services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Mathematics")
    target = services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        assessment=Assessment.objects.get(code="G6-MATH"),
        baseline_year="2017-18",
        target_value=60,
        target_year="2019-20",
    )
    assert target.baseline_value == 44  # taken from the school's own 2017-18 result
    assert target_progress(target).status == OFF_TRACK  # 48 in 2018-19, the line expects 52

    second = results_file(
        tmp_path / "second.csv", {("700001", "2019-20"): [55, 52, 50, 58, 57, 63]}
    )
    assert import_results([(None, second)]).applied
    progress = target_progress(target)
    assert (progress.status, progress.latest_year, progress.latest_value) == (MET, "2019-20", 63)
    assert Plan.objects.count() == 1  # Aspen is no longer identified in 2019-20; no new plan
