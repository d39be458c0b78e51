"""The debrief's rows in the authorisation contract (tests/test_authorization.py reads READS,
tests/test_authorization_writes.py reads WRITES).

A1's visit is facilitated by A1's school team member, with A1's teacher on its team: A1's
staff, board A's leader and the ministry read it; its debrief is run by its facilitator and
A1's rounds planners (A1's principal and school team, board A's leader). The network's visit
to B1 is facilitated by the network's facilitator, with B1's principal on its team. Trustees
read no rounds; a network facilitator reads the network's visits, never a school's own.
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
from tests.rounds import factories_debrief as f


def _version(v: Any) -> str:
    v.refresh_from_db()
    return str(v.version)


def _step_a1(w: Any) -> Any:
    f.plan_a1(w)
    return f.step(f.visit_a1(w))


def _step_b1(w: Any) -> Any:
    return f.step(f.visit_b1_network(w))


def _strategy_form(w: Any) -> dict[str, Any]:
    plan, goal = f.plan_a1(w)
    plan.refresh_from_db()
    return {"goal": str(goal.pk), "seen": str(plan.version), "responsible": "Grade 6 team"}


def _ready_a1(w: Any) -> Any:
    v = f.visit_a1(w)
    f.ready_to_finish(w, v)
    return v


READS = [
    (
        "rounds_debrief",
        "rounds: A1's visit's debrief (its readers; those who do not run it see it once finished)",
        lambda w: f"/rounds/visits/{f.visit_a1(w).pk}/debrief/",
        only(M, BA, PA, TA, ST),
    ),
    (
        "rounds_debrief",
        "rounds: A1's finished debrief",
        lambda w: f"/rounds/visits/{f.finished_a1(w).pk}/debrief/",
        only(M, BA, PA, TA, ST),
    ),
    (
        "rounds_debrief",
        "rounds: the network's visit to B1's debrief (its facilitator, B1, the ministry)",
        lambda w: f"/rounds/visits/{f.visit_b1_network(w).pk}/debrief/",
        only(M, F, PB),
    ),
    (
        "rounds_debrief",
        "rounds: no such visit's debrief",
        lambda w: "/rounds/visits/999999/debrief/",
        NOT_FOUND,
    ),
    (
        "rounds_debrief_pdf",
        "rounds: A1's finished debrief as PDF",
        lambda w: f"/rounds/visits/{f.finished_a1(w).pk}/debrief.pdf",
        only(M, BA, PA, TA, ST),
    ),
    (
        "rounds_debrief_pdf",
        "rounds: A1's debrief in progress as PDF (those who run it; to other readers not yet)",
        lambda w: f"/rounds/visits/{f.visit_a1(w).pk}/debrief.pdf",
        {p: {A: LOGIN, BA: 200, PA: 200, ST: 200, M: 404, TA: 404}.get(p, 403) for p in PERSONAS},
    ),
    (
        "rounds_next_step_new",
        "rounds: add a next step by GET",
        lambda w: f"/rounds/visits/{f.visit_a1(w).pk}/next-steps/",
        POST_ONLY,
    ),
    (
        "rounds_next_step_strategy",
        "rounds: a step to a strategy by GET",
        lambda w: f"/rounds/next-steps/{_step_a1(w).pk}/strategy/",
        POST_ONLY,
    ),
    (
        "rounds_next_step_action",
        "rounds: a step to a network action by GET",
        lambda w: f"/rounds/next-steps/{_step_b1(w).pk}/action/",
        POST_ONLY,
    ),
    (
        "rounds_patterns",
        "rounds: where to read patterns over time",
        lambda w: "/rounds/patterns/",
        ALL_SIGNED_IN,
    ),
    (
        "rounds_patterns",
        "rounds: A1's patterns over time",
        lambda w: f.finished_a1(w) and "/rounds/patterns/?school=700001",
        only(M, BA, PA, TA, ST),
    ),
    (
        "rounds_patterns",
        "rounds: the network's patterns over time (its facilitator, its schools' people)",
        lambda w: f"/rounds/patterns/?network={w.network.pk}",
        only(M, BA, F, PB),
    ),
    (
        "rounds_patterns",
        "rounds: no such school's patterns",
        lambda w: "/rounds/patterns/?school=999999",
        NOT_FOUND,
    ),
    (
        "api:api_rounds_patterns",
        "rounds: API A1's patterns",
        lambda w: f.finished_a1(w) and "/api/rounds/patterns?school=700001",
        read_api(M, BA, PA, TA, ST),
    ),
    (
        "api:api_rounds_patterns",
        "rounds: API the network's patterns",
        lambda w: f"/api/rounds/patterns?network={w.network.pk}",
        read_api(M, BA, F, PB),
    ),
    (
        "api:api_rounds_debrief",
        "rounds: API A1's finished debrief",
        lambda w: f"/api/rounds/visits/{f.finished_a1(w).pk}/debrief",
        read_api(M, BA, PA, TA, ST),
    ),
    (
        "api:api_rounds_debrief",
        "rounds: API the network's visit to B1's debrief",
        lambda w: f"/api/rounds/visits/{f.visit_b1_network(w).pk}/debrief",
        read_api(M, F, PB),
    ),
]

WRITES = [
    Write(
        "POST rounds_debrief",
        "rounds: answer the prediction on A1's debrief",
        post(
            lambda w: f"/rounds/visits/{f.visit_a1(w).pk}/debrief/",
            lambda w: {
                "action": "predict",
                "version": _version(f.visit_a1(w)),
                "prediction": "Copy definitions.",
            },
        ),
        page(BA, PA, ST),
    ),
    Write(
        "POST rounds_debrief",
        "rounds: regroup A1's notes into three themes (confirmed)",
        post(
            lambda w: f"/rounds/visits/{f.visit_a1(w).pk}/debrief/",
            lambda w: {
                "action": "group",
                "version": _version(f.visit_a1(w)),
                "groups": "3",
                "confirm": "on",
            },
        ),
        page(BA, PA, ST),
    ),
    Write(
        "POST rounds_debrief",
        "rounds: move a note of A1's debrief to a new theme",
        post(
            lambda w: f"/rounds/visits/{f.visit_a1(w).pk}/debrief/",
            lambda w: {
                "action": "move",
                "version": _version(f.visit_a1(w)),
                "note": str(f.visit_a1(w).notes.order_by("pk").first().pk),
                "to_group": "new",
            },
        ),
        page(BA, PA, ST),
    ),
    Write(
        "POST rounds_debrief",
        "rounds: finish A1's debrief",
        post(
            lambda w: f"/rounds/visits/{_ready_a1(w).pk}/debrief/",
            lambda w: {"action": "finish", "version": _version(f.visit_a1(w))},
        ),
        page(BA, PA, ST),
    ),
    Write(
        "POST rounds_debrief",
        "rounds: name a theme of the network's visit to B1",
        post(
            lambda w: f"/rounds/visits/{f.grouped(w, f.visit_b1_network(w)).pk}/debrief/",
            lambda w: {
                "action": "rename",
                "version": _version(f.visit_b1_network(w)),
                "group": "g1",
                "name": "Talk",
            },
        ),
        page(F, PB),
    ),
    Write(
        "POST rounds_next_step_new",
        "rounds: add a next step to A1's debrief",
        post(
            lambda w: f"/rounds/visits/{f.visit_a1(w).pk}/next-steps/",
            lambda w: {"horizon": "week", "text": "One open question a lesson."},
        ),
        page(BA, PA, ST),
    ),
    Write(
        "POST rounds_next_step_strategy",
        "rounds: an A1 step becomes a strategy of A1's plan (its writers)",
        post(lambda w: f"/rounds/next-steps/{_step_a1(w).pk}/strategy/", _strategy_form),
        page(PA, ST),
    ),
    Write(
        "POST rounds_next_step_action",
        "rounds: the network visit's step becomes a network action",
        post(lambda w: f"/rounds/next-steps/{_step_b1(w).pk}/action/"),
        page(F, PB),
    ),
]
