"""Response headers every answer needs, and JSON errors under /api/.

* A Content-Security-Policy that lets pages load scripts, styles, images, fonts
  and connections from the site itself only (htmx and the API's documentation
  page are vendored; no template has inline scripts or style attributes).
* `Cache-Control: private, no-store` on every answer to a signed-in person and
  on every API answer: pages, exports, PDFs and JSON hold data of one part of
  the organisation, and a shared cache or the browser's history must not keep it.
* Under /api/ an error that Django itself answers (an unknown path, a method the
  path does not take, a server error) becomes `{"detail": ...}` JSON like the
  API's own errors, instead of the HTML page meant for people.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # data: images only: the API documentation's stylesheet draws its icons with them.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

API_PREFIX = "/api/"


class SecurityHeadersMiddleware:
    """Adds the CSP and no-store headers, and answers errors under /api/ in JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        api = request.path.startswith(API_PREFIX)
        if api and response.status_code >= 400 and not _is_json(response):
            response = _json_error(response)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if api or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


def _json_error(response: HttpResponse) -> HttpResponse:
    """The same status and headers with a JSON body naming the status."""
    try:
        reason = HTTPStatus(response.status_code).phrase
    except ValueError:
        reason = response.reason_phrase
    answer = HttpResponse(
        json.dumps({"detail": reason}), status=response.status_code, content_type="application/json"
    )
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if header in response:
            answer[header] = response[header]
    return answer
