"""Every URL x every persona -> the expected status.

The table below is the authorisation contract. `test_every_url_has_a_row`
fails when a URL is added to the project without a row here, so no page can
ship without someone deciding who may open it. Its second half,
tests/test_authorization_writes.py, sends every request that changes something
(POST to a page or an API endpoint) as every persona.
"""

from __future__ import annotations

import datetime
import functools
import shutil
import tempfile
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from capacity.instruments import services as instrument_services
from capacity.instruments.models import Instrument, Round
from capacity.operations.heartbeat import Heartbeat
from capacity.planning.models import Goal, Plan, SupportRequest, Target, TargetEntry
from tests.authz_kit import (  # noqa: F401  (rows elsewhere import these from here)
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
    only,
    part_rows,
)
from tests.authz_kit import read_api as api
from tests.conftest import PERSONAS


def healthz_with_a_beating_worker() -> str:
    Heartbeat().start(thread=False)
    return "/healthz"


def plan_a1(w) -> Plan:
    return Plan.objects.get_or_create(
        kind="school", school=w.school_a1, board=w.board_a, school_year="2018-19"
    )[0]


def board_plan_a(w) -> Plan:
    return Plan.objects.get_or_create(kind="board", board=w.board_a, school_year="2018-19")[0]


def goal_a1(w) -> Goal:
    return Goal.objects.get_or_create(plan=plan_a1(w), statement="Readers")[0]


def custom_target_a1(w) -> Target:
    return Target.objects.get_or_create(
        goal=goal_a1(w),
        measure="custom",
        description="Writing samples",
        target_value=60,
        target_year="2019-20",
    )[0]


def entry_a1(w) -> TargetEntry:
    return TargetEntry.objects.get_or_create(
        target=custom_target_a1(w), on=datetime.date(2018, 11, 1), value=30
    )[0]


def request_a1(w) -> SupportRequest:
    return SupportRequest.objects.get_or_create(
        board=w.board_a,
        school=w.school_a1,
        tried="Reading groups",
        needs=["people"],
        defaults={"requested_by": w.personas["principal_a1"]},
    )[0]


def round_a(w) -> Round:
    """Board A's round of the nine characteristics, open today: its leader, trustee and A1's principal are invited."""
    found = Round.objects.filter(board=w.board_a).first()
    if found is not None:
        return found
    today = datetime.date.today()
    return instrument_services.round_open(
        user=w.personas["board_a"],
        instrument=Instrument.objects.get(code="strong-districts"),
        board=w.board_a,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
    )[0]


def session_a1(w):
    """A module session at school A1 held yesterday: its principal facilitates, A1's teacher takes part."""
    from capacity.learning.models import Item, Kind, Origin, Session, State, Text, Version

    found = Session.objects.filter(school=w.school_a1).first()
    if found is not None:
        return found
    module = Item.objects.create(
        kind=Kind.MODULE, slug="sessions-test-module", number=99, origin=Origin.FILE
    )
    version = Version.objects.create(item=module, number=1, state=State.PUBLISHED)
    Text.objects.create(
        version=version, language="en", title="A module to run", summary="For the sessions' rows."
    )
    Item.objects.filter(pk=module.pk).update(published=version, current=version)
    session = Session.objects.create(
        module=module,
        school=w.school_a1,
        held_on=datetime.date.today() - datetime.timedelta(days=1),
        facilitator=w.personas["principal_a1"],
    )
    session.participants.add(w.personas["teacher_a1"])
    return session


def case_a(w):
    """Board A's case study, a draft written by its leader (every guiding question answered)."""
    from capacity.learning import services as learning_services
    from capacity.learning.models import Item

    found = Item.objects.filter(slug__startswith="alpha-reads").first()
    if found is not None:
        return found
    body = {"title": "Alpha reads its data", "summary": "S", "themes": [], "sections": ["A."] * 7}
    return learning_services.case_draft_create(
        user=w.personas["board_a"],
        board=w.board_a,
        facts={"year": 2017, "characteristics": ["evidence"], "contexts": []},
        texts={"en": body},
    )


def submitted_case_a(w):
    """Board A's case study, submitted and waiting for a coordinator."""
    from capacity.learning import services as learning_services

    item = case_a(w)
    if item.current.state == "draft":
        learning_services.case_submit(user=w.personas["board_a"], item=item)
        item.refresh_from_db()
    return item


@functools.cache
def _small_library() -> Path:
    """Module 2 and its two case studies, copied from the shipped content (loading all twenty
    items for each of these rows' personas would take minutes)."""
    from capacity.learning import content

    root = Path(tempfile.mkdtemp(prefix="capacity-library-"))
    for folder, slug in (
        ("modules", "coherent-instruction"),
        ("cases", "cedar-valley-literacy-guidance"),
        ("cases", "harbour-point-differentiated-support"),
    ):
        (root / folder).mkdir(exist_ok=True)
        for source in (content.SHIPPED / folder).glob(f"{slug}.*.md"):
            shutil.copy(source, root / folder / source.name)
    return root


def library_a(w) -> str:
    """A published module (its case studies published too), loaded from the shipped files."""
    from capacity.learning import services as learning_services
    from capacity.learning.models import Item

    if not Item.objects.filter(slug="coherent-instruction").exists():
        learning_services.content_load(root=_small_library(), audit=False)
    return "coherent-instruction"


def in_library(w, path: str) -> str:
    """`path`, once the small library is loaded."""
    library_a(w)
    return path


DRAFT_READERS = {p: {A: LOGIN, M: 200, BA: 200, TR: 200}.get(p, 404) for p in PERSONAS}

# (url name, label, how to build the path from the world, persona -> status)
TABLE = [
    ("home", "home", lambda w: "/", ALL_SIGNED_IN),
    ("board_list", "boards", lambda w: "/boards/", only(M, BA, TR)),
    ("board_detail", "board A", lambda w: f"/boards/{w.board_a.number}/", only(M, BA, TR)),
    ("board_detail", "board B", lambda w: f"/boards/{w.board_b.number}/", only(M)),
    (
        "board_detail",
        "no such board",
        lambda w: "/boards/B99999/",
        {p: (LOGIN if p == A else 404) for p in PERSONAS},
    ),
    ("school_list", "schools", lambda w: "/schools/", only(M, BA, PA, TA, PB, TR, ST)),
    (
        "school_list",
        "schools sorted, a page past the end",
        lambda w: "/schools/?sort=-enrolment&page=9",
        only(M, BA, PA, TA, PB, TR, ST),
    ),
    (
        "school_detail",
        "school A1",
        lambda w: f"/schools/{w.school_a1.number}/",
        only(M, BA, PA, TA, TR, ST),
    ),
    (
        "school_detail",
        "school A2 (in the network)",
        lambda w: f"/schools/{w.school_a2.number}/",
        only(M, BA, TR),
    ),
    ("school_detail", "school B1", lambda w: f"/schools/{w.school_b1.number}/", only(M, PB)),
    (
        "school_detail",
        "no such school",
        lambda w: "/schools/999999/",
        {p: (LOGIN if p == A else 404) for p in PERSONAS},
    ),
    ("network_list", "networks", lambda w: "/networks/", only(M, BA, F, PB, TR)),
    (
        "network_detail",
        "the network",
        lambda w: f"/networks/{w.network.pk}/",
        only(M, BA, F, PB, TR),
    ),
    ("audit_log", "audit log", lambda w: "/audit/", only(M)),
    (
        "audit_log",
        "audit log filtered, sorted and paged",
        lambda w: "/audit/?person=a&date_from=2024-01-01&date_to=bad&sort=-by&page=9",
        only(M),
    ),
    (
        "api_tokens",
        "API tokens (everyone their own, ministry all)",
        lambda w: "/account/tokens/",
        ALL_SIGNED_IN,
    ),
    ("api_token_revoke", "revoke a token by GET", lambda w: "/account/tokens/1/revoke/", POST_ONLY),
    ("inbox", "inbox (everyone their own)", lambda w: "/inbox/", ALL_SIGNED_IN),
    ("inbox_read_all", "mark all read by GET", lambda w: "/inbox/read-all/", POST_ONLY),
    ("notification_read", "mark a message read by GET", lambda w: "/inbox/1/read/", POST_ONLY),
    (
        "notification_preferences",
        "notification preferences (everyone their own)",
        lambda w: "/account/notifications/",
        ALL_SIGNED_IN,
    ),
    ("province_evidence", "province evidence", lambda w: "/evidence/", only(M)),
    ("simulator", "policy simulator", lambda w: "/evidence/simulate/", only(M)),
    ("result_imports", "results uploads", lambda w: "/evidence/imports/", only(M)),
    (
        "result_import",
        "an upload that does not exist",
        lambda w: "/evidence/imports/999/",
        {p: (LOGIN if p == A else 404 if p == M else 403) for p in PERSONAS},
    ),
    (
        "result_import_problems",
        "problems of an upload that does not exist",
        lambda w: "/evidence/imports/999/problems.csv",
        {p: (LOGIN if p == A else 404 if p == M else 403) for p in PERSONAS},
    ),
    (
        "result_import_problems",
        "problems of an upload that does not exist, as XLSX",
        lambda w: "/evidence/imports/999/problems.xlsx",
        {p: (LOGIN if p == A else 404 if p == M else 403) for p in PERSONAS},
    ),
    (
        "board_evidence",
        "board A evidence",
        lambda w: f"/boards/{w.board_a.number}/evidence/",
        only(M, BA, TR),
    ),
    (
        "board_evidence",
        "board B evidence",
        lambda w: f"/boards/{w.board_b.number}/evidence/",
        only(M),
    ),
    (
        "school_evidence",
        "school A1 evidence",
        lambda w: f"/schools/{w.school_a1.number}/evidence/",
        only(M, BA, PA, TA, TR, ST),
    ),
    (
        "school_evidence",
        "school B1 evidence",
        lambda w: f"/schools/{w.school_b1.number}/evidence/",
        only(M, PB),
    ),
    ("plan_list", "plans", lambda w: "/plans/", only(M, BA, PA, TA, PB, TR, ST)),
    ("plan_new", "start a plan by GET", lambda w: "/plans/new/", POST_ONLY),
    ("plan_timelines", "timelines", lambda w: "/plans/timelines/", only(M, BA)),
    ("plan_export", "plans as CSV", lambda w: "/plans/export.csv", only(M, BA, PA, TA, PB, TR, ST)),
    (
        "plan_export",
        "plans as XLSX",
        lambda w: "/plans/export.xlsx",
        only(M, BA, PA, TA, PB, TR, ST),
    ),
    (
        "plan_detail",
        "school A1 plan",
        lambda w: f"/plans/{plan_a1(w).pk}/",
        only(M, BA, PA, TA, TR, ST),
    ),
    ("plan_detail", "board A plan", lambda w: f"/plans/{board_plan_a(w).pk}/", only(M, BA, TR)),
    (
        "plan_detail",
        "no such plan",
        lambda w: "/plans/999999/",
        {p: (LOGIN if p == A else 404) for p in PERSONAS},
    ),
    ("plan_action", "plan action by GET", lambda w: f"/plans/{plan_a1(w).pk}/action/", POST_ONLY),
    (
        "plan_history",
        "school A1 plan history",
        lambda w: f"/plans/{plan_a1(w).pk}/history/",
        only(M, BA, PA, TA, TR, ST),
    ),
    (
        "plan_pdf",
        "school A1 plan PDF",
        lambda w: f"/plans/{plan_a1(w).pk}/plan.pdf",
        only(M, BA, PA, TA, TR, ST),
    ),
    ("plan_edit", "edit school A1 plan", lambda w: f"/plans/{plan_a1(w).pk}/edit/", only(PA, ST)),
    ("plan_edit", "edit board A plan", lambda w: f"/plans/{board_plan_a(w).pk}/edit/", only(BA)),
    (
        "goal_new",
        "add a goal to school A1 plan",
        lambda w: f"/plans/{plan_a1(w).pk}/goals/new/",
        only(PA, ST),
    ),
    (
        "checkpoint_new",
        "add a checkpoint",
        lambda w: f"/plans/{plan_a1(w).pk}/checkpoints/new/",
        only(PA, ST),
    ),
    (
        "target_new",
        "add a target",
        lambda w: f"/plans/{plan_a1(w).pk}/goals/{goal_a1(w).pk}/targets/new/",
        only(PA, ST),
    ),
    (
        "strategy_new",
        "add a strategy",
        lambda w: f"/plans/{plan_a1(w).pk}/goals/{goal_a1(w).pk}/strategies/new/",
        only(PA, ST),
    ),
    (
        "plan_item",
        "change a goal",
        lambda w: f"/plans/{plan_a1(w).pk}/goal/{goal_a1(w).pk}/",
        only(PA, ST),
    ),
    (
        "entry_new",
        "record a custom measure's value",
        lambda w: f"/plans/{plan_a1(w).pk}/targets/{custom_target_a1(w).pk}/entries/new/",
        only(PA, ST),
    ),
    (
        "entry_file",
        "an entry without a file (readers get 404)",
        lambda w: f"/plans/{plan_a1(w).pk}/entries/{entry_a1(w).pk}/file",
        {A: LOGIN, M: 404, BA: 404, PA: 404, TA: 404, F: 403, PB: 403, TR: 404, ST: 404},
    ),
    ("support_list", "support requests", lambda w: "/support/", only(M, BA, PA, TA, PB, TR, ST)),
    ("support_new", "ask for support", lambda w: "/support/new/", only(BA, PA, PB, ST)),
    (
        "support_detail",
        "school A1 support request",
        lambda w: f"/support/{request_a1(w).pk}/",
        only(M, BA, PA, TA, TR, ST),
    ),
    ("survey_list", "surveys", lambda w: "/surveys/", ALL_SIGNED_IN),
    ("survey_new", "open a round", lambda w: "/surveys/new/", only(M, BA, PA, PB, ST)),
    ("survey_round", "board A's round", lambda w: f"/surveys/{round_a(w).pk}/", only(M, BA)),
    (
        "survey_close",
        "close a round by GET",
        lambda w: f"/surveys/{round_a(w).pk}/close/",
        POST_ONLY,
    ),
    (
        "survey_respond",
        "answer board A's round (those invited)",
        lambda w: f"/surveys/{round_a(w).pk}/respond/",
        {p: {A: LOGIN, BA: 200, PA: 200, TR: 200}.get(p, 404) for p in PERSONAS},
    ),
    (
        "survey_report",
        "report of board A's open round (invited people read it once it closes)",
        lambda w: f"/surveys/{round_a(w).pk}/report/",
        {p: {A: LOGIN, M: 200, BA: 200, PA: 403, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    (
        "survey_report_export",
        "report of board A's round as CSV",
        lambda w: f"/surveys/{round_a(w).pk}/report.csv",
        {p: {A: LOGIN, M: 200, BA: 200, PA: 403, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    ("survey_actions", "actions by GET", lambda w: f"/surveys/{round_a(w).pk}/actions/", POST_ONLY),
    (
        "survey_characteristic_goal",
        "characteristic goal by GET",
        lambda w: f"/surveys/{round_a(w).pk}/characteristic-goal/",
        POST_ONLY,
    ),
    (
        "survey_link",
        "an unknown answer link",
        lambda w: "/surveys/link/nope/",
        dict.fromkeys(PERSONAS, 404),
    ),
    ("register", "my compliance register", lambda w: "/register/", only(BA, PA, PB)),
    (
        "register_entry",
        "an unknown register entry",
        lambda w: "/register/999999/",
        {p: (LOGIN if p == A else 404) for p in PERSONAS},
    ),
    ("instrument_list", "instruments", lambda w: "/instruments/", ALL_SIGNED_IN),
    (
        "instrument_detail",
        "the professional capital index",
        lambda w: "/instruments/professional-capital/",
        ALL_SIGNED_IN,
    ),
    # --- learning: search (published items are every signed-in person's) ---
    ("learning_search", "search the library", lambda w: "/learning/search/", ALL_SIGNED_IN),
    (
        "learning_search",
        "search with words and filters",
        lambda w: "/learning/search/?q=mentoring&characteristic=mission&language=en",
        ALL_SIGNED_IN,
    ),
    # --- learning: board profiles (the boards a person sees, as the directory's board pages;
    # the self-assessment's figures inside are for those who read its report) ---
    ("learning_boards", "board profiles", lambda w: "/learning/boards/", only(M, BA, TR)),
    (
        "learning_board",
        "board A's profile",
        lambda w: f"/learning/boards/{w.board_a.number}/",
        only(M, BA, TR),
    ),
    (
        "learning_board",
        "board B's profile",
        lambda w: f"/learning/boards/{w.board_b.number}/",
        only(M),
    ),
    (
        "learning_board",
        "no such board's profile",
        lambda w: "/learning/boards/B99999/",
        {p: (LOGIN if p == A else 404) for p in PERSONAS},
    ),
    ("learning_sessions", "my module sessions", lambda w: "/learning/sessions/", ALL_SIGNED_IN),
    (
        "learning_session_new",
        "plan a module session (where one may run surveys)",
        lambda w: "/learning/sessions/new/",
        only(M, BA, PA, PB, ST),
    ),
    (
        "learning_session",
        "A1's module session (those who run A1's surveys, its facilitator and participant)",
        lambda w: f"/learning/sessions/{session_a1(w).pk}/",
        only(M, BA, PA, TA, ST),
    ),
    (
        "learning_session",
        "no such module session",
        lambda w: "/learning/sessions/999999/",
        {p: (LOGIN if p == A else 404) for p in PERSONAS},
    ),
    (
        "learning_session_edit",
        "change A1's module session (its facilitator)",
        lambda w: f"/learning/sessions/{session_a1(w).pk}/edit/",
        only(PA),
    ),
    (
        "learning_session_evaluation",
        "open a session's evaluation by GET",
        lambda w: f"/learning/sessions/{session_a1(w).pk}/evaluation/",
        POST_ONLY,
    ),
    # --- learning: writing and reviewing case studies (a draft: its board's leaders and
    # trustees and the coordinators read it; to anyone else it does not exist) ---
    ("learning_case_new", "write a case study", lambda w: "/learning/cases/new/", only(BA)),
    ("learning_drafts", "case studies in progress", lambda w: "/learning/drafts/", ALL_SIGNED_IN),
    ("learning_review", "case studies to review", lambda w: "/learning/review/", only(M)),
    (
        "learning_draft",
        "board A's draft case study",
        lambda w: f"/learning/{case_a(w).slug}/draft/",
        {p: {A: LOGIN, M: 200, BA: 200, TR: 200}.get(p, 404) for p in PERSONAS},
    ),
    (
        "learning_draft",
        "an earlier version of board A's case study",
        lambda w: f"/learning/{case_a(w).slug}/draft/?version=1",
        {p: {A: LOGIN, M: 200, BA: 200, TR: 200}.get(p, 404) for p in PERSONAS},
    ),
    (
        "learning_case_edit",
        "edit board A's draft case study",
        lambda w: f"/learning/{case_a(w).slug}/edit/",
        {p: {A: LOGIN, M: 403, BA: 200, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    (
        "learning_case_edit",
        "edit a submitted case study (sent to its draft page)",
        lambda w: f"/learning/{submitted_case_a(w).slug}/edit/",
        {p: {A: LOGIN, M: 403, BA: 302, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    (
        "learning_case_submit",
        "submit by GET",
        lambda w: f"/learning/{case_a(w).slug}/submit/",
        POST_ONLY,
    ),
    (
        "learning_case_return",
        "return by GET",
        lambda w: f"/learning/{case_a(w).slug}/return/",
        POST_ONLY,
    ),
    (
        "learning_case_publish",
        "publish by GET",
        lambda w: f"/learning/{case_a(w).slug}/publish/",
        POST_ONLY,
    ),
    (
        "learning_case_comment",
        "comment by GET",
        lambda w: f"/learning/{case_a(w).slug}/comment/",
        POST_ONLY,
    ),
    # --- learning: reading (published items are every signed-in person's; an item never
    # published is read by its board's leaders and trustees and the coordinators, and is a 404
    # to anyone else; PDFs and the API are of published versions only) ---
    ("learning_library", "the library", lambda w: "/learning/", ALL_SIGNED_IN),
    (
        "learning_library",
        "the library filtered",
        lambda w: (
            "/learning/?characteristic=mission&context=mentoring&board_type=english-public&language=fr"
        ),
        ALL_SIGNED_IN,
    ),
    ("learning_guide", "the library's user guide", lambda w: "/learning/guide/", ALL_SIGNED_IN),
    ("learning_item", "a module", lambda w: f"/learning/{library_a(w)}/", ALL_SIGNED_IN),
    (
        "learning_item",
        "a case study in French",
        lambda w: in_library(w, "/learning/cedar-valley-literacy-guidance/?lang=fr"),
        ALL_SIGNED_IN,
    ),
    (
        "learning_item",
        "board A's case study, never published",
        lambda w: f"/learning/{case_a(w).slug}/",
        DRAFT_READERS,
    ),
    ("learning_item", "no such item", lambda w: "/learning/no-such-item/", NOT_FOUND),
    (
        "learning_versions",
        "a module's versions",
        lambda w: f"/learning/{library_a(w)}/versions/",
        ALL_SIGNED_IN,
    ),
    (
        "learning_versions",
        "versions of board A's unpublished case study",
        lambda w: f"/learning/{case_a(w).slug}/versions/",
        DRAFT_READERS,
    ),
    (
        "learning_version",
        "a module's version 1",
        lambda w: f"/learning/{library_a(w)}/versions/1/",
        ALL_SIGNED_IN,
    ),
    (
        "learning_version",
        "version 1 of board A's unpublished case study",
        lambda w: f"/learning/{case_a(w).slug}/versions/1/",
        DRAFT_READERS,
    ),
    (
        "learning_version",
        "a version that does not exist",
        lambda w: f"/learning/{library_a(w)}/versions/9/",
        NOT_FOUND,
    ),
    (
        "learning_pdf",
        "a module's handout",
        lambda w: f"/learning/{library_a(w)}.pdf",
        ALL_SIGNED_IN,
    ),
    (
        "learning_pdf",
        "a case study as PDF",
        lambda w: in_library(w, "/learning/harbour-point-differentiated-support.pdf"),
        ALL_SIGNED_IN,
    ),
    (
        "learning_pdf",
        "board A's unpublished case study as PDF",
        lambda w: f"/learning/{case_a(w).slug}.pdf",
        NOT_FOUND,
    ),
    (
        "api:api_learning_items",
        "API library items",
        lambda w: in_library(w, "/api/learning/items?kind=module"),
        api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    (
        "api:api_learning_item",
        "API a published module",
        lambda w: f"/api/learning/items/{library_a(w)}",
        api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    (
        "api:api_learning_item",
        "API board A's unpublished case study",
        lambda w: f"/api/learning/items/{case_a(w).slug}",
        {p: (401 if p == A else 404) for p in PERSONAS},
    ),
    ("api:api_boards", "API boards", lambda w: "/api/boards", api(M, BA, PA, TA, F, PB, TR, ST)),
    ("api:api_schools", "API schools", lambda w: "/api/schools", api(M, BA, PA, TA, F, PB, TR, ST)),
    (
        "api:api_school",
        "API school A1",
        lambda w: "/api/schools/700001",
        api(M, BA, PA, TA, TR, ST),
    ),
    ("api:api_school", "API school B1", lambda w: "/api/schools/700003", api(M, PB)),
    ("api:api_results", "API results", lambda w: "/api/results", api(M, BA, PA, TA, F, PB, TR, ST)),
    (
        "api:api_identification",
        "API identification (no results yet)",
        lambda w: "/api/identification",
        {p: {A: 401, F: 403}.get(p, 404) for p in PERSONAS},
    ),
    (
        "api:api_policies",
        "API policies",
        lambda w: "/api/policies",
        api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    (
        "api:api_policy",
        "API one policy",
        lambda w: "/api/policies/ofip-2016",
        api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    ("api:api_plans", "API plans", lambda w: "/api/plans", api(M, BA, PA, TA, F, PB, TR, ST)),
    (
        "api:api_plan",
        "API plan of A1",
        lambda w: f"/api/plans/{plan_a1(w).pk}",
        api(M, BA, PA, TA, TR, ST),
    ),
    (
        "api:api_plan",
        "API no such plan",
        lambda w: "/api/plans/999999",
        {p: (401 if p == A else 404) for p in PERSONAS},
    ),
    (
        "api:api_plan_targets",
        "API targets of A1's plan",
        lambda w: f"/api/plans/{plan_a1(w).pk}/targets",
        api(M, BA, PA, TA, TR, ST),
    ),
    (
        "api:api_plan_stage",
        "API stage move by GET",
        lambda w: f"/api/plans/{plan_a1(w).pk}/stage",
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "api:api_plan_submit",
        "API submit by GET",
        lambda w: f"/api/plans/{plan_a1(w).pk}/submit",
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "api:api_plan_decision",
        "API decision by GET",
        lambda w: f"/api/plans/{plan_a1(w).pk}/decision",
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "api:api_support_requests",
        "API support requests",
        lambda w: "/api/support-requests",
        api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    (
        "api:api_support_request",
        "API support request of A1",
        lambda w: f"/api/support-requests/{request_a1(w).pk}",
        api(M, BA, PA, TA, TR, ST),
    ),
    (
        "api:api_support_request",
        "API no such support request",
        lambda w: "/api/support-requests/999999",
        {p: (401 if p == A else 404) for p in PERSONAS},
    ),
    (
        "api:api_support_request_answer",
        "API answer by GET",
        lambda w: f"/api/support-requests/{request_a1(w).pk}/answer",
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "api:api_instruments",
        "API instruments",
        lambda w: "/api/instruments",
        api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    (
        "api:api_instrument",
        "API the professional capital index",
        lambda w: "/api/instruments/professional-capital",
        api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    (
        "api:api_instrument",
        "API no such instrument",
        lambda w: "/api/instruments/nope",
        {p: (401 if p == A else 404) for p in PERSONAS},
    ),
    (
        "api:api_surveys",
        "API rounds the caller runs",
        lambda w: "/api/surveys",
        api(M, BA, PA, TA, F, PB, TR, ST),
    ),
    (
        "api:api_survey_report",
        "API report of board A's open round (invited people read it once it closes)",
        lambda w: f"/api/surveys/{round_a(w).pk}/report",
        {p: {A: 401, M: 200, BA: 200, PA: 403, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    (
        "api:api_survey_report",
        "API no such round",
        lambda w: "/api/surveys/999999/report",
        {p: (401 if p == A else 404) for p in PERSONAS},
    ),
    ("api:openapi-json", "API schema", lambda w: "/api/openapi.json", {**ALL_SIGNED_IN, A: 401}),
    ("api:openapi-view", "API docs", lambda w: "/api/docs", ALL_SIGNED_IN),
    ("api:api-root", "API root", lambda w: "/api/", dict.fromkeys(PERSONAS, 404)),
    (
        "login",
        "sign in",
        lambda w: "/accounts/login/",
        {p: (200 if p == A else 302) for p in PERSONAS},
    ),
    ("logout", "sign out by GET", lambda w: "/accounts/logout/", dict.fromkeys(PERSONAS, 405)),
    (
        "set_language",
        "language switch by GET",
        lambda w: "/i18n/setlang/",
        dict.fromkeys(PERSONAS, 302),
    ),
    ("admin:index", "admin (staff only)", lambda w: "/admin/", dict.fromkeys(PERSONAS, 302)),
    (
        "healthz",
        "health check (public, for load balancers; 200 while a worker beats)",
        lambda w: healthz_with_a_beating_worker(),
        dict.fromkeys(PERSONAS, 200),
    ),
]
TABLE += part_rows("READS")  # rows kept beside their code: tests/*/authz_*.py


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, prefix: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    names.add("admin:index")  # the admin's own pages are Django's, staff-only
                    continue
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)
            elif isinstance(p, URLPattern):
                names.add(f"unnamed:{p.pattern}")

    walk(get_resolver().url_patterns)
    return names


def test_every_url_has_a_row() -> None:
    missing = _all_url_names() - {name for name, *_ in TABLE}
    assert not missing, f"URLs without a row in the authorisation table: {sorted(missing)}"


CASES = [
    pytest.param(build, persona, statuses[persona], id=f"{label}-{persona}")
    for _name, label, build, statuses in TABLE
    for persona in PERSONAS
]


@pytest.mark.parametrize(("build", "persona", "expected"), CASES)
def test_status(client, world, build, persona, expected) -> None:
    user = world.personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(build(world))
    assert response.status_code == expected
