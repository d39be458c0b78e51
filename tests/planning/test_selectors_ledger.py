"""The ledger's figures: totals on a hand-built board, how soon capacity came, who reads what."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from capacity.planning import selectors_ledger as ledger
from capacity.planning import services_ledger
from capacity.planning.selectors_ledger import Line, median, tally
from tests.planning.ledger_kit import YEAR, ask, focused_plan, give


def test_median_of_odd_and_even_counts() -> None:
    assert median([]) is None
    assert median([9]) == 9
    assert median([3, 1, 10]) == 3
    assert median([1, 2, 4, 10]) == 3.0


def test_tally_adds_each_row_to_its_line() -> None:
    a1, a2 = (1, 11), (1, 12)
    lines = tally(
        focused=[(a1, 1)],
        targets=[(a1, 3), (a2, 1)],
        requests=[
            (a1, datetime.date(2025, 10, 1), False, False, datetime.date(2025, 10, 8)),
            (a1, datetime.date(2025, 11, 1), True, True, None),
        ],
        gifts=[
            (a1, "visits", Decimal(2), "helped"),
            (a1, "visits", Decimal(1), ""),
            (a2, "funding", Decimal(500), ""),
        ],
    )
    assert lines[a1].focused_plans == 1 and lines[a1].targets == 3
    assert lines[a1].requests == 2 and lines[a1].escalated == 1 and lines[a1].open_requests == 1
    assert lines[a1].days == [7] and lines[a1].met == 1
    assert lines[a1].given == {"visits": Decimal(3)} and lines[a1].helped == {"helped": 1}
    assert lines[a1].waiting == 1 and lines[a2].given_of("funding") == Decimal(500)
    total = Line()
    total.add(lines[a1])
    total.add(lines[a2])
    assert total.targets == 4 and total.entries == 3 and total.given_of("visits") == 3


@pytest.fixture
def board(world):
    """Board A by hand, school year 2025-26.

    A1: a focused-intervention plan with 3 targets; two requests (1 Oct: coaching 8 Oct and
    a visit 20 Oct; 1 Nov: sent on to the ministry, 20 hours 21 Nov); 6 release days offered
    first (helped). A2: one request (5 Jan 2026, release days 19 Jan), funding $2,500 (did not
    help). The board itself: 2 ministry visits. Before the year: a request and gift in August
    2025 that must not count.
    """
    focused_plan(world, targets=3)
    first = ask(world, day="2025-10-01")
    give(world, request=first, kind="coaching_hours", amount="12.5", day="2025-10-08")
    give(world, request=first, kind="visits", amount="1", day="2025-10-20")
    second = ask(world, day="2025-11-01")
    services_ledger.support_escalate(
        user=world.personas["board_a"], request=second, reason="No coach free"
    )
    give(world, by="ministry", request=second, kind="coaching_hours", amount="20", day="2025-11-21")
    offered = give(world, kind="release_days", amount="6", day="2025-12-01")
    services_ledger.capacity_say_helped(
        user=world.personas["team_a1"], gift=offered, helped="helped", seen=1
    )
    a2 = world.school_a2
    from capacity.directory.models import Membership, Role

    Membership.objects.create(user=world.personas["team_a1"], role=Role.PRINCIPAL, school=a2)
    from capacity.directory.access import forget_scope

    forget_scope(world.personas["team_a1"])
    third = ask(world, school=a2, day="2026-01-05", who="team_a1")
    give(world, school=a2, request=third, kind="release_days", amount="2", day="2026-01-19")
    funding = give(world, school=a2, kind="funding", amount="2500", day="2026-02-02")
    services_ledger.capacity_say_helped(
        user=world.personas["team_a1"],
        gift=funding,
        helped="did_not_help",
        comment="Arrived after the term",
        seen=1,
    )
    give(world, by="ministry", board=world.board_a, kind="visits", amount="2", day="2026-03-03")
    old = ask(world, day="2025-08-20")
    give(world, request=old, kind="visits", amount="5", day="2025-08-25")
    # Board B, which board A's people must never see.
    b1 = ask(world, school=world.school_b1, day="2025-10-01")
    give(
        world,
        by="ministry",
        school=world.school_b1,
        request=b1,
        kind="funding",
        amount="900",
        day="2025-10-02",
    )
    return world


def test_the_board_totals_on_a_hand_built_board(board) -> None:
    book = ledger.board_ledger(board.personas["board_a"], board.board_a, YEAR)
    total = book.total
    assert (total.focused_plans, total.targets, total.requests, total.escalated) == (1, 3, 3, 1)
    assert total.given == {
        "coaching_hours": Decimal("32.5"),
        "visits": Decimal(3),
        "release_days": Decimal(8),
        "funding": Decimal(2500),
    }
    assert total.entries == 7 and total.waiting == 5
    assert total.helped == {"helped": 1, "did_not_help": 1}
    # Days from request to first capacity: 7 (A1, Oct), 20 (A1, sent on), 14 (A2): median 14.
    assert sorted(total.days) == [7, 14, 20] and total.median_days == 14
    a2, a1 = book.schools  # by name: Alder, Aspen
    assert a1.label == board.school_a1.name and a1.given_of("coaching_hours") == Decimal("32.5")
    assert a2.given_of("funding") == 2500 and a2.days == [14]
    assert book.own.given == {"visits": Decimal(2)} and book.own.requests == 0


def test_the_province_lines_each_board_and_adds_them_up(board) -> None:
    rows, total = ledger.province_ledger(board.personas["ministry"], YEAR)
    assert [r.number for r in rows] == [board.board_a.number, board.board_b.number]
    assert rows[1].given == {"funding": Decimal(900)} and rows[1].days == [1]
    assert total is not None and total.entries == 8 and total.requests == 4
    assert total.median_days == 10.5  # 1, 7, 14, 20


def test_a_board_leader_and_a_trustee_read_their_board_a_trustee_its_totals(board) -> None:
    rows, total = ledger.province_ledger(board.personas["board_a"], YEAR)
    assert [r.number for r in rows] == [board.board_a.number] and total is None
    book = ledger.board_ledger(board.personas["trustee_a"], board.board_a, YEAR)
    assert book.schools is None and book.total.entries == 7
    with pytest.raises(PermissionDenied):
        ledger.board_ledger(board.personas["trustee_a"], board.board_b, YEAR)
    with pytest.raises(PermissionDenied):
        ledger.school_ledger(board.personas["trustee_a"], board.school_a1, YEAR)


def test_a_school_reads_its_own_line_and_entries(board) -> None:
    teacher = board.personas["teacher_a1"]
    line = ledger.school_ledger(teacher, board.school_a1, YEAR)
    assert line.entries == 4 and line.requests == 2 and line.median_days == 13.5
    assert [g.school for g in ledger.school_gifts(teacher, board.school_a1, YEAR)] == [
        board.school_a1
    ] * 4
    requests = ledger.school_requests(teacher, board.school_a1, YEAR)
    assert [r.days for r in requests] == [20, 7]
    assert ledger.school_lines_for(teacher, YEAR)[0].entries == 4
    with pytest.raises(PermissionDenied):
        ledger.school_ledger(teacher, board.school_a2, YEAR)
    assert not ledger.gifts_for(teacher).filter(school=board.school_b1).exists()
    assert ledger.gifts_for(board.personas["facilitator"]).count() == 0


def test_the_other_year_counts_what_was_before(board) -> None:
    line = ledger.school_ledger(board.personas["ministry"], board.school_a1, "2024-25")
    assert line.given == {"visits": Decimal(5)} and line.days == [5] and line.focused_plans == 0


def test_home_lists_what_waits_for_an_answer_and_what_was_sent_on(board) -> None:
    waiting, count = ledger.waiting_for_helped(board.personas["principal_a1"])
    assert count == 4 and all(g.school == board.school_a1 for g in waiting)
    assert ledger.waiting_for_helped(board.personas["board_a"])[1] == 1  # the board's own visits
    assert ledger.waiting_for_helped(board.personas["teacher_a1"]) == ([], 0)
    escalated, n = ledger.escalated_open(board.personas["ministry"])
    assert n == 1 and escalated[0].escalation_reason == "No coach free"
    assert ledger.escalated_open(board.personas["board_a"]) == ([], 0)
