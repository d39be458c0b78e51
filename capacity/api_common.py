"""What every API endpoint shares: bounded paging, error answers and their schemas.

Kept apart from `capacity.api` so the routers can import it without importing
the API object that imports them.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Path, Schema
from ninja.pagination import LimitOffsetPagination

# The documented bounds of paging (README, "The API"). A page bigger than this is
# refused with 422 instead of loading a whole province into one answer, and an
# offset stays far below the databases' 64-bit limit.
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_OFFSET = 1_000_000_000
# Ids are positive 64-bit integers in every supported database.
MAX_ID = 2**63 - 1

PositiveId = Annotated[int, Field(ge=1, le=MAX_ID, description="A positive id")]

# Text the databases can store: PostgreSQL refuses NUL characters in text.
PLAIN_TEXT = r"^[^\x00]*$"
# Text with something in it besides spaces (the services strip before they check;
# the control characters \x1c-\x1f count as space to Python's strip).
SOME_TEXT = r"^[^\x00]*[^\s\x00\x1c-\x1f][^\x00]*$"


def id_in_path(description: str = "A positive id") -> Any:
    """A path parameter that is an id: positive and within 64 bits (a larger number overflowed into a 500)."""
    return Path(..., ge=1, le=MAX_ID, description=description)


class ErrorOut(Schema):
    """Every refusal other than a malformed request: 400, 401, 403, 404, 405 and 500."""

    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages by field, when a field is at fault"
    )


class ValidationIssue(Schema):
    type: str
    loc: list[str | int] = Field(description='Where the problem is, such as ["query", "limit"]')
    msg: str


class ValidationErrorOut(Schema):
    """422: the request does not fit this schema (a parameter or body field is missing or out of range)."""

    detail: list[ValidationIssue]


def answers(
    ok: Any, *refusals: int, status: int = 200, schemas: dict[int, Any] | None = None
) -> dict[int, Any]:
    """The responses an operation documents: its success, 401 and 422 always, and the refusals it gives.

    `schemas` names another body than `ErrorOut` for a refusal (planning's 409 carries the current version).
    """
    documented: dict[int, Any] = {status: ok, 401: ErrorOut, 422: ValidationErrorOut}
    for code in refusals:
        documented[code] = (schemas or {}).get(code, ErrorOut)
    return documented


class Paging(LimitOffsetPagination):
    """Limit/offset pages bounded by `MAX_PAGE_SIZE` and `MAX_OFFSET` (422 beyond them)."""

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"How many items to return (at most {MAX_PAGE_SIZE})",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)
