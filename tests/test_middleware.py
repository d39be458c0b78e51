"""SecurityHeadersMiddleware on its own: which answers become JSON, which keep their headers, who gets no-store.

tests/test_security_headers.py checks the headers on real pages and API answers;
these call the middleware with answers a view could give, so each rule is seen alone.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from capacity.directory.models import User
from capacity.middleware import CONTENT_SECURITY_POLICY, SecurityHeadersMiddleware

factory = RequestFactory()


def answer(path: str, response: HttpResponse, user=None) -> HttpResponse:
    request = factory.get(path)
    if user is not None:
        request.user = user
    return SecurityHeadersMiddleware(lambda _request: response)(request)


def test_a_server_error_under_the_api_becomes_json_naming_the_status() -> None:
    got = answer("/api/plans", HttpResponse("<h1>Server Error (500)</h1>", status=500))
    assert got.status_code == 500 and got["Content-Type"] == "application/json"
    assert json.loads(got.content) == {"detail": "Internal Server Error"}


def test_it_keeps_the_headers_a_client_needs_to_try_again() -> None:
    original = HttpResponse("slow down", status=429)
    original["Retry-After"] = "30"
    original["WWW-Authenticate"] = 'Bearer realm="api"'
    original["X-Other"] = "dropped"
    got = answer("/api/boards", original)
    assert (got["Retry-After"], got["WWW-Authenticate"]) == ("30", 'Bearer realm="api"')
    assert "X-Other" not in got
    assert json.loads(got.content) == {"detail": "Too Many Requests"}


def test_a_status_python_does_not_name_keeps_its_reason_phrase() -> None:
    got = answer("/api/boards", HttpResponse("odd", status=499, reason="Client Closed Request"))
    assert json.loads(got.content) == {"detail": "Client Closed Request"}


def test_the_apis_own_json_errors_and_any_success_pass_through_unchanged() -> None:
    own = JsonResponse({"detail": "Not in your part of the organisation."}, status=403)
    assert answer("/api/plans/1", own) is own
    ok = HttpResponse("<p>fine</p>")
    assert answer("/api/docs", ok).content == b"<p>fine</p>"


def test_errors_outside_the_api_stay_pages_for_people() -> None:
    got = answer("/apiary/", HttpResponse("<h1>Not Found</h1>", status=404))
    assert got["Content-Type"].startswith("text/html") and got.content == b"<h1>Not Found</h1>"


@pytest.mark.parametrize(
    ("path", "signed_in", "stored"),
    [("/accounts/login/", False, True), ("/schools/", True, False), ("/api/boards", False, False)],
)
def test_only_anonymous_pages_may_be_stored(path, signed_in, stored) -> None:
    user = User(username="someone") if signed_in else AnonymousUser()
    got = answer(path, HttpResponse("x"), user=user)
    assert ("no-store" not in got.get("Cache-Control", "")) is stored
    assert got["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_a_view_may_set_a_stricter_policy_of_its_own() -> None:
    own = HttpResponse("x")
    own["Content-Security-Policy"] = "default-src 'none'"
    assert answer("/some/page/", own)["Content-Security-Policy"] == "default-src 'none'"
