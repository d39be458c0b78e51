"""Review: the rounds' JSON endpoints answer a bad body with 400, whatever its shape."""

from __future__ import annotations

import pytest

from tests.rounds.authz_visits import visit_a1

pytestmark = pytest.mark.django_db

# Small enough for the size limit, nested deeper than Python's parser recurses.
DEEP = b"[" * 200_000


def test_a_deeply_nested_body_is_refused_not_a_server_error(client, world) -> None:
    client.raise_request_exception = False
    client.force_login(world.personas["teacher_a1"])
    for url in ("/rounds/notes/check/", f"/rounds/visits/{visit_a1(world).pk}/notes/sync/"):
        response = client.post(url, DEEP, content_type="application/json")
        assert response.status_code == 400, url
        assert "JSON" in response.json()["detail"]


def test_the_api_refuses_a_deeply_nested_body_too(client, world) -> None:
    from capacity.directory.services import api_token_create

    _token, key = api_token_create(user=world.personas["teacher_a1"], name="phone")
    client.raise_request_exception = False
    response = client.post(
        f"/api/rounds/visits/{visit_a1(world).pk}/notes",
        DEEP,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert 400 <= response.status_code < 500
