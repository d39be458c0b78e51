"""Portfolios in the scope: a superintendent's family of schools and a ministry officer's boards
focus what comes first; they grant nothing, and count only while the holder holds the role."""

from __future__ import annotations

import datetime

from capacity.directory import access
from capacity.directory.models import Membership, Portfolio, Role


def _fresh(user):
    access.forget_scope(user)
    return access.scope_for(user)


def test_a_family_of_schools_is_in_the_leaders_scope_in_one_query(
    world, django_assert_num_queries
) -> None:
    leader = world.personas["board_a"]
    family = Portfolio.objects.create(holder=leader, board=world.board_a, name="North family")
    family.schools.set([world.school_a1])
    access.forget_scope(leader)
    with django_assert_num_queries(1):
        scope = access.scope_for(leader)
        access.scope_for(leader)
    assert scope.portfolio_school_ids == {world.school_a1.pk}
    assert scope.portfolio_board_ids == frozenset()
    assert scope.board_ids == {world.board_a.pk}  # the role still grants the whole board
    assert scope.in_portfolio(board_id=world.board_a.pk, school_id=world.school_a1.pk)
    assert not scope.in_portfolio(board_id=world.board_a.pk, school_id=world.school_a2.pk)


def test_a_ministry_officers_boards_hold_their_schools(world) -> None:
    officer = world.personas["ministry"]
    mine = Portfolio.objects.create(holder=officer, name="Eastern boards")
    mine.boards.set([world.board_b])
    scope = _fresh(officer)
    assert scope.portfolio_board_ids == {world.board_b.pk}
    assert scope.province  # still reads the whole province
    assert scope.in_portfolio(board_id=world.board_b.pk, school_id=world.school_b1.pk)
    assert not scope.in_portfolio(board_id=world.board_a.pk, school_id=world.school_a1.pk)


def test_without_a_portfolio_everything_read_is_in_it(world) -> None:
    scope = _fresh(world.personas["board_a"])
    assert not scope.has_portfolio
    assert scope.in_portfolio(board_id=world.board_a.pk, school_id=world.school_a2.pk)
    assert str(scope.portfolio_filter()) == "(AND: )"


def test_a_portfolio_counts_only_while_its_role_does(world) -> None:
    leader = world.personas["board_a"]
    family = Portfolio.objects.create(holder=leader, board=world.board_a, name="North family")
    family.schools.set([world.school_a1])
    Membership.objects.filter(user=leader, role=Role.BOARD_LEADER).update(
        ends=datetime.date(2000, 1, 1)
    )
    assert not _fresh(leader).has_portfolio
    # A ministry portfolio held by someone who is not a ministry officer counts for nothing.
    teacher = world.personas["teacher_a1"]
    theirs = Portfolio.objects.create(holder=teacher, name="Not theirs")
    theirs.boards.set([world.board_a])
    assert not _fresh(teacher).has_portfolio


def test_the_portfolio_filter_selects_rows_of_the_portfolio(world) -> None:
    from capacity.directory.models import School

    leader = world.personas["board_a"]
    family = Portfolio.objects.create(holder=leader, board=world.board_a, name="North family")
    family.schools.set([world.school_a2])
    scope = _fresh(leader)
    found = School.objects.filter(scope.portfolio_filter(board="board_id", school="pk"))
    assert list(found) == [world.school_a2]


def test_the_leader_whose_family_holds_the_school_hears_first(world) -> None:
    from tests.factories import MembershipFactory, UserFactory

    other = UserFactory(username="second_superintendent")
    MembershipFactory(user=other, role=Role.BOARD_LEADER, board=world.board_a)
    leaders = sorted(
        access.board_leader_people([world.board_a.pk])[world.board_a.pk], key=lambda u: u.pk
    )
    assert len(leaders) == 2
    a1 = world.school_a1
    # Nobody's family holds A1: every leader hears.
    assert access.looked_after_by(leaders, board_id=world.board_a.pk, school_id=a1.pk) == leaders
    family = Portfolio.objects.create(holder=other, board=world.board_a, name="North")
    family.schools.set([a1])
    assert access.looked_after_by(leaders, board_id=world.board_a.pk, school_id=a1.pk) == [other]
    a2 = world.school_a2
    assert access.looked_after_by(leaders, board_id=world.board_a.pk, school_id=a2.pk) == leaders


def test_the_officer_whose_boards_hold_a_board_hears_of_its_plan_first(world) -> None:
    from tests.factories import MembershipFactory, UserFactory

    second = UserFactory(username="second_officer")
    MembershipFactory(user=second, role=Role.MINISTRY_OFFICER, province=world.province)
    officers = access.ministry_people()
    assert len(officers) == 2
    mine = Portfolio.objects.create(holder=second, name="East")
    mine.boards.set([world.board_b])
    assert access.looked_after_by(officers, board_id=world.board_b.pk, school_id=None) == [second]
    assert access.looked_after_by(officers, board_id=world.board_a.pk, school_id=None) == officers
