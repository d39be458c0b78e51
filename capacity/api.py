"""The REST API (django-ninja): OpenAPI at /api/docs, schema at /api/openapi.json.

Every endpoint is scoped exactly like the pages: the access module decides what
the caller may read. Callers authenticate with their browser session or with a
token (`Authorization: Bearer cap_...`, made by `capacity token create`).
"""


from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from capacity.directory.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Capacity API",
    version="1",
    description="Organisations, assessment results, identification and policies, scoped to the caller.",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs_decorator=login_required,
)


@api.exception_handler(PermissionError)
def _forbidden(request: HttpRequest, exc: PermissionError) -> Any:
    return api.create_response(request, {"detail": str(exc) or "Not in your part of the organisation."}, status=403)


def _routers() -> None:
    from capacity.directory.api import router as directory_router
    from capacity.evidence.api import router as evidence_router
    from capacity.planning.api import router as planning_router

    api.add_router("/", directory_router)
    api.add_router("/", evidence_router)
    api.add_router("/", planning_router)


_routers()

__all__ = ["api", "HttpError"]
