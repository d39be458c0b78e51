"""The gaps tables as downloads, and the words the pages use for them."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import translation

from capacity.evidence import exports_gaps
from capacity.evidence.selectors_gaps import BoardContextYear, ContextGap, GapTrend, YearCell
from capacity.evidence.templatetags import gaps_tags
from tests.evidence.gaps_world import groups_a1


@pytest.fixture(autouse=True)
def _fresh_answers():
    from django.core.cache import cache

    from capacity.evidence.selectors import forget_cached, forget_data_version

    cache.clear()
    forget_cached()
    forget_data_version()


def test_the_others_table_holds_only_comparisons(world) -> None:
    groups_a1(world)
    header, rows = exports_gaps.school_table(world.school_a1, "others")
    assert header[:3] == ["School year", "Group", "Assessment"]
    assert all(row[7] is not None for row in rows)  # the gap
    first = rows[0]
    assert first[:2] == ["2017-18", "English language learners"]
    assert first[3:] == [40.0, 10, 80.0, 30, -40.0]
    assert not any(row[1] in ("Girls", "Boys") and row[0] == "2021-22" for row in rows)


def test_the_headers_follow_the_reader_s_language(world) -> None:
    groups_a1(world)
    with translation.override("fr"):
        header, _rows = exports_gaps.school_table(world.school_a1, "trends")
        assert header[0] == "Groupe"
        assert header[-1] == "Tendance"
        assert exports_gaps.file_stem("cohorts") == "cohortes"


def test_an_unknown_table_is_not_found(world) -> None:
    with pytest.raises(Http404):
        exports_gaps.school_table(world.school_a1, "nothing")
    with pytest.raises(Http404):
        exports_gaps.board_table(world.board_a, "nothing")


def test_a_negative_gap_stays_a_number_in_the_csv(client, world) -> None:
    groups_a1(world)
    client.force_login(world.personas["board_a"])
    text = client.get("/boards/B66001/evidence/gaps/others.csv").content.decode()
    assert ",-40.0" in text and "'-40.0" not in text


TREND = GapTrend(
    group="ell",
    assessment="G3-READ",
    cells=(YearCell("2017-18", -12.0, ""), YearCell("2023-24", -5.0, "")),
    direction="narrowing",
    first_year="2017-18",
    first_gap=-12.0,
    last_year="2023-24",
    last_gap=-5.0,
    change=-7.0,
)


def test_a_trend_in_words() -> None:
    assert (
        gaps_tags.trend_words(TREND) == "narrowing: from -12.0 points in 2017-18 to -5.0 in 2023-24"
    )
    with translation.override("fr"):
        assert gaps_tags.trend_words(TREND) == (
            "se resserre\u00a0: de -12,0 points en 2017-18 à -5,0 en 2023-24"
        )
    one = GapTrend(**{**TREND.__dict__, "direction": "one_year"})
    assert gaps_tags.trend_words(one) == "one year only (2023-24)"
    assert gaps_tags.year_note("no_tests") == "no tests (COVID-19)"


def test_the_context_gap_in_words() -> None:
    below = ContextGap(year="2021-22", actual=48.0, predicted=55.5, gap=-7.5, existence_proof=False)
    assert gaps_tags.context_words(below) == (
        "In 2021-22, 48.0% of students reached the standard on average across the Grade 3 and 6 "
        "assessments: 7.5 points below the 55.5% predicted for a school with its context."
    )
    board = BoardContextYear(year="2021-22", schools=8, mean_gap=2.25, above=5)
    assert (
        "8 schools with a prediction were on average 2.3 points above"
        in gaps_tags.board_context_words(board)
    )
    with translation.override("fr"):
        assert "48,0\u00a0%" in gaps_tags.context_words(below)
