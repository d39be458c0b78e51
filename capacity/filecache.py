"""The shared cache: Django's file cache, making room at most once a minute instead of on every write.

Django's FileBasedCache counts its entries before every `set` by listing the whole
directory (`_cull`). With Ontario's pages kept ahead (each school's chart and page
parts in two languages: about 20,000 files) that listing cost 50-90 ms, so every
write (a person's home sections after a change, the worker warming 20,000 entries)
paid it. Here a process counts at most once every CULL_SECONDS; between counts the
directory may pass MAX_ENTRIES by what was written meanwhile, and the next count
culls as Django does (a third of the entries, at random). Reads are unchanged.

`add` is atomic across processes (Django's checks, then writes): the evidence
analyses use it as a lock, so that one process computes a missing answer while
the others wait for it or read the previous one (capacity/evidence/selectors.py).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
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

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        """Write `value` only if no live entry has `key`: True when this call wrote it.

        The entry is written to a file of its own and linked into place, which fails
        when the name exists, so of processes adding the same key at once one wins.
        (An expired entry is removed by `has_key` first; two processes that both find
        the same entry expired may both replace it, as with Django's own `add`.)
        """
        if self.has_key(key, version):
            return False
        self._createdir()  # type: ignore[attr-defined]  # private in django-stubs
        name = self._key_to_file(key, version)  # type: ignore[attr-defined]
        descriptor, written = tempfile.mkstemp(dir=self._dir)  # type: ignore[attr-defined]
        try:
            with open(descriptor, "wb") as file:
                self._write_content(file, timeout, value)  # type: ignore[attr-defined]
            try:
                os.link(written, name)
            except FileExistsError:
                if self.has_key(key, version):
                    return False
                os.replace(written, name)  # it expired meanwhile
                written = ""
            return True
        finally:
            if written:
                os.remove(written)


def cull_now() -> None:
    """Let the next write count the directory (tests)."""
    global _next_cull
    with _lock:
        _next_cull = 0.0
