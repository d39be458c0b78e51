"""The ledger's rules in directory.access, on hand-made scopes."""

from __future__ import annotations

from capacity.directory.access import Scope
from capacity.directory.models import Role

MINISTRY = Scope(province=True, roles=frozenset({Role.MINISTRY_OFFICER}))
LEADER = Scope(
    board_ids=frozenset({1}), led_board_ids=frozenset({1}), roles=frozenset({Role.BOARD_LEADER})
)
TRUSTEE = Scope(board_ids=frozenset({1}), roles=frozenset({Role.TRUSTEE}))
PRINCIPAL = Scope(
    school_ids=frozenset({11}), team_school_ids=frozenset({11}), roles=frozenset({Role.PRINCIPAL})
)
TEACHER = Scope(school_ids=frozenset({11}), roles=frozenset({Role.TEACHER}))


def test_reading_follows_the_line_of_accountability() -> None:
    assert (
        MINISTRY.may_read_board_ledger(2)
        and LEADER.may_read_board_ledger(1)
        and TRUSTEE.may_read_board_ledger(1)
    )
    assert not LEADER.may_read_board_ledger(2) and not PRINCIPAL.may_read_board_ledger(1)
    assert LEADER.may_read_school_ledger(board_id=1, school_id=11)
    assert not TRUSTEE.may_read_school_ledger(board_id=1, school_id=11)  # totals only
    assert TEACHER.may_read_school_ledger(board_id=1, school_id=11)
    assert not TEACHER.may_read_school_ledger(board_id=1, school_id=12)


def test_who_gives_answers_and_sends_on() -> None:
    assert LEADER.may_give_capacity(board_id=1, school_id=11)
    assert not LEADER.may_give_capacity(
        board_id=1, school_id=None
    )  # a board as a whole: the ministry
    assert MINISTRY.may_give_capacity(board_id=1, school_id=None)
    assert not TRUSTEE.may_give_capacity(board_id=1, school_id=11)
    assert PRINCIPAL.may_say_helped(board_id=1, school_id=11) and not TEACHER.may_say_helped(
        board_id=1, school_id=11
    )
    assert LEADER.may_say_helped(board_id=1, school_id=None) and not MINISTRY.may_say_helped(
        board_id=1, school_id=11
    )
    assert LEADER.may_escalate_support(board_id=1, school_id=11, to_ministry=False)
    assert not LEADER.may_escalate_support(board_id=1, school_id=11, to_ministry=True)
    assert not LEADER.may_escalate_support(board_id=1, school_id=None, to_ministry=False)
    assert not MINISTRY.may_escalate_support(board_id=1, school_id=11, to_ministry=False)


def test_entries_are_read_by_the_ministry_leaders_and_the_school() -> None:
    assert MINISTRY.ledger_gifts_filter().children == []
    # A trustee leads no board and is on no school's staff: no entry, only totals.
    assert TRUSTEE.ledger_gifts_filter().children == [
        ("board_id__in", frozenset()),
        ("school_id__in", frozenset()),
    ]
    assert ("school_id__in", frozenset({11})) in TEACHER.ledger_gifts_filter().children
