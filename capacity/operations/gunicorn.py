"""gunicorn's configuration for `capacity serve --workers N` (`-c python:capacity.operations.gunicorn`).

gunicorn writes its own lines (workers booting, a worker timing out) in its own
format, and can write an access line per request. Here its lines go through the
same handler and format as Django's (capacity/operations/logs.py: CAPACITY_LOG_FORMAT,
LOG_LEVEL), and its access log is off: Capacity's request id middleware writes one
line per request itself, with the request id, to `capacity.request`.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger as _GunicornLogger

from capacity.env import env_bool, env_choice, env_str
from capacity.operations.logs import FORMATS, logging_config


class Logger(_GunicornLogger):
    """gunicorn's logger without its access line (capacity.request writes one per request)."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        return None


def _logconfig() -> dict[str, Any]:
    config = logging_config(
        format=env_choice("CAPACITY_LOG_FORMAT", "text", FORMATS),
        level=env_str("LOG_LEVEL", "WARNING"),
        access_log=env_bool("CAPACITY_ACCESS_LOG", True),
    )
    # gunicorn's own news (booting, workers started and stopped) at INFO, like its default.
    config["loggers"]["gunicorn.error"] = {"handlers": [], "level": "INFO", "propagate": True}
    config["loggers"]["gunicorn.access"] = {"handlers": [], "level": "WARNING", "propagate": False}
    return config


logger_class = Logger
logconfig_dict = _logconfig()
