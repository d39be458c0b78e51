"""Words on the rounds' pages as a walk-through read them: a long plan goal is shown whole on a
problem of practice and cut at a word's edge with an ellipsis in the choices, and home items cut
a long statement with an ellipsis rather than in the middle of a word."""

from __future__ import annotations

import re

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


def _french(client) -> None:
    client.cookies["django_language"] = "fr"


def test_the_share_of_higher_tasks_reads_in_each_language(client, world) -> None:
    from tests.rounds import factories_debrief as f

    visit = f.visit_a1(world)
    client.force_login(world.personas["team_a1"])
    page = client.get(f"/rounds/visits/{visit.pk}/debrief/").content.decode()
    assert re.search(r"\d+% of them ask for analysis", page)
    _french(client)
    page = client.get(f"/rounds/visits/{visit.pk}/debrief/", HTTP_ACCEPT_LANGUAGE="fr")
    assert re.search("\\d+\u00a0% d’entre elles", page.content.decode())


def test_the_pdf_s_team_by_role_has_french_spacing(client, world, tmp_path) -> None:
    from tests.rounds import factories_debrief as f
    from tests.rounds.test_exports_debrief import pdf_text

    visit = f.finished_a1(world)
    client.force_login(world.personas["teacher_a1"])
    _french(client)
    response = client.get(f"/rounds/visits/{visit.pk}/debrief.pdf", HTTP_ACCEPT_LANGUAGE="fr")
    text = pdf_text(response.content, tmp_path)
    # pdftotext turns the non-breaking space into a space: the colon is no longer glued on.
    assert "(Enseignant : 1, Membre de l’équipe-école : 1)" in text


def test_an_action_s_due_date_reads_d_ici_le_in_french(client, world) -> None:
    import datetime

    from capacity.rounds.models import NetworkAction

    NetworkAction.objects.create(
        network=world.network, text="Share the task", due=datetime.date(2026, 12, 18)
    )
    client.force_login(world.personas["facilitator"])
    _french(client)
    page = client.get(f"/rounds/networks/{world.network.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert 'd’ici le <time datetime="2026-12-18">18 décembre 2026</time>' in page.content.decode()
