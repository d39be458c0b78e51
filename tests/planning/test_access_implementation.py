"""Implementation's rules in the access module: who reads a school's leading indicators, a board's
roll-up (trustees as counts only) and the province's."""

from __future__ import annotations

import pytest

from capacity.directory import access
from capacity.directory.access import Scope
from capacity.directory.models import Board, Role

BOARD, OTHER_BOARD, SCHOOL, OTHER_SCHOOL = 1, 2, 10, 11

MINISTRY = Scope(province=True, province_writer=True, roles=frozenset({Role.MINISTRY_OFFICER}))
LEADER = Scope(
    board_ids=frozenset({BOARD}),
    writable_board_ids=frozenset({BOARD}),
    led_board_ids=frozenset({BOARD}),
    roles=frozenset({Role.BOARD_LEADER}),
)
TRUSTEE = Scope(board_ids=frozenset({BOARD}), roles=frozenset({Role.TRUSTEE}))
PRINCIPAL = Scope(
    school_ids=frozenset({SCHOOL}),
    team_school_ids=frozenset({SCHOOL}),
    roles=frozenset({Role.PRINCIPAL}),
)
TEACHER = Scope(school_ids=frozenset({SCHOOL}), roles=frozenset({Role.TEACHER}))
FACILITATOR = Scope(network_ids=frozenset({5}), roles=frozenset({Role.NETWORK_FACILITATOR}))
NOBODY = Scope()


@pytest.mark.parametrize(
    ("scope", "school", "other_school", "board", "other_board", "detail", "province"),
    [
        (MINISTRY, True, True, True, True, True, True),
        (LEADER, True, False, True, False, True, False),
        (TRUSTEE, False, False, True, False, False, False),
        (PRINCIPAL, True, False, False, False, False, False),
        (TEACHER, True, False, False, False, False, False),
        (FACILITATOR, False, False, False, False, False, False),
        (NOBODY, False, False, False, False, False, False),
    ],
)
def test_it_decides_who_reads_the_indicators(
    scope: Scope,
    school: bool,
    other_school: bool,
    board: bool,
    other_board: bool,
    detail: bool,
    province: bool,
) -> None:
    assert scope.may_read_implementation(board_id=BOARD, school_id=SCHOOL) is school
    assert (
        scope.may_read_implementation(board_id=OTHER_BOARD, school_id=OTHER_SCHOOL) is other_school
    )
    assert scope.may_read_implementation_board(BOARD) is board
    assert scope.may_read_implementation_board(OTHER_BOARD) is other_board
    assert scope.may_read_implementation_detail(BOARD) is detail
    assert scope.may_read_implementation_province is province


@pytest.mark.django_db
def test_it_lists_the_boards_each_person_reads(world) -> None:
    p = world.personas
    every = set(Board.objects.values_list("pk", flat=True))
    assert (
        set(access.implementation_boards_for(p["ministry"]).values_list("pk", flat=True)) == every
    )
    assert list(access.implementation_boards_for(p["trustee_a"])) == [world.board_a]
    assert list(access.implementation_boards_for(p["board_a"])) == [world.board_a]
    assert not access.implementation_boards_for(p["principal_a1"]).exists()
    assert not access.implementation_boards_for(p["facilitator"]).exists()
    assert access.can_read_implementation(p["teacher_a1"], world.school_a1)
    assert not access.can_read_implementation(p["trustee_a"], world.school_a1)
    assert not access.can_read_implementation(p["principal_b1"], world.school_a1)
    assert not access.can_read_implementation_detail(p["trustee_a"], world.board_a)
    assert access.can_read_implementation_province(p["ministry"])
    assert not access.can_read_implementation_province(p["board_a"])
