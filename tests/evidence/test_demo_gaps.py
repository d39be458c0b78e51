"""The demo's gaps: its results carry groups with counts, so groups meet the other students."""

from __future__ import annotations

import time

import pytest

from capacity.directory.demo import DemoOptions, build_demo
from capacity.evidence import demo_gaps

pytestmark = pytest.mark.django_db


def test_the_demo_shows_comparisons_with_the_other_students_and_cohorts(db) -> None:
    from capacity.evidence.demo import build_demo_results

    build_demo(DemoOptions(seed=11, boards=2, schools=10, years=8))
    build_demo_results(seed=11, years=8)
    started = time.perf_counter()
    counts = demo_gaps.build(seed=11)
    assert time.perf_counter() - started < 10
    assert counts["gaps against the other students"] > 0
    assert counts["cohorts"] > 0
