"""The planning services' refusals as HTTP answers: the one place that turns them into 409 and
400, used by planning's API and its parts' (api_implementation, api_yearclose)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Status

from capacity.planning.services import Conflict


def service_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the planning services' exceptions into HTTP answers."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except Conflict as exc:
            return Status(409, {"detail": str(exc), "version": exc.plan.version})
        except ValidationError as exc:  # NotAllowed is a ValidationError
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            return Status(400, {"detail": " ".join(exc.messages), "errors": errors})
        except PermissionDenied as exc:
            raise PermissionError(str(exc)) from exc

    # The view's annotations are strings read in the view's module: give django-ninja the
    # signature with them evaluated there, since the wrapper lives in this module.
    wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    return wrapper
