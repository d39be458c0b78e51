"""The evidence charts: each comes with the table of the numbers it draws, and those numbers are right.

The words describing a board's weighting are tested in test_wording.py.
"""

from __future__ import annotations

import pytest

from capacity.directory.models import School
from capacity.evidence import charts, selectors
from capacity.evidence.selectors import GRADE_3_6
from tests.evidence.conftest import results_for

pytestmark = pytest.mark.django_db

A1 = [40, 42, 30, 45, 48, 70]  # evidence_world's A1, both years, 40 students each
A2 = [60, 50, 70, 80, 90, 100]


def test_the_province_chart_counts_per_year_what_the_rule_decides(evidence_world) -> None:
    chart = charts.identified_per_year(selectors.province_over_time(selectors.get_policy()))

    assert chart.columns == ["School year", "Identified", "Insufficient data", "Schools evaluated"]
    # 2017-18: A1 is under 50% on five, but a first year cannot make two in a row; B1 is well above.
    # 2018-19: A1's second year under 50% identifies it.
    assert chart.rows == [["2017-18", 0, 1, 2], ["2018-19", 1, 0, 2]]
    assert chart.svg.startswith('<svg role="img"')


def test_the_board_chart_table_weights_each_school_by_its_students(evidence_world) -> None:
    results_for(evidence_world.school_a2, "2018-19", A2, participating=20)
    selectors.forget_data_version()
    rollup = selectors.board_rollup(board=evidence_world.board_a)

    chart = charts.board_rollup_chart(evidence_world.board_a, rollup, selectors.assessment_names())

    assert chart is not None
    assert chart.columns[1:] == [selectors.assessment_names()[code] for code in GRADE_3_6]
    expected_2019 = [round((40 * a + 20 * b) / 60, 1) for a, b in zip(A1, A2, strict=True)]
    assert chart.rows == [["2017-18", *map(float, A1)], ["2018-19", *expected_2019]]
    assert expected_2019[0] == 46.7


def test_a_board_without_grade_3_6_figures_has_no_chart(evidence_world) -> None:
    rollup = [{"school_year": "2018-19", "assessment": "OSSLT", "pct_at_standard": 80.0}]
    hidden = [{"school_year": "2018-19", "assessment": "G3-READ", "pct_at_standard": None}]

    assert charts.board_rollup_chart(evidence_world.board_b, rollup, {}) is None
    assert charts.board_rollup_chart(evidence_world.board_b, hidden, {}) is None


def test_a_school_chart_needs_a_figure_and_names_the_school_safely(evidence_world) -> None:
    school = evidence_world.school_b1
    School.objects.filter(pk=school.pk).update(name='Birch "<Catholic>" School')
    school.refresh_from_db()
    policy = selectors.get_policy()

    chart = charts.school_results_chart(school, selectors.school_results(school=school), policy)
    nothing = charts.school_results_chart(school, [], policy)

    assert nothing is None and chart is not None
    assert chart.title == 'Birch "<Catholic>" School: results over time'
    # A name from an imported file cannot break out of the SVG's label.
    assert "&quot;&lt;Catholic&gt;&quot;" in chart.svg and "<Catholic>" not in chart.svg
    assert "threshold of 50%" in chart.description
