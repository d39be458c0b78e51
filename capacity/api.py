"""The REST API (django-ninja): OpenAPI at /api/docs, schema at /api/openapi.json.

Every endpoint is scoped exactly like the pages: the access module decides what
the caller may read. Callers authenticate with their browser session or with a
token (`Authorization: Bearer cap_...`, made on the "API tokens" page or by
`capacity token create`). Every answer under /api/ is JSON, errors included
(`capacity.middleware` turns Django's own 404/405/500 pages into JSON there), and
the schema documents each operation's refusals (see `capacity.api_common`).
"""

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from capacity.api_common import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from capacity.directory.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


def _bearer_user(request: HttpRequest) -> Any:
    """The person behind a valid `Authorization: Bearer` token, or None."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return api_token_user(key.strip()) if scheme.lower() == "bearer" and key.strip() else None


def _docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the schema and its page to a signed-in person or a token holder.

    A token holder is who reads a schema by program, so a redirect to the sign-in
    page would be useless to them: the JSON schema answers 401 in JSON instead,
    and only the HTML page sends a person without credentials to sign in.
    """

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            user = _bearer_user(request)
            if user is not None:
                request.user = user
            elif request.path.endswith(".json"):
                return JsonResponse({"detail": "Unauthorized"}, status=401)
            else:
                return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


class ApiDocs(Swagger):
    """Swagger UI inside the site's own page (`api/docs.html`).

    django-ninja's page is a bare document: no language, no way back to the site.
    This one extends `base.html`, so it has `<html lang>` in the reader's language,
    the site's header with its skip link and navigation, and a main landmark; the
    Swagger UI assets are still the ones django-ninja ships (no CDN).
    """

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings),
            "openapi_url": reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs),
            "api": api,
            "add_csrf": True,  # django_auth (a session) is one of the API's authentications
        }
        return render(request, self.template, context)


api = NinjaAPI(
    title="Capacity API",
    version="1",
    description=(
        "Organisations, assessment results, identification, policies, plans, support requests, instruments, "
        "survey reports (aggregates only) and the learning library's published content, scoped to the caller. "
        "Authenticate with `Authorization: Bearer <token>` (tokens expire; see the API tokens page). "
        f"Lists are paged with `limit` (at most {MAX_PAGE_SIZE}, {DEFAULT_PAGE_SIZE} by default) and `offset`. "
        "Every error is JSON: "
        '`{"detail": "..."}`, or for 422 a list of the problems with where each is.'
    ),
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs=ApiDocs(),
    docs_decorator=_docs_access,
)


@api.exception_handler(PermissionError)
def _forbidden(request: HttpRequest, exc: PermissionError) -> Any:
    return api.create_response(
        request, {"detail": str(exc) or "Not in your part of the organisation."}, status=403
    )


def _routers() -> None:
    from capacity.directory.api import router as directory_router
    from capacity.evidence.api import router as evidence_router
    from capacity.instruments.api import router as instruments_router
    from capacity.learning.api import router as learning_router
    from capacity.planning.api import router as planning_router
    from capacity.rounds.api import router as rounds_router

    api.add_router("/", directory_router)
    api.add_router("/", evidence_router)
    api.add_router("/", planning_router)
    api.add_router("/", instruments_router)
    api.add_router("/", learning_router)
    api.add_router("/", rounds_router)


_routers()

__all__ = ["api", "HttpError"]
