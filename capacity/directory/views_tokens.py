"""The API tokens page: people see, make and revoke their own tokens; ministry officers see and revoke all."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from capacity.directory import selectors, services
from capacity.directory.models import ApiToken, User


def _page(
    request: HttpRequest,
    *,
    key: str = "",
    name: str = "",
    days: int | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    tokens = selectors.api_tokens_for(user=request.user)
    return render(
        request,
        "directory/api_tokens.html",
        {
            "tokens": tokens,
            "everyone": selectors.sees_every_api_token(request.user),
            "new_key": key,
            "name": name,
            "days": days or settings.CAPACITY_API_TOKEN_DAYS,
            "max_days": services.MAX_TOKEN_DAYS,
            "error": error,
        },
        status=status,
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """GET lists the tokens; POST makes one for the signed-in person and shows its key once."""
    if request.method != "POST":
        return _page(request)
    name = request.POST.get("name", "").strip()[:100]
    try:
        days = int(request.POST.get("days", settings.CAPACITY_API_TOKEN_DAYS))
    except ValueError:
        days = 0
    if not name or not 1 <= days <= services.MAX_TOKEN_DAYS:
        error = _("Give the token a name and a life of 1 to %(max)s days.") % {
            "max": services.MAX_TOKEN_DAYS
        }
        return _page(request, name=name, days=days or None, error=error, status=400)
    person = cast(User, request.user)  # signed in: login_required
    _token, key = services.api_token_create(
        user=person, name=name, days=days, actor=person, request=request
    )
    # Rendered, not redirected: the key is shown in this answer only and never kept in the session.
    return _page(request, key=key)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if not selectors.api_tokens_for(user=request.user).filter(pk=token.pk).exists():
        raise PermissionDenied
    services.api_token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("api_tokens")
