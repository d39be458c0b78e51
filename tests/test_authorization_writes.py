"""Every view and API endpoint that changes something x every persona -> the expected status.

The second half of the authorisation contract (the first, every URL read by
GET, is tests/test_authorization.py). Each row performs the request for real,
with data valid enough that an allowed person's request goes through, and the
test checks the database: a refused request (401, 403, 404, 405, or a redirect
to sign in) changes nothing in Capacity's tables, and an accepted one changes
something. `test_every_writing_view_has_a_row` walks the URL resolver and the
API's operations and fails when a view or endpoint that accepts POST, PUT,
PATCH or DELETE has no row here, so nothing that writes ships without someone
deciding who may use it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from capacity.directory.services import api_token_create
from capacity.notifications.models import Notification
from capacity.planning import services
from capacity.planning.models import CoReflection, Plan, Review
from tests.authz_kit import (
    BA,
    LOGIN,
    PA,
    PB,
    ST,
    TA,
    TR,
    A,
    M,
    Write,
    page,
    part_rows,
    post,
    post_json,
)
from tests.authz_kit import write_api as api
from tests.conftest import PASSWORD, PERSONAS
from tests.test_authorization import (
    board_plan_a,
    case_a,
    custom_target_a1,
    goal_a1,
    plan_a1,
    request_a1,
    round_a,
    session_a1,
    submitted_case_a,
)

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ROUND = {"opens_on": "2030-01-06", "closes_on": "2030-01-20", "links": "0"}


def _register_entry(w: Any) -> Any:
    from capacity.instruments.models import RegisterEntry

    return RegisterEntry.objects.get_or_create(
        leader=w.personas["board_a"], requirement="Annual privacy report", category="C"
    )[0]


def _instrument(code: str) -> int:
    from capacity.instruments.models import Instrument

    return Instrument.objects.get(code=code).pk


def session_form(w: Any, **extra: Any) -> dict[str, Any]:
    """A1's session as its edit form sends it (the participants and revision as saved)."""
    session = session_a1(w)
    return {
        "held_on": session.held_on.isoformat(),
        "participants": [p.pk for p in session.participants.all()],
        "revision": session.revision,
        **extra,
    }


# --- the world each row needs ------------------------------------------------------------


def accepted_plan_a1(w: Any) -> Plan:
    """A1's plan, accepted and still in the Plan stage: the team may put it into action."""
    plan = plan_a1(w)
    Plan.objects.filter(pk=plan.pk).update(review=Review.ACCEPTED)
    plan.refresh_from_db()
    return plan


def plan_a1_with_a_goal(w: Any) -> Plan:
    goal_a1(w)
    return plan_a1(w)


def submitted_plan_a1(w: Any) -> Plan:
    """A1's plan submitted by its principal, waiting for a reviewer."""
    plan = plan_a1_with_a_goal(w)
    services.plan_submit(plan=plan, user=w.personas["principal_a1"], seen=plan.version)
    plan.refresh_from_db()
    return plan


def decision(plan: Plan, **extra: Any) -> dict[str, Any]:
    """What a reviewer sends: the submission and the version they read."""
    basis = services.review_basis(plan)
    assert basis is not None
    return {"submission": basis["submission"], "version": basis["seen"], **extra}


def coreflection_a1(w: Any) -> CoReflection:
    return services.coreflection_add(
        plan=plan_a1(w), user=w.personas["board_a"], themes="Talk about reading at home"
    )


def everyones_message(w: Any) -> None:
    """An unread message for every persona, so that marking all read changes something."""
    for user in w.personas.values():
        if user is not None:
            Notification.objects.create(recipient=user, kind="plan_accepted", params={})


def teachers_message(w: Any) -> int:
    return Notification.objects.create(
        recipient=w.personas["teacher_a1"], kind="plan_accepted", params={}
    ).pk


def revocable_token(w: Any) -> int:
    token, _key = api_token_create(user=w.personas["teacher_a1"], name="export")
    return token.pk


RESULTS = (
    "school_number,school_year,assessment,group,participating,pct_at_standard,status\n"
    "700001,2018-19,G3-READ,all,40,45,\n"
)
TIMELINE = {
    "school_year": "2018-19",
    "submit_by": "2018-10-31",
    "act_by": "2018-11-30",
    "observe_by": "2019-03-31",
    "reflect_by": "2019-06-15",
}
ASK = {"tried": "Guided reading groups", "needs": ["people"]}


def case_form(w: Any) -> dict[str, Any]:
    """A complete case study form of board A, in English."""
    data: dict[str, Any] = {
        "languages": ["en"],
        "board": str(w.board_a.pk),
        "year": "2016",
        "characteristics": ["evidence"],
        "en-title": "Alpha reads its data, again",
        "en-summary": "S",
    }
    data.update({f"en-section_{n}": "A." for n in range(1, 8)})
    return data


WRITES = [
    # --- signing in and out, the language: the session only ---
    Write(
        "POST login",
        "sign in (signed-in people are sent on)",
        post(
            lambda w: "/accounts/login/", lambda w: {"username": "teacher_a1", "password": PASSWORD}
        ),
        dict.fromkeys(PERSONAS, 302),
        stored=False,
    ),
    Write(
        "POST logout",
        "sign out",
        post(lambda w: "/accounts/logout/"),
        dict.fromkeys(PERSONAS, 302),
        stored=False,
    ),
    Write(
        "POST set_language",
        "switch to French",
        post(lambda w: "/i18n/setlang/", lambda w: {"language": "fr"}),
        dict.fromkeys(PERSONAS, 302),
        stored=False,
    ),
    # --- API tokens: everyone their own; ministry officers revoke any ---
    Write(
        "POST api_tokens",
        "make an API token",
        post(lambda w: "/account/tokens/", lambda w: {"name": "nightly export", "days": "30"}),
        {p: (LOGIN if p == A else 200) for p in PERSONAS},
    ),
    Write(
        "POST api_token_revoke",
        "revoke teacher_a1's token",
        post(lambda w: f"/account/tokens/{revocable_token(w)}/revoke/"),
        page(TA, M),
    ),
    # --- notifications: each person's own inbox and preferences; another's message is 404 ---
    Write(
        "POST inbox_read_all",
        "mark all my messages read",
        post(lambda w: everyones_message(w) or "/inbox/read-all/"),
        {p: (LOGIN if p == A else 302) for p in PERSONAS},
    ),
    Write(
        "POST notification_read",
        "mark teacher_a1's message read",
        post(lambda w: f"/inbox/{teachers_message(w)}/read/"),
        {p: (LOGIN if p == A else 302 if p == TA else 404) for p in PERSONAS},
    ),
    Write(
        "POST notification_preferences",
        "email off, messages in French",
        post(lambda w: "/account/notifications/", lambda w: {"language": "fr"}),
        {p: (LOGIN if p == A else 302) for p in PERSONAS},
    ),
    # --- results ---
    Write(
        "POST result_imports",
        "upload results",
        post(
            lambda w: "/evidence/imports/",
            lambda w: {"file": SimpleUploadedFile("results.csv", RESULTS.encode())},
        ),
        page(M),
    ),
    # --- plans: the school's team (principal, school team) and the board's leaders write them ---
    Write(
        "POST plan_new",
        "start A1's plan",
        post(
            lambda w: "/plans/new/",
            lambda w: {"school": w.school_a1.number, "school_year": "2018-19"},
        ),
        page(PA, ST),
    ),
    Write(
        "POST plan_new",
        "start board A's plan",
        post(
            lambda w: "/plans/new/", lambda w: {"board": w.board_a.number, "school_year": "2018-19"}
        ),
        page(BA),
    ),
    Write(
        "POST plan_edit",
        "change A1's plan",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/edit/",
            lambda w: {
                "title": "Readers first",
                "overall_impact": "",
                "next_steps": "",
                "version": plan_a1(w).version,
            },
        ),
        page(PA, ST),
    ),
    Write(
        "POST plan_edit",
        "change board A's plan",
        post(
            lambda w: f"/plans/{board_plan_a(w).pk}/edit/",
            lambda w: {
                "title": "Every student a reader",
                "overall_impact": "",
                "next_steps": "",
                "version": board_plan_a(w).version,
            },
        ),
        page(BA),
    ),
    Write(
        "POST goal_new",
        "add a goal to A1's plan",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/goals/new/",
            lambda w: {
                "statement": "More Grade 3 students read fluently",
                "area": "literacy",
                "focus": "all",
                "version": plan_a1(w).version,
            },
        ),
        page(PA, ST),
    ),
    Write(
        "POST checkpoint_new",
        "add a checkpoint to A1's plan",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/checkpoints/new/",
            lambda w: {
                "due": "2019-01-31",
                "title": "Mid-year look at student work",
                "version": plan_a1(w).version,
            },
        ),
        page(PA, ST),
    ),
    Write(
        "POST target_new",
        "add a target to A1's goal",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/goals/{goal_a1(w).pk}/targets/new/",
            lambda w: {
                "measure": "custom",
                "description": "Running records at level",
                "group": "all",
                "baseline_year": "2018-19",
                "baseline_value": "40",
                "target_value": "60",
                "target_year": "2019-20",
                "version": plan_a1(w).version,
            },
        ),
        page(PA, ST),
    ),
    Write(
        "POST strategy_new",
        "add a strategy to A1's goal",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/goals/{goal_a1(w).pk}/strategies/new/",
            lambda w: {
                "action": "Daily guided reading",
                "responsible": "Primary team",
                "drivers": ["pedagogy"],
                "version": plan_a1(w).version,
            },
        ),
        page(PA, ST),
    ),
    Write(
        "POST plan_item",
        "change A1's goal",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/goal/{goal_a1(w).pk}/",
            lambda w: {
                "statement": "Every Grade 3 student reads fluently",
                "area": "literacy",
                "focus": "all",
                "version": plan_a1(w).version,
            },
        ),
        page(PA, ST),
    ),
    Write(
        "POST plan_item",
        "delete A1's goal",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/goal/{goal_a1(w).pk}/",
            lambda w: {"delete": "1", "version": plan_a1(w).version},
        ),
        page(PA, ST),
    ),
    Write(
        "POST entry_new",
        "record a value of A1's custom measure",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/targets/{custom_target_a1(w).pk}/entries/new/",
            lambda w: {
                "on": "2018-12-01",
                "value": "45",
                "note": "Running records",
                "version": plan_a1(w).version,
            },
        ),
        page(PA, ST),
    ),
    # --- the cycle ---
    Write(
        "POST plan_action",
        "check off a team task on A1's plan",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/action/",
            lambda w: {"action": "task", "task": "plan.data", "done": "1"},
        ),
        page(PA, ST),
    ),
    Write(
        "POST plan_action",
        "check off a system task on A1's plan",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/action/",
            lambda w: {"action": "task", "task": "plan.orient", "done": "1"},
        ),
        page(M, BA),
    ),
    Write(
        "POST plan_action",
        "submit A1's plan",
        post(
            lambda w: f"/plans/{plan_a1_with_a_goal(w).pk}/action/",
            lambda w: {"action": "submit", "version": plan_a1(w).version},
        ),
        page(PA, ST),
    ),
    Write(
        "POST plan_action",
        "accept A1's submitted plan",
        post(
            lambda w: f"/plans/{submitted_plan_a1(w).pk}/action/",
            lambda w: decision(plan_a1(w), action="accept"),
        ),
        page(M, BA),
    ),
    Write(
        "POST plan_action",
        "return A1's submitted plan",
        post(
            lambda w: f"/plans/{submitted_plan_a1(w).pk}/action/",
            lambda w: decision(plan_a1(w), action="return", comments="Name the students"),
        ),
        page(M, BA),
    ),
    Write(
        "POST plan_action",
        "put A1's accepted plan into action",
        post(
            lambda w: f"/plans/{accepted_plan_a1(w).pk}/action/",
            lambda w: {"action": "move", "to": "act", "version": plan_a1(w).version},
        ),
        page(PA, ST),
    ),
    Write(
        "POST plan_action",
        "co-reflect on A1's plan",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/action/",
            lambda w: {"action": "coreflect", "themes": "Reading at home"},
        ),
        page(M, BA),
    ),
    Write(
        "POST plan_action",
        "reply to a co-reflection on A1's plan",
        post(
            lambda w: f"/plans/{plan_a1(w).pk}/action/",
            lambda w: {
                "action": "reply",
                "coreflection": coreflection_a1(w).pk,
                "text": "Thank you",
            },
        ),
        page(M, BA, PA, ST),
    ),
    Write(
        "POST plan_timelines",
        "set board A's dates for its schools",
        post(lambda w: "/plans/timelines/", lambda w: {"place": w.board_a.number, **TIMELINE}),
        page(BA),
    ),
    Write(
        "POST plan_timelines",
        "set the dates for every board's plan",
        post(lambda w: "/plans/timelines/", lambda w: {"place": "", **TIMELINE}),
        page(M),
    ),
    # --- support: a team asks, the board (or the ministry) answers ---
    Write(
        "POST support_new",
        "A1 asks for support",
        post(lambda w: "/support/new/", lambda w: {"place": f"school:{w.school_a1.number}", **ASK}),
        page(PA, ST),
    ),
    Write(
        "POST support_new",
        "board A asks the ministry for support",
        post(lambda w: "/support/new/", lambda w: {"place": f"board:{w.board_a.number}", **ASK}),
        page(BA),
    ),
    Write(
        "POST support_detail",
        "answer A1's request",
        post(
            lambda w: f"/support/{request_a1(w).pk}/",
            lambda w: {"answer": "A literacy coach on Tuesdays", "provided": ["people"]},
        ),
        page(M, BA),
    ),
    # --- surveys: a board's or a school's leaders open and close rounds; those invited answer ---
    Write(
        "POST survey_new",
        "open a round of the nine characteristics for board A",
        post(
            lambda w: "/surveys/new/",
            lambda w: {
                **ROUND,
                "instrument": _instrument("strong-districts"),
                "place": f"board:{w.board_a.pk}",
            },
        ),
        {p: {A: LOGIN, BA: 302, M: 302}.get(p, 403) for p in PERSONAS},
    ),
    Write(
        "POST survey_new",
        "open a round of the professional capital index for school A1",
        post(
            lambda w: "/surveys/new/",
            lambda w: {
                **ROUND,
                "instrument": _instrument("professional-capital"),
                "place": f"school:{w.school_a1.pk}",
            },
        ),
        {p: {A: LOGIN, BA: 302, PA: 302, ST: 302}.get(p, 403) for p in PERSONAS},
    ),
    Write(
        "POST survey_close",
        "close board A's round",
        post(lambda w: f"/surveys/{round_a(w).pk}/close/"),
        {p: {A: LOGIN, BA: 302, M: 302}.get(p, 403) for p in PERSONAS},
    ),
    Write(
        "POST survey_respond",
        "save a draft answer to board A's round",
        post(lambda w: f"/surveys/{round_a(w).pk}/respond/", lambda w: {"a-1.1": "3", "save": "1"}),
        {p: {A: LOGIN, BA: 302, PA: 302, TR: 302}.get(p, 404) for p in PERSONAS},
    ),
    Write(
        "POST survey_actions",
        "turn an action after board A's report into a board-plan goal",
        post(
            lambda w: f"/surveys/{round_a(w).pk}/actions/",
            lambda w: {"action": ["Monthly data talks"]},
        ),
        # The ministry reads the report but is not the board plan's team: planning refuses it;
        # those invited may not read an open round's report; nobody else knows the round.
        {p: {A: LOGIN, BA: 302, M: 403, PA: 403, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    Write(
        "POST survey_characteristic_goal",
        "a characteristic goal from board A's report",
        post(
            lambda w: f"/surveys/{round_a(w).pk}/characteristic-goal/",
            lambda w: {"dimension": "evidence"},
        ),
        {p: {A: LOGIN, BA: 302, M: 403, PA: 403, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    Write(
        "POST register",
        "add to one's own compliance register",
        post(
            lambda w: "/register/", lambda w: {"requirement": "Fire drill records", "category": "C"}
        ),
        {p: {A: LOGIN, BA: 302, PA: 302, PB: 302}.get(p, 403) for p in PERSONAS},
    ),
    Write(
        "POST register_entry",
        "change board A's leader's register entry",
        post(
            lambda w: f"/register/{_register_entry(w).pk}/",
            lambda w: {"requirement": "Changed", "category": "C", "version": "1"},
        ),
        {p: {A: LOGIN, BA: 302}.get(p, 404) for p in PERSONAS},
    ),
    Write(
        "POST survey_link",
        "answer through an unknown link",
        post(lambda w: "/surveys/link/nope/", lambda w: {"a-1.1": "3", "send": "1"}),
        dict.fromkeys(PERSONAS, 404),
    ),
    # --- module sessions: whoever runs surveys there plans one; its facilitator changes it ---
    Write(
        "POST learning_session_new",
        "plan a module session at school A1 with its teacher",
        post(
            lambda w: "/learning/sessions/new/",
            lambda w: {
                "place": f"school:{w.school_a1.pk}",
                "module": session_a1(w).module.slug,
                "held_on": "2030-01-10",
                "participants": [w.personas["teacher_a1"].pk],
            },
        ),
        # The ministry is offered boards, not schools, so A1 is a place it was never offered.
        {p: {A: LOGIN, BA: 302, PA: 302, ST: 302}.get(p, 403) for p in PERSONAS},
    ),
    Write(
        "POST learning_session_edit",
        "change A1's module session's notes",
        post(
            lambda w: f"/learning/sessions/{session_a1(w).pk}/edit/",
            lambda w: session_form(w, notes="Bring the evidence inventory"),
        ),
        page(PA),
    ),
    Write(
        "POST learning_session_evaluation",
        "open the evaluation of A1's module session",
        post(lambda w: f"/learning/sessions/{session_a1(w).pk}/evaluation/"),
        page(PA),
    ),
    # --- learning: board A's leader writes and submits its case studies; the coordinators
    # (ministry) return or publish them; both comment; to others a draft does not exist ---
    Write(
        "POST learning_case_new",
        "start a case study of board A",
        post(lambda w: "/learning/cases/new/", case_form),
        page(BA),
    ),
    Write(
        "POST learning_case_edit",
        "change board A's draft case study",
        post(
            lambda w: f"/learning/{case_a(w).slug}/edit/",
            lambda w: {**case_form(w), "revision": str(case_a(w).current.revision)},
        ),
        {p: {A: LOGIN, M: 403, BA: 302, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    Write(
        "POST learning_case_submit",
        "submit board A's case study",
        post(lambda w: f"/learning/{case_a(w).slug}/submit/"),
        {p: {A: LOGIN, M: 403, BA: 302, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    Write(
        "POST learning_case_return",
        "return board A's submitted case study",
        post(
            lambda w: f"/learning/{submitted_case_a(w).slug}/return/",
            lambda w: {"text": "Say more about the evidence."},
        ),
        {p: {A: LOGIN, M: 302, BA: 403, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    Write(
        "POST learning_case_publish",
        "publish board A's submitted case study",
        post(lambda w: f"/learning/{submitted_case_a(w).slug}/publish/"),
        {p: {A: LOGIN, M: 302, BA: 403, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    Write(
        "POST learning_case_comment",
        "comment on board A's submitted case study",
        post(
            lambda w: f"/learning/{submitted_case_a(w).slug}/comment/",
            lambda w: {"text": "Looks ready."},
        ),
        {p: {A: LOGIN, M: 302, BA: 302, TR: 403}.get(p, 404) for p in PERSONAS},
    ),
    # --- the API ---
    Write(
        "POST api:api_plan_stage",
        "API: put A1's accepted plan into action",
        post_json(
            lambda w: f"/api/plans/{accepted_plan_a1(w).pk}/stage",
            lambda w: {"to": "act", "version": plan_a1(w).version},
        ),
        api(200, PA, ST),
    ),
    Write(
        "POST api:api_plan_submit",
        "API: submit A1's plan",
        post_json(
            lambda w: f"/api/plans/{plan_a1_with_a_goal(w).pk}/submit",
            lambda w: {"version": plan_a1(w).version},
        ),
        api(200, PA, ST),
    ),
    Write(
        "POST api:api_plan_decision",
        "API: accept A1's submitted plan",
        post_json(
            lambda w: f"/api/plans/{submitted_plan_a1(w).pk}/decision",
            lambda w: decision(plan_a1(w), accept=True),
        ),
        api(200, M, BA),
    ),
    Write(
        "POST api:api_support_requests",
        "API: A1 asks for support",
        post_json(
            lambda w: "/api/support-requests", lambda w: {"school": w.school_a1.number, **ASK}
        ),
        api(201, PA, ST),
    ),
    Write(
        "POST api:api_support_requests",
        "API: board A asks the ministry for support",
        post_json(lambda w: "/api/support-requests", lambda w: {"board": w.board_a.number, **ASK}),
        api(201, BA),
    ),
    Write(
        "POST api:api_support_request_answer",
        "API: answer A1's request",
        post_json(
            lambda w: f"/api/support-requests/{request_a1(w).pk}/answer",
            lambda w: {"answer": "A literacy coach on Tuesdays", "provided": ["people"]},
        ),
        api(200, M, BA),
    ),
]
WRITES += part_rows("WRITES")  # rows kept beside their code: tests/*/authz_*.py


# --- finding every view that writes ------------------------------------------------------


def _accepts_writes(view: Callable[..., Any]) -> bool:
    """Whether a Django view accepts a method that changes something.

    A class-based view says so by its handlers; a function view restricted by
    require_POST / require_http_methods carries its list of methods in the
    decorator's closure; any other function view that reads request.POST,
    request.FILES or request.method handles a POST itself.
    """
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return any(
            m.lower() in view_class.http_method_names and hasattr(view_class, m.lower())
            for m in WRITE_METHODS
        )
    while isinstance(view, functools.partial):
        view = view.func
    function: Any = view
    while True:
        methods = inspect.getclosurevars(function).nonlocals.get("request_method_list")
        if methods is not None:
            return any(m in methods for m in WRITE_METHODS)
        if not hasattr(function, "__wrapped__"):
            break
        function = function.__wrapped__
    source = inspect.getsource(function)
    return any(word in source for word in ("request.POST", "request.FILES", "request.method"))


def _api_writes() -> set[str]:
    """Every API operation with a writing method, from django-ninja's routers."""
    from capacity.api import api as ninja_api

    found = set()
    for _prefix, router in ninja_api._routers:  # noqa: SLF001 - ninja keeps its routers here, and no public list exists
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                found |= {
                    f"{method} api:{operation.url_name}"
                    for method in operation.methods
                    if method in WRITE_METHODS
                }
    return found


def _writing_views() -> set[str]:
    found: set[str] = set()

    def walk(patterns: list[Any]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue  # Django's own admin: staff only, with its own permission checks
                if p.namespace == "api":
                    found.update(_api_writes())
                    continue
                walk(p.url_patterns)
            elif isinstance(p, URLPattern) and _accepts_writes(p.callback):
                found.add(f"POST {p.name or p.pattern}")

    walk(get_resolver().url_patterns)
    return found


def test_every_writing_view_has_a_row() -> None:
    missing = _writing_views() - {row.key for row in WRITES}
    assert not missing, (
        f"Views that change something without a row in the writes table: {sorted(missing)}"
    )


def test_the_finder_sees_views_that_write_by_each_route() -> None:
    """The finder itself: a decorated view, a view that checks the method, a class-based view, an API operation."""
    found = _writing_views()
    assert {
        "POST plan_action",
        "POST plan_item",
        "POST support_new",
        "POST logout",
        "POST set_language",
        "POST api:api_plan_decision",
        "POST api:api_support_requests",
    } <= found
    assert not found & {
        "POST plan_detail",
        "POST plan_list",
        "POST school_list",
        "POST api:api_plans",
    }


# --- the table, for real ------------------------------------------------------------------


def _state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Capacity table, to tell whether a request changed anything."""
    state = {}
    for model in apps.get_models():
        if model.__module__.startswith("capacity."):
            state[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return state


def _refused(status: int, persona: str) -> bool:
    return status in (401, 403, 404, 405) or (persona == A and status == LOGIN)


CASES = [
    pytest.param(row, persona, id=f"{row.key} {row.label}-{persona}")
    for row in WRITES
    for persona in PERSONAS
]


@pytest.mark.parametrize(("row", "persona"), CASES)
def test_write(client, world, settings, tmp_path, row: Write, persona: str) -> None:
    settings.MEDIA_ROOT = tmp_path
    user = world.personas[persona]
    if user is not None:
        client.force_login(user)
    send = row.prepare(world)
    before = _state()
    response = send(client)
    expected = row.statuses[persona]
    assert response.status_code == expected, getattr(response, "content", b"")[:500]
    if persona == A and expected == LOGIN and row.stored:
        assert response["Location"].startswith("/accounts/login/")
    if not row.stored:
        return
    if _refused(expected, persona):
        assert _state() == before, "a refused request changed the database"
    else:
        assert _state() != before, "an accepted request changed nothing"


def test_a_refused_write_leaves_no_audit_entry(client, world) -> None:
    """The audit log is one of the tables compared above; checked once by name for the reader."""
    from capacity.audit.models import AuditEntry

    client.force_login(world.personas["trustee_a"])
    plan = submitted_plan_a1(world)
    entries = AuditEntry.objects.count()
    response = client.post(
        f"/api/plans/{plan.pk}/decision",
        decision(plan, accept=True),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert AuditEntry.objects.count() == entries
    assert Plan.objects.get(pk=plan.pk).review == Review.SUBMITTED
