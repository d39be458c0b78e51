"""The authorisation rows of year close goal by goal, the marker-student log and pedagogical
documentation (read by tests/test_authorization.py and tests/test_authorization_writes.py).

A1's year-close page is read by everyone who reads the plan (A1's staff, board A's leader and
trustee, the ministry) and decided by its team (principal A1, team A1). The marker-student log and
the documentation are the school team's only: board leaders, trustees, the ministry and A1's
teachers are refused (403), and neither is in the API.
"""

from __future__ import annotations

from typing import Any

from tests.authz_kit import (
    BA,
    PA,
    POST_ONLY,
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
from tests.planning.yearclose_world import goals, item, note, reflect_plan, upload, version

PLAN_READERS = (M, BA, PA, TA, TR, ST)
TEAM = (PA, ST)


def plan_url(w: Any, tail: str) -> str:
    return f"/plans/{reflect_plan(w).pk}/{tail}"


READS = [
    (
        "yearclose_plan",
        "yearclose: A1's goals and their year-close decisions",
        lambda w: plan_url(w, "year-close/"),
        only(*PLAN_READERS),
    ),
    (
        "yearclose_marker_log",
        "yearclose: A1's marker-student log (school team only)",
        lambda w: (note(w), plan_url(w, "marker-log/"))[1],
        only(*TEAM),
    ),
    (
        "yearclose_marker_note_delete",
        "yearclose: deleting a log entry by GET",
        lambda w: plan_url(w, f"marker-log/{note(w).pk}/delete/"),
        POST_ONLY,
    ),
    (
        "yearclose_documentation",
        "yearclose: A1's pedagogical documentation (school team only)",
        lambda w: (item(w), plan_url(w, "documentation/"))[1],
        only(*TEAM),
    ),
    (
        "yearclose_documentation_file",
        "yearclose: a documentation file (school team only)",
        lambda w: plan_url(w, f"documentation/{item(w).pk}/file/"),
        only(*TEAM),
    ),
    (
        "yearclose_documentation_remove",
        "yearclose: the form to remove documentation (school team only)",
        lambda w: plan_url(w, f"documentation/{item(w).pk}/remove/"),
        only(*TEAM),
    ),
    (
        "api:api_yearclose_plan",
        "yearclose: API A1's year-close decisions",
        lambda w: f"/api/plans/{reflect_plan(w).pk}/year-close",
        read_api(*PLAN_READERS),
    ),
    (
        "api:api_yearclose_decide",
        "yearclose: API decision by GET",
        lambda w: (
            f"/api/plans/{reflect_plan(w).pk}/goals/{goals(reflect_plan(w))[0].pk}/year-close"
        ),
        dict.fromkeys(PERSONAS, 405),
    ),
]


WRITES = [
    Write(
        "POST yearclose_plan",
        "yearclose: decide a goal of A1's plan (its team)",
        post(
            lambda w: plan_url(w, "year-close/"),
            lambda w: {
                "goal": goals(reflect_plan(w))[0].pk,
                f"g{goals(reflect_plan(w))[0].pk}-version": version(w),
                f"g{goals(reflect_plan(w))[0].pk}-decision": "carry",
                f"g{goals(reflect_plan(w))[0].pk}-why": "Talk moved, the targets are not met",
            },
        ),
        page(*TEAM),
    ),
    Write(
        "POST yearclose_marker_log",
        "yearclose: add to A1's marker-student log (school team only)",
        post(
            lambda w: plan_url(w, "marker-log/"),
            lambda w: {
                "code": "M-12",
                "on": "2019-04-03",
                "observed": "Reread the question first",
                "next_step": "",
            },
        ),
        page(*TEAM),
    ),
    Write(
        "POST yearclose_marker_note_delete",
        "yearclose: delete an entry of A1's log (school team only)",
        post(lambda w: plan_url(w, f"marker-log/{note(w).pk}/delete/")),
        page(*TEAM),
    ),
    Write(
        "POST yearclose_documentation",
        "yearclose: add documentation to A1's plan (school team only)",
        post(
            lambda w: plan_url(w, "documentation/"),
            lambda w: {
                "title": "Student work on fractions",
                "description": "",
                "code": "",
                "file": upload("fractions.txt"),
                "consent": "anonymous",
                "consent_on": "",
                "consent_scope": "",
            },
        ),
        page(*TEAM),
    ),
    Write(
        "POST yearclose_documentation_remove",
        "yearclose: remove documentation from A1's plan (school team only)",
        post(
            lambda w: plan_url(w, f"documentation/{item(w).pk}/remove/"),
            lambda w: {"why": "consent_withdrawn"},
        ),
        page(*TEAM),
    ),
    Write(
        "POST api:api_yearclose_decide",
        "yearclose: API decide a goal of A1's plan (its team)",
        post_json(
            lambda w: (
                f"/api/plans/{reflect_plan(w).pk}/goals/{goals(reflect_plan(w))[0].pk}/year-close"
            ),
            lambda w: {
                "version": version(w),
                "decision": "stop",
                "why": "Met; next inch elsewhere",
            },
        ),
        write_api(201, *TEAM),
    ),
]
