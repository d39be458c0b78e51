"""The analytics docstring examples run as doctests, on small in-memory tables.

An example that no longer matches what the function does fails here, so the
docstrings stay true. Examples that show province-scale figures are marked
`+SKIP` in place and say so.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import capacity.evidence.analytics as analytics

MODULES = sorted(
    f"{analytics.__name__}.{info.name}" for info in pkgutil.iter_modules(analytics.__path__)
)


@pytest.mark.parametrize("name", MODULES)
def test_the_analytics_examples_give_what_they_say(name: str) -> None:
    module = importlib.import_module(name)
    outcome = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert outcome.failed == 0, (
        f"{outcome.failed} of {outcome.attempted} examples in {name} failed (output above)"
    )


def test_the_examples_cover_the_documented_functions() -> None:
    """At least the modules with examples run some (a typo in `>>>` would silently drop them)."""
    attempted = {
        name: doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS).attempted
        for name in MODULES
    }
    for name in ("examples", "gaps", "identification", "schema", "suppression", "trends"):
        assert attempted[f"{analytics.__name__}.{name}"] > 0, name
