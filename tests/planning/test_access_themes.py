"""Who reads the counts of themes and lessons (directory/access.py, themes' rules)."""

from __future__ import annotations

import pytest

from capacity.directory.access import Scope, can_read_theme_counts
from capacity.directory.models import Role


def test_the_provinces_counts_are_the_ministrys() -> None:
    assert Scope(province=True, roles=frozenset({Role.MINISTRY_OFFICER})).may_read_theme_counts(
        None
    )
    assert not Scope(board_ids=frozenset({1}), led_board_ids=frozenset({1})).may_read_theme_counts(
        None
    )


def test_a_boards_counts_are_its_leaders_and_the_ministrys_not_its_trustees() -> None:
    leader = Scope(board_ids=frozenset({1}), led_board_ids=frozenset({1}))
    trustee = Scope(board_ids=frozenset({1}), roles=frozenset({Role.TRUSTEE}))
    assert leader.may_read_theme_counts(1) and not leader.may_read_theme_counts(2)
    assert not trustee.may_read_theme_counts(1)
    assert Scope(province=True, roles=frozenset({Role.MINISTRY_OFFICER})).may_read_theme_counts(2)


@pytest.mark.parametrize(
    ("persona", "province", "board_a", "board_b"),
    [
        ("ministry", True, True, True),
        ("board_a", False, True, False),
        ("trustee_a", False, False, False),
        ("principal_a1", False, False, False),
        ("teacher_a1", False, False, False),
    ],
)
def test_the_personas(world, persona, province, board_a, board_b) -> None:
    user = world.personas[persona]
    assert can_read_theme_counts(user, None) is province
    assert can_read_theme_counts(user, world.board_a) is board_a
    assert can_read_theme_counts(user, world.board_b) is board_b
