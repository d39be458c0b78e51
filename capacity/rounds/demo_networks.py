"""The demo's networks (capacity/rounds/demo.py runs the parts in order)."""

from __future__ import annotations


def build(*, seed: int) -> dict[str, int]:
    return {}
