"""The Plan-Act-Observe-Reflect cycle: its tasks per stage and side, and the moves between stages."""

from __future__ import annotations

import pytest

from capacity.planning import services
from capacity.planning.cycle import MOVES, SYSTEM, TASKS, TASKS_BY_CODE, TEAM, tasks_for
from capacity.planning.models import STAGE_ORDER, Plan, Stage
from capacity.planning.services import NotAllowed, task_check

OPEN_STAGES = [Stage.PLAN, Stage.ACT, Stage.OBSERVE, Stage.REFLECT]


@pytest.mark.parametrize("stage", OPEN_STAGES)
def test_each_open_stage_has_tasks_for_the_team_and_for_the_system(stage) -> None:
    assert tasks_for(stage, TEAM) and tasks_for(stage, SYSTEM)
    assert tasks_for(stage) == [t for t in TASKS if t.stage == stage]


def test_a_closed_year_has_no_tasks_and_no_moves() -> None:
    assert tasks_for(Stage.CLOSED) == [] and MOVES[Stage.CLOSED] == ()


def test_task_codes_are_unique_and_name_their_stage() -> None:
    # The codes are stored in TaskDone rows: a duplicate would check off two tasks at once.
    assert len(TASKS_BY_CODE) == len(TASKS)
    assert all(t.code.split(".")[0] == t.stage.value for t in TASKS)
    assert {t.side for t in TASKS} == {TEAM, SYSTEM}


def test_the_cycle_moves_forward_one_stage_or_back_to_act() -> None:
    for stage, targets in MOVES.items():
        assert stage not in targets
        for to in targets:
            forward = STAGE_ORDER.index(to) == STAGE_ORDER.index(stage) + 1
            assert forward or to == Stage.ACT, (stage, to)


def test_every_stage_is_reachable_from_plan_and_the_year_can_close_from_each() -> None:
    def reachable(start: Stage) -> set[Stage]:
        seen, todo = {start}, [start]
        while todo:
            for to in MOVES[todo.pop()]:
                if to not in seen:
                    seen.add(to)
                    todo.append(to)
        return seen

    assert reachable(Stage.PLAN) == set(Stage)
    assert all(Stage.CLOSED in reachable(stage) for stage in OPEN_STAGES)


def test_checking_off_an_unknown_task_is_refused(world) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    with pytest.raises(ValueError, match="No task"):
        task_check(plan=plan, user=principal, task="plan.nothing")
    task_check(plan=plan, user=principal, task="plan.data")
    task_check(plan=plan, user=principal, task="plan.data")  # twice: still one row, one change
    task_check(plan=plan, user=principal, task="plan.data", done=False)
    task_check(plan=plan, user=principal, task="plan.data", done=False)
    assert not plan.tasks_done.exists()
    actions = plan.changes.filter(action__startswith="task_").order_by("id")
    assert list(actions.values_list("action", flat=True)) == ["task_done", "task_undone"]


def test_a_closed_year_takes_no_task(world) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    Plan.objects.filter(pk=plan.pk).update(stage=Stage.CLOSED)
    plan.refresh_from_db()
    with pytest.raises(NotAllowed):
        task_check(plan=plan, user=principal, task="reflect.next")
