"""Cohorts: a school's Grade 3 results beside its Grade 6 results three years later.

The Grade 3 students of 2018-19 are, roughly, the school's Grade 6 students of
2021-22: roughly, because some leave and others arrive, and the two tests have
their own standards. Set side by side per subject, they show how a cohort did
rather than how one grade does from year to year (a different group of students
each year).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from capacity.evidence.analytics.schema import RESULTS_SCHEMA, check_columns, year_start
from capacity.evidence.analytics.trends import weighted_cells

__all__ = ["SUBJECTS", "cohorts"]

# The subjects tested in both Grade 3 and Grade 6, as the assessment codes end.
SUBJECTS = ("READ", "WRITE", "MATH")


def cohorts(
    results: ir.Table,
    *,
    group: str = "all",
    years_apart: int = 3,
    level: str = "school",
) -> ir.Table:
    """Grade 3 in year Y beside Grade 6 in year Y + `years_apart`, per school (or board) and subject.

    `results` should be the results people may read (privacy.shown_results).
    A school has a row for every Y and subject where both figures are
    reported; a year without tests (Ontario's 2019-20 and 2020-21) gives no
    row, since it has nothing to pair.

    `level="school"` columns: school_number, school_name, board_number,
    board_name, subject ("READ", "WRITE", "MATH"), grade3_year, grade3_pct,
    grade3_participating, grade6_year, grade6_pct, grade6_participating,
    change (grade 6 - grade 3, percentage points).

    `level="board"`: the board's schools that have both figures, each side
    weighted by its participating students where every count is known (the
    rule `trends.rollup` documents), so both sides come from the same schools.
    Columns: board_number, board_name, subject, grade3_year, grade3_pct,
    grade6_year, grade6_pct, change, schools.

    >>> from capacity.evidence.analytics.examples import results_table
    >>> results = results_table({"assessment": "G3-READ", "school_year": "2018-19", "pct_at_standard": 60.0},
    ...                         {"assessment": "G6-READ", "school_year": "2021-22", "pct_at_standard": 72.0})
    >>> row = cohorts(results).to_pyarrow().to_pylist()[0]
    >>> row["subject"], row["grade3_year"], row["grade6_year"], row["change"]
    ('READ', '2018-19', '2021-22', 12.0)
    """
    check_columns(results, RESULTS_SCHEMA, "results")
    if level not in ("school", "board"):
        raise ValueError('level must be "school" or "board"')
    if years_apart < 1:
        raise ValueError("years_apart must be at least 1")
    rows = results.filter((results.group == group) & results.pct_at_standard.notnull())

    def grade(number: int) -> ir.Table:
        codes = [f"G{number}-{s}" for s in SUBJECTS]
        t = rows.filter(rows.assessment.isin(codes))
        return t.select(
            "school_number",
            "school_name",
            "board_number",
            "board_name",
            subject=t.assessment.substr(3),
            year=t.school_year,
            start=year_start(t.school_year),
            pct=t.pct_at_standard.cast("float64"),
            participating=t.participating.cast("int64"),
        )

    g3, g6 = grade(3), grade(6)
    g6 = g6.select(
        "school_number",
        "subject",
        g6_year=g6.year,
        g6_start=g6.start - years_apart,
        g6_pct=g6.pct,
        g6_participating=g6.participating,
    )
    j = g3.join(
        g6,
        [
            g3.school_number == g6.school_number,
            g3.subject == g6.subject,
            g3.start == g6.g6_start,
        ],
    )
    school = j.select(
        school_number=g3.school_number,
        school_name=g3.school_name,
        board_number=g3.board_number,
        board_name=g3.board_name,
        subject=g3.subject,
        grade3_year=g3.year,
        grade3_pct=g3.pct,
        grade3_participating=g3.participating,
        grade6_year=j.g6_year,
        grade6_pct=j.g6_pct,
        grade6_participating=j.g6_participating,
        change=j.g6_pct - g3.pct,
    )
    if level == "school":
        return school.order_by(["school_number", "grade3_year", "subject"])

    keys = ["board_number", "subject", "grade3_year", "grade6_year"]

    def side(prefix: str) -> ir.Table:
        t = school.select(
            *keys,
            "school_number",
            "board_name",
            pct_at_standard=school[f"{prefix}_pct"],
            participating=school[f"{prefix}_participating"],
        )
        # Every count known, or none used: a mixed cell would weigh the two sides differently.
        all_known = t.participating.notnull().min().over(ibis.window(group_by=keys))
        t = t.mutate(participating=all_known.ifelse(t.participating, ibis.null("int64")))
        return weighted_cells(t, keys, extra={"board_name": t.board_name.max()})

    three, six = side("grade3"), side("grade6")
    six = six.select(*keys, grade6_pct=six.pct_at_standard)
    both = three.join(six, keys)
    return both.select(
        "board_number",
        "board_name",
        "subject",
        "grade3_year",
        grade3_pct=both.pct_at_standard,
        grade6_year=both.grade6_year,
        grade6_pct=both.grade6_pct,
        change=both.grade6_pct - both.pct_at_standard,
        schools=both.schools,
    ).order_by(["board_number", "grade3_year", "subject"])
