"""Scoring and confidential reporting (capacity/instruments/scoring.py), checked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capacity.instruments.definition import parse
from capacity.instruments.scoring import (
    COMPLEMENTARY,
    SMALL,
    Answered,
    cronbach_alpha,
    dimension_score,
    item_score,
    report,
)
from tests.instruments.test_definition import GOOD

TINY = parse(GOOD, "tiny.yaml")  # agreement 1-5, sum; item 1.2 reverse-scored
ONE = TINY.dimensions[0]


def test_a_reverse_scored_item_counts_min_plus_max_minus_the_answer() -> None:
    assert TINY.scale is not None
    normal, reverse = ONE.items
    assert [item_score(normal, v, TINY.scale) for v in (1, 3, 5)] == [1, 3, 5]
    assert [item_score(reverse, v, TINY.scale) for v in (1, 2, 3, 4, 5)] == [5, 4, 3, 2, 1]


def test_a_dimension_sums_its_items_with_the_reverse_one_turned_round() -> None:
    # 4 + (1 + 5 - 2) = 8, and 5 + (6 - 1) = 10: worked by hand.
    assert dimension_score(TINY, ONE, {"1.1": 4, "1.2": 2}) == 8
    assert dimension_score(TINY, ONE, {"1.1": 5, "1.2": 1}) == 10
    assert dimension_score(TINY, ONE, {"1.1": 5}) is None  # unanswered: no score


def test_a_report_of_three_gives_the_hand_worked_means_and_distribution() -> None:
    answered = [
        Answered({"1.1": 4, "1.2": 2}),
        Answered({"1.1": 5, "1.2": 1}),
        Answered({"1.1": 3, "1.2": 3}),
    ]
    found = report(TINY, answered, minimum=3)
    assert found.shown and found.respondents == 3
    assert found.dimensions[0].figure.mean == pytest.approx((8 + 10 + 6) / 3)
    reverse_row = found.items[1]
    assert reverse_row.figure.mean == pytest.approx((4 + 5 + 3) / 3)  # as scored
    assert reverse_row.distribution == ((1, 1), (2, 1), (3, 1), (4, 0), (5, 0))  # as answered


def test_below_the_minimum_no_figure_and_no_comment_is_shown() -> None:
    answered = [Answered({"1.1": 4, "1.2": 2}, comment="Our meetings are rushed")] * 2
    found = report(TINY, answered, minimum=3)
    assert not found.shown
    assert all(row.figure.mean is None and row.figure.reason == SMALL for row in found.dimensions)
    assert found.items == [] and found.comments == [] and found.comments_hidden


def test_comments_wait_for_more_respondents_than_figures_and_come_in_alphabetical_order() -> None:
    definition = parse(
        GOOD.replace(
            "scoring: sum", "scoring: sum\nreporting: {min_respondents: 3, min_text_respondents: 4}"
        ),
        "t",
    )
    answered = [
        Answered({"1.1": 3, "1.2": 3}, comment=text) for text in ("Zeal", "Art", "More time")
    ]
    found = report(definition, answered, minimum=3)
    assert found.shown and found.comments == [] and found.comments_hidden
    found = report(definition, [*answered, Answered({"1.1": 1, "1.2": 1})], minimum=3)
    assert found.comments == ["Art", "More time", "Zeal"]


def test_the_leaders_own_rating_is_never_in_a_figure_others_read() -> None:
    rated = parse(
        GOOD.replace(
            "respondents: [principal]", "respondents: [principal]\nraters: [self, others]"
        ),
        "t",
    )
    others = [Answered({"1.1": 3, "1.2": 3}, rater="others")] * 3
    own = Answered({"1.1": 5, "1.2": 1}, rater="self")
    with_own = report(rated, [*others, own], minimum=3)
    without = report(rated, others, minimum=3)
    assert with_own.respondents == 3
    assert with_own.dimensions[0].figure == without.dimensions[0].figure
    assert with_own.self_rating == {"one": 10.0}


def test_a_small_role_is_hidden_and_another_with_it() -> None:
    answered = [Answered({"1.1": 4, "1.2": 2}, role="teacher")] * 6
    answered += [Answered({"1.1": 2, "1.2": 4}, role="principal")] * 4
    answered += [Answered({"1.1": 5, "1.2": 1}, role="school_team")] * 2
    groups = dict(report(TINY, answered, minimum=3).dimensions[0].groups)
    assert groups["school_team"].mean is None and groups["school_team"].reason == SMALL
    # Total minus the shown groups would give the school team's figure: the next smallest goes too.
    assert groups["principal"].mean is None and groups["principal"].reason == COMPLEMENTARY
    assert groups["teacher"].mean == 8


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(1, 5)), min_size=1, max_size=40),
       st.integers(3, 6))  # fmt: skip
def test_no_shown_group_is_small_and_no_hidden_group_stands_alone(rows, minimum) -> None:
    answered = [Answered({"1.1": v, "1.2": v}, role=role) for role, v in rows]
    found = report(TINY, answered, minimum=minimum)
    if len(answered) < minimum:
        assert not found.shown and all(r.figure.mean is None for r in found.dimensions)
        return
    groups = found.dimensions[0].groups
    hidden = [figure for _role, figure in groups if figure.mean is None]
    assert all(figure.n >= minimum for _role, figure in groups if figure.mean is not None)
    assert len(hidden) != 1 or len(groups) == 1


def test_cronbachs_alpha_matches_the_formula_worked_by_hand() -> None:
    # Items' sample variances 1.6667, 1.5833, 1.6667 (sum 4.9167); totals 5, 8, 10, 14 vary by 14.25.
    # alpha = 3/2 x (1 - 4.9167 / 14.25) = 0.98246
    assert cronbach_alpha([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]]) == pytest.approx(
        0.982456, abs=1e-6
    )
    assert cronbach_alpha([[1, 1], [1, 1]]) is None  # totals do not vary
    assert cronbach_alpha([[1, 2]]) is None


def test_alpha_is_reported_from_ten_respondents() -> None:
    answered = [Answered({"1.1": v, "1.2": 6 - v}) for v in (1, 2, 3, 4, 5, 1, 2, 3, 4)]
    assert report(TINY, answered, minimum=3).dimensions[0].alpha is None
    found = report(TINY, [*answered, Answered({"1.1": 5, "1.2": 1})], minimum=3)
    assert found.dimensions[0].alpha == pytest.approx(1.0)  # the two items agree perfectly
