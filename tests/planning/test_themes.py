"""The taxonomy (planning/themes.py): the seed's names, lessons under themes, suggestions from
context on hand-built contexts, the province's top-quarter lines and what counts as rising."""

from __future__ import annotations

import doctest

from django.utils import translation

from capacity.planning import themes
from capacity.planning.themes import (
    CIRCUMSTANCES,
    LESSONS,
    THEMES,
    rising,
    suggest_circumstances,
    themes_of,
    top_quarter_lines,
    unknown_lessons,
)


def test_the_doctests_hold() -> None:
    assert doctest.testmod(themes).failed == 0


def test_the_five_themes_and_seven_lessons_carry_the_seeds_names() -> None:
    assert [t.number for t in THEMES] == [1, 2, 3, 4, 5]
    assert str(THEMES[0].name) == "Building leadership for learning"
    assert [str(lesson.name) for lesson in LESSONS] == [
        "Ensure equity as the foundation for excellence",
        "Build leadership for learning",
        "Understand student learning needs",
        "Build relationships and work towards a collective goal",
        "Focus on effective literacy and mathematics programs",
        "Connect professional learning needs to student learning needs",
        "Monitor impact",
    ]


def test_every_lesson_sits_under_one_theme_and_every_theme_has_a_lesson() -> None:
    theme_codes = {t.code for t in THEMES}
    assert all(lesson.theme in theme_codes for lesson in LESSONS)
    assert {lesson.theme for lesson in LESSONS} == theme_codes
    assert themes_of(["monitor_impact", "equity", "learning_needs"]) == [
        "belief",
        "professional_learning",
    ]
    assert unknown_lessons(["equity", "poverty"]) == ["poverty"]


def test_the_three_circumstances_and_their_example_strategies() -> None:
    assert [str(c.name) for c in CIRCUMSTANCES] == [
        "Lack of resources",
        "Issues of social exclusion",
        "Lack of social capital",
    ]
    assert [len(c.strategies) for c in CIRCUMSTANCES] == [4, 3, 3]


def test_names_read_in_french() -> None:
    with translation.override("fr"):
        assert str(CIRCUMSTANCES[0].name) != "Lack of resources"
        assert str(LESSONS[6].name) != "Monitor impact"


LINES = {"pct_low_income": 20.0, "pct_new_to_canada": 8.0, "pct_parents_no_degree": 30.0}


def codes(context: dict[str, float | None]) -> list[str]:
    return [s.circumstance.code for s in suggest_circumstances(context, LINES)]


def test_a_low_income_school_is_suggested_resources_and_social_exclusion_with_why() -> None:
    found = suggest_circumstances({"pct_low_income": 32.5, "pct_new_to_canada": 2.0}, LINES)
    assert [s.circumstance.code for s in found] == ["resources", "social_exclusion"]
    reason = found[0].reasons[0]
    assert (reason.indicator, reason.value, reason.line) == ("pct_low_income", 32.5, 20.0)


def test_newcomers_alone_suggest_social_exclusion_and_parents_without_degrees_social_capital() -> (
    None
):
    assert codes({"pct_low_income": 5.0, "pct_new_to_canada": 12.0}) == ["social_exclusion"]
    assert codes({"pct_parents_no_degree": 30.0}) == ["social_capital"]


def test_a_school_below_every_line_or_with_unknown_shares_is_suggested_nothing() -> None:
    assert (
        codes({"pct_low_income": 19.9, "pct_new_to_canada": 7.9, "pct_parents_no_degree": 1.0})
        == []
    )
    assert codes({"pct_low_income": None, "pct_parents_no_degree": None}) == []
    assert suggest_circumstances({"pct_low_income": 90.0}, {}) == []


def test_top_quarter_lines_use_known_values_only() -> None:
    lines = top_quarter_lines(
        {"pct_low_income": [5, None, 10, 15, 20, 25, 30, 35, 40], "pct_gifted": [None, None]}
    )
    assert lines == {"pct_low_income": 30}


def test_a_lesson_rises_only_with_five_points_and_two_plans_more() -> None:
    assert [r.code for r in rising({"a": 2}, {"a": 4}, 20, 20)] == ["a"]  # 10% -> 20%
    assert rising({"a": 2}, {"a": 3}, 20, 20) == []  # one plan more is noise
    assert rising({"a": 10}, {"a": 12}, 20, 100) == []  # more plans, a smaller share
    assert rising({}, {"a": 2}, 0, 10)[0].share_before == 0.0
    assert rising({"a": 1}, {}, 10, 0) == []
