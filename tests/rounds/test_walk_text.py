"""Words on the rounds' pages as a walk-through read them: a long plan goal is shown whole on a
problem of practice and cut at a word's edge with an ellipsis in the choices, and home items cut
a long statement with an ellipsis rather than in the middle of a word."""

from __future__ import annotations

import pytest

from capacity.planning.models import Goal, Plan
from capacity.rounds import home_visits
from capacity.rounds.forms_visits import ProblemForm
from tests.rounds.authz_visits import problem_a1, visit_a1

pytestmark = pytest.mark.django_db

LONG = (
    "More Grade 6 students will read for meaning: making inferences and supporting them with "
    "evidence from the text, in every subject."
)


def _goal(world) -> Goal:
    plan = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2018-19"
    )
    return Goal.objects.create(plan=plan, statement=LONG)


def test_the_problem_shows_its_plan_goal_whole(client, world) -> None:
    problem = problem_a1(world)
    problem.goal = _goal(world)
    problem.save(update_fields=["goal"])
    client.force_login(world.personas["principal_a1"])
    page = client.get(f"/rounds/problems/{problem.pk}/").content.decode()
    assert LONG in page


def test_the_goal_choices_end_with_an_ellipsis(world) -> None:
    goal = _goal(world)
    form = ProblemForm(goals=[goal])
    [(_, label)] = form.fields["goal"].choices[1:]
    assert label.startswith("2018-19 — More Grade 6") and label.endswith("…")
    assert len(label) < len(LONG)


def test_a_home_item_cuts_a_long_statement_with_an_ellipsis(world) -> None:
    visit = visit_a1(world)
    visit.problem.statement = "Why " + "do students stop " * 20 + "when stuck?"
    visit.problem.save(update_fields=["statement"])
    [section] = home_visits.sections(world.personas["teacher_a1"])
    assert section.items[0].detail.endswith("…")
