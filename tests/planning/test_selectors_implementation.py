"""The leading indicators rolled up: totals on a hand-built board, the month filter, who reads what,
the checkpoint's unreviewed strategies and the home page's list, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from capacity.directory.models import Role
from capacity.planning import selectors_implementation as selectors
from capacity.planning import services, services_implementation
from capacity.planning.progress import school_year_of
from tests.factories import MembershipFactory, UserFactory
from tests.planning.implementation_world import (
    checkpoints,
    custom_target,
    school_plan,
    strategies,
    today,
)

DAY = datetime.timedelta(days=1)


def _a2_principal(world):
    user = UserFactory(username="principal_a2")
    MembershipFactory(user=user, role=Role.PRINCIPAL, school=world.school_a2)
    world.personas["principal_a2"] = user
    return user


@pytest.fixture
def board(world):
    """Board A: A1's plan with one strategy in place (reviewed at the past checkpoint), the other
    never reviewed, the past checkpoint recorded, its custom measure at 55 against 70; A2's plan
    with both strategies started this month, nothing recorded and a measure entry at 80."""
    _a2_principal(world)
    a1 = school_plan(world)
    a2 = school_plan(world, world.school_a2, team="principal_a2")
    principal = world.personas["principal_a1"]
    a1.refresh_from_db()
    services_implementation.strategy_review_record(
        strategy=strategies(a1)[0],
        user=principal,
        seen=a1.version,
        status="in_place",
        evidence="Walk-through notes",
        on=today() - 21 * DAY,
        checkpoint=checkpoints(a1)[0],
    )
    a1.refresh_from_db()
    services.item_update(
        item=checkpoints(a1)[0], user=principal, seen=a1.version, progress="On our way"
    )
    a2.refresh_from_db()
    services_implementation.checkpoint_review(
        checkpoint=checkpoints(a2)[0],
        user=world.personas["principal_a2"],
        seen=a2.version,
        reviews=[
            services_implementation.ReviewInput(strategy=s, status="started", evidence="Plans")
            for s in strategies(a2)
        ],
        on=today().replace(day=1),
    )
    a2.refresh_from_db()
    services.entry_add(
        target=custom_target(a2),
        user=world.personas["principal_a2"],
        seen=a2.version,
        on=today(),
        value=80.0,
    )
    return a1, a2


def test_it_rolls_a_board_up_school_by_school(world, board) -> None:
    a1, a2 = board
    a1.refresh_from_db()
    services.checkpoint_add(
        plan=a1,
        user=world.personas["principal_a1"],
        seen=a1.version,
        due=today() - DAY,
        title="Missed",
    )
    rollup = selectors.board_rollup(world.personas["board_a"], world.board_a)
    assert [r.plan for r in rollup.rows] == [a2, a1]  # by school name: Alder, then Aspen
    two, one = (r.indicators for r in rollup.rows)
    assert one.by_status == (1, 0, 1, 0)
    assert two.by_status == (0, 2, 0, 0)
    assert (one.never_reviewed, two.never_reviewed) == (1, 0)
    assert (one.checkpoints_done, one.checkpoints_overdue) == (1, 1)  # recorded; missed
    assert (two.checkpoints_done, two.checkpoints_overdue) == (1, 0)  # reviewed at it
    assert (one.targets_below, two.targets_reached) == (1, 1)
    totals = rollup.totals
    assert totals.strategies == 4
    assert totals.by_status == (1, 2, 1, 0)
    assert totals.checkpoints_done == 2 and totals.checkpoints_overdue == 1
    assert totals.checkpoints_due == 0  # the next checkpoints are 40 days away
    assert totals.targets_reached == 1 and totals.targets_below == 1
    assert rollup.rows[1].last_reviewed == today() - 21 * DAY
    assert rollup.detail is True


def test_the_month_filter_counts_as_things_stood_then(world, board) -> None:
    a1, a2 = board
    end_of_last_month = today().replace(day=1) - DAY
    rollup = selectors.board_rollup(
        world.personas["board_a"], world.board_a, end_of_last_month.strftime("%Y-%m")
    )
    assert rollup.window.as_of == end_of_last_month
    if school_year_of(end_of_last_month) != a1.school_year:
        assert rollup.rows == []  # September: last month is another school year
        return
    rows = {r.plan: r.indicators for r in rollup.rows}
    assert rows[a2].by_status == (2, 0, 0, 0)  # A2 reviewed this month only
    # Today's 80 is not counted yet: the value then was the first entry's (55, ten days ago) or none.
    first_entry_then = today() - 10 * DAY <= end_of_last_month
    assert (rows[a2].targets_below, rows[a2].targets_no_value) == (
        (1, 0) if first_entry_then else (0, 1)
    )
    reviewed_then = today() - 21 * DAY <= end_of_last_month
    assert rows[a1].by_status == ((1, 0, 1, 0) if reviewed_then else (2, 0, 0, 0))


def test_the_province_rolls_the_boards_up(world, board) -> None:
    school_plan(world, world.school_b1, team="principal_b1")
    rollup = selectors.province_rollup(world.personas["ministry"])
    assert [(r.board, r.plans) for r in rollup.rows] == [(world.board_a, 2), (world.board_b, 1)]
    assert rollup.totals.strategies == 6
    assert rollup.totals.by_status == (3, 2, 1, 0)


@pytest.mark.parametrize("persona", ["board_a", "trustee_a", "principal_a1", "facilitator"])
def test_only_the_ministry_reads_the_province(world, persona) -> None:
    with pytest.raises(PermissionDenied):
        selectors.province_rollup(world.personas[persona])


def test_trustees_read_their_boards_counts_without_the_detail(world, board) -> None:
    rollup = selectors.board_rollup(world.personas["trustee_a"], world.board_a)
    assert rollup.detail is False and len(rollup.rows) == 2
    for persona in ("principal_a1", "teacher_a1", "facilitator", "principal_b1"):
        with pytest.raises(PermissionDenied):
            selectors.board_rollup(world.personas[persona], world.board_a)
    with pytest.raises(PermissionDenied):
        selectors.board_rollup(world.personas["trustee_a"], world.board_b)
    with pytest.raises(PermissionDenied):
        selectors.school_indicators(world.personas["trustee_a"], board[0])


def test_a_school_reads_its_own_indicators(world, board) -> None:
    a1, _a2 = board
    detail = selectors.school_indicators(world.personas["teacher_a1"], a1)
    assert [line.status for line in detail.strategies] == ["in_place", "not_started"]
    assert detail.targets[0][1] == 55.0
    assert [state for _c, state in detail.checkpoints] == ["done", "later"]
    with pytest.raises(PermissionDenied):
        selectors.school_indicators(world.personas["principal_b1"], a1)


def test_the_home_page_lists_plans_with_strategies_unreviewed_past_a_checkpoint(
    world, board
) -> None:
    a1, a2 = board
    found = selectors.unreviewed_for_team(world.personas["principal_a1"])
    assert [(u.plan, u.checkpoint, u.strategies) for u in found] == [(a1, checkpoints(a1)[0], 1)]
    assert selectors.unreviewed_for_team(world.personas["principal_a2"]) == []
    assert selectors.unreviewed_for_team(world.personas["teacher_a1"]) == []


def test_the_plan_page_counts_unreviewed_strategies_at_past_checkpoints(world, board) -> None:
    a1, _a2 = board
    past, future = checkpoints(a1)
    assert selectors.checkpoints_with_unreviewed(a1) == [(past, 1), (future, 0)]


def test_a_boards_rollup_costs_a_fixed_number_of_queries(
    world, board, django_assert_max_num_queries
) -> None:
    user = world.personas["board_a"]
    selectors.board_rollup(user, world.board_a)  # the scope, once per request
    with django_assert_max_num_queries(9):
        selectors.board_rollup(user, world.board_a)
