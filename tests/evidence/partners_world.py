"""A hand-built province for the partners part's tests: the test world plus eighteen elementary
schools in three boards, three school years of context and Grade 3 and 6 results (2018-19,
2021-22, 2022-23: no tests in between, so OFIP's "two consecutive years" is 2021-22 and 2022-23).

A school's result on each assessment is its context's level (`level`) plus a fixed shift per
assessment plus its own effect that year:

* A1 (the test world's Aspen Public School, board A): 15 points below its level every year, on
  every assessment: identified (under 50% everywhere), the school that needs partners;
* P1 (board B): 12 above every year, context almost A1's (one point more language learners);
* P2 (board C): 12 above in 2021-22 and 2022-23, 2 above in 2018-19 (never below); context like
  A1's but for special education (26% against 18%);
* P3 (board C, French-language): 12 above every year, context exactly A1's;
* D1 (board B): 12 above in 2018-19 and 2021-22, 6 below in 2022-23: not stable;
* O1 (board A): 15 above in 2022-23 only: not stable;
* FAR (board B): 12 above every year but in a far easier context: too far to partner A1;
* eleven schools at their context's level, spread over contexts, so the model has variation.
"""

from __future__ import annotations

from typing import Any

from capacity.directory.models import Board, Language, School, SchoolContext
from capacity.evidence.models import Result
from capacity.evidence.services import assessments_ensure
from tests.factories import BoardFactory, SchoolFactory

YEARS = ("2018-19", "2021-22", "2022-23")
SHIFT = {"G3-READ": 5, "G3-WRITE": 0, "G3-MATH": -5, "G6-READ": 8, "G6-WRITE": 6, "G6-MATH": -6}

# key: (number, board, language, (low income, language learners, special ed, no degree), effects)
SCHOOLS: dict[str, tuple[str, str, str, tuple[float, ...], tuple[float, float, float]]] = {
    "A1": ("700001", "A", "en", (30.0, 20.0, 18.0, 12.0), (-15, -15, -15)),
    "P1": ("810001", "B", "en", (30.0, 21.0, 18.0, 12.0), (12, 12, 12)),
    "P2": ("810002", "C", "en", (30.0, 20.0, 26.0, 12.0), (2, 12, 12)),
    "P3": ("810003", "C", "fr", (30.0, 20.0, 18.0, 12.0), (12, 12, 12)),
    "D1": ("810004", "B", "en", (30.0, 20.0, 18.0, 13.0), (12, 12, -6)),
    "O1": ("810005", "A", "en", (29.0, 20.0, 18.0, 12.0), (0, 0, 15)),
    "FAR": ("810006", "B", "en", (4.0, 2.0, 8.0, 2.0), (12, 12, 12)),
    "L01": ("810011", "A", "en", (8.0, 5.0, 10.0, 3.0), (0, 0, 0)),
    "L02": ("810012", "B", "en", (12.0, 30.0, 12.0, 6.0), (0, 0, 0)),
    "L03": ("810013", "C", "en", (20.0, 10.0, 25.0, 8.0), (0, 0, 0)),
    "L04": ("810014", "A", "en", (15.0, 14.0, 8.0, 15.0), (0, 0, 0)),
    "L05": ("810015", "B", "en", (22.0, 8.0, 14.0, 2.0), (0, 0, 0)),
    "L06": ("810016", "C", "en", (35.0, 25.0, 20.0, 20.0), (0, 0, 0)),
    "L07": ("810017", "A", "en", (40.0, 12.0, 16.0, 10.0), (0, 0, 0)),
    "L08": ("810018", "B", "en", (10.0, 18.0, 22.0, 4.0), (0, 0, 0)),
    "L09": ("810019", "C", "en", (25.0, 35.0, 10.0, 14.0), (0, 0, 0)),
    "L10": ("810020", "A", "en", (18.0, 6.0, 30.0, 9.0), (0, 0, 0)),
    "L11": ("810021", "B", "en", (5.0, 15.0, 12.0, 18.0), (0, 0, 0)),
}


def level(low: float, ell: float, special: float, degree: float) -> float:
    return 88 - 0.9 * low - 0.3 * ell - 0.4 * special - 0.5 * degree


def build(w: Any) -> dict[str, School]:
    """The schools by key (idempotent)."""
    ids = assessments_ensure()
    board_c = Board.objects.filter(number="B66003").first() or BoardFactory(
        province=w.province,
        number="B66003",
        name="Conseil scolaire Gamma",
        language=Language.FRENCH,
    )
    boards = {"A": w.board_a, "B": w.board_b, "C": board_c}
    schools: dict[str, School] = {}
    for key, (number, board, language, context, effects) in SCHOOLS.items():
        school = School.objects.filter(number=number).first() or SchoolFactory(
            board=boards[board], number=number, name=f"{key} School", language=language
        )
        schools[key] = school
        low, ell, special, degree = context
        for year, effect in zip(YEARS, effects, strict=True):
            SchoolContext.objects.update_or_create(
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
            for code, shift in SHIFT.items():
                value = round(max(0.0, min(100.0, level(*context) + shift + effect)), 1)
                Result.objects.get_or_create(
                    school=school,
                    school_year=year,
                    assessment_id=ids[code],
                    group="all",
                    defaults={"participating": 40, "pct_at_standard": value, "status": ""},
                )
    return schools
