"""A small province with results, for the networks part's tests: the test world's three schools
and twelve elementary schools more across three boards, two school years of context and of
Grade 3 and 6 results (all students and English language learners).

* N1-N6 (two per board) are weak in mathematics: 15 points below their context's level on both
  mathematics assessments.
* X1 (board C) does 12 points better than its context predicts on everything, both years, in
  a context in the middle of N1-N6's: a school that beats the odds.
* The other schools are at their context's level.
* N1's ELL group has 6 students in 2018-19: its figure is hidden by the gate (too few).
"""

from __future__ import annotations

from capacity.directory.models import Board, School, SchoolContext
from capacity.evidence.models import Result
from capacity.evidence.services import assessments_ensure
from tests.factories import BoardFactory, SchoolFactory

YEARS = ("2017-18", "2018-19")
SHIFT = {"G3-READ": 5, "G3-WRITE": 0, "G3-MATH": -5, "G6-READ": 8, "G6-WRITE": 6, "G6-MATH": -12}
# number: (board key, low income, language learners, special education, no degree, effect)
SCHOOLS = {
    "800001": ("A", 30.0, 20.0, 18.0, 12.0, "weak"),  # N1
    "800002": ("A", 28.0, 24.0, 16.0, 10.0, "weak"),  # N2
    "800003": ("B", 32.0, 18.0, 20.0, 11.0, "weak"),  # N3
    "800004": ("B", 27.0, 22.0, 17.0, 13.0, "weak"),  # N4
    "800005": ("C", 31.0, 21.0, 19.0, 9.0, "weak"),  # N5
    "800006": ("C", 29.0, 19.0, 15.0, 12.0, "weak"),  # N6
    "800007": ("C", 29.5, 21.0, 17.5, 11.0, "beats"),  # X1
    "800008": ("A", 8.0, 5.0, 10.0, 3.0, ""),
    "800009": ("B", 12.0, 30.0, 12.0, 6.0, ""),
    "800010": ("C", 20.0, 10.0, 25.0, 8.0, ""),
    "800011": ("A", 15.0, 14.0, 8.0, 15.0, ""),
    "800012": ("B", 22.0, 8.0, 14.0, 2.0, ""),
}
NAMES = {"800001": "N1", "800002": "N2", "800003": "N3", "800004": "N4", "800005": "N5"}
NAMES |= {"800006": "N6", "800007": "X1"}


def level(low: float, ell: float, special: float, degree: float) -> float:
    return 88 - 0.9 * low - 0.3 * ell - 0.4 * special - 0.5 * degree


def build(w, *, hidden_ell: float = 5.0) -> dict[str, School]:
    """The schools by number (idempotent). `hidden_ell`: N1's ELL figure in 2018-19, which the
    gate hides (6 students): tests change it and check that nothing shown changes."""
    ids = assessments_ensure()
    board_c = Board.objects.filter(number="B66003").first() or BoardFactory(
        province=w.province, number="B66003", name="Gamma District School Board"
    )
    boards = {"A": w.board_a, "B": w.board_b, "C": board_c}
    schools = {}
    for number, (board, low, ell, special, degree, kind) in SCHOOLS.items():
        school = School.objects.filter(number=number).first() or SchoolFactory(
            board=boards[board], number=number, name=f"{NAMES.get(number, number)} Public School"
        )
        schools[number] = school
        for year in YEARS:
            SchoolContext.objects.get_or_create(
                school=school,
                school_year=year,
                defaults={
                    "enrolment": 300,
                    "pct_low_income": low,
                    "pct_language_learners": ell,
                    "pct_special_education": special,
                    "pct_parents_no_degree": degree,
                },
            )
            base = level(low, ell, special, degree) + (12 if kind == "beats" else 0)
            for code, shift in SHIFT.items():
                value = base + shift - (15 if kind == "weak" and code.endswith("MATH") else 0)
                value = round(max(0.0, min(100.0, value)), 1)
                Result.objects.get_or_create(
                    school=school,
                    school_year=year,
                    assessment_id=ids[code],
                    group="all",
                    defaults={"participating": 40, "pct_at_standard": value, "status": ""},
                )
                small = number == "800001" and year == "2018-19"
                ell_value = hidden_ell if small and code == "G6-MATH" else max(0.0, value - 8)
                Result.objects.get_or_create(
                    school=school,
                    school_year=year,
                    assessment_id=ids[code],
                    group="ell",
                    defaults={
                        "participating": 6 if small else 12,
                        "pct_at_standard": ell_value,
                        "status": "",
                    },
                )
    return schools
