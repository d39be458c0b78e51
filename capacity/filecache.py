"""The shared cache: Django's file cache, making room at most once a minute instead of on every write.

Django's FileBasedCache counts its entries before every `set` by listing the whole
directory (`_cull`). With Ontario's pages kept ahead (each school's chart and page
parts in two languages: about 20,000 files) that listing cost 50-90 ms, so every
write (a person's home sections after a change, the worker warming 20,000 entries)
paid it. Here a process counts at most once every CULL_SECONDS; between counts the
directory may pass MAX_ENTRIES by what was written meanwhile, and the next count
culls as Django does (a third of the entries, at random). Reads are unchanged.
"""

from __future__ import annotations

import threading
import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_SECONDS = 60.0

_next_cull = 0.0
_lock = threading.Lock()


class FileCache(FileBasedCache):
    """FileBasedCache whose writes count the directory at most once every CULL_SECONDS."""

    def _cull(self) -> None:
        global _next_cull
        with _lock:
            now = time.monotonic()
            if now < _next_cull:
                return
            _next_cull = now + CULL_SECONDS
        super()._cull()  # type: ignore[misc]  # private in django-stubs


def cull_now() -> None:
    """Let the next write count the directory (tests)."""
    global _next_cull
    with _lock:
        _next_cull = 0.0
