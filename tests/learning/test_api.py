"""The library API: published items for any signed-in caller, filtered and paged; never a draft."""

from __future__ import annotations

import pytest

from capacity.directory.services import api_token_create
from capacity.learning import services
from capacity.learning.services import load_shipped

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="learning api tests")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def library(db) -> None:
    load_shipped()


def _draft(world):
    return services.case_draft_create(
        user=world.personas["board_a"],
        board=world.board_a,
        facts={"year": 2019, "characteristics": ["evidence"], "contexts": ["networks"]},
        texts={"en": {"title": "Alpha draft", "summary": "", "sections": [""] * 7}},
    )


def test_it_lists_published_items_with_a_token(client, world, library) -> None:
    _draft(world)
    response = client.get("/api/learning/items", headers=bearer(world.personas["teacher_a1"]))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 20
    slugs = [row["slug"] for row in data["items"]]
    assert slugs[:3] == ["shared-mission", "coherent-instruction", "using-evidence"]
    assert slugs[8] == "bellevue-community-partnerships"  # modules by number, then case studies
    assert "alpha-draft" not in slugs
    first = data["items"][0]
    assert first["kind"] == "module" and first["number"] == 1 and first["version"] == 1
    assert first["titles"]["fr"] and first["languages"] == ["en", "fr"]


def test_it_filters_like_the_library_page(client, world, library) -> None:
    client.force_login(world.personas["teacher_a1"])
    data = client.get(
        "/api/learning/items",
        {"kind": "case", "context": "mentoring", "board_type": "french-catholic"},
    ).json()
    assert [row["slug"] for row in data["items"]] == ["grand-lac-mentoring-catholique"]
    assert data["items"][0]["board_type"] == "french-catholic"
    modules = client.get("/api/learning/items", {"kind": "module", "limit": 3}).json()
    assert modules["count"] == 8 and len(modules["items"]) == 3


def test_it_refuses_a_filter_value_it_does_not_know(client, world, library) -> None:
    client.force_login(world.personas["teacher_a1"])
    response = client.get("/api/learning/items", {"characteristic": "nonsense"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "characteristic"]


def test_one_item_has_its_facts_and_texts_per_language(client, world, library) -> None:
    client.force_login(world.personas["facilitator"])
    data = client.get("/api/learning/items/shared-mission").json()
    assert data["version"] == 1 and data["published_at"]
    assert data["facts"]["self_assessment"] == "strong-districts"
    assert {t["language"] for t in data["texts"]} == {"en", "fr"}
    english = next(t for t in data["texts"] if t["language"] == "en")
    assert [s["heading"] for s in english["sections"]] == [
        "Description",
        "Research summary",
        "Overview",
        "Guiding questions",
        "Synopsis",
    ]
    assert sum(segment["minutes"] for segment in english["agenda"]) == 175


def test_a_draft_is_a_404_even_to_its_author(client, world, library) -> None:
    item = _draft(world)
    client.force_login(world.personas["board_a"])
    response = client.get(f"/api/learning/items/{item.slug}")
    assert response.status_code == 404
    assert "No published item" in response.json()["detail"]


def test_it_answers_401_without_credentials(client, library) -> None:
    assert client.get("/api/learning/items").status_code == 401
    assert client.get("/api/learning/items/shared-mission").status_code == 401


def test_the_list_is_a_fixed_number_of_queries(
    client, world, library, django_assert_max_num_queries
) -> None:
    headers = bearer(world.personas["teacher_a1"])
    client.get("/api/learning/items", headers=headers)
    with django_assert_max_num_queries(8):
        client.get("/api/learning/items", headers=headers)
