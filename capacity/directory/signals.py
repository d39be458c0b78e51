"""Sign-in, sign-out and failed sign-ins go to the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from capacity.audit.models import Action
from capacity.audit.services import audit_record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.SIGN_IN, actor=user, target=user.get_username(), request=request)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            action=Action.SIGN_OUT, actor=user, target=user.get_username(), request=request
        )


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))
    audit_record(
        action=Action.SIGN_IN_FAILED, actor_label=username, target=username, request=request
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    audit_record(
        action=Action.LOCKED_OUT, actor_label=username or "", target=username or "", request=request
    )
