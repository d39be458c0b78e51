"""The library's search page: words and filters in, published items out, best first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from capacity.learning import search
from capacity.learning.forms_search import SearchForm


@login_required
def learning_search(request: HttpRequest) -> HttpResponse:
    """Search; an empty query with filters lists the filtered items, nothing asked shows none."""
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    query = data.get("q", "")
    filters = {key: data.get(key, "") for key in ("characteristic", "context", "board_type")}
    asked = bool(query.strip() or any(filters.values()) or data.get("language"))
    hits = (
        search.search(
            query,
            language=data.get("language", ""),
            reader_language=(get_language() or "en")[:2],
            **filters,
        )
        if asked
        else []
    )
    return render(
        request,
        "learning/search.html",
        {"form": form, "query": query, "asked": asked, "hits": hits},
    )
