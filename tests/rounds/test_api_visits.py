"""The rounds' visits API: lists and reads scoped like the pages, notes without authors, and the
notes sync for a phone app with a token."""

from __future__ import annotations

import uuid

import pytest

from capacity.directory.services import api_token_create
from capacity.rounds.models import Note, VisitStage
from tests.rounds.authz_visits import note_a1, note_body, visit_a1, visit_net

pytestmark = pytest.mark.django_db


def bearer(world, persona: str) -> dict[str, str]:
    _token, key = api_token_create(user=world.personas[persona], name="phone")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_lists_the_visits_the_caller_reads_with_counts(client, world) -> None:
    note_a1(world)
    visit_net(world)
    client.force_login(world.personas["ministry"])
    answer = client.get("/api/rounds/visits").json()
    assert answer["count"] == 2
    by_school = {v["school_number"]: v for v in answer["items"]}
    assert by_school["700001"]["notes"] == 1 and by_school["700001"]["classrooms"] == 2
    assert by_school["700003"]["network_id"] == world.network.pk
    assert client.get("/api/rounds/visits?school=700003").json()["count"] == 1
    assert client.get("/api/rounds/visits?stage=debrief").json()["count"] == 0
    assert client.get("/api/rounds/visits?stage=nowhere").status_code == 422
    client.force_login(world.personas["principal_b1"])
    assert [v["school_number"] for v in client.get("/api/rounds/visits").json()["items"]] == [
        "700003"
    ]


def test_a_visit_comes_with_its_schedule_and_notes_never_their_authors(client, world) -> None:
    taken = note_a1(world)
    client.force_login(world.personas["board_a"])
    answer = client.get(f"/api/rounds/visits/{visit_a1(world).pk}").json()
    assert [c["grade"] for c in answer["schedule"]] == ["6", "5"]
    [note] = answer["notes_taken"]
    assert note["task"] == taken.task and "classroom" not in note
    assert "author" not in note and "client_id" not in note
    assert "teacher_a1" not in str(answer) and "Teacher A1" not in str(answer)
    assert client.get("/api/rounds/visits/999999").status_code == 404


def test_a_phone_app_sends_notes_with_a_token_once_each(client, world) -> None:
    visit = visit_a1(world)
    headers = bearer(world, "teacher_a1")
    body = note_body(str(uuid.uuid4()))
    url = f"/api/rounds/visits/{visit.pk}/notes"
    statuses = []
    for _ in range(2):
        response = client.post(url, body, content_type="application/json", **headers)
        assert response.status_code == 200
        statuses += [r["status"] for r in response.json()["results"]]
    assert statuses == ["created", "unchanged"]
    assert Note.objects.get().author == world.personas["teacher_a1"]


def test_the_sync_refuses_outsiders_and_oversized_requests(client, world) -> None:
    visit = visit_a1(world)
    url = f"/api/rounds/visits/{visit.pk}/notes"
    response = client.post(
        url, note_body(), content_type="application/json", **bearer(world, "principal_a1")
    )
    assert response.status_code == 403
    response = client.post(
        url,
        {"notes": note_body()["notes"] * 101},
        content_type="application/json",
        **bearer(world, "teacher_a1"),
    )
    assert response.status_code == 422
    assert not Note.objects.exists()


def test_a_done_visit_answers_each_note_with_its_reason(client, world) -> None:
    visit = visit_a1(world)
    visit.stage = VisitStage.DONE
    visit.save()
    response = client.post(
        f"/api/rounds/visits/{visit.pk}/notes",
        note_body(),
        content_type="application/json",
        **bearer(world, "team_a1"),
    )
    [result] = response.json()["results"]
    assert result["status"] == "refused" and result["errors"]["__all__"]


def test_without_credentials_the_api_answers_401(client, world) -> None:
    visit = visit_a1(world)
    assert client.get("/api/rounds/visits").status_code == 401
    assert client.get(f"/api/rounds/visits/{visit.pk}").status_code == 401
    response = client.post(
        f"/api/rounds/visits/{visit.pk}/notes", note_body(), content_type="application/json"
    )
    assert response.status_code == 401


def test_a_network_facilitator_reads_the_networks_visit_not_the_schools_others(
    client, world
) -> None:
    client.force_login(world.personas["facilitator"])
    assert client.get(f"/api/rounds/visits/{visit_net(world).pk}").status_code == 200
    assert client.get(f"/api/rounds/visits/{visit_a1(world).pk}").status_code == 403
    items = client.get("/api/rounds/visits").json()["items"]
    assert [v["network_id"] for v in items] == [world.network.pk]


def test_bad_notes_come_back_by_index_through_the_api(client, world) -> None:
    visit = visit_a1(world)
    body = {"notes": [note_body()["notes"][0], {**note_body()["notes"][0], "client_id": "nope"}]}
    response = client.post(
        f"/api/rounds/visits/{visit.pk}/notes",
        body,
        content_type="application/json",
        **bearer(world, "teacher_a1"),
    )
    results = response.json()["results"]
    assert [(r["index"], r["status"]) for r in results] == [(0, "created"), (1, "invalid")]
    assert "client_id" in results[1]["errors"]
