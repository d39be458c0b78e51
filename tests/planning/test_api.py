"""The planning API: plans and support requests scoped like the pages, service errors as HTTP answers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capacity.directory.models import Role
from capacity.directory.services import api_token_create
from capacity.evidence.models import Assessment
from capacity.evidence.services import assessments_ensure
from capacity.planning import services
from capacity.planning.models import Plan, Review, Stage, SupportRequest
from tests.evidence.conftest import results_for
from tests.factories import MembershipFactory
from tests.planning.yearclose_kit import decide_all


@pytest.fixture
def plans(world) -> dict[str, Plan]:
    """School A1's and B1's plans and board A's plan for 2018-19."""
    return {
        "a1": services.plan_create(
            user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
        ),
        "b1": services.plan_create(
            user=world.personas["principal_b1"], school=world.school_b1, school_year="2018-19"
        ),
        "board_a": services.plan_create(
            user=world.personas["board_a"], board=world.board_a, school_year="2018-19"
        ),
    }


def with_target(world, plan: Plan) -> None:
    """A Grade 6 mathematics goal: 40 in 2017-18 to 60 by 2019-20 (50 expected in 2018-19)."""
    assessments_ensure()
    principal = world.personas["principal_a1"]
    goal = services.goal_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        statement="Grade 6 math reasoning",
        area="mathematics",
    )
    services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        assessment=Assessment.objects.get(code="G6-MATH"),
        baseline_year="2017-18",
        baseline_value=40.0,
        target_value=60.0,
        target_year="2019-20",
    )


def accepted(world, plan: Plan) -> Plan:
    with_target(world, plan)
    services.plan_submit(plan=plan, user=world.personas["principal_a1"], seen=plan.version)
    services.plan_decide(
        plan=plan, user=world.personas["ministry"], accept=True, **services.review_basis(plan)
    )
    return plan


def as_(client, world, persona: str):
    client.force_login(world.personas[persona])
    return client


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="planning tests")
    return {"Authorization": f"Bearer {key}"}


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# --- plans -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("ministry", {"a1", "b1", "board_a"}),
        ("board_a", {"a1", "board_a"}),
        ("principal_a1", {"a1"}),
        ("teacher_a1", {"a1"}),
        ("facilitator", set()),
        ("principal_b1", {"b1"}),
    ],
)
def test_it_lists_the_plans_each_persona_may_read(client, world, plans, persona, visible) -> None:
    response = as_(client, world, persona).get("/api/plans")
    assert ids(response) == {plans[name].pk for name in visible}
    assert response.json()["count"] == len(visible)


def test_it_answers_401_without_credentials(client, world, plans) -> None:
    for path in ("/api/plans", f"/api/plans/{plans['a1'].pk}", "/api/support-requests"):
        assert client.get(path).status_code == 401
    response = client.post(
        f"/api/plans/{plans['a1'].pk}/submit", {"version": 1}, content_type="application/json"
    )
    assert response.status_code == 401


def test_a_token_reads_the_plans_of_its_person_and_can_write(client, world, plans) -> None:
    headers = bearer(world.personas["principal_b1"])
    assert ids(client.get("/api/plans", headers=headers)) == {plans["b1"].pk}
    assert client.get(f"/api/plans/{plans['a1'].pk}", headers=headers).status_code == 403
    services.goal_add(
        plan=plans["b1"],
        user=world.personas["principal_b1"],
        seen=plans["b1"].version,
        statement="Readers",
    )
    plans["b1"].refresh_from_db()
    response = client.post(
        f"/api/plans/{plans['b1'].pk}/submit",
        {"version": plans["b1"].version},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["review"] == Review.SUBMITTED


def test_a_list_item_counts_goals_targets_by_progress_and_open_requests(
    client, world, plans
) -> None:
    plan = plans["a1"]
    with_target(world, plan)
    principal = world.personas["principal_a1"]
    goal = services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement="Belonging", area="well_being"
    )
    services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        measure="custom",
        description="Survey: belong",
        target_value=80,
        target_year="2019-20",
    )
    results_for(
        world.school_a1, "2018-19", [50, 50, 50, 50, 50, 52]
    )  # G6-MATH 52 >= 50 expected: on track
    services.support_request_create(
        user=principal, school=world.school_a1, plan=plan, tried="Math talks", needs=["people"]
    )
    answered = services.support_request_create(
        user=principal, school=world.school_a1, plan=plan, tried="x", needs=["people"]
    )
    services.support_request_answer(
        request=answered, user=world.personas["board_a"], answer="A coach", provided=["people"]
    )
    plan.refresh_from_db()

    item = (
        as_(client, world, "board_a")
        .get(f"/api/plans?school={world.school_a1.number}")
        .json()["items"][0]
    )
    assert item == {
        "id": plan.pk,
        "kind": "school",
        "school_number": "700001",
        "school_name": "Aspen Public School",
        "board_number": "B66001",
        "board_name": "Alpha District School Board",
        "school_year": "2018-19",
        "title": "",
        "stage": "plan",
        "review": "draft",
        "focused_intervention": False,
        "version": plan.version,
        "goals": 2,
        "targets": {"on_track": 1, "off_track": 0, "met": 0, "no_data": 1},
        "open_support_requests": 1,
    }
    board_item = client.get("/api/plans?board=B66001&school=").json()["items"]
    assert {i["kind"]: i["school_number"] for i in board_item} == {
        "school": "700001",
        "board": None,
    }


def test_the_filters_narrow_the_list(client, world, plans) -> None:
    a1, b1, board_plan = plans["a1"], plans["b1"], plans["board_a"]
    accepted(world, a1)
    b1.focused_intervention = True
    b1.save()
    later = services.plan_create(
        user=world.personas["principal_b1"], school=world.school_b1, school_year="2019-20"
    )
    client = as_(client, world, "ministry")
    assert ids(client.get("/api/plans?school=700003")) == {b1.pk, later.pk}
    assert ids(client.get("/api/plans?board=B66001")) == {a1.pk, board_plan.pk}
    assert ids(client.get("/api/plans?year=2019-20")) == {later.pk}
    assert ids(client.get("/api/plans?review=accepted")) == {a1.pk}
    assert ids(client.get("/api/plans?stage=plan&review=draft")) == {b1.pk, board_plan.pk, later.pk}
    assert ids(client.get("/api/plans?focused=true")) == {b1.pk}
    assert ids(client.get("/api/plans?focused=false")) == {a1.pk, board_plan.pk, later.pk}
    assert ids(client.get("/api/plans?board=B66002&school=700001")) == set()


def test_the_list_takes_the_same_queries_for_one_plan_or_three(client, world, plans) -> None:
    with_target(world, plans["a1"])
    client = as_(client, world, "principal_a1")
    client.get("/api/plans")  # warm the session and the scope

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/plans").status_code == 200
        return len(captured)

    one = queries()
    for year in ("2019-20", "2020-21"):
        with_target(
            world,
            services.plan_create(
                user=world.personas["principal_a1"], school=world.school_a1, school_year=year
            ),
        )
    assert ids(client.get("/api/plans")) and client.get("/api/plans").json()["count"] == 3
    assert queries() == one


def test_one_plan_in_full_with_its_version(client, world, plans) -> None:
    plan = plans["a1"]
    with_target(world, plan)
    plan.refresh_from_db()
    response = as_(client, world, "teacher_a1").get(f"/api/plans/{plan.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["school"], body["board"], body["version"]) == (
        plan.pk,
        "700001",
        "B66001",
        plan.version,
    )
    assert body["goals"][0]["statement"] == "Grade 6 math reasoning"
    assert body["goals"][0]["targets"][0]["assessment"] == "G6-MATH"
    assert body["goals"][0]["targets"][0]["progress"]["status"] == "no_data"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("ministry", 200),
        ("board_a", 200),
        ("principal_a1", 200),
        ("teacher_a1", 200),
        ("facilitator", 403),
        ("principal_b1", 403),
    ],
)
def test_a_plan_is_readable_only_in_scope(client, world, plans, persona, status) -> None:
    client = as_(client, world, persona)
    assert client.get(f"/api/plans/{plans['a1'].pk}").status_code == status
    assert client.get(f"/api/plans/{plans['a1'].pk}/targets").status_code == status


def test_an_unknown_plan_is_not_found(client, world, plans) -> None:
    client = as_(client, world, "ministry")
    missing = Plan.objects.order_by("-pk").first().pk + 1
    assert client.get(f"/api/plans/{missing}").status_code == 404
    assert client.get(f"/api/plans/{missing}/targets").status_code == 404
    assert (
        client.post(
            f"/api/plans/{missing}/decision",
            {"accept": True, "submission": 1, "version": 1},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_targets_carry_live_progress(client, world, plans) -> None:
    plan = plans["a1"]
    with_target(world, plan)
    results_for(world.school_a1, "2018-19", [50, 50, 50, 50, 50, 45])  # under the 50 expected
    targets = as_(client, world, "principal_a1").get(f"/api/plans/{plan.pk}/targets").json()
    assert len(targets) == 1
    target = targets[0]
    assert (target["assessment"], target["baseline_value"], target["target_value"]) == (
        "G6-MATH",
        40.0,
        60.0,
    )
    assert target["progress"] == {
        "status": "off_track",
        "latest_year": "2018-19",
        "latest_value": 45.0,
        "expected": 50.0,
    }
    assert target["progress_label"] == "Off track"


# --- the cycle ----------------------------------------------------------------------------


def move(client, plan: Plan, to: str, version: int):
    return client.post(
        f"/api/plans/{plan.pk}/stage",
        {"to": to, "version": version},
        content_type="application/json",
    )


def test_a_stale_version_is_a_409_with_the_current_version(client, world, plans) -> None:
    plan = accepted(world, plans["a1"])
    stale = plan.version
    services.plan_update(
        plan=plan, user=world.personas["principal_a1"], seen=plan.version, title="Changed"
    )
    response = move(as_(client, world, "principal_a1"), plan, "act", stale)
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == stale + 1
    assert f"version {stale + 1}" in body["detail"] and f"version {stale})" in body["detail"]
    assert Plan.objects.get(pk=plan.pk).stage == Stage.PLAN

    response = move(client, plan, "act", body["version"])
    assert response.status_code == 200
    assert response.json() == {
        "id": plan.pk,
        "stage": "act",
        "review": "accepted",
        "version": stale + 2,
        "next_plan": None,
        "submission": None,
    }


def test_a_move_the_cycle_refuses_is_a_400_with_the_reason(client, world, plans) -> None:
    plan = plans["a1"]
    client = as_(client, world, "principal_a1")
    response = move(client, plan, "act", plan.version)
    assert response.status_code == 400
    assert (
        response.json()["detail"]
        == "The plan must be submitted and accepted before the team puts it into action."
    )
    response = move(client, plan, "reflect", plan.version)
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "A plan cannot go from Plan to Reflect.",
    )
    assert move(client, plan, "sideways", plan.version).status_code == 422  # not a stage at all
    assert Plan.objects.get(pk=plan.pk).stage == Stage.PLAN


def test_the_refusal_speaks_the_callers_language(client, world, plans) -> None:
    response = as_(client, world, "principal_a1").post(
        f"/api/plans/{plans['a1'].pk}/stage",
        {"to": "reflect", "version": 1},
        content_type="application/json",
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] != "A plan cannot go from Plan to Reflect."


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("ministry", 403),
        ("board_a", 403),
        ("teacher_a1", 403),
        ("facilitator", 403),
        ("principal_b1", 403),
        ("principal_a1", 200),
    ],
)
def test_only_the_plans_team_moves_it(client, world, plans, persona, status) -> None:
    plan = accepted(world, plans["a1"])
    assert move(as_(client, world, persona), plan, "act", plan.version).status_code == status


def test_closing_the_year_points_to_next_years_plan(client, world, plans) -> None:
    plan = accepted(world, plans["a1"])
    principal = world.personas["principal_a1"]
    for stage in (Stage.ACT, Stage.OBSERVE, Stage.REFLECT):
        services.plan_stage_move(plan=plan, user=principal, seen=plan.version, to=stage)
    client = as_(client, world, "principal_a1")
    response = move(client, plan, "closed", plan.version)
    assert response.status_code == 400 and "overall_impact" in response.json()["errors"]
    services.plan_update(plan=plan, user=principal, seen=plan.version, overall_impact="Math moved")
    decide_all(plan, principal)
    plan.refresh_from_db()
    response = move(client, plan, "closed", plan.version)
    assert response.status_code == 200
    successor = Plan.objects.get(school=world.school_a1, school_year="2019-20")
    assert (response.json()["stage"], response.json()["next_plan"]) == ("closed", successor.pk)


def test_submit_then_return_then_accept(client, world, plans) -> None:
    plan = plans["a1"]
    with_target(world, plan)
    plan.refresh_from_db()
    principal = as_(client, world, "principal_a1")
    response = principal.post(
        f"/api/plans/{plan.pk}/submit", {"version": plan.version}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["review"] == "submitted"
    assert response.json()["submission"] == {"number": 1, "decision": "pending", "comments": ""}
    again = principal.post(
        f"/api/plans/{plan.pk}/submit",
        {"version": response.json()["version"]},
        content_type="application/json",
    )
    assert (again.status_code, again.json()["detail"]) == (
        400,
        "The plan is already waiting for review.",
    )

    def decide(persona: str, **body):
        # The reviewer names what they read: the waiting submission and the version, from GET /api/plans/{id}.
        read = as_(client, world, "ministry").get(f"/api/plans/{plan.pk}").json()
        body = {"submission": read["waiting_submission"], "version": read["version"], **body}
        return as_(client, world, persona).post(
            f"/api/plans/{plan.pk}/decision", body, content_type="application/json"
        )

    for persona in ("principal_a1", "teacher_a1", "principal_b1", "facilitator"):
        assert decide(persona, accept=True).status_code == 403
    response = decide("ministry", accept=False)
    assert response.status_code == 400 and "comments" in response.json()["errors"]
    response = decide("ministry", accept=False, comments="Tie the strategy to the target")
    assert response.status_code == 200
    assert response.json()["review"] == "returned"
    assert response.json()["submission"]["decision"] == "returned"

    plan.refresh_from_db()
    principal = as_(client, world, "principal_a1")  # the same test client, signed in again
    assert (
        principal.post(
            f"/api/plans/{plan.pk}/submit",
            {"version": plan.version - 1},
            content_type="application/json",
        ).status_code
        == 409
    )
    assert (
        principal.post(
            f"/api/plans/{plan.pk}/submit",
            {"version": plan.version},
            content_type="application/json",
        ).status_code
        == 200
    )
    response = decide("board_a", accept=True)
    assert response.status_code == 200
    assert response.json()["submission"] == {"number": 2, "decision": "accepted", "comments": ""}
    assert Plan.objects.get(pk=plan.pk).review == Review.ACCEPTED


# --- support requests -----------------------------------------------------------------


def ask(client, **body):
    body = {"tried": "Guided reading groups", "needs": ["knowledge"], **body}
    return client.post("/api/support-requests", body, content_type="application/json")


@pytest.fixture
def requests_(world, plans) -> dict[str, SupportRequest]:
    return {
        "a1": services.support_request_create(
            user=world.personas["principal_a1"],
            school=world.school_a1,
            plan=plans["a1"],
            tried="Math talks",
            needs=["people"],
        ),
        "b1": services.support_request_create(
            user=world.personas["principal_b1"],
            school=world.school_b1,
            tried="Reading buddies",
            needs=["resources"],
        ),
        "board_a": services.support_request_create(
            user=world.personas["board_a"],
            board=world.board_a,
            tried="Coaching",
            needs=["professional_learning"],
        ),
    }


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("ministry", {"a1", "b1", "board_a"}),
        ("board_a", {"a1", "board_a"}),
        ("principal_a1", {"a1"}),
        ("teacher_a1", {"a1"}),
        ("facilitator", set()),
        ("principal_b1", {"b1"}),
    ],
)
def test_support_requests_are_scoped(client, world, requests_, persona, visible) -> None:
    client = as_(client, world, persona)
    assert ids(client.get("/api/support-requests")) == {requests_[name].pk for name in visible}
    for name, request in requests_.items():
        expected = 200 if name in visible else 403
        assert client.get(f"/api/support-requests/{request.pk}").status_code == expected


def test_support_requests_filter_by_status_and_board(client, world, requests_) -> None:
    services.support_request_answer(
        request=requests_["a1"],
        user=world.personas["board_a"],
        answer="A coach",
        provided=["people"],
    )
    client = as_(client, world, "ministry")
    assert ids(client.get("/api/support-requests?status=open")) == {
        requests_["b1"].pk,
        requests_["board_a"].pk,
    }
    assert ids(client.get("/api/support-requests?status=answered")) == {requests_["a1"].pk}
    assert ids(client.get("/api/support-requests?board=B66002")) == {requests_["b1"].pk}
    assert ids(client.get("/api/support-requests?board=B66001&status=open")) == {
        requests_["board_a"].pk
    }
    item = client.get("/api/support-requests?board=B66002").json()["items"][0]
    assert (item["school_number"], item["board_number"], item["needs"], item["status"]) == (
        "700003",
        "B66002",
        ["resources"],
        "open",
    )


def test_a_school_team_asks_for_support(client, world, plans) -> None:
    response = ask(
        as_(client, world, "principal_a1"),
        school="700001",
        plan=plans["a1"].pk,
        needs=["knowledge", "people"],
        needed_by="2018-12-01",
        detail="Grade 6",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    created = SupportRequest.objects.get(pk=body["id"])
    assert (
        created.school,
        created.board,
        created.plan,
        created.needed_by,
        created.to_ministry,
    ) == (world.school_a1, world.board_a, plans["a1"], datetime.date(2018, 12, 1), False)
    assert (body["school_number"], body["plan_id"], body["status"]) == (
        "700001",
        plans["a1"].pk,
        "open",
    )


def test_a_board_asks_the_ministry(client, world, plans) -> None:
    response = ask(as_(client, world, "board_a"), board="B66001", plan=plans["board_a"].pk)
    assert response.status_code == 201
    assert response.json()["to_ministry"] is True and response.json()["school_number"] is None


@pytest.mark.parametrize(
    ("persona", "body", "status"),
    [
        (
            "teacher_a1",
            {"school": "700001"},
            403,
        ),  # teachers read, the principal and school team ask
        ("principal_b1", {"school": "700001"}, 403),
        ("board_a", {"school": "700001"}, 403),  # a board asks as a board
        ("principal_a1", {"board": "B66001"}, 403),
        ("principal_a1", {"school": "999999"}, 404),
        (
            "principal_a1",
            {"school": "700001", "needs": []},
            422,
        ),  # the schema says: at least one need
        (
            "principal_a1",
            {"school": "700001", "needs": ["money"]},
            422,
        ),  # and which needs there are
        ("principal_a1", {}, 422),  # neither a school nor a board
        ("principal_a1", {"school": "700001", "board": "B66001"}, 422),
    ],
)
def test_a_support_request_is_refused(client, world, persona, body, status) -> None:
    assert ask(as_(client, world, persona), **body).status_code == status
    assert not SupportRequest.objects.exists()


def test_a_request_names_only_its_own_teams_plan(client, world, plans) -> None:
    client = as_(client, world, "principal_a1")
    assert ask(client, school="700001", plan=plans["b1"].pk).status_code == 403  # not readable
    assert (
        ask(client, school="700001", plan=plans["board_a"].pk).status_code == 403
    )  # readable, not theirs
    assert ask(client, school="700001", plan=10**6).status_code == 404
    assert (
        ask(as_(client, world, "board_a"), board="B66001", plan=plans["a1"].pk).status_code == 403
    )  # A1's team's
    assert not SupportRequest.objects.exists()


def test_a_request_about_another_schools_plan_is_a_400(client, world) -> None:
    principal = world.personas["principal_a1"]
    MembershipFactory(user=principal, role=Role.SCHOOL_TEAM, school=world.school_a2)
    a2_plan = services.plan_create(user=principal, school=world.school_a2, school_year="2018-19")
    response = ask(as_(client, world, "principal_a1"), school="700001", plan=a2_plan.pk)
    assert response.status_code == 400 and "plan" in response.json()["errors"]
    assert ask(client, school="700002", plan=a2_plan.pk).status_code == 201


def test_a_request_is_answered_by_the_board_or_the_ministry(client, world, requests_) -> None:
    def answer(persona: str, request: SupportRequest, **body):
        body = {"answer": "A literacy coach, weekly", "provided": ["people"], **body}
        return as_(client, world, persona).post(
            f"/api/support-requests/{request.pk}/answer", body, content_type="application/json"
        )

    school_request, board_request = requests_["a1"], requests_["board_a"]
    for persona, status in (
        ("principal_b1", 403),
        ("facilitator", 403),
        ("principal_a1", 403),
        ("teacher_a1", 403),
    ):
        assert answer(persona, school_request).status_code == status
    assert (
        answer("board_a", school_request, answer=" ").status_code == 422
    )  # the schema says: not blank
    response = answer("board_a", school_request)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["provided"]) == ("answered", ["people"])
    assert answer("ministry", school_request, close=True).json()["status"] == "closed"
    assert answer("board_a", board_request).status_code == 403  # addressed to the ministry
    assert answer("ministry", board_request).status_code == 200
    assert (
        client.post(
            "/api/support-requests/999999/answer", {"answer": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_the_openapi_document_lists_the_planning_endpoints(client, world) -> None:
    paths = as_(client, world, "teacher_a1").get("/api/openapi.json").json()["paths"]
    assert {
        "/api/plans",
        "/api/plans/{plan_id}",
        "/api/plans/{plan_id}/targets",
        "/api/plans/{plan_id}/stage",
        "/api/plans/{plan_id}/submit",
        "/api/plans/{plan_id}/decision",
        "/api/support-requests",
        "/api/support-requests/{request_id}",
        "/api/support-requests/{request_id}/answer",
    } <= set(paths)
    assert {"get", "post"} <= set(paths["/api/support-requests"])
    assert {"200", "400", "403", "409"} <= set(
        paths["/api/plans/{plan_id}/stage"]["post"]["responses"]
    )
