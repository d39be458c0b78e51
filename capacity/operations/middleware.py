"""A request id on every request and in every log line written while it runs; one access line each.

The id is the caller's `X-Request-ID` when it is safe to repeat (1 to 64 letters,
digits, `.`, `_`, `-` or `:`; a proxy or load balancer in front usually sets one) and
a new UUID otherwise. The answer carries it back in `X-Request-ID`, so a person
reporting a problem, or the proxy's own log, can name the request, and the site's
logs find every line written for it.

The middleware goes first in MIDDLEWARE, so its line times the whole request and
even /healthz (answered by the next middleware) has an id. The access line goes
to the `capacity.request` logger at INFO: method, path, status, time in milliseconds
and the signed-in person's id (never a name or an address). A passing health check
is written at DEBUG only, as monitors ask every few seconds.

Paths are logged without their query string (a search can hold a name), and a
secret that is part of a path (a single-use survey link's token) is replaced by `*`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject, empty

from capacity.operations.logs import ACCESS_LOGGER, current_request

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# URL parameters that are credentials: their values never reach a log line.
SECRET_PARAMETERS = frozenset({"token"})
HEALTH_PATH = "/healthz"

access_log = logging.getLogger(ACCESS_LOGGER)


def request_id_from(header: str | None) -> str:
    """The caller's id if it is safe to repeat in a header and a log line, else a new one."""
    if header is not None and SAFE_ID.fullmatch(header):
        return header
    return str(uuid.uuid4())


class _Request:
    """What the log lines written during one request say about it (logs.RequestContext)."""

    def __init__(self, request: HttpRequest, request_id: str) -> None:
        self.request = request
        self.request_id = request_id
        self.method = request.method or ""
        self._path: str | None = None
        self._secrets: tuple[str, ...] = ()

    def path(self) -> str:
        if self._path is None:
            self._path, self._secrets = loggable_path(self.request)
        return self._path

    def secrets(self) -> tuple[str, ...]:
        self.path()
        return self._secrets

    def user_id(self) -> int | None:
        return signed_in_user_id(self.request)


def loggable_path(request: HttpRequest) -> tuple[str, tuple[str, ...]]:
    """The request's path with credentials in it replaced by `*`, and those credentials."""
    path = request.path
    if request.path_info == HEALTH_PATH:
        return path, ()
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return path, ()
    secrets = tuple(
        str(value) for name, value in match.kwargs.items() if name in SECRET_PARAMETERS and value
    )
    for secret in secrets:
        path = path.replace(secret, "*")
    return path, secrets


def signed_in_user_id(request: HttpRequest) -> int | None:
    """The signed-in person's id if the request already knows who it is (never a query to find out)."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and getattr(user, "_wrapped", empty) is empty:
        return None  # nothing read the session: asking now would cost a query
    return user.pk if user.is_authenticated else None


class RequestIdMiddleware:
    """Gives each request its id, returns it in X-Request-ID and writes the access line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        context = _Request(request, request_id_from(request.headers.get(HEADER)))
        # Set, not reset on the way out: Django logs a refused request ("Forbidden: ...")
        # after the middleware returned. The request_finished signal clears it (apps.py).
        current_request.set(context)
        response = self.get_response(request)
        response[HEADER] = context.request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        status = response.status_code
        quiet = request.path_info == HEALTH_PATH and status == 200
        access_log.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s %.1f ms",
            context.method,
            context.path(),
            status,
            duration_ms,
            extra={"status": status, "duration_ms": duration_ms},
        )
        return response
