"""Reads of the rounds' visits part: every persona's scope, the results a problem starts from
(published figures only), the evidence sentence in both languages, who may be on a team."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from capacity.rounds import selectors_visits as selectors
from capacity.rounds.models import Visit
from tests.evidence.conftest import results_for
from tests.rounds.authz_visits import note_a1, problem_a1, visit_a1, visit_net

pytestmark = pytest.mark.django_db

SEES = {
    "ministry": {"a1", "net"},
    "board_a": {"a1"},
    "principal_a1": {"a1"},
    "teacher_a1": {"a1"},
    "team_a1": {"a1"},
    "facilitator": {"net"},
    "principal_b1": {"net"},
    "trustee_a": set(),  # rounds are professional learning, not governance
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_each_persona_reads_the_visits_and_problems_of_their_scope(world, persona) -> None:
    names = {visit_a1(world).pk: "a1", visit_net(world).pk: "net"}
    user = world.personas[persona]
    assert {names[v.pk] for v in selectors.visits_for(user)} == SEES[persona]
    problems = {p.pk for p in selectors.problems_for(user)}
    expected = {
        Visit.objects.get(pk=pk).problem_id for pk, n in names.items() if n in SEES[persona]
    }
    assert problems == expected


def test_nobody_signed_out_reads_anything(world) -> None:
    from django.contrib.auth.models import AnonymousUser

    visit_a1(world)
    assert not selectors.visits_for(AnonymousUser()).exists()
    assert not selectors.problems_for(AnonymousUser()).exists()


def test_the_list_splits_coming_and_past_and_counts_without_authors(
    world, django_assert_max_num_queries
) -> None:
    visit = visit_a1(world)
    note_a1(world)
    past = Visit.objects.create(
        problem=visit.problem,
        school=visit.school,
        board=visit.board,
        on=visit.on - datetime.timedelta(days=30),
        facilitator=visit.facilitator,
    )
    with django_assert_max_num_queries(4):
        coming, done = selectors.visits_listed(world.personas["principal_a1"])
    assert [v.pk for v in coming] == [visit.pk] and [v.pk for v in done] == [past.pk]
    assert (coming[0].classroom_count, coming[0].note_count) == (2, 1)


def test_coming_up_is_for_the_team_and_the_facilitator_within_two_weeks(world) -> None:
    visit = visit_a1(world)
    for persona in ("teacher_a1", "team_a1", "principal_a1"):
        assert selectors.coming_up(world.personas[persona]) == [visit]
    assert selectors.coming_up(world.personas["board_a"]) == []
    visit.on += datetime.timedelta(days=selectors.COMING_UP_DAYS + 1)
    visit.save()
    assert selectors.coming_up(world.personas["teacher_a1"]) == []


def test_own_notes_are_the_persons_only(world) -> None:
    taken = note_a1(world)
    visit = visit_a1(world)
    assert selectors.own_notes(world.personas["teacher_a1"], visit) == [taken]
    assert selectors.own_notes(world.personas["team_a1"], visit) == []


def test_the_team_is_chosen_across_roles_and_for_a_network_across_boards(world) -> None:
    names = {c.person.username for c in selectors.team_candidates(world.school_a1)}
    assert names == {"principal_a1", "teacher_a1", "team_a1", "board_a", "ministry"}
    candidates = selectors.team_candidates(world.school_b1, world.network)
    assert {c.person.username for c in candidates} == {"principal_b1", "ministry", "facilitator"}
    assert candidates[0].person.username == "principal_b1"  # the host school's first
    assert "Principal" in candidates[0].label and world.school_b1.name in candidates[0].label


def test_result_choices_are_the_latest_published_figures_weakest_first(world) -> None:
    results_for(world.school_a1, "2017-18", [10, 10, 10, 10, 10, 10])
    results_for(world.school_a1, "2018-19", [40, 42, 30, 45, 48, 66], participating=120)
    results_for(world.school_a1, "2018-19", [35, 38, 28, 40, 44, 62], group="ell", participating=20)
    results_for(
        world.school_a1,
        "2018-19",
        [20, 22, 18, 25, 28, 40],
        group="special_education",
        participating=3,
    )
    choices = selectors.result_choices(world.school_a1)
    assert {c.school_year for c in choices} == {"2018-19"}
    assert {c.group for c in choices} == {"all", "ell"}  # three students: never offered
    assert choices[0].key == "2018-19|G3-MATH|all" and choices[0].below == 70
    assert [c.group for c in choices].index("ell") == 6


def test_plain_shares_name_the_nearest_common_fraction() -> None:
    assert [selectors.plain_share(p) for p in (0, 3, 10, 34, 52, 66, 77, 97, 100)] == [
        "Not one",
        "Hardly any",
        "About one in ten",
        "About a third",
        "About half",
        "About two thirds",
        "About three quarters",
        "Nearly all",
        "Every one",
    ]


def test_the_evidence_sentence_is_in_the_readers_language(world) -> None:
    results_for(world.school_a1, "2018-19", [40, 42, 30, 45, 48, 66], participating=120)
    results_for(world.school_a1, "2018-19", [35, 38, 48, 40, 44, 62], group="ell", participating=25)
    choices = {c.key: c for c in selectors.result_choices(world.school_a1)}
    english = selectors.evidence_sentence(choices["2018-19|G6-MATH|all"])
    assert english == (
        "About a third of our Grade 6 students (34% of 120) are below the provincial standard "
        "in mathematics (2018-19)."
    )
    group = selectors.evidence_sentence(choices["2018-19|G3-MATH|ell"])
    assert "English language learners" in group and "(52% of 25)" in group
    with translation.override("fr"):
        french = selectors.evidence_sentence(choices["2018-19|G6-MATH|all"])
    assert french.startswith("Environ le tiers") and "34\u00a0% de 120" in french
    assert "mathématiques" in french and "sous la norme provinciale" in french


def test_a_visit_is_read_with_the_rights_of_the_reader(world) -> None:
    from django.core.exceptions import PermissionDenied

    visit = visit_a1(world)
    _visit, rights = selectors.get_visit_for_user(world.personas["teacher_a1"], visit.pk)
    assert rights.notes and not rights.plan and rights.see_goal
    _visit, rights = selectors.get_visit_for_user(
        world.personas["facilitator"], visit_net(world).pk
    )
    assert rights.plan and not rights.see_goal and not rights.notes
    with pytest.raises(PermissionDenied):
        selectors.get_visit_for_user(world.personas["trustee_a"], visit.pk)
    problem, may_plan = selectors.get_problem_for_user(
        world.personas["board_a"], problem_a1(world).pk
    )
    assert may_plan


def test_a_school_without_published_results_offers_none(world) -> None:
    assert selectors.result_choices(world.school_b1) == []
    results_for(world.school_b1, "2018-19", [50] * 6, participating=4)  # every figure too small
    assert selectors.result_choices(world.school_b1) == []


def test_the_sentence_leaves_out_a_count_the_result_does_not_give(world) -> None:
    choice = selectors.ResultChoice(
        key="2018-19|G3-READ|ell",
        school_year="2018-19",
        assessment="G3-READ",
        assessment_name="Grade 3 reading",
        grade=3,
        subject="reading",
        group="ell",
        participating=None,
        pct_at_standard=48.5,
    )
    assert selectors.evidence_sentence(choice) == (
        "About half of our Grade 3 students in the group “English language learners” (51.5%) "
        "are below the provincial standard in reading (2018-19)."
    )
    assert choice.facts()["below_standard"] == 51.5


def test_a_network_cycle_is_for_those_who_lead_its_network_at_a_member_school(world) -> None:
    from django.core.exceptions import PermissionDenied

    from tests.rounds.authz_visits import cycle_net

    cycle = cycle_net(world)
    assert (
        selectors.get_cycle_for_visit(world.personas["facilitator"], cycle.pk, world.school_b1)
        == cycle
    )
    with pytest.raises(PermissionDenied):
        selectors.get_cycle_for_visit(world.personas["facilitator"], cycle.pk, world.school_a1)
    with pytest.raises(PermissionDenied):
        selectors.get_cycle_for_visit(world.personas["principal_b1"], cycle.pk, world.school_b1)


def test_goal_choices_are_the_schools_plans_latest_first(world) -> None:
    from capacity.planning.models import Goal, Plan

    old = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2017-18"
    )
    new = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2018-19"
    )
    Goal.objects.create(plan=old, statement="Old")
    Goal.objects.create(plan=new, statement="New")
    assert [g.statement for g in selectors.goal_choices(world.school_a1)] == ["New", "Old"]
    assert selectors.may_see_goal(world.personas["teacher_a1"], world.school_a1)
    assert not selectors.may_see_goal(world.personas["facilitator"], world.school_b1)
