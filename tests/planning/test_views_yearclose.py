"""The year-close pages: deciding goal by goal (field errors, a stale form that keeps the text),
read-only for readers, the closed plan and next year's plan; the marker-student log and the
documentation pages (the note never to write a name, the consent fields, removing with a reason)
and their files, which only the school team downloads."""

from __future__ import annotations

from pathlib import Path

import pytest

from capacity.planning import services
from capacity.planning.models import (
    CarryDecision,
    Documentation,
    GoalCarry,
    MarkerNote,
    Plan,
    Stage,
)
from tests.planning.yearclose_kit import decide_all
from tests.planning.yearclose_world import goals, item, note, reflect_plan, upload


@pytest.fixture
def plan(world) -> Plan:
    return reflect_plan(world)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def signed_in(client, world, persona="principal_a1"):
    client.force_login(world.personas[persona])
    return client


def decision_data(plan, goal, **values) -> dict:
    prefix = f"g{goal.pk}"
    data = {"goal": goal.pk, f"{prefix}-version": plan.version}
    data |= {f"{prefix}-{key}": value for key, value in values.items()}
    return data


def test_it_shows_each_goal_with_its_progress_and_the_prompt(client, world, plan) -> None:
    page = signed_in(client, world).get(f"/plans/{plan.pk}/year-close/").content.decode()
    assert "Are we focusing on the right inch?" in page and "Steven Katz" in page
    assert "Students explain their reasoning in mathematics" in page
    assert "55% in 2018-19" in page and "Off track" in page
    assert "2 goals have no decision yet" in page
    assert page.count('name="goal"') == 2


def test_it_records_a_decision(client, world, plan) -> None:
    goal = goals(plan)[0]
    client = signed_in(client, world)
    response = client.post(
        f"/plans/{plan.pk}/year-close/",
        decision_data(plan, goal, decision="refine", statement="Explain and justify", why="Talk"),
    )
    assert response.status_code == 302
    row = GoalCarry.objects.get()
    assert (row.decision, row.statement, row.goal) == ("refine", "Explain and justify", goal)
    page = client.get(f"/plans/{plan.pk}/year-close/").content.decode()
    assert "Next year's wording: Explain and justify" in page
    assert "1 goal has no decision yet" in page


def test_it_puts_errors_on_the_fields(client, world, plan) -> None:
    goal = goals(plan)[0]
    response = signed_in(client, world).post(
        f"/plans/{plan.pk}/year-close/",
        decision_data(plan, goal, decision="refine", statement="", why=""),
    )
    assert response.status_code == 200
    form = {line.goal.pk: f for line, f in response.context["rows"]}[goal.pk]
    assert set(form.errors) == {"statement", "why"}
    assert not GoalCarry.objects.exists()


def test_a_stale_form_is_refused_and_keeps_the_text(client, world, plan) -> None:
    first, second = goals(plan)
    stale = decision_data(plan, second, decision="stop", why="My careful reasons")
    decide_all(plan, world.personas["team_a1"])  # someone else decides both goals first
    response = signed_in(client, world).post(f"/plans/{plan.pk}/year-close/", stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this plan" in page and "My careful reasons" in page
    plan.refresh_from_db()
    assert f'name="g{second.pk}-version" value="{plan.version}"' in page
    assert GoalCarry.objects.filter(goal=second).get().decision == CarryDecision.CARRY


@pytest.mark.parametrize("persona", ["board_a", "trustee_a", "teacher_a1", "ministry"])
def test_readers_see_the_decisions_without_a_form(client, world, plan, persona) -> None:
    decide_all(plan, world.personas["principal_a1"])
    page = signed_in(client, world, persona).get(f"/plans/{plan.pk}/year-close/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Decided in a test" in text and 'name="goal"' not in text
    assert "Marker-student log" not in text  # the team's records are not even linked


def test_before_reflect_it_says_when_goals_are_decided(client, world, plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(stage=Stage.ACT)
    page = signed_in(client, world).get(f"/plans/{plan.pk}/year-close/").content.decode()
    assert "at the Reflect stage" in page and 'name="goal"' not in page
    response = signed_in(client, world).post(
        f"/plans/{plan.pk}/year-close/",
        decision_data(plan, goals(plan)[0], decision="carry", why="x"),
    )
    assert response.status_code == 403


def test_the_plan_page_names_undecided_goals_in_the_close_form(client, world, plan) -> None:
    page = signed_in(client, world).get(f"/plans/{plan.pk}/").content.decode()
    assert "2 goals have no year-close decision yet" in page
    assert f"/plans/{plan.pk}/year-close/" in page
    assert "Marker-student log" in page  # the team's records, linked for its team


def test_next_years_plan_says_where_each_goal_came_from(client, world, plan) -> None:
    first, second = goals(plan)
    user = world.personas["principal_a1"]
    decide_all(plan, user, **{second.statement: CarryDecision.STOP})
    plan.refresh_from_db()
    services_yearclose_refine(plan, first, user)
    plan.refresh_from_db()
    successor = services.plan_stage_move(plan=plan, user=user, seen=plan.version, to=Stage.CLOSED)
    client = signed_in(client, world, "board_a")
    page = client.get(f"/plans/{successor.pk}/").content.decode()
    assert "Where this year's goals came from" in page
    assert "Students explain and justify" in page and "Talk moved" in page
    closed = client.get(f"/plans/{plan.pk}/year-close/").content.decode()
    assert "The year is closed" in closed and 'name="goal"' not in closed
    old = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Not carried forward" in old and "Decided in a test" in old


def services_yearclose_refine(plan, goal, user) -> None:
    from capacity.planning.services_yearclose import goal_carry_decide

    goal_carry_decide(
        plan=plan,
        goal=goal,
        user=user,
        seen=plan.version,
        decision=CarryDecision.REFINE,
        statement="Students explain and justify",
        why="Talk moved; justifying is the next inch",
    )


# --- the marker-student log ---------------------------------------------------------------


def test_the_log_groups_entries_by_code_newest_first(client, world, plan) -> None:
    note(world)
    client = signed_in(client, world, "team_a1")
    response = client.post(
        f"/plans/{plan.pk}/marker-log/",
        {"code": "m-07", "on": "2019-05-02", "observed": "Justified an answer", "next_step": ""},
    )
    assert response.status_code == 302
    page = client.get(f"/plans/{plan.pk}/marker-log/")
    ((code, notes),) = page.context["groups"]
    assert code == "M-07" and [n.observed for n in notes] == [
        "Justified an answer",
        "Explained a strategy to a partner",
    ]
    text = page.content.decode()
    assert "Never write a student's name" in text
    assert '<option value="M-07">' in text and '<option value="M-12">' in text


def test_the_log_refuses_a_name_on_the_field(client, world, plan) -> None:
    response = signed_in(client, world).post(
        f"/plans/{plan.pk}/marker-log/",
        {"code": "Jamie", "on": "2019-05-02", "observed": "x", "next_step": ""},
    )
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert not MarkerNote.objects.exists()


def test_a_log_entry_is_deleted(client, world, plan) -> None:
    entry = note(world)
    response = signed_in(client, world).post(f"/plans/{plan.pk}/marker-log/{entry.pk}/delete/")
    assert response.status_code == 302 and not MarkerNote.objects.exists()


def test_a_closed_years_log_is_read_only(client, world, plan) -> None:
    note(world)
    Plan.objects.filter(pk=plan.pk).update(stage=Stage.CLOSED)
    client = signed_in(client, world)
    page = client.get(f"/plans/{plan.pk}/marker-log/").content.decode()
    assert "can be read, not changed" in page and "Delete the entry" not in page
    response = client.post(
        f"/plans/{plan.pk}/marker-log/",
        {"code": "M-07", "on": "2019-05-02", "observed": "x", "next_step": ""},
    )
    assert response.status_code == 403


# --- pedagogical documentation --------------------------------------------------------------


def test_documentation_is_added_with_its_consent(client, world, plan) -> None:
    client = signed_in(client, world)
    response = client.post(
        f"/plans/{plan.pk}/documentation/",
        {
            "title": "Fractions on a number line",
            "description": "",
            "code": "m-12",
            "file": upload("fractions.pdf", b"%PDF-1.4 work"),
            "consent": "guardian",
            "consent_on": "2019-02-11",
            "consent_scope": "Kept by the school team this year",
        },
    )
    assert response.status_code == 302
    kept = Documentation.objects.get()
    assert (kept.code, kept.consent_scope) == ("M-12", "Kept by the school team this year")
    page = client.get(f"/plans/{plan.pk}/documentation/").content.decode()
    assert "Fractions on a number line" in page and "Kept by the school team this year" in page


def test_documentation_refuses_missing_consent_details_and_wrong_files(client, world, plan) -> None:
    client = signed_in(client, world)
    response = client.post(
        f"/plans/{plan.pk}/documentation/",
        {"title": "Video", "file": upload("clip.mp4"), "consent": "guardian"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"consent_on", "consent_scope"}
    response = client.post(
        f"/plans/{plan.pk}/documentation/",
        {"title": "Script", "file": upload("run.exe"), "consent": "anonymous"},
    )
    assert "file" in response.context["form"].errors
    assert not Documentation.objects.exists()


def test_the_file_is_served_to_the_school_team_only(client, world, plan) -> None:
    kept = item(world)
    url = f"/plans/{plan.pk}/documentation/{kept.pk}/file/"
    response = signed_in(client, world, "team_a1").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"anchor chart, no student shown"
    for persona in ("board_a", "ministry", "trustee_a", "teacher_a1", "principal_b1"):
        assert signed_in(client, world, persona).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    # Not through the media URL either: files are under MEDIA_ROOT, which the app never serves.
    assert client.get(f"/media/{kept.file.name}").status_code == 404


def test_removal_asks_why_then_deletes_the_file(
    client, world, plan, django_capture_on_commit_callbacks
) -> None:
    kept = item(world)
    path = Path(kept.file.path)
    client = signed_in(client, world)
    url = f"/plans/{plan.pk}/documentation/{kept.pk}/remove/"
    response = client.post(url, {"why": ""})
    assert response.status_code == 200 and response.context["form"].errors["why"]
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"why": "consent_withdrawn"})
    assert response.status_code == 302
    assert not Documentation.objects.exists() and not path.exists()


def test_a_teacher_who_reads_the_plan_does_not_reach_the_records(client, world, plan) -> None:
    client = signed_in(client, world, "teacher_a1")
    assert client.get(f"/plans/{plan.pk}/").status_code == 200
    for tail in ("marker-log/", "documentation/"):
        assert client.get(f"/plans/{plan.pk}/{tail}").status_code == 403


def test_the_page_reads_the_same_number_of_queries_however_many_goals(
    client, world, plan, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(client, world)
    decide_all(plan, world.personas["principal_a1"])
    with CaptureQueriesContext(connection) as two:
        client.get(f"/plans/{plan.pk}/year-close/")
    user = world.personas["principal_a1"]
    for n in range(3):
        plan.refresh_from_db()
        goal = services.goal_add(plan=plan, user=user, seen=plan.version, statement=f"Goal {n}")
        services.target_add(
            goal=goal,
            user=user,
            seen=plan.version,
            measure="custom",
            description="Share",
            target_value=70.0,
            target_year="2018-19",
        )
    decide_all(plan, user)
    with django_assert_max_num_queries(len(two)):
        client.get(f"/plans/{plan.pk}/year-close/")
