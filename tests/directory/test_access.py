"""The access module: scope flows down the tree, never up or sideways; deny by default."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from capacity.directory import access
from capacity.directory.models import Role
from tests.factories import MembershipFactory, UserFactory


def numbers(queryset) -> set[str]:
    return set(queryset.values_list("number", flat=True))


def test_a_ministry_officer_sees_every_board_and_school(world) -> None:
    user = world.personas["ministry"]
    assert numbers(access.boards_for(user)) == {"B66001", "B66002"}
    assert numbers(access.schools_for(user)) == {"700001", "700002", "700003"}


def test_a_board_leader_sees_their_board_and_its_schools_only(world) -> None:
    user = world.personas["board_a"]
    assert numbers(access.boards_for(user)) == {"B66001"}
    assert numbers(access.schools_for(user)) == {"700001", "700002"}
    assert [n.name for n in access.networks_for(user)] == ["North Shore Numeracy Network"]


def test_a_principal_sees_their_school_and_not_their_board(world) -> None:
    user = world.personas["principal_a1"]
    assert numbers(access.boards_for(user)) == set()
    assert numbers(access.schools_for(user)) == {"700001"}
    with pytest.raises(PermissionDenied):
        access.get_board_for_user(user, "B66001")


def test_a_principal_of_another_board_sees_nothing_of_board_a(world) -> None:
    user = world.personas["principal_b1"]
    assert numbers(access.schools_for(user)) == {"700003"}
    for number in ("700001", "700002"):
        with pytest.raises(PermissionDenied):
            access.get_school_for_user(user, number)


def test_a_network_facilitator_sees_the_network_and_no_school_page(world) -> None:
    user = world.personas["facilitator"]
    assert list(access.networks_for(user)) == [world.network]
    assert numbers(access.schools_for(user)) == set()
    with pytest.raises(PermissionDenied):
        access.get_school_for_user(user, world.school_b1.number)
    network, can_change = access.get_network_for_user(user, world.network.pk)
    assert network == world.network and can_change


def test_a_person_without_a_membership_is_denied_everything(world) -> None:
    nobody = UserFactory(username="nobody")
    assert access.scope_for(nobody).empty
    assert not access.boards_for(nobody).exists()
    assert not access.schools_for(nobody).exists()
    assert not access.networks_for(nobody).exists()
    with pytest.raises(PermissionDenied):
        access.get_school_for_user(nobody, "700001")


def test_an_inactive_person_is_denied_even_with_memberships(world) -> None:
    user = world.personas["ministry"]
    user.is_active = False
    access.forget_scope(user)
    assert not access.schools_for(user).exists()


def test_only_writers_may_change_what_they_see(world) -> None:
    _, principal_may = access.get_school_for_user(world.personas["principal_a1"], "700001")
    _, teacher_may = access.get_school_for_user(world.personas["teacher_a1"], "700001")
    _, leader_may = access.get_school_for_user(world.personas["board_a"], "700002")
    assert principal_may and leader_may and not teacher_may


def test_roles_add_up_across_memberships(world) -> None:
    user = world.personas["teacher_a1"]
    MembershipFactory(user=user, role=Role.TRUSTEE, board=world.board_b)
    access.forget_scope(user)
    assert numbers(access.schools_for(user)) == {"700001", "700003"}


def test_the_scope_is_computed_once_per_request(world, django_assert_num_queries) -> None:
    user = world.personas["board_a"]
    access.forget_scope(user)
    with django_assert_num_queries(1):
        access.scope_for(user)
        access.scope_for(user)


def test_only_ministry_officers_read_the_audit_log(world) -> None:
    allowed = {
        name for name, user in world.personas.items() if user and access.can_view_audit_log(user)
    }
    assert allowed == {"ministry"}


# --- who is who: the people an event concerns ------------------------------------------


def _names(people) -> list[str]:
    return [person.username for person in people]


def test_a_schools_team_is_its_principals_and_team_members_in_force_and_active(world) -> None:
    today = timezone.localdate()
    ended = UserFactory(username="ended_principal")
    MembershipFactory(
        user=ended, role=Role.PRINCIPAL, school=world.school_a1, ends=today - datetime.timedelta(1)
    )
    inactive = UserFactory(username="inactive_team", is_active=False)
    MembershipFactory(user=inactive, role=Role.SCHOOL_TEAM, school=world.school_a1)
    # A second role at the same school names the person once.
    MembershipFactory(
        user=world.personas["principal_a1"], role=Role.SCHOOL_TEAM, school=world.school_a1
    )

    teams = access.school_team_people([world.school_a1.pk, world.school_b1.pk, world.school_a2.pk])

    assert _names(teams[world.school_a1.pk]) == ["principal_a1", "team_a1"]
    assert _names(teams[world.school_b1.pk]) == ["principal_b1"]
    assert world.school_a2.pk not in teams  # no team: no entry, the teacher is not in it


def test_a_school_plan_goes_to_its_boards_leaders_and_a_board_plan_to_the_ministry(world) -> None:
    school_plan = SimpleNamespace(school_id=world.school_a1.pk, board_id=world.board_a.pk)
    board_plan = SimpleNamespace(school_id=None, board_id=world.board_a.pk)

    assert _names(access.plan_team_people(school_plan)) == ["principal_a1", "team_a1"]
    assert _names(access.plan_reviewer_people(school_plan)) == ["board_a"]
    assert _names(access.plan_team_people(board_plan)) == ["board_a"]
    assert _names(access.plan_reviewer_people(board_plan)) == ["ministry"]
    # A board with no leader has nobody to tell, not everybody.
    other = SimpleNamespace(school_id=world.school_b1.pk, board_id=world.board_b.pk)
    assert access.plan_reviewer_people(other) == []


def test_a_support_request_is_answered_by_whom_it_is_addressed_to(world) -> None:
    to_board = SimpleNamespace(to_ministry=False, board_id=world.board_a.pk)
    to_ministry = SimpleNamespace(to_ministry=True, board_id=world.board_a.pk)

    assert _names(access.support_answerer_people(to_board)) == ["board_a"]
    assert _names(access.support_answerer_people(to_ministry)) == ["ministry"]
