"""The tables `planning.selectors.pages_version` follows beyond its own, registered at start-up.

Later apps add the tables their home sections read (from their AppConfig.ready), so that
the sections kept under that version change when those tables do: counted tables (their
count and newest id) and columns whose latest value moves when a row changes in place.

Apart from the selectors so that registering imports nothing heavy: the selectors reach
the evidence's, which pull in pandas and Ibis, and every command (`capacity identify`
among them) would pay for that at start-up.
"""

from __future__ import annotations

from django.db.models import Model

COUNTED: list[type[Model]] = []
LATEST: list[tuple[type[Model], str]] = []


def follow(
    *, counted: tuple[type[Model], ...] = (), latest: tuple[tuple[type[Model], str], ...] = ()
) -> None:
    """Make `pages_version` change with these tables too (each registered once)."""
    for model in counted:
        if model not in COUNTED:
            COUNTED.append(model)
    for pair in latest:
        if pair not in LATEST:
            LATEST.append(pair)
