"""Reading lesson studies: who reads which study (by persona), what each may do with one, where
a person may start one and with whom, and the lists the home page reads."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from capacity.directory.models import Role
from capacity.planning.models import Goal, Plan
from capacity.rounds import selectors_lessons as selectors
from capacity.rounds import services_lessons as services
from capacity.rounds.models import CycleStep
from tests.factories import MembershipFactory, UserFactory
from tests.rounds.kit_lessons import finished, start, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def studies(world) -> dict:
    return {
        "a1": start(world, title="At Aspen"),
        "network": start(
            world,
            by="facilitator",
            school=world.school_b1,
            network=world.network,
            team=("principal_b1",),
            title="Network's at Birch",
        ),
    }


READS = {
    "ministry": {"At Aspen", "Network's at Birch"},
    "board_a": {"At Aspen"},
    "principal_a1": {"At Aspen"},
    "teacher_a1": {"At Aspen"},
    "team_a1": {"At Aspen"},
    "trustee_a": set(),
    "facilitator": {"Network's at Birch"},
    "principal_b1": {"Network's at Birch"},
}


@pytest.mark.parametrize("persona", sorted(READS))
def test_each_persona_reads_the_studies_of_its_scope(world, studies, persona) -> None:
    titles = {s.title for s in selectors.studies_for(world.personas[persona])}
    assert titles == READS[persona]


def test_anonymous_people_read_nothing(world, studies) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.studies_for(AnonymousUser()).exists()


def test_being_on_the_team_is_enough_to_read_a_study(world) -> None:
    outsider = UserFactory(username="teacher_a2")
    MembershipFactory(user=outsider, role=Role.TEACHER, school=world.school_a2)
    world.personas["teacher_a2"] = outsider
    start(
        world,
        by="facilitator",
        school=world.school_b1,
        network=world.network,
        team=("teacher_a2",),
        title="With Alder's teacher",
    )
    assert [s.title for s in selectors.studies_for(outsider)] == ["With Alder's teacher"]


def test_the_list_carries_each_studys_current_cycle(world) -> None:
    walk(world, start(world), services.AGAIN)
    finished(world)
    going, done = selectors.studies_listed(world.personas["teacher_a1"])
    assert [(s.title, selectors.now_of(s)) for s in going] == [
        ("Comparing fractions", (2, CycleStep.PLAN))
    ]
    assert [(s.title, selectors.now_of(s)) for s in done] == [
        ("Finished fractions study", (1, CycleStep.DONE))
    ]
    going, done = selectors.studies_listed(world.personas["teacher_a1"], school=world.school_a2)
    assert going == done == []


RIGHTS = {
    # persona: (edit, share, see_goal)
    "ministry": (False, False, True),
    "board_a": (True, True, True),
    "principal_a1": (True, False, True),
    "team_a1": (True, False, True),
    "teacher_a1": (True, False, True),  # on the team
}


@pytest.mark.parametrize("persona", sorted(RIGHTS))
def test_what_each_may_do_with_a_study(world, persona) -> None:
    study, rights = selectors.get_study_for_user(world.personas[persona], start(world).pk)
    assert (rights.edit, rights.share, rights.see_goal) == RIGHTS[persona]


def test_a_teacher_not_on_the_team_reads_it_without_writing(world) -> None:
    study = start(world, team=("team_a1",))
    _study, rights = selectors.get_study_for_user(world.personas["teacher_a1"], study.pk)
    assert rights.read and not rights.edit and not rights.member


def test_a_network_facilitator_writes_its_study_without_seeing_the_plan(world, studies) -> None:
    _study, rights = selectors.get_study_for_user(
        world.personas["facilitator"], studies["network"].pk
    )
    assert rights.edit and not rights.see_goal and not rights.share


def test_out_of_scope_is_403_and_unknown_is_404(world, studies) -> None:
    for persona in ("principal_b1", "trustee_a", "facilitator"):
        with pytest.raises(PermissionDenied):
            selectors.get_study_for_user(world.personas[persona], studies["a1"].pk)
    with pytest.raises(Http404):
        selectors.get_study_for_user(world.personas["ministry"], 999999)


def test_where_each_may_start_a_study(world) -> None:
    def places(persona: str) -> set[str]:
        return {s.number for s in selectors.study_places(world.personas[persona])}

    assert places("board_a") == {"700001", "700002"}
    assert places("principal_a1") == places("team_a1") == {"700001"}
    assert places("facilitator") == {"700002", "700003"}
    assert places("teacher_a1") == places("trustee_a") == set()
    assert selectors.may_start_at(world.personas["facilitator"], world.school_b1)
    assert not selectors.may_start_at(world.personas["facilitator"], world.school_a1)
    assert selectors.may_start_at(world.personas["ministry"], world.school_a2)  # its network
    assert not selectors.may_start_at(world.personas["ministry"], world.school_a1)


def test_the_team_is_offered_among_the_staff_once_each(world) -> None:
    both = UserFactory(username="both", last_name="Both")
    MembershipFactory(user=both, role=Role.TEACHER, school=world.school_b1)
    MembershipFactory(user=both, role=Role.PRINCIPAL, school=world.school_a2)
    rows = selectors.team_candidates(school=world.school_a1, network=None)
    assert {(p.username, r) for p, r, _s in rows} == {
        ("principal_a1", Role.PRINCIPAL),
        ("teacher_a1", Role.TEACHER),
        ("team_a1", Role.SCHOOL_TEAM),
    }
    rows = selectors.team_candidates(school=world.school_b1, network=world.network)
    # At the study's own school first: Both teaches at Birch (and leads Alder).
    assert {(p.username, r, s.number) for p, r, s in rows} == {
        ("both", Role.TEACHER, "700003"),
        ("principal_b1", Role.PRINCIPAL, "700003"),
    }


def test_plan_goals_are_offered_to_those_who_read_the_plan(world) -> None:
    plan = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2026-27"
    )
    goal = Goal.objects.create(plan=plan, statement="Readers")
    for persona in ("principal_a1", "board_a", "trustee_a", "ministry"):
        assert selectors.goals_for(world.personas[persona], world.school_a1) == [goal]
    for persona in ("facilitator", "principal_b1"):
        assert selectors.goals_for(world.personas[persona], world.school_a1) == []


def test_home_lists_studies_for_their_team_and_finished_ones_for_the_board(world) -> None:
    walk(world, start(world), CycleStep.TEACH)
    done = finished(world)
    mine = selectors.team_studies_in_progress(world.personas["teacher_a1"])
    assert [s.title for s in mine] == ["Comparing fractions"]
    assert selectors.team_studies_in_progress(world.personas["board_a"]) == []
    assert list(selectors.ready_to_share(world.personas["board_a"])) == [done]
    assert not selectors.ready_to_share(world.personas["principal_a1"]).exists()
    assert [p.username for p in selectors.sharers_of(done)] == ["board_a"]
