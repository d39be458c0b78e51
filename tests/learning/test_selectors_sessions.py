"""Reading module sessions: whose they are, where one may run them, who may take part, what
each person reads of a session, and the lists' query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from capacity.learning import selectors_sessions as selectors
from capacity.learning import services_sessions as services
from capacity.learning.models import Item, Session
from capacity.learning.services import load_shipped

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def module(world) -> Item:
    load_shipped()
    return Item.objects.get(slug="using-evidence")


def make(world, module, days: int, people=("teacher_a1",)) -> Session:
    return services.session_create(
        user=world.personas["principal_a1"],
        module=module,
        school=world.school_a1,
        held_on=TODAY + datetime.timedelta(days=days),
        participants=[world.personas[p] for p in people],
    )


def test_a_persons_sessions_are_those_they_facilitate_or_take_part_in(world, module) -> None:
    soon, later, past = make(world, module, 3), make(world, module, 40), make(world, module, -2)
    for persona in ("principal_a1", "teacher_a1"):
        coming, held = selectors.sessions_listed(world.personas[persona])
        assert coming == [soon, later] and held == [past]
        assert selectors.coming_up(world.personas[persona]) == [soon]
    for persona in ("team_a1", "board_a", "principal_b1"):
        assert selectors.sessions_listed(world.personas[persona]) == ([], [])


def test_the_lists_read_a_fixed_number_of_queries(world, module, django_assert_num_queries) -> None:
    for days in range(1, 6):
        make(world, module, days)
    teacher = world.personas["teacher_a1"]
    with django_assert_num_queries(2):  # the sessions with their modules, then the texts
        found = selectors.coming_up(teacher)
        assert [s.module.published.text("en").title for s in found] == [
            "Deliberate use of multiple sources of evidence"
        ] * 5


def test_places_to_run_a_session_are_where_one_may_run_surveys(world) -> None:
    def places(persona: str) -> set[str]:
        return {value for value, _name in selectors.session_places(world.personas[persona])}

    assert places("board_a") == {
        f"board:{world.board_a.pk}",
        f"school:{world.school_a1.pk}",
        f"school:{world.school_a2.pk}",
    }
    assert places("principal_a1") == places("team_a1") == {f"school:{world.school_a1.pk}"}
    assert f"board:{world.board_b.pk}" in places("ministry")
    for persona in ("teacher_a1", "trustee_a", "facilitator"):
        assert places(persona) == set()
        assert not selectors.may_run_sessions(world.personas[persona])
    assert selectors.may_run_sessions(world.personas["principal_a1"])


def test_people_who_may_take_part_hold_a_role_the_evaluation_is_for(world) -> None:
    at_school = {
        (p.username, role)
        for p, role in selectors.eligible_people(board=None, school=world.school_a1)
    }
    assert at_school == {
        ("principal_a1", "principal"),
        ("teacher_a1", "teacher"),
        ("team_a1", "school_team"),
    }
    in_board = {p.username for p, _r in selectors.eligible_people(board=world.board_a, school=None)}
    assert in_board == {"board_a", "trustee_a", "principal_a1", "teacher_a1", "team_a1"}


def test_what_each_person_may_do_with_a_session(world, module) -> None:
    session = make(world, module, 1)
    expected = {
        # persona: (read, see_people, edit, notes, answer)
        "principal_a1": (True, True, True, True, False),
        "board_a": (True, True, False, False, False),
        "team_a1": (True, True, False, False, False),
        "ministry": (True, True, False, False, False),
        "teacher_a1": (True, False, False, False, True),
    }
    for persona, rights in expected.items():
        _found, got = selectors.get_session_for_user(world.personas[persona], session.pk)
        assert (got.read, got.see_people, got.edit, got.notes, got.answer) == rights, persona
    for persona in ("trustee_a", "principal_b1", "facilitator"):
        with pytest.raises(PermissionDenied):
            selectors.get_session_for_user(world.personas[persona], session.pk)
    with pytest.raises(Http404):
        selectors.get_session_for_user(world.personas["ministry"], 999999)


def test_the_evaluation_is_nothing_before_it_opens_and_a_count_for_a_participant(
    world, module
) -> None:
    session = make(world, module, 0)
    teacher = world.personas["teacher_a1"]
    _s, rights = selectors.get_session_for_user(teacher, session.pk)
    assert selectors.evaluation_for(session, rights, teacher) is None
    services.session_evaluation_open(user=world.personas["principal_a1"], session=session)
    session.refresh_from_db()
    found = selectors.evaluation_for(session, rights, teacher)
    assert found is not None
    assert (found.invited, found.answered, found.report, found.sent) == (1, 0, None, False)
    assert found.invitation is not None and found.invitation.user == teacher
