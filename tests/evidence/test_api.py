"""The API: tokens, scoping like the pages, and the OpenAPI documents."""

from __future__ import annotations

from capacity.audit.models import Action, AuditEntry
from capacity.directory.services import api_token_create
from tests.evidence.conftest import results_for


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="data team")
    return {"Authorization": f"Bearer {key}"}


def test_a_token_reads_results_scoped_to_its_person(client, evidence_world) -> None:
    headers = bearer(evidence_world.personas["principal_b1"])
    response = client.get("/api/results", headers=headers)
    assert response.status_code == 200
    items = response.json()["items"]
    assert {i["school_number"] for i in items} == {"700003"}
    assert items[0].keys() >= {
        "school_number",
        "school_year",
        "assessment",
        "group",
        "pct_at_standard",
        "status",
    }
    assert response.json()["count"] == 12


def test_a_bad_token_is_refused(client, evidence_world) -> None:
    response = client.get("/api/results", headers={"Authorization": "Bearer cap_not-a-token"})
    assert response.status_code == 401


def test_creating_a_token_is_audited_and_only_its_hash_is_kept(evidence_world) -> None:
    token, key = api_token_create(user=evidence_world.personas["ministry"], name="nightly export")
    assert key not in (token.key_hash, token.prefix) and key.startswith(token.prefix)
    assert AuditEntry.objects.filter(action=Action.TOKEN_CREATED, target="ministry").exists()


def test_identification_through_the_api_matches_the_contract(client, evidence_world) -> None:
    response = client.get(
        "/api/identification?year=2018-19", headers=bearer(evidence_world.personas["ministry"])
    )
    body = response.json()
    assert body["policy"]["name"] == "ofip-2016" and body["year"] == "2018-19"
    assert [s["school_number"] for s in body["identified"]] == ["700001"]
    assert {"school_year", "assessment", "pct_at_standard", "participating"} <= body["identified"][
        0
    ]["reasons"][0].keys()


def test_identification_is_limited_to_the_callers_schools(client, evidence_world) -> None:
    body = client.get(
        "/api/identification?year=2018-19", headers=bearer(evidence_world.personas["principal_b1"])
    ).json()
    assert body["identified"] == []  # A1 is identified, but it is not B1's principal's school
    body = client.get(
        "/api/identification?year=2018-19", headers=bearer(evidence_world.personas["teacher_a1"])
    ).json()
    assert [s["school_number"] for s in body["identified"]] == ["700001"]


def test_an_unknown_policy_or_year_is_not_found(client, evidence_world) -> None:
    headers = bearer(evidence_world.personas["ministry"])
    assert client.get("/api/identification?policy=nope", headers=headers).status_code == 404
    assert client.get("/api/identification?year=1999-00", headers=headers).status_code == 404


def test_the_api_documents_itself_with_vendored_assets(client, evidence_world) -> None:
    client.force_login(evidence_world.personas["teacher_a1"])
    schema = client.get("/api/openapi.json").json()
    assert {"/api/results", "/api/identification", "/api/policies", "/api/schools/{number}"} <= set(
        schema["paths"]
    )
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn." not in page


def test_policies_carry_their_definition(client, evidence_world) -> None:
    client.force_login(evidence_world.personas["teacher_a1"])
    policy = client.get("/api/policies/reading-2008").json()
    assert policy["version"] == 1 and "threshold = 34.0" in policy["definition"]


def test_small_groups_are_hidden_in_the_api_with_their_complement(client, evidence_world) -> None:
    results_for(
        evidence_world.school_b1,
        "2018-19",
        [50, 50, 50, 50, 50, 50],
        group="female",
        participating=7,
    )
    results_for(
        evidence_world.school_b1,
        "2018-19",
        [90, 90, 90, 90, 90, 90],
        group="male",
        participating=33,
    )
    items = client.get(
        "/api/results?year=2018-19&assessment=G3-READ&limit=2&offset=1",
        headers=bearer(evidence_world.personas["principal_b1"]),
    ).json()["items"]
    by_group = {i["group"]: i for i in items}
    assert set(by_group) == {"female", "male"}  # the page holds the two groups, not the total
    assert (
        by_group["female"]["pct_at_standard"] is None
        and by_group["female"]["suppression_reason"] == "small"
    )
    assert (
        by_group["male"]["pct_at_standard"] is None
        and by_group["male"]["suppression_reason"] == "complementary"
    )
    assert all(i["participating"] is None for i in items)


def test_results_are_filtered_by_board_year_assessment_and_group(client, evidence_world) -> None:
    results_for(evidence_world.school_a2, "2018-19", [55, 56, 57, 58, 59, 61], group="female")
    headers = bearer(evidence_world.personas["ministry"])

    def listed(query: str) -> list[tuple[str, str, str, str, float]]:
        body = client.get(f"/api/results?{query}", headers=headers).json()
        return [
            (
                i["school_number"],
                i["school_year"],
                i["assessment"],
                i["group"],
                i["pct_at_standard"],
            )
            for i in body["items"]
        ]

    assert listed("board=B66002&year=2018-19&assessment=G6-MATH") == [
        ("700003", "2018-19", "G6-MATH", "all", 60.0)
    ]
    assert listed("board=B66001&assessment=G3-WRITE&group=female") == [
        ("700002", "2018-19", "G3-WRITE", "female", 56.0)
    ]
    # Ordered by school, year and the assessments' order (G3 reading first), never by id.
    assert [row[1:3] for row in listed("school=700001")][:7] == [
        ("2017-18", code)
        for code in ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")
    ] + [("2018-19", "G3-READ")]


def test_a_year_not_written_as_a_school_year_is_refused_with_422(client, evidence_world) -> None:
    headers = bearer(evidence_world.personas["ministry"])

    assert client.get("/api/results?year=2018-2019", headers=headers).status_code == 422
    assert client.get("/api/identification?year=18-19", headers=headers).status_code == 422


def test_identification_is_refused_to_a_facilitator_who_sees_no_school(
    client, evidence_world
) -> None:
    response = client.get(
        "/api/identification?year=2018-19", headers=bearer(evidence_world.personas["facilitator"])
    )

    assert response.status_code == 403 and "700001" not in response.content.decode()


def test_identification_before_any_import_is_not_found_and_says_why(client, world) -> None:
    response = client.get("/api/identification", headers=bearer(world.personas["ministry"]))

    assert (
        response.status_code == 404
        and "No results have been imported." in response.json()["detail"]
    )


def test_the_newest_year_is_the_default_and_a_school_role_gets_its_own_counts(
    client, evidence_world
) -> None:
    body = client.get(
        "/api/identification", headers=bearer(evidence_world.personas["principal_a1"])
    ).json()

    assert body["year"] == "2018-19"
    assert body["counts"] == {"identified": 1, "insufficient_data": 0, "scope": "yours"}


def test_the_policies_are_listed_with_the_default_marked_and_an_unknown_one_is_404(
    client, evidence_world
) -> None:
    headers = bearer(evidence_world.personas["teacher_a1"])

    listed = client.get("/api/policies", headers=headers).json()
    missing = client.get("/api/policies/ofip-2099", headers=headers)

    assert sorted((p["name"], p["is_default"]) for p in listed) == [
        ("capacity-ofip-2026", False),
        ("ofip-2016", True),
        ("reading-2008", False),
    ]
    assert missing.status_code == 404 and "No policy named 'ofip-2099'." in missing.json()["detail"]
