"""What every API answer shares: bounded paging, JSON errors, and a schema that says what the API does."""

from __future__ import annotations

import pytest

from capacity.api_common import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from capacity.directory.services import api_token_create
from capacity.evidence.models import Result
from capacity.evidence.services import assessments_ensure
from capacity.planning import services as planning
from tests.factories import SchoolFactory

HUGE = str(2**63)  # one past the largest 64-bit integer


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="api tests")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def ministry(world) -> dict[str, str]:
    return bearer(world.personas["ministry"])


@pytest.mark.parametrize(
    "path", ["/api/boards", "/api/schools", "/api/results", "/api/plans", "/api/support-requests"]
)
@pytest.mark.parametrize(
    "query",
    [f"limit={HUGE}", f"offset={HUGE}", f"limit={MAX_PAGE_SIZE + 1}", "limit=0", "offset=-1"],
)
def test_it_refuses_paging_beyond_its_bounds_with_422(client, ministry, path, query) -> None:
    response = client.get(f"{path}?{query}", headers=ministry)
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_it_pages_by_default_and_up_to_the_documented_maximum(client, world, ministry) -> None:
    SchoolFactory.create_batch(DEFAULT_PAGE_SIZE + 5, board=world.board_a)
    default = client.get("/api/schools", headers=ministry).json()
    assert len(default["items"]) == DEFAULT_PAGE_SIZE and default["count"] == DEFAULT_PAGE_SIZE + 8
    largest = client.get(f"/api/schools?limit={MAX_PAGE_SIZE}", headers=ministry).json()
    assert len(largest["items"]) == DEFAULT_PAGE_SIZE + 8


def test_a_full_page_of_results_spanning_many_cells_is_answered(client, world, ministry) -> None:
    """A page of 1000 results from 170 schools: the small-group check once built one OR per cell and failed."""
    ids = assessments_ensure()
    schools = SchoolFactory.create_batch(170, board=world.board_a)
    Result.objects.bulk_create(
        [
            Result(
                school=school,
                school_year="2018-19",
                assessment_id=assessment,
                group="all",
                participating=30,
                pct_at_standard=60.0,
            )
            for school in schools
            for assessment in ids.values()
        ]
    )
    response = client.get(f"/api/results?limit={MAX_PAGE_SIZE}", headers=ministry)
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()["items"]) == MAX_PAGE_SIZE


@pytest.mark.parametrize(
    "path",
    [
        "/api/nothing-here",
        "/api/plans/999999",
        "/api/schools/999999",
        "/api/support-requests/999999",
        "/api/policies/none",
        "/api/plans/abc",
    ],
)
def test_unknown_paths_and_ids_answer_404_in_json(client, ministry, path) -> None:
    response = client.get(path, headers=ministry)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_an_id_beyond_64_bits_is_refused_not_a_server_error(client, ministry) -> None:
    for path in (
        f"/api/plans/{HUGE}",
        f"/api/plans/{HUGE}/targets",
        f"/api/support-requests/{HUGE}",
    ):
        assert client.get(path, headers=ministry).status_code == 422


def test_a_method_the_path_does_not_take_answers_405_in_json(client, ministry) -> None:
    response = client.delete("/api/boards", headers=ministry)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json") and "GET" in response["Allow"]


def test_the_schema_is_served_to_a_token_holder(client, ministry) -> None:
    response = client.get("/api/openapi.json", headers=ministry)
    assert response.status_code == 200
    assert "/api/plans/{plan_id}" in response.json()["paths"]


def test_the_schema_answers_401_in_json_without_credentials(client, world) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}
    assert (
        client.get("/api/openapi.json", headers={"Authorization": "Bearer cap_wrong"}).status_code
        == 401
    )
    assert (
        client.get("/api/docs").status_code == 302
    )  # the page for people still sends them to sign in


def test_the_schema_documents_refusals_and_constraints(client, ministry) -> None:
    schema = client.get("/api/openapi.json", headers=ministry).json()
    paths = schema["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert {"401", "422"} <= set(operation["responses"]), f"{method} {path}"
    assert {"403", "404"} <= set(paths["/api/plans/{plan_id}"]["get"]["responses"])
    assert {"400", "403", "404", "409"} <= set(
        paths["/api/plans/{plan_id}/submit"]["post"]["responses"]
    )
    limit = next(p for p in paths["/api/boards"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == MAX_PAGE_SIZE and limit["schema"]["minimum"] == 1
    plan_id = paths["/api/plans/{plan_id}"]["get"]["parameters"][0]["schema"]
    assert plan_id["minimum"] == 1 and plan_id["maximum"] == 2**63 - 1
    components = schema["components"]["schemas"]
    stage = next(p for p in paths["/api/plans"]["get"]["parameters"] if p["name"] == "stage")
    assert "Stage" in str(stage["schema"]) and "closed" in components["Stage"]["enum"]
    asking = components["SupportRequestIn"]
    assert asking["oneOf"] and asking["properties"]["tried"]["minLength"] == 1
    assert components["SupportAnswerIn"]["properties"]["answer"]["minLength"] == 1


def test_it_refuses_a_support_request_naming_both_or_neither_asker(client, world, ministry) -> None:
    principal = bearer(world.personas["principal_a1"])
    for body in (
        {"school": "700001", "board": "B66001", "tried": "x", "needs": ["people"]},
        {"tried": "x", "needs": ["people"]},
        {"school": "700001", "tried": "x", "needs": []},
        {"school": "700001", "tried": "x", "needs": ["money"]},
    ):
        response = client.post(
            "/api/support-requests", body, content_type="application/json", headers=principal
        )
        assert response.status_code == 422, body


def test_it_refuses_an_empty_answer_to_a_support_request_with_422(client, world, ministry) -> None:
    request = planning.support_request_create(
        user=world.personas["principal_a1"],
        school=world.school_a1,
        tried="Reading groups",
        needs=["people"],
    )
    response = client.post(
        f"/api/support-requests/{request.pk}/answer",
        {"answer": "   "},
        content_type="application/json",
        headers=bearer(world.personas["board_a"]),
    )
    assert response.status_code == 422
