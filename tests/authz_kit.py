"""What the two halves of the authorisation contract share: the personas' statuses and the rows'
helpers. tests/test_authorization.py and tests/test_authorization_writes.py hold the rows; the
rounds app keeps its own rows in tests/rounds/authz_*.py, which both tables read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client

from tests.conftest import PERSONAS

# persona order: anonymous, ministry, board_a, principal_a1, teacher_a1, facilitator, principal_b1, trustee_a,
# team_a1 (a school team member of A1)
A, M, BA, PA, TA, F, PB, TR, ST = PERSONAS

LOGIN = 302  # anonymous people are sent to sign in
ALL_SIGNED_IN = {A: LOGIN, M: 200, BA: 200, PA: 200, TA: 200, F: 200, PB: 200, TR: 200, ST: 200}
NOT_FOUND = {p: (LOGIN if p == A else 404) for p in PERSONAS}
POST_ONLY = {p: (LOGIN if p == A else 405) for p in PERSONAS}


def only(*allowed: str, anonymous: int = LOGIN) -> dict[str, int]:
    return {p: (anonymous if p == A else 200 if p in allowed else 403) for p in PERSONAS}


def read_api(*allowed: str) -> dict[str, int]:
    """API endpoints answer 401 to a caller without credentials, 403 outside the scope."""
    return {p: (401 if p == A else 200 if p in allowed else 403) for p in PERSONAS}


# --- writes ------------------------------------------------------------------------------

Send = Callable[[Client], Any]


@dataclass(frozen=True)
class Write:
    key: str  # "POST <url name>", as test_every_writing_view_has_a_row finds it
    label: str
    prepare: Callable[[Any], Send]  # builds what the request needs, returns the request to send
    statuses: dict[str, int]
    # False for sign-in, sign-out and the language switch: they change the session or a cookie
    # (the switch also records a signed-in person's language for their messages, and sends
    # anonymous people back where they were, not to sign in), so the database is not compared.
    stored: bool = True


def page(*allowed: str) -> dict[str, int]:
    """A form page: an accepted POST redirects (302), a refused one is 403."""
    return {p: (LOGIN if p == A else 302 if p in allowed else 403) for p in PERSONAS}


def write_api(ok: int, *allowed: str) -> dict[str, int]:
    """API endpoints answer 401 to a caller without credentials, 403 outside their rights."""
    return {p: (401 if p == A else ok if p in allowed else 403) for p in PERSONAS}


def post(
    path_of: Callable[[Any], str], data_of: Callable[[Any], dict[str, Any]] = lambda w: {}
) -> Callable[[Any], Send]:
    """A form POST; the path is built first, so the data may read what building it made."""

    def prepare(w: Any) -> Send:
        path = path_of(w)
        data = data_of(w)
        return lambda client: client.post(path, data)

    return prepare


def post_json(
    path_of: Callable[[Any], str], body_of: Callable[[Any], dict[str, Any]]
) -> Callable[[Any], Send]:
    def prepare(w: Any) -> Send:
        path = path_of(w)
        body = body_of(w)
        return lambda client: client.post(path, body, content_type="application/json")

    return prepare


def part_rows(kind: str) -> list[Any]:
    """Rows kept beside the code they test (`kind`: "READS" or "WRITES"): every
    tests/<folder>/authz_*.py, read by both tables. The rounds app and the parts of the
    focused-intervention loop (issue 13) keep theirs there, so parallel work never edits one file."""
    import importlib
    from pathlib import Path

    rows: list[Any] = []
    for path in sorted(Path(__file__).parent.glob("*/authz_*.py")):
        module = f"tests.{path.parent.name}.{path.stem}"
        rows += getattr(importlib.import_module(module), kind, [])
    return rows


def rounds_rows(kind: str) -> list[Any]:
    """The rounds app's rows only (tests/rounds/authz_*.py)."""
    import importlib
    from pathlib import Path

    rows: list[Any] = []
    for path in sorted((Path(__file__).parent / "rounds").glob("authz_*.py")):
        rows += getattr(importlib.import_module(f"tests.rounds.{path.stem}"), kind, [])
    return rows
