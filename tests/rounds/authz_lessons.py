"""The authorisation rows of lesson study (read by tests/test_authorization.py and
tests/test_authorization_writes.py).

A1's study is read by A1's staff, board A's leader (not its trustee) and the ministry; written by
its team (teacher A1, team A1) and those who plan A1's rounds (principal A1, team A1, board A's
leader). The network's study at B1 is read by B1's staff, the network's facilitator and the
ministry. A finished study is shared by its board's leaders alone.
"""

from __future__ import annotations

from typing import Any

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
    read_api,
)
from tests.conftest import PERSONAS
from tests.rounds.kit_lessons import RECORDS, current, finished, start


def study_a1(w: Any) -> Any:
    return start(w, title="rounds lessons: A1's study")


def network_study(w: Any) -> Any:
    return start(
        w,
        by="facilitator",
        school=w.school_b1,
        network=w.network,
        team=("principal_b1",),
        title="rounds lessons: the network's study at B1",
    )


def finished_a1(w: Any) -> Any:
    return finished(w, title="rounds lessons: A1's finished study")


def study_form(w: Any, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Fractions on a number line",
        "overarching_goal": "Students reason about quantities.",
        "research_question": "Does a number line help students order fractions?",
        "grade": "5",
        "subject": "mathematics",
        "team": [w.personas["teacher_a1"].pk],
        **extra,
    }


A1_READERS = (M, BA, PA, TA, ST)

READS = [
    (
        "rounds_lessons",
        "rounds lessons: my lesson studies",
        lambda w: "/rounds/lessons/",
        ALL_SIGNED_IN,
    ),
    (
        "rounds_lessons",
        "rounds lessons: an unknown school's studies",
        lambda w: "/rounds/lessons/?school=000000",
        NOT_FOUND,
    ),
    (
        "rounds_lesson_new",
        "rounds lessons: start a study (where one plans rounds or leads a network)",
        lambda w: "/rounds/lessons/new/",
        only(BA, PA, F, PB, ST),
    ),
    (
        "rounds_lesson_new",
        "rounds lessons: start a study at A1",
        lambda w: f"/rounds/lessons/new/?school={w.school_a1.number}",
        only(BA, PA, ST),
    ),
    (
        "rounds_lesson_new",
        "rounds lessons: start a study at B1, a network's member school",
        lambda w: f"/rounds/lessons/new/?school={w.school_b1.number}",
        only(M, F, PB),
    ),
    (
        "rounds_lesson",
        "rounds lessons: A1's study",
        lambda w: f"/rounds/lessons/{study_a1(w).pk}/",
        only(*A1_READERS),
    ),
    (
        "rounds_lesson",
        "rounds lessons: the network's study at B1",
        lambda w: f"/rounds/lessons/{network_study(w).pk}/",
        only(M, F, PB),
    ),
    (
        "rounds_lesson",
        "rounds lessons: A1's finished study",
        lambda w: f"/rounds/lessons/{finished_a1(w).pk}/",
        only(*A1_READERS),
    ),
    (
        "rounds_lesson",
        "rounds lessons: no such study",
        lambda w: "/rounds/lessons/999999/",
        NOT_FOUND,
    ),
    (
        "rounds_lesson_edit",
        "rounds lessons: change A1's study (its team and rounds planners)",
        lambda w: f"/rounds/lessons/{study_a1(w).pk}/edit/",
        only(BA, PA, TA, ST),
    ),
    (
        "rounds_lesson_edit",
        "rounds lessons: change A1's finished study",
        lambda w: f"/rounds/lessons/{finished_a1(w).pk}/edit/",
        only(),
    ),
    (
        "rounds_lesson_cycle",
        "rounds lessons: cycle 1 of A1's study",
        lambda w: f"/rounds/lessons/{study_a1(w).pk}/cycles/1/",
        only(*A1_READERS),
    ),
    (
        "rounds_lesson_cycle",
        "rounds lessons: the finished cycle of A1's finished study",
        lambda w: f"/rounds/lessons/{finished_a1(w).pk}/cycles/1/",
        only(*A1_READERS),
    ),
    (
        "rounds_lesson_cycle",
        "rounds lessons: the network's study's cycle 1",
        lambda w: f"/rounds/lessons/{network_study(w).pk}/cycles/1/",
        only(M, F, PB),
    ),
    (
        "rounds_lesson_cycle",
        "rounds lessons: a cycle A1's study does not have",
        lambda w: f"/rounds/lessons/{study_a1(w).pk}/cycles/9/",
        {p: LOGIN if p == A else 404 if p in A1_READERS else 403 for p in PERSONAS},
    ),
    (
        "rounds_lesson_pdf",
        "rounds lessons: A1's finished study as PDF",
        lambda w: f"/rounds/lessons/{finished_a1(w).pk}.pdf",
        only(*A1_READERS),
    ),
    (
        "rounds_lesson_pdf",
        "rounds lessons: no such study as PDF",
        lambda w: "/rounds/lessons/999999.pdf",
        NOT_FOUND,
    ),
    (
        "rounds_lesson_share",
        "rounds lessons: share a study by GET",
        lambda w: f"/rounds/lessons/{finished_a1(w).pk}/share/",
        POST_ONLY,
    ),
    (
        "api:api_rounds_lessons",
        "API rounds lessons",
        lambda w: "/api/rounds/lessons",
        read_api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    (
        "api:api_rounds_lesson",
        "API rounds lessons: A1's study",
        lambda w: f"/api/rounds/lessons/{study_a1(w).pk}",
        read_api(*A1_READERS),
    ),
    (
        "api:api_rounds_lesson",
        "API rounds lessons: no such study",
        lambda w: "/api/rounds/lessons/999999",
        {p: (401 if p == A else 404) for p in PERSONAS},
    ),
]


def _cycle_form(w: Any, **extra: Any) -> dict[str, Any]:
    cycle = current(study_a1(w))
    return {**RECORDS["plan"], "version": str(cycle.version), **extra}


WRITES = [
    Write(
        "POST rounds_lesson_new",
        "rounds lessons: start a study at A1",
        post(lambda w: f"/rounds/lessons/new/?school={w.school_a1.number}", study_form),
        page(BA, PA, ST),
    ),
    Write(
        "POST rounds_lesson_new",
        "rounds lessons: start the network's study at B1",
        post(
            lambda w: f"/rounds/lessons/new/?school={w.school_b1.number}",
            lambda w: study_form(
                w, team=[w.personas["principal_b1"].pk], network=str(w.network.pk)
            ),
        ),
        # B1's principal plans B1's rounds: the study starts, as B1's own (no network offered).
        page(M, F, PB),
    ),
    Write(
        "POST rounds_lesson_edit",
        "rounds lessons: change A1's study",
        post(
            lambda w: f"/rounds/lessons/{study_a1(w).pk}/edit/",
            lambda w: study_form(w, version=str(study_a1(w).version)),
        ),
        page(BA, PA, TA, ST),
    ),
    Write(
        "POST rounds_lesson_cycle",
        "rounds lessons: save the plan of A1's cycle 1",
        post(lambda w: f"/rounds/lessons/{study_a1(w).pk}/cycles/1/", _cycle_form),
        page(BA, PA, TA, ST),
    ),
    Write(
        "POST rounds_lesson_cycle",
        "rounds lessons: plan A1's cycle 1 and move on to teaching",
        post(
            lambda w: f"/rounds/lessons/{study_a1(w).pk}/cycles/1/",
            lambda w: _cycle_form(w, move="teach"),
        ),
        page(BA, PA, TA, ST),
    ),
    Write(
        "POST rounds_lesson_share",
        "rounds lessons: share A1's finished study as a case study",
        post(lambda w: f"/rounds/lessons/{finished_a1(w).pk}/share/"),
        page(BA),
    ),
]
