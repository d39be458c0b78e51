"""The authorisation rows of the rounds' visits part: problems of practice, visits, notes.

A1's problem of practice and its visit (today; facilitated by A1's principal; A1's teacher and
school team member on the team, so they take notes); B1's problem and the network's visit to it
(facilitated by the network's facilitator; B1's principal on the team). Who reads a school's
rounds: its staff, its board's leaders (not its trustees), the ministry, the visit's team and
facilitator, and a network visit's network facilitators (`access.visit_rights`). The builders
are also the visits tests' data.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from capacity.rounds.models import (
    Classroom,
    NetworkCycle,
    Note,
    ProblemOfPractice,
    Protocol,
    Visit,
    VisitMember,
)
from tests.authz_kit import (
    ALL_SIGNED_IN,
    BA,
    LOGIN,
    NOT_FOUND,
    PA,
    PB,
    POST_ONLY,
    ST,
    TA,
    TR,
    A,
    F,
    M,
    Write,
    only,
    page,
    post,
    post_json,
    read_api,
    write_api,
)
from tests.conftest import PERSONAS


def problem_a1(w: Any) -> ProblemOfPractice:
    return ProblemOfPractice.objects.get_or_create(
        school=w.school_a1,
        board=w.board_a,
        school_year="2018-19",
        statement="How do our Grade 6 students explain their reasoning in mathematics?",
        defaults={"evidence": "About a third of our Grade 6 students are at levels 1 and 2."},
    )[0]


def problem_b1(w: Any) -> ProblemOfPractice:
    return ProblemOfPractice.objects.get_or_create(
        school=w.school_b1,
        board=w.board_b,
        school_year="2018-19",
        statement="What do students do when a problem has more than one step?",
        defaults={"evidence": "About half of our Grade 3 students are at levels 1 and 2."},
    )[0]


def _team(visit: Visit, *people: Any) -> Visit:
    for person in people:
        VisitMember.objects.get_or_create(visit=visit, person=person)
    for position, (grade, subject) in enumerate([("6", "mathematics"), ("5", "language")], 1):
        Classroom.objects.get_or_create(
            visit=visit, position=position, defaults={"grade": grade, "subject": subject}
        )
    return visit


def visit_a1(w: Any) -> Visit:
    """A1's visit, today, at the stage `planned`."""
    problem = problem_a1(w)
    visit = Visit.objects.filter(problem=problem).first() or Visit.objects.create(
        problem=problem,
        school=w.school_a1,
        board=w.board_a,
        on=timezone.localdate(),
        facilitator=w.personas["principal_a1"],
    )
    return _team(visit, w.personas["teacher_a1"], w.personas["team_a1"])


def cycle_net(w: Any) -> NetworkCycle:
    return NetworkCycle.objects.get_or_create(
        network=w.network,
        number=1,
        defaults={"focus": "Multi-step problems", "stage": Protocol.CO_TEACH},
    )[0]


def visit_net(w: Any) -> Visit:
    """The network's visit to B1 (a member school), facilitated by the network's facilitator."""
    problem = problem_b1(w)
    visit = Visit.objects.filter(problem=problem).first() or Visit.objects.create(
        problem=problem,
        school=w.school_b1,
        board=w.board_b,
        network=w.network,
        cycle=cycle_net(w),
        on=timezone.localdate(),
        facilitator=w.personas["facilitator"],
    )
    return _team(visit, w.personas["principal_b1"])


def note_a1(w: Any) -> Note:
    """A note the teacher of A1 took on A1's visit."""
    visit = visit_a1(w)
    return Note.objects.get_or_create(
        client_id=uuid.UUID("00000000-0000-4000-8000-000000000001"),
        defaults={
            "visit": visit,
            "author": w.personas["teacher_a1"],
            "classroom": visit.classrooms.get(position=1),
            "grade": "6",
            "subject": "mathematics",
            "students_doing": "Students compare two strategies in pairs.",
            "task": "Compare the two strategies.",
            "written_at": timezone.now(),
        },
    )[0]


def note_body(client_id: str = "00000000-0000-4000-8000-0000000000aa") -> dict[str, Any]:
    return {
        "notes": [
            {
                "client_id": client_id,
                "classroom": 1,
                "language": "en",
                "teacher_doing": "The teacher asks: which strategy is faster?",
                "students_doing": "Students explain their steps to a partner.",
                "task": "Compare two strategies for 48 x 25.",
                "level": "analysis",
            }
        ]
    }


def visit_form(w: Any, visit: Visit, **extra: Any) -> dict[str, Any]:
    """The visit as its edit form sends it (the schedule as saved, the version it started from)."""
    classrooms = list(visit.classrooms.all())
    data: dict[str, Any] = {
        "on": visit.on.isoformat(),
        "facilitator": str(visit.facilitator_id),
        "team": [str(m.person_id) for m in visit.members.all()],
        "version": str(visit.version),
        "classrooms-TOTAL_FORMS": str(len(classrooms)),
        "classrooms-INITIAL_FORMS": str(len(classrooms)),
        "classrooms-MIN_NUM_FORMS": "0",
        "classrooms-MAX_NUM_FORMS": "12",
    }
    for i, c in enumerate(classrooms):
        data.update(
            {
                f"classrooms-{i}-id": str(c.pk),
                f"classrooms-{i}-minutes": str(c.minutes),
                f"classrooms-{i}-grade": c.grade,
                f"classrooms-{i}-subject": c.subject,
            }
        )
    data.update(extra)
    return data


def new_visit_form(w: Any, facilitator: Any, team: list[Any]) -> dict[str, Any]:
    return {
        "on": "2030-03-02",
        "facilitator": str(facilitator.pk),
        "team": [str(p.pk) for p in team],
        "classrooms-TOTAL_FORMS": "1",
        "classrooms-INITIAL_FORMS": "0",
        "classrooms-MIN_NUM_FORMS": "0",
        "classrooms-MAX_NUM_FORMS": "12",
        "classrooms-0-starts": "09:10",
        "classrooms-0-minutes": "20",
        "classrooms-0-grade": "6",
        "classrooms-0-subject": "mathematics",
    }


A1_READERS = (M, BA, PA, TA, ST)
A1_PLANNERS = (BA, PA, ST)
A1_TEAM = (TA, ST)

READS = [
    ("rounds_index", "rounds: my rounds", lambda w: "/rounds/", ALL_SIGNED_IN),
    (
        "rounds_index",
        "rounds: my rounds at A1 (filtered to what each reads)",
        lambda w: f"/rounds/?school={w.school_a1.number}",
        ALL_SIGNED_IN,
    ),
    (
        "rounds_problem_new",
        "rounds: start A1's problem of practice (its team, its board's leaders)",
        lambda w: f"/rounds/problems/new/?school={w.school_a1.number}",
        only(*A1_PLANNERS),
    ),
    (
        "rounds_problem_new",
        "rounds: start a problem of practice without a school (one school: its form)",
        lambda w: "/rounds/problems/new/",
        {p: {A: LOGIN, BA: 302, PA: 200, ST: 200, PB: 200}.get(p, 403) for p in PERSONAS},
    ),
    (
        "rounds_problem_new",
        "rounds: start a problem of practice for no such school",
        lambda w: "/rounds/problems/new/?school=999999",
        NOT_FOUND,
    ),
    (
        "rounds_problem",
        "rounds: A1's problem of practice",
        lambda w: f"/rounds/problems/{problem_a1(w).pk}/",
        only(*A1_READERS),
    ),
    (
        "rounds_problem",
        "rounds: B1's problem a network visit observes (its facilitator reads it)",
        lambda w: f"/rounds/problems/{visit_net(w).problem_id}/",
        only(M, F, PB),
    ),
    ("rounds_problem", "rounds: no such problem", lambda w: "/rounds/problems/999999/", NOT_FOUND),
    (
        "rounds_problem_edit",
        "rounds: change A1's problem of practice",
        lambda w: f"/rounds/problems/{problem_a1(w).pk}/edit/",
        only(*A1_PLANNERS),
    ),
    (
        "rounds_visit_new",
        "rounds: plan a visit to A1",
        lambda w: f"/rounds/problems/{problem_a1(w).pk}/visits/new/",
        only(*A1_PLANNERS),
    ),
    (
        "rounds_visit_new",
        "rounds: plan the network's visit to B1 (those who lead the network)",
        lambda w: f"/rounds/problems/{problem_b1(w).pk}/visits/new/?cycle={cycle_net(w).pk}",
        only(M, F),
    ),
    (
        "rounds_visit",
        "rounds: A1's visit",
        lambda w: f"/rounds/visits/{visit_a1(w).pk}/",
        only(*A1_READERS),
    ),
    (
        "rounds_visit",
        "rounds: the network's visit to B1",
        lambda w: f"/rounds/visits/{visit_net(w).pk}/",
        only(M, F, PB),
    ),
    ("rounds_visit", "rounds: no such visit", lambda w: "/rounds/visits/999999/", NOT_FOUND),
    (
        "rounds_visit_edit",
        "rounds: change A1's visit (its planners)",
        lambda w: f"/rounds/visits/{visit_a1(w).pk}/edit/",
        only(*A1_PLANNERS),
    ),
    (
        "rounds_visit_edit",
        "rounds: change the network's visit (its planners and the network's facilitator)",
        lambda w: f"/rounds/visits/{visit_net(w).pk}/edit/",
        only(F, PB),
    ),
    (
        "rounds_visit_stage",
        "rounds: move a visit's stage by GET",
        lambda w: f"/rounds/visits/{visit_a1(w).pk}/stage/",
        POST_ONLY,
    ),
    (
        "rounds_notes",
        "rounds: notes on A1's visit (its team members)",
        lambda w: f"/rounds/visits/{visit_a1(w).pk}/notes/",
        only(*A1_TEAM),
    ),
    (
        "rounds_notes",
        "rounds: notes on the network's visit (its team member)",
        lambda w: f"/rounds/visits/{visit_net(w).pk}/notes/",
        only(PB),
    ),
    (
        "rounds_notes_sync",
        "rounds: notes sync by GET",
        lambda w: f"/rounds/visits/{visit_a1(w).pk}/notes/sync/",
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "rounds_note_check",
        "rounds: note check by GET",
        lambda w: "/rounds/notes/check/",
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "rounds_notes_worker",
        "rounds: the notes pages' service worker (code, no data)",
        lambda w: "/rounds/notes-worker.js",
        dict.fromkeys(PERSONAS, 200),
    ),
    (
        "api:api_rounds_visits",
        "rounds: API visits (each sees what they read)",
        lambda w: f"/api/rounds/visits?school={visit_a1(w).school.number}",
        read_api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    (
        "api:api_rounds_visit",
        "rounds: API A1's visit",
        lambda w: f"/api/rounds/visits/{visit_a1(w).pk}",
        read_api(*A1_READERS),
    ),
    (
        "api:api_rounds_visit",
        "rounds: API the network's visit",
        lambda w: f"/api/rounds/visits/{visit_net(w).pk}",
        read_api(M, F, PB),
    ),
    (
        "api:api_rounds_visit_notes",
        "rounds: API notes by GET",
        lambda w: f"/api/rounds/visits/{visit_a1(w).pk}/notes",
        dict.fromkeys(PERSONAS, 405),
    ),
]


def _problem_form(w: Any) -> dict[str, Any]:
    return {
        "statement": "What do students do when they are stuck?",
        "evidence": "Our own reading records show it.",
    }


WRITES = [
    Write(
        "POST rounds_problem_new",
        "rounds: set A1's problem of practice",
        post(
            lambda w: f"/rounds/problems/new/?school={w.school_a1.number}",
            _problem_form,
        ),
        page(*A1_PLANNERS),
    ),
    Write(
        "POST rounds_problem_edit",
        "rounds: change A1's problem of practice",
        post(
            lambda w: f"/rounds/problems/{problem_a1(w).pk}/edit/",
            lambda w: {**_problem_form(w), "version": str(problem_a1(w).version)},
        ),
        page(*A1_PLANNERS),
    ),
    Write(
        "POST rounds_visit_new",
        "rounds: plan a visit to A1 with its teacher",
        post(
            lambda w: f"/rounds/problems/{problem_a1(w).pk}/visits/new/",
            lambda w: new_visit_form(w, w.personas["principal_a1"], [w.personas["teacher_a1"]]),
        ),
        page(*A1_PLANNERS),
    ),
    Write(
        "POST rounds_visit_new",
        "rounds: plan the network's visit to B1 with its principal",
        post(
            lambda w: f"/rounds/problems/{problem_b1(w).pk}/visits/new/?cycle={cycle_net(w).pk}",
            lambda w: new_visit_form(w, w.personas["facilitator"], [w.personas["principal_b1"]]),
        ),
        page(M, F),
    ),
    Write(
        "POST rounds_visit_edit",
        "rounds: move A1's visit to another day",
        post(
            lambda w: f"/rounds/visits/{visit_a1(w).pk}/edit/",
            lambda w: visit_form(w, visit_a1(w), on="2030-04-07"),
        ),
        page(*A1_PLANNERS),
    ),
    Write(
        "POST rounds_visit_stage",
        "rounds: start observing at A1's visit (its planners and facilitator)",
        post(
            lambda w: f"/rounds/visits/{visit_a1(w).pk}/stage/",
            lambda w: {"to": "observing", "version": str(visit_a1(w).version)},
        ),
        page(*A1_PLANNERS),
    ),
    Write(
        "POST rounds_notes_sync",
        "rounds: send a note taken at A1's visit (its team members)",
        post_json(lambda w: f"/rounds/visits/{visit_a1(w).pk}/notes/sync/", lambda w: note_body()),
        {p: {A: 401, TA: 200, ST: 200}.get(p, 403) for p in PERSONAS},
    ),
    Write(
        "POST rounds_note_check",
        "rounds: check a draft note's words (computes, stores nothing)",
        post_json(
            lambda w: "/rounds/notes/check/",
            lambda w: {"language": "en", "teacher_doing": "An excellent lesson.", "task": ""},
        ),
        {p: 401 if p == A else 200 for p in PERSONAS},
        stored=False,
    ),
    Write(
        "POST api:api_rounds_visit_notes",
        "rounds: API send a note taken at A1's visit",
        post_json(lambda w: f"/api/rounds/visits/{visit_a1(w).pk}/notes", lambda w: note_body()),
        write_api(200, *A1_TEAM),
    ),
]
