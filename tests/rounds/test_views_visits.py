"""The rounds' visits pages as people use them: my rounds, a problem of practice started from a
result, a visit planned and changed, the stage moved, the notes page, its sync and check, the
service worker; and no page or answer shows who wrote a note."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.utils import timezone

from capacity.rounds.models import Note, ProblemOfPractice, Visit, VisitStage
from tests.authz_kit import rounds_rows
from tests.evidence.conftest import results_for
from tests.rounds.authz_visits import (
    new_visit_form,
    note_a1,
    note_body,
    problem_a1,
    visit_a1,
    visit_form,
    visit_net,
)

pytestmark = pytest.mark.django_db


def signed_in(client, world, persona):
    client.force_login(world.personas[persona])
    return client


def text(response) -> str:
    return response.content.decode()


# --- my rounds -------------------------------------------------------------------------


def test_my_rounds_lists_problems_and_visits_and_where_to_start(
    client, world, django_assert_max_num_queries
) -> None:
    visit_a1(world)
    signed_in(client, world, "principal_a1")
    with django_assert_max_num_queries(14):
        page = text(client.get("/rounds/"))
    assert "How do our Grade 6 students explain their reasoning" in page
    assert f"/rounds/visits/{visit_a1(world).pk}/" in page
    assert f"/rounds/problems/new/?school={world.school_a1.number}" in page


def test_a_board_leader_chooses_the_school_to_start_with(client, world) -> None:
    page = text(signed_in(client, world, "board_a").get("/rounds/"))
    assert 'name="school"' in page and world.school_a2.name in page
    assert client.get("/rounds/problems/new/").status_code == 302


def test_a_trustee_sees_no_rounds(client, world) -> None:
    visit_a1(world)
    page = text(
        signed_in(client, world, "trustee_a").get(f"/rounds/?school={world.school_a1.number}")
    )
    assert "No visit coming up." in page and "explain their reasoning" not in page


# --- problems of practice --------------------------------------------------------------


def test_choosing_a_result_writes_its_sentence_and_the_problem_keeps_its_figures(
    client, world
) -> None:
    results_for(world.school_a1, "2018-19", [40, 42, 30, 45, 48, 66], participating=120)
    results_for(world.school_a1, "2018-19", [20, 22, 18, 25, 28, 40], group="ell", participating=4)
    signed_in(client, world, "principal_a1")
    url = f"/rounds/problems/new/?school={world.school_a1.number}"
    page = text(client.get(url))
    assert "Grade 6 mathematics" in page and "English language learners" not in page
    page = text(client.get(f"{url}&result=2018-19|G6-MATH|all"))
    assert "About a third of our Grade 6 students (34% of 120)" in page
    response = client.post(
        f"{url}&result=2018-19|G6-MATH|all",
        {
            "result": "2018-19|G6-MATH|all",
            "evidence": "About a third of our Grade 6 students are at levels 1 and 2.",
            "statement": "How do students explain their reasoning?",
        },
    )
    problem = ProblemOfPractice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rounds/problems/{problem.pk}/"
    assert problem.evidence_facts["below_standard"] == 34
    page = text(client.get(response["Location"]))
    assert "Grade 6 mathematics" in page and "34%" in page


def test_the_form_shows_field_errors(client, world) -> None:
    signed_in(client, world, "principal_a1")
    response = client.post(
        f"/rounds/problems/new/?school={world.school_a1.number}", {"statement": "", "evidence": ""}
    )
    assert response.status_code == 200
    assert text(response).count('class="field-error"') == 2


def test_a_stale_problem_edit_shows_what_was_saved(client, world) -> None:
    problem = problem_a1(world)
    ProblemOfPractice.objects.filter(pk=problem.pk).update(statement="Saved by someone", version=2)
    signed_in(client, world, "team_a1")
    response = client.post(
        f"/rounds/problems/{problem.pk}/edit/",
        {"statement": "Mine", "evidence": "E", "version": "1"},
    )
    page = text(response)
    assert response.status_code == 200 and "after you opened it" in page
    assert "Saved by someone" in page
    assert ProblemOfPractice.objects.get().statement == "Saved by someone"


def test_the_plan_goal_is_shown_to_those_who_read_the_plan(client, world) -> None:
    page = text(
        signed_in(client, world, "principal_a1").get(f"/rounds/problems/{problem_a1(world).pk}/")
    )
    assert "The plan goal it serves:" in page
    problem = visit_net(world).problem
    page = text(signed_in(client, world, "facilitator").get(f"/rounds/problems/{problem.pk}/"))
    assert "The plan goal it serves" not in page


# --- visits ----------------------------------------------------------------------------


def test_a_visit_is_planned_with_a_schedule_that_names_no_teacher_or_room(client, world) -> None:
    signed_in(client, world, "principal_a1")
    url = f"/rounds/problems/{problem_a1(world).pk}/visits/new/"
    page = text(client.get(url))
    assert "never names a teacher or a room" in page
    assert "Teacher A1" in page and "Principal B1" not in page  # who may be on the team
    assert not re.search(r'name="classrooms-0-(teacher|room)', page)
    data = new_visit_form(world, world.personas["principal_a1"], [world.personas["teacher_a1"]])
    response = client.post(url, data)
    visit = Visit.objects.get()
    assert response["Location"] == f"/rounds/visits/{visit.pk}/"
    assert [(c.grade, c.subject, c.starts.hour) for c in visit.classrooms.all()] == [
        ("6", "mathematics", 9)
    ]


def test_a_visit_form_keeps_errors_by_field(client, world) -> None:
    signed_in(client, world, "principal_a1")
    data = new_visit_form(world, world.personas["principal_a1"], [])
    data["classrooms-0-minutes"] = "500"
    response = client.post(f"/rounds/problems/{problem_a1(world).pk}/visits/new/", data)
    assert response.status_code == 200 and not Visit.objects.exists()
    assert text(response).count('class="field-error"') >= 2


def test_the_visit_page_shows_the_schedule_the_team_and_the_next_stage(client, world) -> None:
    visit = visit_a1(world)
    note_a1(world)
    page = text(signed_in(client, world, "principal_a1").get(f"/rounds/visits/{visit.pk}/"))
    assert "Teacher A1" in page and "Grade 6" in page and "Mathematics" in page
    assert 'name="to" value="observing"' in page
    assert "Compare the two strategies" not in page  # notes are read at the debrief
    page = text(signed_in(client, world, "teacher_a1").get(f"/rounds/visits/{visit.pk}/"))
    assert f"/rounds/visits/{visit.pk}/notes/" in page and "You have written 1 note." in page
    assert 'name="to"' not in page


def test_moving_the_stage_says_what_happened(client, world) -> None:
    visit = visit_a1(world)
    signed_in(client, world, "principal_a1")
    url = f"/rounds/visits/{visit.pk}/stage/"
    response = client.post(url, {"to": "debrief", "version": "1"}, follow=True)
    assert "Start observing before the debrief." in text(response)
    response = client.post(url, {"to": "observing", "version": "1"}, follow=True)
    assert "Observing" in text(response)
    assert Visit.objects.get().stage == VisitStage.OBSERVING
    response = client.post(url, {"to": "debrief"}, follow=True)
    assert "Choose a stage" in text(response)


def test_a_stale_visit_edit_is_refused_and_shows_what_was_saved(client, world) -> None:
    visit = visit_a1(world)
    data = visit_form(world, visit, on="2030-05-05")
    Visit.objects.filter(pk=visit.pk).update(version=2)
    response = signed_in(client, world, "board_a").post(f"/rounds/visits/{visit.pk}/edit/", data)
    assert response.status_code == 200 and "after you opened it" in text(response)
    assert Visit.objects.get().on == visit.on


def test_a_done_visit_is_not_edited(client, world) -> None:
    visit = visit_a1(world)
    Visit.objects.filter(pk=visit.pk).update(stage=VisitStage.DONE)
    response = signed_in(client, world, "principal_a1").get(f"/rounds/visits/{visit.pk}/edit/")
    assert response.status_code == 302


# --- notes -----------------------------------------------------------------------------


def test_the_notes_page_holds_its_config_and_only_the_persons_notes(client, world) -> None:
    visit = visit_a1(world)
    note_a1(world)
    page = text(signed_in(client, world, "team_a1").get(f"/rounds/visits/{visit.pk}/notes/"))
    config = json.loads(
        re.search(r'id="notes-config" type="application/json">(.*?)</script>', page).group(1)
    )
    assert config["sync"] == f"/rounds/visits/{visit.pk}/notes/sync/"
    assert (
        config["worker"] == "/rounds/notes-worker.js"
        and config["person"] == world.personas["team_a1"].pk
    )
    assert config["levels"]["analysis"] == "Analysis"
    assert "Compare the two strategies" not in page  # the teacher's note, not theirs
    page = text(signed_in(client, world, "teacher_a1").get(f"/rounds/visits/{visit.pk}/notes/"))
    assert "Compare the two strategies" in page
    assert "notes.js" in page and 'name="level" value="evaluation"' in page


def test_the_sync_answers_by_note_and_never_doubles_one(client, world) -> None:
    visit = visit_a1(world)
    signed_in(client, world, "teacher_a1")
    url = f"/rounds/visits/{visit.pk}/notes/sync/"
    body = note_body(str(uuid.uuid4()))
    for expected in ("created", "unchanged"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 200
        [result] = response.json()["results"]
        assert result["status"] == expected and "author" not in result["note"]
    assert Note.objects.count() == 1


def test_the_sync_refuses_bad_requests_as_json(client, world) -> None:
    visit = visit_a1(world)
    url = f"/rounds/visits/{visit.pk}/notes/sync/"
    response = client.post(url, note_body(), content_type="application/json")
    assert response.status_code == 401 and "Sign in" in response.json()["detail"]
    signed_in(client, world, "teacher_a1")
    assert client.post(url, "{not json", content_type="application/json").status_code == 400
    assert client.post(url, {"notes": "x"}, content_type="application/json").status_code == 400
    response = client.post(url, {"notes": [{}] * 101}, content_type="application/json")
    assert response.status_code == 400 and "at most 100" in response.json()["detail"]
    assert not Note.objects.exists()


def test_the_check_flags_judging_words_and_suggests_a_level(client, world) -> None:
    signed_in(client, world, "teacher_a1")
    response = client.post(
        "/rounds/notes/check/",
        {
            "language": "fr",
            "teacher_doing": "Une leçon très bien gérée.",
            "task": "Comparez les deux textes.",
        },
        content_type="application/json",
    )
    answer = response.json()
    assert [f["text"] for f in answer["flags"]["teacher_doing"]] == ["très bien gérée"]
    assert answer["flags"]["task"] == [] and answer["suggestion"]["level"] == "analysis"
    assert answer["suggestion"]["verbs"] == ["comparer"]
    response = client.post(
        "/rounds/notes/check/", {"language": "de"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Note.objects.exists()


def test_the_service_worker_is_served_under_rounds_as_javascript(client) -> None:
    response = client.get("/rounds/notes-worker.js")
    assert response["Content-Type"].startswith("text/javascript")
    body = text(response)
    assert 'var STATIC = "/static/";' in body and "capacity-rounds-notes-v1" in body


# --- nobody's name next to a note ------------------------------------------------------


def _notes_by_others(world):
    """Notes on A1's visit by its teacher and school team member, on the network's by B1's principal."""
    note_a1(world)
    for persona, visit, words in (
        ("team_a1", visit_a1(world), "Students sort the cards into three piles"),
        ("principal_b1", visit_net(world), "Pairs measure the hallway with metre sticks"),
    ):
        Note.objects.create(
            visit=visit,
            author=world.personas[persona],
            students_doing=words,
            written_at=timezone.now(),
        )
    return {
        n.students_doing: (str(n.author), n.author.username)
        for n in Note.objects.select_related("author")
    }


@pytest.mark.parametrize("persona", ["principal_a1", "facilitator"])
def test_no_page_or_answer_shows_who_wrote_a_note(client, world, persona) -> None:
    notes = _notes_by_others(world)
    for visit in Visit.objects.all():
        visit.stage = VisitStage.DEBRIEF
        visit.save()
    signed_in(client, world, persona)
    paths = [
        build(world)
        for _name, _label, build, statuses in rounds_rows("READS")
        if statuses[persona] == 200
    ]
    paths += [f"/api/rounds/visits/{v.pk}" for v in Visit.objects.all()]
    shown = 0
    for path in dict.fromkeys(paths):
        response = client.get(path)
        if response.status_code != 200:
            continue
        body = response.content.decode(errors="replace")
        assert '"author' not in body, path
        for words, (name, username) in notes.items():
            for match in re.finditer(re.escape(words), body):
                shown += 1
                near = body[max(0, match.start() - 400) : match.end() + 400]
                assert name not in near and username not in near, f"{path} names {name} by a note"
    assert shown, "no page showed a note: the check checked nothing"


def _more_visits(world, n: int) -> None:
    visit = visit_a1(world)
    for day in range(n):
        Visit.objects.create(
            problem=ProblemOfPractice.objects.create(
                school=world.school_a2,
                board=world.board_a,
                school_year="2018-19",
                statement=f"Problem {day}",
                evidence="E",
            ),
            school=world.school_a2,
            board=world.board_a,
            on=visit.on.replace(year=visit.on.year - 1 - day),
            facilitator=world.personas["board_a"],
        )


@pytest.mark.parametrize("path", ["/rounds/", "/api/rounds/visits"])
def test_lists_cost_the_same_queries_for_one_visit_as_for_three(client, world, path) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, world, "board_a")
    counts = []
    for extra in (0, 2):
        _more_visits(world, extra)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_facilitator_plans_the_networks_visit_from_its_cycle(client, world) -> None:
    from tests.rounds.authz_visits import cycle_net, problem_b1

    signed_in(client, world, "facilitator")
    url = f"/rounds/problems/{problem_b1(world).pk}/visits/new/?cycle={cycle_net(world).pk}"
    page = text(client.get(url))
    assert "North Shore Numeracy Network" in page and "Principal B1" in page
    assert client.get(url.replace(str(cycle_net(world).pk), "x")).status_code == 404
    response = client.post(
        url, new_visit_form(world, world.personas["facilitator"], [world.personas["principal_b1"]])
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.network == world.network


def test_a_visit_edit_adds_and_removes_classrooms(client, world) -> None:
    visit = visit_a1(world)
    data = visit_form(world, visit)
    data.update(
        {
            "classrooms-TOTAL_FORMS": "3",
            "classrooms-1-DELETE": "on",
            "classrooms-2-minutes": "30",
            "classrooms-2-grade": "2",
            "classrooms-2-subject": "arts",
        }
    )
    response = signed_in(client, world, "principal_a1").post(
        f"/rounds/visits/{visit.pk}/edit/", data
    )
    assert response.status_code == 302
    assert [(c.position, c.grade) for c in visit.classrooms.all()] == [(1, "6"), (2, "2")]


def test_the_notes_page_of_a_done_visit_takes_no_notes(client, world) -> None:
    visit = visit_a1(world)
    Visit.objects.filter(pk=visit.pk).update(stage=VisitStage.DONE)
    page = text(signed_in(client, world, "teacher_a1").get(f"/rounds/visits/{visit.pk}/notes/"))
    assert "takes no more notes" in page and 'id="note-form"' not in page


def test_the_check_and_an_unknown_school_answer_plainly(client, world) -> None:
    response = client.post(
        "/rounds/notes/check/", {"language": "en"}, content_type="application/json"
    )
    assert response.status_code == 401
    signed_in(client, world, "teacher_a1")
    assert client.get("/rounds/?school=999999").status_code == 404
    response = client.post("/rounds/notes/check/", "[", content_type="application/json")
    assert response.status_code == 400


def test_a_problem_edit_can_start_again_from_a_result(client, world) -> None:
    results_for(world.school_a1, "2018-19", [40, 42, 30, 45, 48, 66], participating=120)
    problem = problem_a1(world)
    signed_in(client, world, "principal_a1")
    url = f"/rounds/problems/{problem.pk}/edit/?result=2018-19|G3-MATH|all"
    assert "About two thirds" in text(client.get(url))
    response = client.post(
        url,
        {"result": "2018-19|G3-MATH|all", "statement": "S", "evidence": "E", "version": "1"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.evidence_facts["assessment"] == "G3-MATH"
