"""Against the other students on results counted from a student-level file: the counts are
exact, so the others' share is the share a plain count of the students outside the group gives."""

from __future__ import annotations

import pytest

from capacity.evidence import selectors_gaps
from capacity.evidence.demo_students import as_csv, students
from capacity.evidence.services_students import student_results_import


@pytest.fixture(autouse=True)
def _fresh_answers():
    from django.core.cache import cache

    from capacity.evidence.selectors import forget_cached, forget_data_version

    cache.clear()
    forget_cached()
    forget_data_version()


def test_the_others_share_is_the_students_outside_the_group(world) -> None:
    made = students(
        ["700001", "700002", "700003"],
        year="2018-19",
        assessments=("G3-READ", "G6-MATH"),
        per_school=90,
        seed=7,
    )
    report = student_results_import(data=as_csv(made), name="students.csv", actor_label="test")
    assert not report.problems
    rows = selectors_gaps.school_against_others(school=world.school_a1)
    compared = [r for r in rows if r["why_not"] == ""]
    assert {r["group"] for r in compared} >= {"ell", "female", "male"}
    for r in compared:
        others = [
            s
            for s in made
            if s.school == "700001"
            and s.assessment == r["assessment"]
            and s.level is not None
            and r["group"] not in s.groups
        ]
        at_standard = sum(1 for s in others if s.level >= 3)
        assert r["others_participating"] == len(others)
        assert r["others_pct"] == pytest.approx(100.0 * at_standard / len(others))
    # A group the gate hides has no comparison, whatever the file's counts.
    for r in rows:
        if r["pct_at_standard"] is None:
            assert r["others_pct"] is None
