"""The instruments API: instruments for anyone signed in, rounds for those who run them, reports as aggregates only."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from capacity.directory.services import api_token_create
from capacity.instruments import selectors, services
from capacity.instruments.models import Instrument, Round
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="instruments api tests")
    return {"Authorization": f"Bearer {key}"}


def open_round(world, by: str, code: str = "strong-districts", **kwargs) -> Round:
    """A round opened by a persona: board A's unless `school` is given."""
    if "school" not in kwargs:
        kwargs["board"] = world.board_a
    return services.round_open(
        user=world.personas[by],
        instrument=Instrument.objects.get(code=code),
        opens_on=kwargs.pop("opens_on", TODAY),
        closes_on=TODAY + datetime.timedelta(days=10),
        **kwargs,
    )[0]


def keys_of(data) -> set[str]:
    """Every key at any depth of a JSON answer."""
    if isinstance(data, dict):
        return set(data) | {k for value in data.values() for k in keys_of(value)}
    if isinstance(data, list):
        return {k for value in data for k in keys_of(value)}
    return set()


def send(invitation, value: int = 3, comment: str = "", evidence: str = "") -> None:
    definition = selectors.definition_of_round(invitation.round)
    codes = [item.code for item in definition.items]
    services.response_save(
        invitation=invitation,
        answers=dict.fromkeys(codes, value),
        evidence=dict.fromkeys(codes, evidence) if evidence else None,
        comment=comment,
        submit=True,
    )


def test_any_signed_in_caller_lists_the_instruments_with_their_structure(client, world) -> None:
    assert client.get("/api/instruments").status_code == 401
    client.force_login(world.personas["teacher_a1"])
    listed = {row["code"]: row for row in client.get("/api/instruments").json()}
    assert (
        len(listed) == Instrument.objects.count() == 9
    )  # the sources' eight and the module evaluation
    capital = listed["professional-capital"]
    assert capital["name"]["fr"] and capital["scale"] == {"kind": "agreement", "min": 1, "max": 5}
    assert [d["items"] for d in capital["dimensions"]] == [15, 18, 18]
    assert capital["reverse_scored"] == 3
    effects = [d["effect_size"] for d in listed["leadership-domains"]["dimensions"]]
    assert effects == [0.42, 0.31, 0.42, 0.84, 0.27]


def test_it_answers_one_definition_and_404_for_an_unknown_code(client, world) -> None:
    headers = bearer(world.personas["principal_b1"])
    found = client.get("/api/instruments/strong-districts", headers=headers)
    assert found.status_code == 200
    stored = Instrument.objects.get(code="strong-districts").definition
    assert found.json() == json.loads(json.dumps(stored))
    assert sum(len(d["items"]) for d in found.json()["dimensions"]) == 28
    unknown = client.get("/api/instruments/no-such-thing", headers=headers)
    assert unknown.status_code == 404 and "no-such-thing" in unknown.json()["detail"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("ministry", {"board A", "school A1", "school B1"}),
        ("board_a", {"board A", "school A1"}),
        ("principal_a1", {"school A1"}),
        ("team_a1", {"school A1"}),
        ("principal_b1", {"school B1"}),
        ("trustee_a", set()),  # invited to board A's round, but does not run it
        ("teacher_a1", set()),
        ("facilitator", set()),
    ],
)
def test_each_persona_lists_only_the_rounds_they_run(client, world, persona, expected) -> None:
    names = {
        open_round(world, "board_a").pk: "board A",
        open_round(world, "principal_a1", "professional-capital", school=world.school_a1).pk: (
            "school A1"
        ),
        open_round(world, "principal_b1", "professional-capital", school=world.school_b1).pk: (
            "school B1"
        ),
    }
    client.force_login(world.personas[persona])
    page = client.get("/api/surveys").json()
    assert {names[row["id"]] for row in page["items"]} == expected
    assert page["count"] == len(expected)


def test_the_list_says_each_rounds_state_and_response_rate(client, world) -> None:
    running = open_round(world, "board_a")
    send(running.invitations.get(user=world.personas["trustee_a"]))
    later = open_round(world, "board_a", opens_on=TODAY + datetime.timedelta(days=3))
    over = open_round(world, "principal_a1", "professional-capital", school=world.school_a1)
    services.round_close(round_=over, user=world.personas["principal_a1"])
    client.force_login(world.personas["board_a"])
    rows = {row["id"]: row for row in client.get("/api/surveys").json()["items"]}
    assert rows[running.pk] == {
        "id": running.pk,
        "instrument": "strong-districts",
        "board": "B66001",
        "school": None,
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + datetime.timedelta(days=10)).isoformat(),
        "state": "open",
        "invited": 3,
        "submitted": 1,
    }
    assert rows[later.pk]["state"] == "scheduled"
    assert (rows[over.pk]["state"], rows[over.pk]["school"], rows[over.pk]["board"]) == (
        "closed",
        "700001",
        None,
    )
    assert (rows[over.pk]["invited"], rows[over.pk]["submitted"]) == (1, 0)


def test_a_page_of_rounds_costs_the_same_queries_however_many_rounds(client, world) -> None:
    client.force_login(world.personas["ministry"])
    open_round(world, "board_a")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/surveys").json()["count"] == 1
    for school in (world.school_a1, world.school_a2):
        open_round(world, "board_a", "professional-capital", school=school)
    with CaptureQueriesContext(connection) as three:
        assert client.get("/api/surveys").json()["count"] == 3
    assert len(three) == len(one)


def test_a_report_below_the_minimum_has_null_means_and_no_items(client, world) -> None:
    round_ = open_round(world, "board_a")
    for invitation in round_.invitations.all():
        send(invitation, 4)
    client.force_login(world.personas["board_a"])
    report = client.get(f"/api/surveys/{round_.pk}/report").json()
    assert (report["respondents"], report["minimum"], report["shown"]) == (3, 5, False)
    assert report["invited"] == 3
    assert len(report["dimensions"]) == 9
    for row in report["dimensions"]:
        assert row["mean"] is None and row["respondents"] is None
        assert row["hidden_because"] == "small" and row["roles"] == []
    assert report["items"] == []


def test_a_report_holds_aggregates_and_nothing_of_any_response(client, world) -> None:
    for n in range(4):
        MembershipFactory(
            user=UserFactory(username=f"named{n}", first_name="Named", last_name=f"Person{n}"),
            role="principal",
            school=world.school_a1,
        )
    round_ = open_round(world, "board_a")
    invitations = list(round_.invitations.select_related("user"))
    assert len(invitations) == 7  # the leader, the trustee and five principals
    for n, invitation in enumerate(invitations):
        send(invitation, 1 + n % 4, comment=f"Secret comment {n}", evidence=f"Private evidence {n}")
    client.force_login(world.personas["board_a"])
    answer = client.get(f"/api/surveys/{round_.pk}/report")
    assert answer.status_code == 200
    report = answer.json()
    assert report["shown"] and report["respondents"] == 7
    first = report["dimensions"][0]
    assert first["mean"] == pytest.approx(sum(1 + n % 4 for n in range(7)) / 7, abs=0.01)
    # Principals (5) are shown; the leader (1) and the trustee (1) are hidden.
    roles = {row["role"]: row for row in first["roles"]}
    assert roles["principal"]["mean"] is not None
    assert roles["board_leader"]["mean"] is None and roles["trustee"]["mean"] is None
    # A hidden group's size is hidden too: "1 trustee answered" would say who took part.
    assert roles["trustee"]["respondents"] is None and roles["principal"]["respondents"] == 5
    assert {k for item in report["items"] for k in item} == {
        "code",
        "dimension",
        "respondents",
        "mean",
        "reverse_scored",
        "distribution",
    }
    body = answer.content.decode()
    for private in ("Secret", "Private evidence", "Person", "named", "trustee_a", "board_a"):
        assert private not in body
    assert (
        keys_of(report) & {"answers", "comment", "comments", "evidence", "user", "token"} == set()
    )


def test_invited_people_read_the_report_once_the_round_closes(client, world) -> None:
    round_ = open_round(world, "board_a")
    url = f"/api/surveys/{round_.pk}/report"
    principal = bearer(world.personas["principal_a1"])
    refused = client.get(url, headers=principal)
    assert refused.status_code == 403 and refused.json()["detail"]
    assert client.get(url, headers=bearer(world.personas["principal_b1"])).status_code == 404
    services.round_close(round_=round_, user=world.personas["board_a"])
    assert client.get(url, headers=principal).status_code == 200
    assert client.get(url, headers=bearer(world.personas["teacher_a1"])).status_code == 404
    assert client.get("/api/surveys/999999/report", headers=principal).status_code == 404


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "offset=-1"])
def test_it_refuses_a_page_of_rounds_beyond_the_documented_bounds(client, world, query) -> None:
    client.force_login(world.personas["ministry"])
    refused = client.get(f"/api/surveys?{query}")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][0] == "query"


def test_the_schema_documents_the_refusals_of_the_instruments_api(client, world) -> None:
    client.force_login(world.personas["ministry"])
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"401", "422"} <= set(paths["/api/instruments"]["get"]["responses"])
    assert "404" in paths["/api/instruments/{code}"]["get"]["responses"]
    assert {"403", "404"} <= set(paths["/api/surveys/{round_id}/report"]["get"]["responses"])
    limit = next(p for p in paths["/api/surveys"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 1000
