"""Equity gaps: between student groups, and between schools in different contexts.

`equity_gaps` compares a student group (ELL, special education, female, ...)
with a reference group (all students by default, or another group such as male)
per school or board, school year and assessment. `gaps_against_others` compares
each group with the other students (all students minus the group) where the
counts are known, and `gap_trends` says how a gap moved over the years. `context_gap` compares the
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

__all__ = [
    "GAP_DIRECTIONS",
    "NO_TEST_YEARS",
    "context_gap",
    "equity_gaps",
    "gap_trends",
    "gaps_against_others",
]

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


# --- against the other students (issue 13) ------------------------------------------------

# Why a group has no comparison with the other students (empty when it has one).
NO_FIGURE = "no_figure"  # the group's or all students' figure is hidden or not reported
NO_COUNTS = "no_counts"  # a count is unknown (published tables such as Ontario's give none)
OTHERS_SMALL = "others_small"  # the other students are fewer than the minimum


def gaps_against_others(
    results: ir.Table,
    *,
    groups: Sequence[str] | None = None,
    total_group: str = "all",
    minimum: int = 10,
    level: str = "school",
) -> ir.Table:
    """Each student group against the other students (everyone outside the group), not against all.

    All students include the group, so "ELL against all students" understates
    the gap by the group's own weight. The other students' share is worked out
    from the two published figures and their counts:

        others % = (n_all x all % - n_group x group %) / (n_all - n_group)

    `results` must already be the results people may read (privacy.shown_results):
    a hidden figure is null there, so its complement is null too, and every
    figure this returns is a function of figures already shown. A comparison is
    made only when both figures are shown, both counts are known and the other
    students number at least `minimum` (a group that small would not be shown);
    `why_not` says why otherwise: "no_figure", "no_counts" or "others_small".
    The figures are rounded percentages, so the others' share is clamped to
    [0, 100].

    `level="school"`: one row per school x school year x assessment x group.
    Columns: school_number, school_name, board_number, board_name,
    school_year, assessment, group, pct_at_standard, participating,
    all_pct, all_participating, others_pct, others_participating (both null
    without a comparison), gap (group - others), why_not.

    `level="board"`: one row per board x school year x assessment x group, over
    the schools with a comparison only, so the group and the other students
    come from the same schools. Columns: board_number, board_name,
    school_year, assessment, group, pct_at_standard, participating,
    others_pct, others_participating, gap, schools.

    70% of 40 students, of whom 10 ELL at 40%: the other 30 are at 80%, a gap
    of -40 points (against all students it would look like -30):

    >>> from capacity.evidence.analytics.examples import results_table
    >>> results = results_table({"group": "all", "participating": 40, "pct_at_standard": 70.0},
    ...                         {"group": "ell", "participating": 10, "pct_at_standard": 40.0})
    >>> row = gaps_against_others(results).to_pyarrow().to_pylist()[0]
    >>> row["others_pct"], row["others_participating"], row["gap"]
    (80.0, 30, -40.0)
    """
    check_columns(results, RESULTS_SCHEMA, "results")
    if level not in ("school", "board"):
        raise ValueError('level must be "school" or "board"')
    if minimum < 1:
        raise ValueError("minimum must be at least 1")
    chosen = results.filter(results.group != total_group)
    if groups is not None:
        chosen = chosen.filter(chosen.group.isin(list(groups)))
    base = results.filter(results.group == total_group)
    keys = ["school_number", *_CELL]
    total = base.select(
        *keys,
        all_pct=base.pct_at_standard.cast("float64"),
        all_participating=base.participating.cast("int64"),
    )
    j = chosen.left_join(total, keys)
    pct = j.pct_at_standard.cast("float64")
    n = j.participating.cast("int64")
    others_n = j.all_participating - n
    figures = pct.notnull() & j.all_pct.notnull()
    counts = n.notnull() & j.all_participating.notnull()
    why_not = ibis.cases(
        (~figures, NO_FIGURE),
        (~counts, NO_COUNTS),
        (others_n < minimum, OTHERS_SMALL),
        else_="",
    )
    raw = (j.all_participating.cast("float64") * j.all_pct - n.cast("float64") * pct) / (
        others_n.cast("float64")
    )
    clamped = ibis.greatest(ibis.literal(0.0), ibis.least(ibis.literal(100.0), raw))
    t = j.select(
        "school_number",
        "school_name",
        "board_number",
        "board_name",
        "school_year",
        "assessment",
        "group",
        pct_at_standard=pct,
        participating=n,
        all_pct=j.all_pct,
        all_participating=j.all_participating,
        _why=why_not,
        _others=clamped,
        _others_n=others_n,
    )
    shown = t._why == ""
    school = t.select(
        *(c for c in t.columns if not c.startswith("_")),
        others_pct=shown.ifelse(t._others, ibis.null("float64")),
        others_participating=shown.ifelse(t._others_n, ibis.null("int64")),
        gap=shown.ifelse(t.pct_at_standard - t._others, ibis.null("float64")),
        why_not=t._why,
    )
    if level == "school":
        return school.order_by(["school_number", *_CELL, "group"])

    pairs = school.filter(school.why_not == "")
    board_keys = ["board_number", *_CELL, "group"]
    cells = pairs.group_by(board_keys).aggregate(
        board_name=pairs.board_name.max(),
        participating=pairs.participating.sum(),
        _group_sum=(pairs.participating.cast("float64") * pairs.pct_at_standard).sum(),
        others_participating=pairs.others_participating.sum(),
        _others_sum=(pairs.others_participating.cast("float64") * pairs.others_pct).sum(),
        schools=pairs.count(),
    )
    group_pct = cells._group_sum / cells.participating.cast("float64")
    others_pct = cells._others_sum / cells.others_participating.cast("float64")
    return cells.select(
        "board_number",
        "board_name",
        "school_year",
        "assessment",
        "group",
        pct_at_standard=group_pct,
        participating=cells.participating.cast("int64"),
        others_pct=others_pct,
        others_participating=cells.others_participating.cast("int64"),
        gap=group_pct - others_pct,
        schools=cells.schools.cast("int64"),
    ).order_by(board_keys)


# --- gap trends (issue 13) ----------------------------------------------------------------

# School years with no provincial tests: EQAO gave none during the COVID-19 school closures.
NO_TEST_YEARS = ("2019-20", "2020-21")

NARROWING = "narrowing"
WIDENING = "widening"
STEADY = "steady"
ONE_YEAR = "one_year"
GAP_DIRECTIONS = (NARROWING, WIDENING, STEADY, ONE_YEAR)


def gap_trends(gaps: ir.Table, *, keys: Sequence[str], steady_points: float = 3.0) -> ir.Table:
    """How each gap moved from its first year with a gap to its last.

    `gaps` is a table of gaps per year (`gaps_against_others` or
    `equity_gaps`, at either level): the rows of one key (`keys`, such as
    ["school_number", "assessment", "group"]) are one gap's years; rows with
    no gap (null) are left out, so a year with no tests is simply absent.

    Columns: the keys, first_year, first_gap, last_year, last_gap, years
    (how many years have a gap), change (how much the gap's size moved:
    |last| - |first|, negative when it narrowed) and direction: "narrowing"
    when the gap's size fell by more than `steady_points`, "widening" when it
    grew by more, "steady" otherwise, "one_year" when only one year has a gap.

    >>> import ibis
    >>> gaps = ibis.memtable({"group": ["ell", "ell", "ell"], "assessment": ["G3-READ"] * 3,
    ...                       "school_year": ["2017-18", "2018-19", "2021-22"],
    ...                       "gap": [-20.0, None, -12.0]})
    >>> row = gap_trends(gaps, keys=["group", "assessment"]).to_pyarrow().to_pylist()[0]
    >>> row["first_year"], row["last_year"], row["change"], row["direction"]
    ('2017-18', '2021-22', -8.0, 'narrowing')
    """
    for column in (*keys, "school_year", "gap"):
        if column not in gaps.columns:
            raise ValueError(f"The gaps table has no column {column!r}")
    if steady_points < 0:
        raise ValueError("steady_points must not be negative")
    keys = list(keys)
    rows = gaps.filter(gaps.gap.notnull()).select(
        *keys, "school_year", gap=gaps.gap.cast("float64")
    )
    spans = rows.group_by(keys).aggregate(
        first_year=rows.school_year.min(),
        last_year=rows.school_year.max(),
        years=rows.count(),
    )
    first = rows.select(*keys, first_year=rows.school_year, first_gap=rows.gap)
    last = rows.select(*keys, last_year=rows.school_year, last_gap=rows.gap)
    t = spans.join(first, [*keys, "first_year"]).join(last, [*keys, "last_year"])
    change = t.last_gap.abs() - t.first_gap.abs()
    direction = ibis.cases(
        (t.years < 2, ONE_YEAR),
        (change < -steady_points, NARROWING),
        (change > steady_points, WIDENING),
        else_=STEADY,
    )
    return t.select(
        *keys,
        "first_year",
        "first_gap",
        "last_year",
        "last_gap",
        years=t.years.cast("int64"),
        change=change,
        direction=direction,
    ).order_by(keys)
