"""Every answer carries the site-only Content-Security-Policy; signed-in and API answers are never stored."""

from __future__ import annotations

from capacity.directory.services import api_token_create
from capacity.planning import services as planning


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


def test_pages_allow_only_the_site_itself(client, world) -> None:
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "script-src 'self'" in policy
        and "style-src 'self'" in policy
    )
    assert (
        "unsafe-inline" not in policy
        and "unsafe-eval" not in policy
        and "frame-ancestors 'none'" in policy
    )


def test_signed_in_pages_exports_and_pdfs_are_not_stored(client, world) -> None:
    plan = planning.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )
    client.force_login(world.personas["principal_a1"])
    for path in (
        "/",
        "/schools/",
        f"/plans/{plan.pk}/",
        "/plans/export.csv",
        f"/plans/{plan.pk}/plan.pdf",
        "/account/tokens/",
        "/schools/999999/",
    ):
        response = client.get(path)
        assert no_store(response), (path, response.get("Cache-Control"))
        assert "Content-Security-Policy" in response


def test_api_answers_are_not_stored_whoever_asks(client, world) -> None:
    _, key = api_token_create(user=world.personas["teacher_a1"], name="headers")
    assert no_store(client.get("/api/boards", headers={"Authorization": f"Bearer {key}"}))
    assert no_store(client.get("/api/boards"))  # the 401 too
    assert no_store(client.get("/api/openapi.json", headers={"Authorization": f"Bearer {key}"}))
