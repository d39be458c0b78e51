"""What the navigation shows depends on what the person may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from capacity.directory import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "boards": access.can_browse_boards(user),
            "schools": access.can_browse_schools(user),
            "networks": access.networks_for(user).exists(),
            "rounds": access.may_take_part_in_rounds(user),
            "audit": access.can_view_audit_log(user),
            "evidence": access.can_view_province_evidence(user),
            "plans": access.can_browse_schools(user),
            "admin": user.is_staff,
            # Anyone signed in may be invited to a survey, and may read the instruments.
            "surveys": True,
        }
    }
