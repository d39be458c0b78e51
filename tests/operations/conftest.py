from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from capacity.operations.logs import (
    ACCESS_LOGGER,
    JsonFormatter,
    RequestContextFilter,
    TextFormatter,
)


@contextlib.contextmanager
def _capture(formatter: logging.Formatter) -> Iterator[io.StringIO]:
    """Every log line, as the site's console handler writes it (its filter and formatter), into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestContextFilter())
    root, access = logging.getLogger(), logging.getLogger(ACCESS_LOGGER)
    access_level = access.level
    root.addHandler(handler)
    access.setLevel(logging.DEBUG)  # the access lines, passing health checks included
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        access.setLevel(access_level)


@pytest.fixture
def json_log() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The JSON lines written so far, each parsed (a line that is not one JSON object fails the test)."""
    with _capture(JsonFormatter()) as stream:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.fixture
def text_log() -> Iterator[Callable[[], str]]:
    with _capture(TextFormatter()) as stream:
        yield stream.getvalue
