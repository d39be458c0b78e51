"""Parts of pages kept between requests, under a key that names everything they depend on.

A page's costly part (a province table, a person's home sections, the plans
dashboard) is computed or rendered once and then read back, in this process's
memory first and the shared cache second. The caller's `version` names the data
the part was made from (the evidence data version, the planning stamp, the
reader, the day, the page's query): when any of it changes the key changes, so
an entry is never stale and nothing has to be deleted. Old entries age out of the
shared cache (its MAX_ENTRIES) and out of the memory here (least recently used).

Only what is the same for everyone the key names may be kept: never a CSRF token,
a flash message or the unread count, which the page renders around the part.
The language is part of every key. This module imports no app, so every app may
use it.

A part made while an analysis it reads was the previous version's answer (the
evidence app serves one while the new one is being computed: `note_stale`) is
handed to its caller but not kept, so the key of the new version never holds
old figures.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")
SECONDS = 24 * 3600
MEMO_ENTRIES = 128

_MEMO: OrderedDict[str, tuple[Any]] = OrderedDict()
_LOCK = threading.Lock()
# How many answers of a previous data version this thread of work has been handed.
_STALE: ContextVar[int] = ContextVar("capacity_stale_answers", default=0)


def note_stale() -> None:
    """Say that the work in progress read a previous version's answer: what it makes is not kept."""
    _STALE.set(_STALE.get() + 1)


def stale_count() -> int:
    """How many previous versions' answers this thread of work has read (compare before and after)."""
    return _STALE.get()


# When the current request began (set as each request starts; unset in the worker and commands).
_REQUEST_BEGAN: ContextVar[float | None] = ContextVar("capacity_request_began", default=None)


def request_began(**_kwargs: object) -> None:
    """Note when a request began (connected to `request_started` in EvidenceConfig.ready)."""
    _REQUEST_BEGAN.set(time.monotonic())


def request_ended(**_kwargs: object) -> None:
    """Forget it when the request ends (`request_finished`): later work on the thread is no request."""
    _REQUEST_BEGAN.set(None)


def request_seconds() -> float | None:
    """How long the current request has run; None outside a request."""
    began = _REQUEST_BEGAN.get()
    return None if began is None else time.monotonic() - began


def key(name: str, version: Iterable[object]) -> str:
    """The cache key of part `name` made from `version`, in the active language."""
    raw = "\x1f".join(str(part) for part in (get_language(), *version))
    digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()
    return f"part:{name}:{digest}"


def kept(name: str, version: Iterable[object], compute: Callable[[], T]) -> T:
    """`compute()` once per `version` (and language); later calls read it back.

    The value must pickle (it goes to the shared cache) and is handed to every
    request of this process alike, so callers treat it as read-only.
    """
    full_key = key(name, version)
    with _LOCK:
        boxed = _MEMO.get(full_key)
        if boxed is not None:
            _MEMO.move_to_end(full_key)
            return boxed[0]
    boxed = cache.get(full_key)  # boxed so that None and empty answers are kept too
    if boxed is None:
        before = stale_count()
        boxed = (compute(),)
        if stale_count() != before:
            return boxed[0]  # made from a previous version's answer: not kept under this one
        cache.set(full_key, boxed, SECONDS)
    with _LOCK:
        _MEMO[full_key] = boxed
        while len(_MEMO) > MEMO_ENTRIES:
            _MEMO.popitem(last=False)
    return boxed[0]


def rendered(
    name: str, version: Iterable[object], template: str, context: Callable[[], dict[str, Any]]
) -> SafeString:
    """`template` rendered with `context()` once per `version`, as HTML to place in a page.

    It is rendered without the request, so no context processor runs: the part
    cannot pick up a CSRF token, a message or anything else about the session.
    """
    html = kept(name, version, lambda: str(render_to_string(template, context())))
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered


def rendered_parts(
    name: str,
    version: Iterable[object],
    templates: dict[str, str],
    context: Callable[[], dict[str, Any]],
) -> dict[str, SafeString]:
    """Several templates rendered with one `context()` once per `version`, kept as one entry.

    For a page whose kept parts sit between parts read afresh (a school's evidence
    page: its status, then the person's decisions, then its results): {part: HTML},
    with the keys of `templates`. Rendered without the request, as `rendered` is.
    """

    def compute() -> dict[str, str]:
        values = context()
        return {part: str(render_to_string(path, values)) for part, path in templates.items()}

    html = kept(name, version, compute)
    # Our own templates' output, escaped when it was rendered.
    return {part: mark_safe(text) for part, text in html.items()}  # noqa: S308


def forget() -> None:
    """Empty this process's memory of parts (tests, after clearing the shared cache)."""
    with _LOCK:
        _MEMO.clear()
