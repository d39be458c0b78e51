"""The authorisation rows of strategies' implementation and the leading indicators (read by
tests/test_authorization.py and tests/test_authorization_writes.py).

A1's plan and its reviews are read by everyone who reads the plan (A1's staff, board A's leader
and trustee, the ministry) and reviewed by its team (principal A1, team A1). A school's indicators
are for the ministry, the board's leaders and the school's staff; a board's roll-up for its
leaders and trustees (counts) and the ministry; the province's for the ministry.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from capacity.planning import services_implementation
from tests.authz_kit import (
    BA,
    PA,
    ST,
    TA,
    TR,
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
from tests.planning.implementation_world import checkpoints, school_plan, strategies, today

PLAN_READERS = (M, BA, PA, TA, TR, ST)
SCHOOL_READERS = (M, BA, PA, TA, ST)
BOARD_READERS = (M, BA, TR)
TEAM = (PA, ST)


def plan_a1(w: Any) -> Any:
    return school_plan(w)


def strategy_url(w: Any) -> str:
    plan = plan_a1(w)
    return f"/plans/{plan.pk}/strategies/{strategies(plan)[0].pk}/reviews/"


def checkpoint_url(w: Any) -> str:
    plan = plan_a1(w)
    return f"/plans/{plan.pk}/checkpoints/{checkpoints(plan)[0].pk}/review/"


def review_with_file(w: Any) -> Any:
    plan = plan_a1(w)
    first = strategies(plan)[0]
    found = first.reviews.exclude(evidence_file="").first()
    if found:
        return found
    plan.refresh_from_db()
    return services_implementation.strategy_review_record(
        strategy=first,
        user=w.personas["principal_a1"],
        seen=plan.version,
        status="started",
        evidence="Photo of the anchor chart",
        evidence_file=SimpleUploadedFile("chart.pdf", b"%PDF-1.4 implementation"),
    )


def version(w: Any) -> int:
    plan = plan_a1(w)
    plan.refresh_from_db()
    return plan.version


READS = [
    (
        "implementation_strategy",
        "implementation: a strategy of A1's plan and its reviews",
        strategy_url,
        only(*PLAN_READERS),
    ),
    (
        "implementation_checkpoint",
        "implementation: the strategies at A1's checkpoint",
        checkpoint_url,
        only(*PLAN_READERS),
    ),
    (
        "implementation_review_file",
        "implementation: a review's evidence file",
        lambda w: f"/plans/{plan_a1(w).pk}/reviews/{review_with_file(w).pk}/file/",
        only(*PLAN_READERS),
    ),
    (
        "implementation_province",
        "implementation: the province's indicators",
        lambda w: "/plans/indicators/",
        only(M),
    ),
    (
        "implementation_province_export",
        "implementation: the province's indicators as CSV",
        lambda w: "/plans/indicators.csv",
        only(M),
    ),
    (
        "implementation_board",
        "implementation: board A's indicators",
        lambda w: (plan_a1(w), f"/plans/indicators/boards/{w.board_a.number}/")[1],
        only(*BOARD_READERS),
    ),
    (
        "implementation_board_export",
        "implementation: board A's indicators as XLSX",
        lambda w: (plan_a1(w), f"/plans/indicators/boards/{w.board_a.number}.xlsx")[1],
        only(*BOARD_READERS),
    ),
    (
        "implementation_school",
        "implementation: A1's indicators",
        lambda w: (plan_a1(w), f"/plans/indicators/schools/{w.school_a1.number}/")[1],
        only(*SCHOOL_READERS),
    ),
    (
        "api:api_implementation_board",
        "implementation: API board A's indicators",
        lambda w: (plan_a1(w), f"/api/plans/indicators/boards/{w.board_a.number}")[1],
        read_api(*BOARD_READERS),
    ),
    (
        "api:api_implementation_province",
        "implementation: API the province's indicators",
        lambda w: "/api/plans/indicators",
        read_api(M),
    ),
    (
        "api:api_implementation_plan",
        "implementation: API A1's strategies and reviews",
        lambda w: f"/api/plans/{plan_a1(w).pk}/implementation",
        read_api(*PLAN_READERS),
    ),
    (
        "api:api_implementation_review",
        "implementation: API review by GET",
        lambda w: f"/api/plans/{plan_a1(w).pk}/strategies/{strategies(plan_a1(w))[0].pk}/reviews",
        dict.fromkeys(PERSONAS, 405),
    ),
]


WRITES = [
    Write(
        "POST implementation_strategy",
        "implementation: review a strategy of A1's plan (its team)",
        post(
            strategy_url,
            lambda w: {
                "version": version(w),
                "on": today().isoformat(),
                "status": "in_place",
                "evidence": "Seen in five of six classrooms",
            },
        ),
        page(*TEAM),
    ),
    Write(
        "POST implementation_checkpoint",
        "implementation: review every strategy at A1's checkpoint (its team)",
        post(
            checkpoint_url,
            lambda w: {
                "version": version(w),
                "on": today().isoformat(),
                **{
                    key: value
                    for s in strategies(plan_a1(w))
                    for key, value in (
                        (f"status_{s.pk}", "started"),
                        (f"evidence_{s.pk}", "Co-planning minutes"),
                    )
                },
            },
        ),
        page(*TEAM),
    ),
    Write(
        "POST api:api_implementation_review",
        "implementation: API review a strategy of A1's plan (its team)",
        post_json(
            lambda w: (
                f"/api/plans/{plan_a1(w).pk}/strategies/{strategies(plan_a1(w))[0].pk}/reviews"
            ),
            lambda w: {"version": version(w), "status": "started", "evidence": "Timetable changed"},
        ),
        write_api(201, *TEAM),
    ),
]
