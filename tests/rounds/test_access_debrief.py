"""The rounds' rule added for patterns over time (`Scope.may_read_rounds_of`): who reads the
rounds of a school, and of a network's visits to its member schools."""

from __future__ import annotations

import pytest

from capacity.directory.access import scope_for

pytestmark = pytest.mark.django_db


def reads_school(world, persona: str, school) -> bool:
    return scope_for(world.personas[persona]).may_read_rounds_of(
        board_ids={school.board_id}, school_ids={school.pk}, network_id=None
    )


def reads_network(world, persona: str) -> bool:
    members = list(world.network.schools.all())
    return scope_for(world.personas[persona]).may_read_rounds_of(
        board_ids={s.board_id for s in members},
        school_ids={s.pk for s in members},
        network_id=world.network.pk,
    )


def test_a_schools_rounds_are_read_by_its_staff_its_boards_leaders_and_the_ministry(world) -> None:
    readers = {
        p for p in world.personas if p != "anonymous" and reads_school(world, p, world.school_a1)
    }
    assert readers == {"ministry", "board_a", "principal_a1", "teacher_a1", "team_a1"}


def test_trustees_and_network_facilitators_read_no_schools_rounds(world) -> None:
    assert not reads_school(world, "trustee_a", world.school_a1)
    assert not reads_school(world, "facilitator", world.school_a2)


def test_a_networks_rounds_are_read_by_its_facilitators_and_its_schools_people(world) -> None:
    readers = {p for p in world.personas if p != "anonymous" and reads_network(world, p)}
    # A2 is board A's (its leader), B1 has its principal; A1's people are not in the network.
    assert readers == {"ministry", "board_a", "facilitator", "principal_b1"}


def test_nobody_reads_without_a_role(world) -> None:
    from tests.factories import UserFactory

    assert not scope_for(UserFactory()).may_read_rounds_of(
        board_ids={world.board_a.pk}, school_ids={world.school_a1.pk}, network_id=world.network.pk
    )
