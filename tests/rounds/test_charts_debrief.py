"""The debrief's charts: levels lowest first with their table, the higher levels over visits,
and the level chart kept per counts and language (a move redraws nothing)."""

from __future__ import annotations

from django.utils import translation

from capacity.rounds import charts_debrief
from capacity.rounds.language import level_distribution


def test_the_levels_chart_lists_every_level_lowest_first_with_shares() -> None:
    chart = charts_debrief.levels_chart(
        level_distribution(["analysis", "knowledge", "knowledge", "evaluation"]), title="Tasks"
    )
    assert chart.svg.startswith('<svg role="img"')
    assert [row[0] for row in chart.rows] == [
        "Knowledge",
        "Comprehension",
        "Application",
        "Analysis",
        "Synthesis",
        "Evaluation",
    ]
    assert chart.rows[0] == ["Knowledge", 2, "50 %"]
    assert "4 tasks" in chart.description


def test_the_same_counts_are_drawn_once_per_language() -> None:
    levels = level_distribution(["analysis", "synthesis"])
    first = charts_debrief.levels_chart(levels, title="Once")
    assert charts_debrief.levels_chart(levels, title="Once") is first
    with translation.override("fr"):
        assert charts_debrief.levels_chart(levels, title="Once") is not first


def test_the_higher_levels_line_needs_two_points() -> None:
    assert charts_debrief.higher_share_chart([("2018-10-03", 0.5, 4)], title="t") is None
    chart = charts_debrief.higher_share_chart(
        [("2018-10-03", 0.5, 4), ("2018-11-07", None, 0), ("2019-01-09", 0.25, 8)], title="t"
    )
    assert chart is not None
    assert chart.rows == [
        ["2018-10-03", "50 %", 4],
        ["2018-11-07", "—", 0],
        ["2019-01-09", "25 %", 8],
    ]
