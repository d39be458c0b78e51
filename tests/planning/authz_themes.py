"""The authorisation rows of the themes part (read by tests/test_authorization.py and
tests/test_authorization_writes.py).

Counts of themes and lessons: the province's for the ministry, board A's for its leader and the
ministry (not its trustee). A plan's lessons page and circumstances page are read by everyone who
reads the plan; the team (principal A1, team A1) tags goals and strategies and adds a
circumstance's strategy; the reviewers (board A's leader, the ministry) tag co-reflections.
"""

from __future__ import annotations

from typing import Any

from tests.authz_kit import (
    BA,
    LOGIN,
    NOT_FOUND,
    PA,
    POST_ONLY,
    ST,
    TA,
    TR,
    A,
    M,
    Write,
    only,
    page,
    post,
    read_api,
)
from tests.conftest import PERSONAS
from tests.planning.kit_themes import board_plan_a, coreflection_a1, goal_a1, plan_a1

A1_READERS = (M, BA, PA, TA, TR, ST)


def board_plan_circumstances(w: Any) -> str:
    return f"/plans/{board_plan_a(w).pk}/circumstances/"


READS = [
    ("themes_province", "themes: the province's counts", lambda w: "/plans/themes/", only(M)),
    (
        "themes_export",
        "themes: the province's counts as CSV",
        lambda w: "/plans/themes.csv",
        only(M),
    ),
    (
        "themes_export",
        "themes: board A's counts as CSV",
        lambda w: f"/plans/themes.csv?board={w.board_a.number}",
        only(M, BA),
    ),
    (
        "themes_board",
        "themes: board A's counts",
        lambda w: f"/plans/themes/boards/{w.board_a.number}/",
        only(M, BA),
    ),
    (
        "themes_board",
        "themes: an unknown board's counts",
        lambda w: "/plans/themes/boards/B99999/",
        NOT_FOUND,
    ),
    (
        "themes_plan",
        "themes: lessons of A1's plan",
        lambda w: f"/plans/{goal_a1(w).plan_id}/themes/",
        only(*A1_READERS),
    ),
    (
        "themes_plan_tag",
        "themes: tag A1's goal by GET",
        lambda w: f"/plans/{goal_a1(w).plan_id}/themes/goal/{goal_a1(w).pk}/",
        POST_ONLY,
    ),
    (
        "themes_circumstances",
        "themes: circumstances of A1's plan",
        lambda w: f"/plans/{goal_a1(w).plan_id}/circumstances/",
        only(*A1_READERS),
    ),
    (
        "themes_circumstances",
        "themes: a board plan has no circumstances",
        board_plan_circumstances,
        {p: (LOGIN if p == A else 404 if p in (M, BA, TR) else 403) for p in PERSONAS},
    ),
    (
        "api:themes_counts",
        "themes: API counts of the province",
        lambda w: "/api/plans/themes",
        read_api(M),
    ),
    (
        "api:themes_counts",
        "themes: API counts of board A",
        lambda w: f"/api/plans/themes?board={w.board_a.number}",
        read_api(M, BA),
    ),
    (
        "api:themes_plan_late",
        "themes: API late steps of A1's plan",
        lambda w: f"/api/plans/{plan_a1(w).pk}/late",
        read_api(*A1_READERS),
    ),
]


def _goal_tag(w: Any) -> dict[str, Any]:
    goal = goal_a1(w)
    plan = plan_a1(w)
    plan.refresh_from_db()
    return {f"goal-{goal.pk}-lessons": ["equity"], f"goal-{goal.pk}-version": plan.version}


def _coreflection_tag(w: Any) -> dict[str, Any]:
    entry = coreflection_a1(w)
    return {
        f"coreflection-{entry.pk}-lessons": ["leadership"],
        f"coreflection-{entry.pk}-version": "",
    }


def _circumstance_strategy(w: Any) -> dict[str, Any]:
    goal = goal_a1(w)
    plan = plan_a1(w)
    plan.refresh_from_db()
    return {
        "circumstance": "resources",
        "resources-circumstance": "resources",
        "resources-example": "Run a breakfast program",
        "resources-goal": goal.pk,
        "resources-responsible": "Principal",
        "resources-version": plan.version,
    }


WRITES = [
    Write(
        "POST themes_plan_tag",
        "themes: tag A1's goal with a lesson",
        post(lambda w: f"/plans/{goal_a1(w).plan_id}/themes/goal/{goal_a1(w).pk}/", _goal_tag),
        page(PA, ST),
    ),
    Write(
        "POST themes_plan_tag",
        "themes: tag a co-reflection on A1's plan",
        post(
            lambda w: (
                f"/plans/{coreflection_a1(w).plan_id}/themes/coreflection/{coreflection_a1(w).pk}/"
            ),
            _coreflection_tag,
        ),
        page(M, BA),
    ),
    Write(
        "POST themes_circumstances",
        "themes: add a breakfast program to A1's plan",
        post(lambda w: f"/plans/{goal_a1(w).plan_id}/circumstances/", _circumstance_strategy),
        page(PA, ST),
    ),
]
