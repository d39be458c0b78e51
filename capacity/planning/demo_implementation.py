"""The demo's strategies' implementation status with dated evidence, and leading indicators rolled
up, built through the services.
"""

from __future__ import annotations


def build(*, seed: int) -> dict[str, int]:
    return {}
