"""The system side's nine tasks (seed 000), the migration of stored task codes, and the
timeline's dates a plan has let pass (planning/cycle.py)."""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps

from capacity.planning.cycle import (
    ACT,
    OBSERVE,
    REFLECT,
    SUBMIT,
    SYSTEM,
    TASKS_BY_CODE,
    late_steps,
    tasks_for,
)
from capacity.planning.models import Plan, Stage, TaskDone

migration = importlib.import_module("capacity.planning.migrations.0008_themes_nine_system_tasks")

DATES = {
    "submit_by": datetime.date(2018, 10, 1),
    "act_by": datetime.date(2018, 10, 15),
    "observe_by": datetime.date(2019, 1, 31),
    "reflect_by": datetime.date(2019, 6, 14),
}


def test_the_system_side_has_the_seeds_nine_tasks_four_three_one_one() -> None:
    counts = [
        len(tasks_for(stage, SYSTEM))
        for stage in (Stage.PLAN, Stage.ACT, Stage.OBSERVE, Stage.REFLECT)
    ]
    assert counts == [4, 3, 1, 1]
    assert {t.code for t in tasks_for(Stage.ACT, SYSTEM)} == {
        "act.support",
        "act.sessions",
        "act.resources",
    }
    assert "reflect.advise" not in TASKS_BY_CODE
    assert "emergent themes" in str(TASKS_BY_CODE["reflect.co"].text)


def test_the_migration_splits_plan_support_and_folds_reflect_advise_into_reflect_co(world) -> None:
    principal = world.personas["principal_a1"]
    one = Plan.objects.create(
        kind="school", board=world.board_a, school=world.school_a1, school_year="2018-19"
    )
    two = Plan.objects.create(
        kind="school", board=world.board_a, school=world.school_a1, school_year="2019-20"
    )
    for plan, task in (
        (one, "plan.support"),
        (one, "reflect.advise"),
        (two, "reflect.advise"),
        (two, "reflect.co"),
    ):
        TaskDone.objects.create(plan=plan, task=task, done_by=principal)

    migration.forwards(apps, None)

    def codes(plan: Plan) -> set[str]:
        return set(TaskDone.objects.filter(plan=plan).values_list("task", flat=True))

    assert codes(one) == {"plan.support", "plan.protocols", "reflect.co"}
    assert codes(two) == {"reflect.co"}
    assert all(code in TASKS_BY_CODE for code in TaskDone.objects.values_list("task", flat=True))
    migration.forwards(apps, None)  # safe to run again
    assert codes(one) == {"plan.support", "plan.protocols", "reflect.co"}


def late(
    stage: str, today: datetime.date, *, review: str = "accepted", recorded: bool = False
) -> list[str]:
    return [
        item.step
        for item in late_steps(
            stage=stage, review=review, dates=DATES, checkpoint_recorded=recorded, today=today
        )
    ]


def test_nothing_is_late_before_the_dates() -> None:
    assert late(Stage.PLAN, datetime.date(2018, 10, 1), review="draft") == []


def test_a_plan_still_in_plan_after_act_by_is_late_to_act() -> None:
    assert late(Stage.PLAN, datetime.date(2018, 10, 16)) == [ACT]
    assert late(Stage.PLAN, datetime.date(2018, 10, 16), review="draft") == [SUBMIT, ACT]
    assert late(Stage.ACT, datetime.date(2018, 10, 16)) == []


def test_a_plan_without_a_recorded_checkpoint_after_observe_by_is_late_to_observe() -> None:
    assert late(Stage.ACT, datetime.date(2019, 2, 1)) == [OBSERVE]
    assert late(Stage.ACT, datetime.date(2019, 2, 1), recorded=True) == []


def test_a_plan_not_in_reflect_after_reflect_by_is_late_to_reflect() -> None:
    assert late(Stage.OBSERVE, datetime.date(2019, 6, 15), recorded=True) == [REFLECT]
    assert late(Stage.REFLECT, datetime.date(2019, 6, 15), recorded=True) == []
    assert late(Stage.CLOSED, datetime.date(2019, 9, 1)) == []


def test_a_missing_date_makes_nothing_late() -> None:
    assert (
        late_steps(
            stage=Stage.PLAN,
            review="draft",
            dates={},
            checkpoint_recorded=False,
            today=datetime.date(2030, 1, 1),
        )
        == []
    )
