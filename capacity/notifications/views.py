"""The inbox, marking messages read, the notification preferences, and the language switch that records the choice."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from capacity.directory.models import User
from capacity.notifications import selectors, services
from capacity.notifications.forms import PreferenceForm

PAGE_SIZE = 25


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.get_notification_for_user(user=request.user, pk=pk)
    services.notification_read(notification=message, user=request.user)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("Every message is marked read."))
    return redirect("inbox")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """GET shows the person's choices; POST records them."""
    person = cast(User, request.user)  # signed in: login_required
    current = selectors.preference_for(user=person)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"email": current.email, "language": current.language},
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(
            user=person, email=form.cleaned_data["email"], language=form.cleaned_data["language"]
        )
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "address": person.email},
        status=400 if form.is_bound else 200,
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a signed-in person it also becomes the language of their messages."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and check_for_language(language)
    ):
        services.preference_set(user=cast(User, request.user), language=language)
    return response
