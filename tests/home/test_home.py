"""The home page tells each person what needs them, after real actions through the services.

Each test acts as people would (submit, return, answer, let a checkpoint pass its date)
and reads the home pages of the people concerned and of someone outside their scope.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from capacity.planning import services
from capacity.planning.models import Goal
from tests.evidence.conftest import results_for
from tests.home.conftest import home_text, section_text

pytestmark = pytest.mark.django_db


def _return(plan, reviewer, comments: str) -> None:
    services.plan_decide(
        plan=plan, user=reviewer, accept=False, comments=comments, **services.review_basis(plan)
    )


def test_it_shows_the_board_leader_a_submitted_plan_to_review_and_nobody_outside_the_board(
    client, world, submitted_plan
) -> None:
    queue = section_text(client, world.personas["board_a"], "home-review")
    assert "Aspen Public School, plan for 2018-19" in queue
    assert "Waiting for review" in queue
    assert "waiting 0 days" in queue
    # The ministry reviews board plans; a school's plan is its board's to review.
    assert "Aspen" not in section_text(client, world.personas["ministry"], "home-review")
    for outsider in ("principal_b1", "trustee_a", "teacher_a1"):
        assert "Aspen Public School, plan for" not in home_text(client, world.personas[outsider])
    team = section_text(client, world.personas["principal_a1"], "home-plans")
    assert "Plan stage, submitted for review" in team
    assert "Next: wait for the reviewer's decision." in team


def test_it_shows_the_principal_a_returned_plan_with_the_comments_and_the_next_step(
    client, world, submitted_plan
) -> None:
    _return(submitted_plan, world.personas["board_a"], "Add a target for Grade 3 writing")
    for person in ("principal_a1", "team_a1"):
        plans = section_text(client, world.personas[person], "home-plans")
        assert "Returned" in plans
        assert "Add a target for Grade 3 writing" in plans
        assert "Next: answer the reviewer's comments and submit the plan again." in plans
    assert "Add a target for Grade 3 writing" not in home_text(
        client, world.personas["principal_b1"]
    )
    assert "Add a target" not in section_text(client, world.personas["board_a"], "home-review")


def test_it_shows_an_answered_support_request_to_the_team_and_the_open_one_to_the_board(
    client, world
) -> None:
    principal, leader = world.personas["principal_a1"], world.personas["board_a"]
    request = services.support_request_create(
        user=principal,
        school=world.school_a1,
        tried="Guided reading twice a week",
        needs=["people"],
    )
    to_answer = section_text(client, leader, "home-answer")
    assert "Aspen Public School" in to_answer and "Guided reading twice a week" in to_answer
    assert "waiting 0 days" in to_answer
    assert "Guided reading" in section_text(client, principal, "home-support")
    assert "Waiting for an answer" in section_text(client, principal, "home-support")
    # The ministry answers requests addressed to it; this one is the board's.
    assert "Guided reading" not in section_text(client, world.personas["ministry"], "home-answer")

    services.support_request_answer(
        request=request, user=leader, answer="A literacy coach from January", provided=["people"]
    )
    answered = section_text(client, principal, "home-support")
    assert "Answered" in answered and "A literacy coach from January" in answered
    assert "Guided reading" not in section_text(client, leader, "home-answer")
    for outsider in ("principal_b1", "facilitator"):
        assert "A literacy coach" not in home_text(client, world.personas[outsider])


def test_it_shows_a_checkpoint_past_its_date_as_overdue_to_the_team_the_board_and_the_ministry(
    client, world
) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.checkpoint_add(
        plan=plan, user=principal, seen=plan.version, due=yesterday, title="Winter writing check"
    )
    for person in ("principal_a1", "teacher_a1"):
        checkpoints = section_text(client, world.personas[person], "home-checkpoints")
        assert "Overdue" in checkpoints and "Winter writing check" in checkpoints
    by_school = section_text(client, world.personas["board_a"], "home-overdue")
    assert "Aspen Public School" in by_school and "1 checkpoint overdue" in by_school
    by_board = section_text(client, world.personas["ministry"], "home-overdue-boards")
    assert "Alpha District School Board" in by_board
    assert "Winter writing check" not in home_text(client, world.personas["principal_b1"])
    assert "home-overdue" not in section_text(client, world.personas["principal_b1"], "home-plans")


def test_it_shows_a_teacher_the_goals_and_the_strategies_for_teachers(client, world) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    goal = services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement="Students explain their thinking"
    )
    services.strategy_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        action="Number talks every morning",
        responsible="All classroom teachers",
    )
    services.strategy_add(
        goal=Goal.objects.get(pk=goal.pk),
        user=principal,
        seen=plan.version,
        action="Monthly moderation of writing",
        responsible="Literacy lead and principal",
    )
    plan.refresh_from_db()
    services.strategy_add(
        goal=Goal.objects.get(pk=goal.pk),
        user=principal,
        seen=plan.version,
        action="Attendance calls home",
        responsible="Vice-principal",
    )
    teacher = world.personas["teacher_a1"]
    assert "Students explain their thinking" in section_text(client, teacher, "home-goals")
    strategies = section_text(client, teacher, "home-teacher-strategies")
    assert "Number talks every morning" in strategies
    assert "Monthly moderation" not in strategies
    # The principal and the literacy lead (by title) lead the moderation, not the number talks.
    for person in ("principal_a1", "team_a1"):
        led = section_text(client, world.personas[person], "home-strategies")
        assert "Monthly moderation of writing" in led and "Number talks" not in led
        assert "Attendance calls home" not in led  # the vice-principal is not the principal


def test_it_shows_a_trustee_the_boards_goals_read_only(client, world) -> None:
    leader = world.personas["board_a"]
    plan = services.plan_create(user=leader, board=world.board_a, school_year="2018-19")
    services.goal_add(
        plan=plan, user=leader, seen=plan.version, statement="Every school plans with its evidence"
    )
    goals = section_text(client, world.personas["trustee_a"], "home-board-goals")
    assert "Every school plans with its evidence" in goals
    assert "No target set yet." in goals
    trustee_page = home_text(client, world.personas["trustee_a"])
    assert "Plans waiting for your review" not in trustee_page
    assert "Support requests to answer" not in trustee_page
    assert "Every school plans" not in home_text(client, world.personas["principal_b1"])


def test_it_shows_a_facilitator_the_networks_schools_by_name_only(client, world) -> None:
    text = section_text(client, world.personas["facilitator"], f"home-network-{world.network.pk}")
    assert "Alder Secondary School" in text and "Birch Catholic School" in text
    assert "Aspen Public School" not in text
    client.force_login(world.personas["facilitator"])
    body = client.get("/").content.decode()
    assert f'href="/schools/{world.school_b1.number}/"' not in body


def test_it_shows_the_principal_why_the_school_is_identified(client, world, evidence_world) -> None:
    text = section_text(client, world.personas["principal_a1"], "home-identification")
    assert "Aspen Public School is identified for focused intervention in 2018-19." in text
    assert "Grade 3 reading in 2018-19: 40.0%" in text or "40.0%" in text
    identified = section_text(client, world.personas["board_a"], "home-identified")
    assert "Aspen Public School" in identified and "No plan yet." in identified
    assert "Aspen" not in home_text(client, world.personas["principal_b1"])


def test_it_shows_the_latest_results_with_their_trend(client, world) -> None:
    results_for(world.school_a1, "2017-18", [60, 61, 62, 63, 64, 65])
    results_for(world.school_a1, "2018-19", [64, 61, 60, 63, 64, 65])
    text = section_text(
        client, world.personas["principal_a1"], f"home-results-{world.school_a1.number}"
    )
    assert "Grade 3 reading, 2018-19: 64.0% at or above the standard" in text
    assert "Up 4.0 points since 2017-18." in text
    assert "Down 2.0 points since 2017-18." in text
    board = section_text(
        client, world.personas["trustee_a"], f"home-board-results-{world.board_a.number}"
    )
    assert "2018-19" in board


def test_a_small_groups_figure_never_appears_on_a_home_page(client, world) -> None:
    # Six students wrote: the figure is hidden everywhere, the home pages included.
    results_for(world.school_a1, "2017-18", [57.3] * 6, participating=6)
    results_for(world.school_a1, "2018-19", [58.7] * 6, participating=6)
    for person in ("principal_a1", "team_a1", "board_a", "trustee_a", "ministry"):
        text = home_text(client, world.personas[person])
        assert "57.3" not in text and "58.7" not in text, person
        text = home_text(client, world.personas[person], "fr")
        assert "57,3" not in text and "58,7" not in text, person
    shown = section_text(
        client, world.personas["principal_a1"], f"home-results-{world.school_a1.number}"
    )
    assert "not shown" in shown


def test_it_speaks_french(client, world, submitted_plan) -> None:
    _return(submitted_plan, world.personas["board_a"], "Ajoutez une cible")
    text = home_text(client, world.personas["principal_a1"], "fr")
    assert "Vos plans" in text
    assert "Renvoyé" in text
    assert "Ajoutez une cible" in text
    assert "Next:" not in text and "Your plans" not in text
    leader = home_text(client, world.personas["board_a"], "fr")
    assert "Plans en attente de votre examen" in leader


def test_every_section_says_what_would_appear_when_it_is_empty(client, world) -> None:
    for person in ("principal_a1", "teacher_a1", "board_a", "trustee_a", "ministry"):
        client.force_login(world.personas[person])
        body = client.get("/").content.decode()
        sections = body.count('class="home-section"')
        filled = body.count('class="home-items"') + body.count('class="home-empty"')
        assert sections and sections == filled, person
        assert "appear here" in body, person


def test_it_shows_unread_messages_and_says_when_there_are_none(client, world) -> None:
    from capacity.notifications import kinds
    from capacity.notifications.services import notify

    principal = world.personas["principal_a1"]
    assert "You have no unread message." in section_text(client, principal, "home-messages")
    kind = sorted(kinds.registered())[0]
    params = {"plan": "Aspen Public School 2018-19", "owner": "Aspen Public School"}
    notify(recipients=[principal], kind=kind, params=params, url="/support/")
    messages = section_text(client, principal, "home-messages")
    assert "Unread" in messages and "1 unread" in messages
    assert "Unread" not in section_text(client, world.personas["principal_b1"], "home-messages")
