"""The download rows of a list of schools that beat the odds (capacity/evidence/exports_partners.py),
on plain values."""

from __future__ import annotations

from django.utils import translation

from capacity.evidence.analytics.existence import SchoolRecord, StableSchool, YearStanding
from capacity.evidence.exports_partners import stable_header, stable_rows

YEARS = ("2021-22", "2018-19")


def stable() -> StableSchool:
    school = SchoolRecord(
        "810003",
        "=P3 School",
        "B66003",
        "Conseil scolaire Gamma",
        language="fr",
        context={"pct_low_income": 30.04, "pct_language_learners": None},
    )
    beat = (YearStanding("2021-22", 60.04, 50.0, 5.0),)
    return StableSchool(school, YEARS, beat, beat, ("2018-19",))


def test_a_row_has_context_each_year_oldest_first_and_the_years_beaten():
    header = stable_header(YEARS)
    (row,) = stable_rows([stable()], YEARS)
    assert header[9:13] == [
        "2018-19: actual (%)",
        "2018-19: predicted (%)",
        "2021-22: actual (%)",
        "2021-22: predicted (%)",
    ]
    assert row[:5] == ["810003", "=P3 School", "B66003", "Conseil scolaire Gamma", "French"]
    assert row[5:9] == [30.0, None, None, None]
    assert row[9:13] == [None, None, 60.0, 50.0]
    assert row[13:] == [1, "2021-22 (+10.0 points)"]
    assert len(row) == len(header)


def test_the_words_follow_the_language():
    with translation.override("fr"):
        (row,) = stable_rows([stable()], YEARS)
        assert row[4] == "Français"
        assert row[-1] == "2021-22 (+10,0 points)"
        assert stable_header(YEARS)[0] != "School number"
