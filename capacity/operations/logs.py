"""Log lines as text or as JSON objects, each carrying the id of the request it was written in.

`logging_config` builds the `LOGGING` dictionary of capacity/settings.py and the one
gunicorn's own process uses (capacity/operations/gunicorn.py), so every line of a
running site, whichever process writes it, has one shape:

* `CAPACITY_LOG_FORMAT=text` (the default): `time level logger [request id] message`;
* `CAPACITY_LOG_FORMAT=json`: one JSON object a line, with `time` (ISO 8601, UTC),
  `level`, `logger`, `message`, `request_id`, `method`, `path`, `user_id` and, on the
  access line, `status` and `duration_ms`; `exception` holds the traceback when there is one.

The request's context lives in a context variable that the request id middleware
(capacity/operations/middleware.py) sets; a filter on the handler copies it onto every
record, whichever logger wrote it (Django's, a library's, Capacity's). This module
imports no Django: gunicorn's master process uses it before Django is set up.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
from typing import Any, Protocol

ACCESS_LOGGER = "capacity.request"
FORMATS = ("text", "json")

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_CONTEXT = ("request_id", "method", "path", "user_id")
_PLAIN = (str, int, float, bool, type(None))


class RequestContext(Protocol):
    """What a log line may say about the request it was written in (the middleware's `_Request`)."""

    request_id: str
    method: str

    def path(self) -> str:
        """The path, any credential in it replaced by `*` (a survey link's token)."""

    def secrets(self) -> tuple[str, ...]:
        """The credentials the path holds, which no line may repeat."""

    def user_id(self) -> int | None:
        """The signed-in person's id, if known without a query."""


current_request: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "capacity_request", default=None
)


def end_request(**_kwargs: Any) -> None:
    """Forget the request (Django's request_finished signal): later lines belong to no request."""
    current_request.set(None)


class RequestContextFilter(logging.Filter):
    """Puts the current request's id, method, path and user id on every record written in a request.

    Values a record already carries (the access line passes them in `extra`) are kept.
    A credential that is part of the path (a survey link's token) is taken out of the
    message too: Django's own lines ("Not Found: /surveys/link/...") quote the path.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_request.get()
        if context is None:
            return True
        if not hasattr(record, "request_id"):
            record.request_id = context.request_id
        if not hasattr(record, "method"):
            record.method = context.method
        if not hasattr(record, "path"):
            record.path = context.path()
        if not hasattr(record, "user_id"):
            record.user_id = context.user_id()
        secrets = context.secrets()
        if secrets:
            message = record.getMessage()
            for secret in secrets:
                message = message.replace(secret, "*")
            record.msg, record.args = message, None
        return True


def _utc_time(record: logging.LogRecord) -> str:
    moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: no line breaks inside it, whatever the message or traceback holds."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _utc_time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for name in _CONTEXT:
            entry[name] = getattr(record, name, None)
        for name, value in vars(record).items():
            # Plain values only: Django passes the request object itself (`request`), whose
            # text holds the query string and any token in the path.
            if name not in _STANDARD and name not in entry and isinstance(value, _PLAIN):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`2025-01-31 14:02:03,120 INFO capacity.request [id] GET /schools/ 200 12.3 ms`."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            defaults={"request_id": "-"},
        )


def logging_config(*, format: str, level: str, access_log: bool) -> dict[str, Any]:
    """The `logging.config.dictConfig` dictionary for a Capacity process.

    Everything goes through one handler on standard error, in `format`. Django's
    loggers follow `level` like the rest. With `access_log`, `capacity.request`
    writes one INFO line per request and the development server's own line per
    request (`django.server`) is left out; its errors stay.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown log format {format!r}: use one of {', '.join(FORMATS)}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "capacity.operations.logs.RequestContextFilter"}},
        "formatters": {
            "text": {"()": "capacity.operations.logs.TextFormatter"},
            "json": {"()": "capacity.operations.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": format,
                "filters": ["request"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's defaults give these their own handlers, which would print a second,
            # differently shaped line; here they go through the one handler above.
            "django": {"handlers": [], "level": "NOTSET", "propagate": True},
            "django.server": {
                "handlers": ["console"],
                "level": "ERROR" if access_log else "INFO",
                "propagate": False,
            },
            ACCESS_LOGGER: {"level": "INFO" if access_log else "WARNING"},
        },
    }
