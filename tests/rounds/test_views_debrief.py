"""The debrief's pages as people use them: the facilitator's page (themes, notes, levels, the
prediction, finishing), htmx partials and plain forms, stale edits, the regroup confirmation,
the next level of work, readers' read-only view, and patterns over time."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from capacity.planning.models import Strategy
from capacity.rounds import affinity
from capacity.rounds.models import NetworkAction, NextStep, Visit, VisitStage
from tests.rounds import factories_debrief as f

pytestmark = pytest.mark.django_db


def signed_in(client: Client, world, persona: str) -> Client:
    client.force_login(world.personas[persona])
    return client


def url(v: Visit) -> str:
    return f"/rounds/visits/{v.pk}/debrief/"


def version(v: Visit) -> int:
    return Visit.objects.get(pk=v.pk).version


@pytest.fixture
def visit(world) -> Visit:
    return f.visit_a1(world)


def test_the_facilitator_sees_themes_notes_and_their_words_never_the_author(
    client, world, visit
) -> None:
    page = signed_in(client, world, "team_a1").get(url(visit)).content.decode()
    assert "Suggested: " in page and "Words they share:" in page
    assert "Talk in groups" in page  # the named theme
    assert "fraction strips and blocks" in page  # a note's text
    assert 'lang="fr"' in page  # a French note keeps its language
    assert f.AUTHOR_NAME not in page and "observer" not in page
    assert "Move this note to" in page and "Level of the task" in page
    assert 'name="version" value="1"' in page


def test_a_reader_who_does_not_run_it_waits_for_the_finished_debrief(client, world, visit) -> None:
    page = signed_in(client, world, "teacher_a1").get(url(visit)).content.decode()
    assert "has not finished this visit's debrief yet" in page
    assert "fraction strips" not in page
    f.finished(world, visit)
    page = client.get(url(visit)).content.decode()
    assert "Talk in groups" in page and "fraction strips" in page
    assert (
        "Move this note to" not in page and '<form method="post" action="/rounds/visits' not in page
    )
    assert f.AUTHOR_NAME not in page


def test_a_move_with_htmx_answers_the_work_area_with_the_new_version(client, world, visit) -> None:
    note = affinity.from_dict(visit.grouping).groups[0].note_ids[0]
    response = signed_in(client, world, "team_a1").post(
        url(visit),
        {"action": "move", "version": "1", "note": note, "to_group": "new"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="debrief-work">') and "<html" not in body
    assert "The note is moved." in body
    assert 'name="version" value="2"' in body and 'name="version" value="1"' not in body
    assert affinity.from_dict(Visit.objects.get(pk=visit.pk).grouping).group_of(note).key == "g5"


def test_a_plain_move_goes_back_to_the_note(client, world, visit) -> None:
    note = affinity.from_dict(visit.grouping).groups[0].note_ids[0]
    response = signed_in(client, world, "principal_a1").post(
        url(visit), {"action": "move", "version": "1", "note": note, "to_group": "g2"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url(visit)}#note-{note}"


def test_a_stale_edit_is_refused_and_shows_what_changed(client, world, visit) -> None:
    signed_in(client, world, "team_a1").post(
        url(visit), {"action": "rename", "version": "1", "group": "g2", "name": "Copying"}
    )
    other = signed_in(Client(), world, "principal_a1")
    response = other.post(
        url(visit), {"action": "predict", "version": "1", "prediction": "My answer"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone changed this debrief after you opened it" in page
    assert "Copying" in page  # what the other facilitator did
    assert "My answer" in page  # what this one typed is kept
    assert Visit.objects.get(pk=visit.pk).prediction == ""


def test_a_stale_htmx_edit_shows_the_top_of_the_work_area(client, world, visit) -> None:
    client = signed_in(client, world, "team_a1")
    client.post(url(visit), {"action": "predict", "version": "1", "prediction": "First"})
    response = client.post(
        url(visit),
        {"action": "predict", "version": "1", "prediction": "Second"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Reswap"] == "outerHTML show:#debrief-work:top"
    assert "Someone changed this debrief" in response.content.decode()


def test_regrouping_after_edits_asks_first(client, world, visit) -> None:
    client = signed_in(client, world, "team_a1")
    page = client.post(
        url(visit), {"action": "group", "version": "1", "groups": "3"}
    ).content.decode()
    assert "Regroup anyway?" in page
    assert len(affinity.from_dict(Visit.objects.get(pk=visit.pk).grouping).groups) == 4
    response = client.post(
        url(visit), {"action": "group", "version": "1", "groups": "3", "confirm": "on"}
    )
    assert response.status_code == 302
    assert len(affinity.from_dict(Visit.objects.get(pk=visit.pk).grouping).groups) == 3


def test_the_first_grouping_needs_no_confirmation(client, world) -> None:
    v = f.visit(world, on=datetime.date(2019, 2, 6))
    f.notes(world, v, 12)
    client = signed_in(client, world, "team_a1")
    assert "12 notes are waiting to be grouped." in client.get(url(v)).content.decode()
    assert client.post(url(v), {"action": "group", "version": "1", "groups": ""}).status_code == 302
    assert Visit.objects.get(pk=v.pk).grouping["choice"] == "silhouette"


def test_level_rename_and_prediction(client, world, visit) -> None:
    client = signed_in(client, world, "team_a1")
    note = visit.notes.order_by("pk").first()
    client.post(
        url(visit), {"action": "level", "version": "1", "note": note.pk, "level": "synthesis"}
    )
    client.post(url(visit), {"action": "rename", "version": "2", "group": "g2", "name": "Copying"})
    client.post(url(visit), {"action": "predict", "version": "3", "prediction": "Copying."})
    note.refresh_from_db()
    fresh = Visit.objects.get(pk=visit.pk)
    assert note.level == "synthesis"
    assert affinity.from_dict(fresh.grouping).groups[1].name == "Copying"
    assert fresh.prediction == "Copying." and fresh.version == 4


def test_a_refused_edit_shows_its_reason_beside_its_form(client, world, visit) -> None:
    client = signed_in(client, world, "team_a1")
    page = client.post(
        url(visit), {"action": "rename", "version": "1", "group": "g1", "name": "x" * 201}
    ).content.decode()
    assert "at most 200 characters" in page
    page = client.post(url(visit), {"action": "finish", "version": "1"}).content.decode()
    assert "Answer the prediction question" in page
    assert Visit.objects.get(pk=visit.pk).stage == VisitStage.DEBRIEF


def test_an_unknown_action_is_a_bad_request(client, world, visit) -> None:
    response = signed_in(client, world, "team_a1").post(
        url(visit), {"action": "delete", "version": "1"}
    )
    assert response.status_code == 400


def test_finishing_the_debrief(client, world, visit) -> None:
    f.ready_to_finish(world, visit)
    client = signed_in(client, world, "team_a1")
    response = client.post(url(visit), {"action": "finish", "version": str(version(visit))})
    assert response.status_code == 302
    assert Visit.objects.get(pk=visit.pk).stage == VisitStage.DONE
    page = client.get(url(visit)).content.decode()
    assert "Finish the debrief" not in page and "Debrief finished" in page


def test_the_levels_chart_has_its_table(client, world, visit) -> None:
    page = signed_in(client, world, "team_a1").get(url(visit)).content.decode()
    assert '<svg role="img"' in page
    assert "Show the numbers in a table" in page
    assert "28 tasks have a confirmed level" in page


# --- the next level of work ----------------------------------------------------------------


def test_a_step_is_added_and_a_refused_one_keeps_its_text(client, world, visit) -> None:
    client = signed_in(client, world, "principal_a1")
    steps = f"/rounds/visits/{visit.pk}/next-steps/"
    page = client.post(steps, {"horizon": "week", "text": ""}).content.decode()
    assert "This field is required." in page
    response = client.post(steps, {"horizon": "month", "text": "Compare two tasks each week."})
    assert response["Location"].endswith("#next-steps")
    assert NextStep.objects.get(visit=visit).horizon == "month"


def test_plan_writers_see_the_plans_goals_and_others_do_not(client, world, visit) -> None:
    plan, goal = f.plan_a1(world)
    f.step(visit)
    page = signed_in(client, world, "principal_a1").get(url(visit)).content.decode()
    assert "Make it a plan strategy" in page and goal.statement in page
    page = signed_in(Client(), world, "board_a").get(url(visit)).content.decode()
    assert "Make it a plan strategy" not in page and goal.statement not in page
    assert "Make it a network action" not in page  # a school's own visit


def test_a_step_becomes_a_strategy_from_the_page(client, world, visit) -> None:
    plan, goal = f.plan_a1(world)
    step = f.step(visit)
    response = signed_in(client, world, "principal_a1").post(
        f"/rounds/next-steps/{step.pk}/strategy/",
        {"goal": goal.pk, "seen": plan.version, "responsible": "Grade 6 team"},
    )
    assert response.status_code == 302
    assert Strategy.objects.get().goal == goal
    page = client.get(url(visit)).content.decode()
    assert "A strategy of the school" in page
    assert f'href="/plans/{plan.pk}/"' in page


def test_a_stale_plan_version_is_said_beside_the_step(client, world, visit) -> None:
    plan, goal = f.plan_a1(world)
    step = f.step(visit)
    page = (
        signed_in(client, world, "principal_a1")
        .post(
            f"/rounds/next-steps/{step.pk}/strategy/",
            {"goal": goal.pk, "seen": plan.version + 3, "responsible": "x"},
        )
        .content.decode()
    )
    assert "Someone else changed this plan" in page
    assert not Strategy.objects.exists()


def test_a_school_without_a_plan_is_told_so(client, world, visit) -> None:
    step = f.step(visit)
    page = (
        signed_in(client, world, "principal_a1")
        .post(
            f"/rounds/next-steps/{step.pk}/strategy/",
            {"goal": "1", "seen": "1", "responsible": "x"},
        )
        .content.decode()
    )
    assert "The school has no improvement plan yet." in page


def test_the_network_facilitator_makes_a_network_action(client, world) -> None:
    v = f.visit_b1_network(world)
    step = f.step(v)
    client = signed_in(client, world, "facilitator")
    page = client.get(url(v)).content.decode()
    assert "Make it a network action" in page and "Make it a plan strategy" not in page
    assert client.post(f"/rounds/next-steps/{step.pk}/action/").status_code == 302
    assert NetworkAction.objects.get().network == world.network
    page = client.post(f"/rounds/next-steps/{step.pk}/action/").content.decode()
    assert "already a plan strategy or a network action" in page


# --- patterns over time --------------------------------------------------------------------


def test_a_schools_patterns_show_named_themes_and_levels(client, world) -> None:
    f.finished_a1(world)
    later = f.visit(world, on=datetime.date(2019, 3, 6), stage=VisitStage.DONE)
    f.finished(world, later)
    f.visit_a1(world)  # at its debrief: not a pattern yet
    page = (
        signed_in(client, world, "teacher_a1")
        .get("/rounds/patterns/?school=700001")
        .content.decode()
    )
    assert "Patterns over time: Aspen Public School" in page
    assert "Talk in groups" in page
    assert "2018-19" in page
    assert page.count("/debrief/") == 2  # the two finished visits, not the one in progress
    assert '<svg role="img"' in page  # the higher levels over the two visits


def test_a_networks_patterns_hold_its_own_visits_only(client, world) -> None:
    network_visit = f.visit_b1_network(world)
    f.finished(world, network_visit)
    own = f.visit(
        world,
        school=world.school_b1,
        on=datetime.date(2018, 9, 26),
        facilitator=world.personas["principal_b1"],
        members=(),
    )
    f.finished(world, own)
    page = (
        signed_in(client, world, "principal_b1")
        .get(f"/rounds/patterns/?network={world.network.pk}")
        .content.decode()
    )
    assert f"/rounds/visits/{network_visit.pk}/debrief/" in page
    assert f"/rounds/visits/{own.pk}/debrief/" not in page


def test_the_patterns_index_lists_what_the_person_reads(client, world) -> None:
    f.finished_a1(world)
    f.finished(world, f.visit_b1_network(world))
    page = signed_in(client, world, "principal_a1").get("/rounds/patterns/").content.decode()
    assert "?school=700001" in page and "?network=" not in page
    page = signed_in(Client(), world, "facilitator").get("/rounds/patterns/").content.decode()
    assert f"?network={world.network.pk}" in page and "?school=" not in page


def test_the_patterns_page_costs_the_same_for_more_visits(
    client, world, django_assert_max_num_queries
) -> None:
    for day in (3, 10, 17, 24):
        f.finished(world, f.visit(world, on=datetime.date(2018, 10, day)))
    client = signed_in(client, world, "principal_a1")
    with django_assert_max_num_queries(14):
        assert client.get("/rounds/patterns/?school=700001").status_code == 200


def test_both_a_school_and_a_network_is_not_a_page(client, world) -> None:
    response = signed_in(client, world, "ministry").get(
        f"/rounds/patterns/?school=700001&network={world.network.pk}"
    )
    assert response.status_code == 404


def test_the_debrief_page_costs_the_same_for_more_notes(
    client, world, django_assert_max_num_queries
) -> None:
    """The page reads its notes, steps and plan in a fixed number of queries, not one per note."""
    plan, _goal = f.plan_a1(world)
    small = f.visit(world, on=datetime.date(2019, 2, 13))
    f.notes(world, small, 6)
    f.grouped(world, small, groups=2)
    big = f.visit_a1(world)
    for v in (small, big):
        for horizon in ("week", "month", "year"):
            f.step(v, horizon=horizon)
    client = signed_in(client, world, "principal_a1")
    client.get(url(small))  # the session and the cached chart settle
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url(small))
    with django_assert_max_num_queries(len(few)):
        assert client.get(url(big)).status_code == 200
