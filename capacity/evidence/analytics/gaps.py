"""Equity gaps: between student groups, and between schools in different contexts.

`equity_gaps` compares a student group (ELL, special education, female, ...)
with a reference group (all students by default, or another group such as male)
per school or board, school year and assessment. `context_gap` compares the
schools with the most and the fewest students from low-income households (or any
context indicator). Both return lazy Ibis expressions over the canonical tables
of `schema.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from capacity.evidence.analytics.schema import (
    CONTEXT_SCHEMA,
    RESULTS_SCHEMA,
    check_columns,
)
from capacity.evidence.analytics.trends import weighted_cells

__all__ = ["context_gap", "equity_gaps"]

_CELL = ["school_year", "assessment"]


def equity_gaps(
    results: ir.Table,
    *,
    reference: str = "all",
    groups: Sequence[str] | None = None,
    level: str = "school",
) -> ir.Table:
    """The gap between each student group and a reference group, per school or board, year and assessment.

    `groups` are the groups to compare (None: every group in `results` other
    than the reference). For a pair such as female vs male pass
    `reference="male", groups=["female"]`.

    `level="school"`: one row per school x school year x assessment x group
    that has a row for the group; the reference value comes from the same
    school, year and assessment (null when the school has no reference row).

    `level="board"`: one row per board x school year x assessment x group,
    where the group's value and the reference value are each the board's
    participation-weighted % at standard, by the rule `trends.rollup`
    documents. Each side uses every school that reported it, so a board's
    ELL value and its all-students value need not come from the same schools,
    exactly as a board's published results compare them.

    Columns: school_number, school_name (school level only), board_number,
    board_name, school_year, assessment, group, reference, pct_at_standard (the
    group's), reference_pct, gap (group - reference, null when either is
    missing), participating, reference_participating (at board level: the
    students behind each weighted value, null when unknown), and at board level
    schools and reference_schools.

    A school where 48% of ELL students and 70% of all students reach the
    standard has a gap of -22 points:

    >>> from capacity.evidence.analytics.examples import results_table
    >>> results = results_table({"group": "all", "pct_at_standard": 70.0},
    ...                         {"group": "ell", "pct_at_standard": 48.0, "participating": 12})
    >>> gaps = equity_gaps(results, groups=["ell", "special_education"])
    >>> gaps.select("group", "reference", "gap").to_pyarrow().to_pylist()
    [{'group': 'ell', 'reference': 'all', 'gap': -22.0}]

    Or against another group, at board level:
    ``equity_gaps(results, reference="male", groups=["female"], level="board")``.
    """
    check_columns(results, RESULTS_SCHEMA, "results")
    if level not in ("school", "board"):
        raise ValueError('level must be "school" or "board"')
    if groups is not None and reference in groups:
        raise ValueError(f"The reference group {reference!r} cannot also be a compared group")

    chosen = results.filter(results.group != reference)
    if groups is not None:
        chosen = chosen.filter(chosen.group.isin(list(groups)))
    base = results.filter(results.group == reference)

    if level == "school":
        keys = ["school_number", *_CELL]
        ref = base.select(
            *keys,
            reference_pct=base.pct_at_standard,
            reference_participating=base.participating,
        )
        joined = chosen.left_join(ref, keys)
        return joined.select(
            "school_number",
            "school_name",
            "board_number",
            "board_name",
            "school_year",
            "assessment",
            "group",
            reference=ibis.literal(reference),
            pct_at_standard=joined.pct_at_standard,
            reference_pct=joined.reference_pct,
            gap=joined.pct_at_standard - joined.reference_pct,
            participating=joined.participating,
            reference_participating=joined.reference_participating,
        ).order_by(["school_number", *_CELL, "group"])

    keys = ["board_number", *_CELL]
    # One row per school and cell: the keys hold year and assessment, and group (or one group).
    group_cells = weighted_cells(
        chosen,
        [*keys, "group"],
        extra={"board_name": chosen.board_name.max()},
        one_row_per_school=True,
    )
    ref_cells = weighted_cells(base, keys, one_row_per_school=True)
    ref_cells = ref_cells.select(
        *keys,
        reference_pct=ref_cells.pct_at_standard,
        reference_participating=ref_cells.students,
        reference_schools=ref_cells.schools,
    )
    joined = group_cells.left_join(ref_cells, keys)
    return joined.select(
        "board_number",
        "board_name",
        "school_year",
        "assessment",
        "group",
        reference=ibis.literal(reference),
        pct_at_standard=joined.pct_at_standard,
        reference_pct=joined.reference_pct,
        gap=joined.pct_at_standard - joined.reference_pct,
        participating=joined.students,
        reference_participating=joined.reference_participating,
        schools=joined.schools,
        reference_schools=joined.reference_schools,
    ).order_by(["board_number", *_CELL, "group"])


def context_gap(
    results: ir.Table,
    context: ir.Table,
    *,
    group: str = "all",
    assessments: Sequence[str] | None = None,
    indicator: str = "pct_low_income",
    share: float = 0.25,
) -> ir.Table:
    """The gap between schools with the highest and the lowest values of a context indicator.

    Per school year and assessment, the schools with a reported result for
    `group` and a known `indicator` that same year are ranked by the indicator
    (`percent_rank`, so tied schools share a rank and land in the same band).
    "low" schools have percent rank <= `share` (the bottom quartile by
    default), "high" schools have percent rank >= 1 - `share`. Each band's
    value is its participation-weighted % at standard (the rule
    `trends.rollup` documents).

    Columns: school_year, assessment, indicator, low_pct, high_pct,
    gap (high - low: with pct_low_income usually negative, the poorer schools
    behind), low_schools, high_schools, low_students, high_students.

    >>> from capacity.evidence.analytics.examples import context_table, results_table
    >>> schools = (("019186", 30.0, 45.0), ("000002", 28.0, 50.0), ("000003", 10.0, 75.0), ("000004", 31.0, 40.0))
    >>> context = context_table(*({"school_number": n, "pct_low_income": income} for n, income, _ in schools))
    >>> results = results_table(*({"school_number": n, "pct_at_standard": pct} for n, _, pct in schools))
    >>> gap = context_gap(results, context, assessments=["G3-READ"])
    >>> gap.select("low_pct", "high_pct", "gap").to_pyarrow().to_pylist()
    [{'low_pct': 75.0, 'high_pct': 40.0, 'gap': -35.0}]

    This is the pull of social capital across the province; a school that
    beats it is what `context_model.beat_the_odds` looks for.
    """
    check_columns(results, RESULTS_SCHEMA, "results")
    check_columns(context, CONTEXT_SCHEMA, "context")
    if not 0 < share <= 0.5:
        raise ValueError("share must be above 0 and at most 0.5")
    if indicator not in context.columns:
        raise ValueError(f"The context table has no column {indicator!r}")

    rows = results.filter((results.group == group) & results.pct_at_standard.notnull())
    if assessments is not None:
        rows = rows.filter(rows.assessment.isin(list(assessments)))
    ctx = context.filter(context[indicator].notnull()).select(
        "school_number", "school_year", _value=context[indicator]
    )
    joined = rows.join(ctx, ["school_number", "school_year"])
    rank = ibis.percent_rank().over(group_by=_CELL, order_by=joined._value)
    ranked = joined.mutate(_rank=rank)
    banded = ranked.mutate(
        _band=ibis.cases(
            (ranked._rank <= share, "low"),
            (ranked._rank >= 1 - share, "high"),
            else_=ibis.null("string"),
        )
    )
    banded = banded.filter(banded._band.notnull())
    cells = weighted_cells(banded, [*_CELL, "_band"], one_row_per_school=True)
    low = cells.filter(cells._band == "low").select(
        *_CELL,
        low_pct=cells.pct_at_standard,
        low_schools=cells.schools,
        low_students=cells.students,
    )
    high = cells.filter(cells._band == "high").select(
        *_CELL,
        high_pct=cells.pct_at_standard,
        high_schools=cells.schools,
        high_students=cells.students,
    )
    both = low.outer_join(high, _CELL)
    # After an outer join the key columns come in pairs; coalesce them.
    return both.select(
        school_year=ibis.coalesce(both.school_year, both.school_year_right),
        assessment=ibis.coalesce(both.assessment, both.assessment_right),
        indicator=ibis.literal(indicator),
        low_pct=both.low_pct,
        high_pct=both.high_pct,
        gap=both.high_pct - both.low_pct,
        low_schools=both.low_schools,
        high_schools=both.high_schools,
        low_students=both.low_students,
        high_students=both.high_students,
    ).order_by(_CELL)
