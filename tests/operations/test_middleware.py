"""A request id on every request: taken from a safe X-Request-ID or made, sent back, and on every log line."""

from __future__ import annotations

import logging
import uuid

import pytest

from capacity.operations.heartbeat import Heartbeat
from capacity.operations.middleware import request_id_from

pytestmark = pytest.mark.django_db


def is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def test_each_request_gets_a_new_id_when_it_brings_none(client) -> None:
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert is_uuid(first) and is_uuid(second) and first != second


@pytest.mark.parametrize(
    "incoming", ["3f2a9c1e-77b0-4c1e-9a55-0d6b1f3e2a10", "lb-7:42.abc_DEF", "a", "x" * 64]
)
def test_a_safe_incoming_id_is_kept(client, incoming) -> None:
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "x" * 65,
        "two words",
        "forged\nINFO capacity.request admin signed in",
        "<script>alert(1)</script>",
        "naïve",
        'quote"d',
        "semi;colon",
    ],
)
def test_an_unsafe_incoming_id_is_replaced(client, json_log, incoming) -> None:
    answered = client.get("/accounts/login/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert is_uuid(answered) and answered != incoming
    lines = json_log()
    assert lines and all(line["request_id"] == answered for line in lines)
    if incoming:
        assert all(incoming not in str(line) for line in lines)


def test_the_id_is_made_only_of_safe_characters() -> None:
    assert request_id_from(None) != request_id_from(None)
    assert request_id_from("ok-id") == "ok-id"
    assert is_uuid(request_id_from("bad id"))


def test_every_line_written_in_a_request_carries_its_id_in_json(client, json_log) -> None:
    response = client.get("/no-such-page/?q=Jane+Doe", HTTP_X_REQUEST_ID="trace-404")
    assert (response.status_code, response["X-Request-ID"]) == (404, "trace-404")
    lines = json_log()
    # Django's own "Not Found" warning and the access line.
    assert {line["logger"] for line in lines} == {"django.request", "capacity.request"}
    for line in lines:
        assert (line["request_id"], line["method"], line["path"]) == (
            "trace-404",
            "GET",
            "/no-such-page/",
        )
        assert "Jane" not in str(line)  # the query string is never logged
    access = next(line for line in lines if line["logger"] == "capacity.request")
    assert access["level"] == "INFO" and access["status"] == 404
    assert access["message"] == f"GET /no-such-page/ 404 {access['duration_ms']:.1f} ms"
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0
    assert access["time"].endswith("Z") and "T" in access["time"]


def test_a_line_after_the_request_has_no_request(client, json_log) -> None:
    client.get("/accounts/login/")
    logging.getLogger("capacity.test").warning("between requests")
    after = json_log()[-1]
    assert after["message"] == "between requests"
    assert (after["request_id"], after["path"], after["user_id"]) == (None, None, None)


def test_the_access_line_names_the_signed_in_person_by_id_only(client, world, json_log) -> None:
    person = world.personas["principal_a1"]
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200
    access = [line for line in json_log() if line["logger"] == "capacity.request"]
    assert len(access) == 1
    assert access[0]["user_id"] == person.pk and access[0]["status"] == 200
    text = str(access)
    assert person.username not in text and person.email not in text


def test_an_anonymous_request_has_no_user_id(client, json_log) -> None:
    client.get("/accounts/login/")
    assert json_log()[-1]["user_id"] is None


def test_a_survey_links_token_never_reaches_a_line(client, json_log) -> None:
    token = "Zq7secret-token-of-one-invitation"
    assert client.get(f"/surveys/link/{token}/").status_code == 404
    lines = json_log()
    assert len(lines) == 2  # Django's "Not Found" and the access line
    assert all(token not in str(line) for line in lines)
    assert {line["path"] for line in lines} == {"/surveys/link/*/"}
    assert "Not Found: /surveys/link/*/" in {line["message"] for line in lines}


def test_a_passing_health_check_is_logged_at_debug_and_a_failing_one_at_info(
    client, json_log
) -> None:
    failing = client.get("/healthz", HTTP_X_REQUEST_ID="probe-1")
    Heartbeat().start(thread=False)
    passing = client.get("/healthz", HTTP_X_REQUEST_ID="probe-2")
    assert (failing.status_code, passing.status_code) == (503, 200)
    assert passing["X-Request-ID"] == "probe-2"
    access = {
        line["request_id"]: line for line in json_log() if line["logger"] == "capacity.request"
    }
    assert (access["probe-1"]["level"], access["probe-1"]["status"]) == ("INFO", 503)
    assert (access["probe-2"]["level"], access["probe-2"]["status"]) == ("DEBUG", 200)


def test_text_lines_carry_the_id_in_brackets(client, text_log) -> None:
    request_id = client.get("/accounts/login/")["X-Request-ID"]
    logging.getLogger("capacity.test").warning("outside")
    lines = text_log().splitlines()
    assert f"INFO capacity.request [{request_id}] GET /accounts/login/ 200 " in lines[0]
    assert lines[-1].endswith("WARNING capacity.test [-] outside")
