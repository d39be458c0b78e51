"""The partners part's rules in capacity/directory/access.py: who reads the lists of schools that
beat the odds, and who sees an identified school's partners."""

from __future__ import annotations

import pytest

from capacity.directory import access
from capacity.directory.access import Scope
from capacity.directory.models import Role


def test_the_province_list_is_the_ministry_s_and_a_board_list_its_people_s():
    ministry = Scope(province=True, roles=frozenset({Role.MINISTRY_OFFICER}))
    trustee = Scope(board_ids=frozenset({1}), roles=frozenset({Role.TRUSTEE}))
    principal = Scope(school_ids=frozenset({5}), team_school_ids=frozenset({5}))
    assert ministry.may_read_stable_list(None) and ministry.may_read_stable_list(1)
    assert not trustee.may_read_stable_list(None)
    assert not trustee.may_read_stable_list(1)  # trustees compare no schools
    assert not principal.may_read_stable_list(1) and not principal.may_read_stable_list(None)


def test_partners_are_for_the_school_team_its_board_leaders_and_the_ministry():
    ministry = Scope(province=True, roles=frozenset({Role.MINISTRY_OFFICER}))
    leader = Scope(board_ids=frozenset({1}), led_board_ids=frozenset({1}))
    trustee = Scope(board_ids=frozenset({1}))
    team = Scope(school_ids=frozenset({5}), team_school_ids=frozenset({5}))
    teacher = Scope(school_ids=frozenset({5}))
    assert ministry.may_see_partners(board_id=1, school_id=5)
    assert leader.may_see_partners(board_id=1, school_id=5)
    assert not leader.may_see_partners(board_id=2, school_id=6)
    assert team.may_see_partners(board_id=1, school_id=5)
    assert not team.may_see_partners(board_id=1, school_id=6)
    assert not trustee.may_see_partners(board_id=1, school_id=5)
    assert not teacher.may_see_partners(board_id=1, school_id=5)


@pytest.mark.django_db
def test_the_request_helpers_apply_the_rules_to_the_personas(world):
    p = world.personas
    a1 = world.school_a1
    assert access.can_see_partners(p["principal_a1"], a1)
    assert access.can_see_partners(p["team_a1"], a1)
    assert access.can_see_partners(p["board_a"], a1)
    assert access.can_see_partners(p["ministry"], a1)
    for name in ("teacher_a1", "trustee_a", "principal_b1", "facilitator"):
        assert not access.can_see_partners(p[name], a1), name
    assert access.can_read_stable_list(p["ministry"], None)
    assert not access.can_read_stable_list(p["board_a"], None)
    assert access.can_read_stable_list(p["board_a"], world.board_a)
    assert not access.can_read_stable_list(p["trustee_a"], world.board_a)
    assert not access.can_read_stable_list(p["principal_a1"], world.board_a)
    assert not access.can_read_stable_list(p["principal_b1"], world.board_a)
