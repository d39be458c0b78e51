"""Privacy for outputs meant for people: hide results about too few students.

Two rules, applied to anything a person will read (pages, exports, reports),
never to the analyses themselves (a board rollup weighs a school of 8 students
like any other; only the displayed cell for those 8 is hidden):

1. Primary suppression (`suppress_small`): a cell whose count of students is
   known and below the minimum (10 by default) is shown as suppressed: its
   values become null, `suppressed` is true and `suppression_reason` says
   "fewer than 10 students". A cell whose count is unknown but whose value the
   publisher reported stays shown: the publisher (EQAO) already applied its own
   suppression rules before publishing, and we have no count to judge by.
2. Complementary suppression (`complementary_suppression`): when the rows of one
   table add up to a published total (students by group within a school,
   schools within a board) and exactly one row is hidden, that row could be
   recovered by subtracting the shown rows from the total. So the next-smallest
   row is hidden too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import ibis
import ibis.expr.types as ir
import pandas as pd

__all__ = ["complementary_suppression", "gate_results", "reason_for", "suppress_small"]

COMPLEMENTARY_REASON = "hidden so that a suppressed row cannot be worked out from the total"


def reason_for(minimum: int) -> str:
    """The reason shown for a primary suppression: "fewer than 10 students"."""
    return f"fewer than {minimum} students"


def suppress_small(
    table: ir.Table,
    *,
    count_column: str = "participating",
    value_columns: Sequence[str] = ("pct_at_standard",),
    minimum: int = 10,
) -> ir.Table:
    """Hide the values of rows whose count is known and below `minimum`.

    For each row with `count_column` < `minimum` the `value_columns` become
    null, `suppressed` is true and `suppression_reason` is "fewer than
    {minimum} students". Other rows keep their values, with `suppressed` false
    and `suppression_reason` "". A row whose count is null (unknown) keeps its
    value: the publisher already applied its own rules to what it published.
    To hide the counts too, list `count_column` in `value_columns`: the test
    uses the count before it is hidden.

    Works on any Ibis table (results, rollups, gaps, trends) and stays lazy.

    >>> from capacity.evidence.analytics.examples import results_table
    >>> results = results_table({"school_number": "000001", "participating": 8, "pct_at_standard": 50.0},
    ...                         {"school_number": "000002", "participating": 40, "pct_at_standard": 60.0})
    >>> shown = suppress_small(results, value_columns=("pct_at_standard",))
    >>> rows = shown.select("school_number", "pct_at_standard", "suppression_reason").order_by("school_number")
    >>> for row in rows.to_pyarrow().to_pylist():
    ...     print(row)
    {'school_number': '000001', 'pct_at_standard': None, 'suppression_reason': 'fewer than 10 students'}
    {'school_number': '000002', 'pct_at_standard': 60.0, 'suppression_reason': ''}

    The same on a gaps table: ``suppress_small(gaps, count_column="participating",
    value_columns=("pct_at_standard", "gap"))``.
    """
    if minimum < 1:
        raise ValueError("minimum must be at least 1")
    for column in (count_column, *value_columns):
        if column not in table.columns:
            raise ValueError(f"The table has no column {column!r}")
    small = (table[count_column] < minimum).fill_null(False)
    hidden = {
        column: ibis.ifelse(small, ibis.null(table[column].type()), table[column])
        for column in value_columns
    }
    return table.mutate(
        **hidden,
        suppressed=small,
        suppression_reason=ibis.ifelse(small, reason_for(minimum), ""),
    )


Rows = TypeVar("Rows")


def complementary_suppression(
    rows: Rows,
    *,
    total: int | float | None,
    minimum: int = 10,
    count_column: str = "count",
    value_columns: Sequence[str] | None = None,
) -> Rows:
    """Primary and complementary suppression of the rows of one table that add up to `total`.

    `rows` is one of:

    - a pandas DataFrame with a `count_column` (a copy is returned with
      `suppressed` and `suppression_reason` columns and the `value_columns`
      set to null on hidden rows);
    - a list of dicts with a `count_column` key (new dicts are returned, the
      same way);
    - a list of plain counts (a list of the same length is returned, hidden
      counts replaced by None).

    `value_columns` are the columns hidden on a suppressed row (default: just
    the count). The rule:

    1. a row whose count is known and below `minimum` is suppressed
       ("fewer than 10 students");
    2. if `total` is published (not None) and exactly one row is without a
       shown count (suppressed here, or already unknown), the smallest shown
       row is suppressed too (ties: the first one), so that total minus the
       shown rows gives only the sum of two hidden rows, not either of them.
       An unknown count already protects a suppressed row, since it is not
       shown either.

    When the only row is the suppressed one, nothing else can be hidden: do
    not publish `total` with it.

    This is plain Python rather than Ibis on purpose: it runs on the handful
    of rows of one displayed table, after the analytics, and its rule ("the
    next-smallest row, first on ties") is sequential and is clearest, and the
    same everywhere, as a loop; the tables it protects are what people read,
    which are small by nature.

    194 - 40 - 120 = 34 = 9 + 25, so 25 is hidden too, and 9 cannot be told apart:

    >>> complementary_suppression([9, 25, 40, 120], total=194)
    [None, None, 40, 120]
    """
    if minimum < 1:
        raise ValueError("minimum must be at least 1")
    if isinstance(rows, pd.DataFrame):
        counts = [_count(value) for value in rows[count_column].tolist()]
        reasons = _hidden_rows(counts, total, minimum)
        frame = rows.copy()
        mask = [index in reasons for index in range(len(frame))]
        columns = list(value_columns) if value_columns is not None else [count_column]
        for column in columns:
            frame[column] = (
                frame[column].astype(object).where(~pd.Series(mask, index=frame.index), None)
            )
        frame["suppressed"] = mask
        frame["suppression_reason"] = [reasons.get(index, "") for index in range(len(frame))]
        return frame

    items = list(rows)  # type: ignore[call-overload]
    if all(isinstance(item, Mapping) for item in items) and items:
        counts = [_count(item.get(count_column)) for item in items]
        reasons = _hidden_rows(counts, total, minimum)
        columns = list(value_columns) if value_columns is not None else [count_column]
        out: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            row = dict(item)
            if index in reasons:
                row.update(dict.fromkeys(columns))
            row["suppressed"] = index in reasons
            row["suppression_reason"] = reasons.get(index, "")
            out.append(row)
        return out  # type: ignore[return-value]

    counts = [_count(item) for item in items]
    reasons = _hidden_rows(counts, total, minimum)
    return [None if index in reasons else item for index, item in enumerate(items)]  # type: ignore[return-value]


def _count(value: Any) -> float | None:
    """A count, or None when it is missing (None, NaN, pandas NA)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN is not equal to itself


def _hidden_rows(counts: list[float | None], total: float | None, minimum: int) -> dict[int, str]:
    """Which rows to hide and why: {row index: reason}."""
    reasons = {
        index: reason_for(minimum)
        for index, count in enumerate(counts)
        if count is not None and count < minimum
    }
    unknown = [index for index, count in enumerate(counts) if count is None]
    if total is not None and len(reasons) + len(unknown) == 1 and reasons:
        shown = [
            (count, index)
            for index, count in enumerate(counts)
            if count is not None and index not in reasons
        ]
        if shown:
            # min over (count, index): the smallest count, the first row on ties.
            _, partner = min(shown)
            reasons[partner] = COMPLEMENTARY_REASON
    return reasons


# --- the gate for result tables -----------------------------------------------

SMALL = "small"
COMPLEMENTARY = "complementary"
_CELL = ("school_number", "school_year", "assessment")


def gate_results(
    results: ir.Table,
    *,
    minimum: int = 10,
    margin: float = 5.0,
    partitions: Sequence[Sequence[str]] = (("female", "male"),),
    total_group: str = "all",
) -> ir.Table:
    """The results a person may read: every figure derived for people starts here.

    `results` has the canonical result columns (school_number, school_year,
    assessment, group, participating, pct_at_standard, status; others pass
    through). Per school, school year and assessment (a *cell*):

    1. a group whose participating count is known and below `minimum` is
       hidden ("small");
    2. for each partition of the students (groups that together make up the
       `total_group`, such as girls and boys): when exactly one member is
       hidden and the total is shown, the smallest shown member is hidden too
       ("complementary"), so the total minus the shown members gives only the
       sum of two hidden ones;
    3. the total itself is hidden ("complementary") when, with every count
       known, the total and the shown members still pin a hidden member to an
       interval of at most 2 x `margin` percentage points (as when every
       student of a small school met the standard);
    4. any other group (English language learners, special education: groups
       whose complement is "the other students") is hidden ("complementary")
       when the total is shown, both counts are known and the other students
       number fewer than `minimum` but at least one: the total minus the group
       would give the few others' figure.

    Hidden rows get pct_at_standard and participating null, status "nr",
    `suppressed` true and `suppression_reason` "small" or "complementary";
    shown rows keep their values, `suppressed` false and reason "". A row whose
    count is unknown keeps its value (the publisher applied its own rules).

    Aggregates built from the gated table (rollups, gaps, trends, a board
    plan's figure) leave the hidden rows out, so no figure anyone reads is a
    function of a hidden one: complementary suppression across levels holds by
    construction, and docs/analytics.md says so.

    >>> from capacity.evidence.analytics.examples import results_table
    >>> from capacity.evidence.analytics.trends import rollup
    >>> results = results_table({"school_number": "000001", "participating": 8, "pct_at_standard": 30.0},
    ...                         {"school_number": "000002", "participating": 30, "pct_at_standard": 60.0})
    >>> shown = gate_results(results, minimum=10, margin=5.0)
    >>> columns = shown.select("school_number", "pct_at_standard", "suppressed")
    >>> columns.order_by("school_number").to_pyarrow().to_pylist()
    [{'school_number': '000001', 'pct_at_standard': None, 'suppressed': True},
     {'school_number': '000002', 'pct_at_standard': 60.0, 'suppressed': False}]
    >>> rollup(shown).select("pct_at_standard", "schools").to_pyarrow().to_pylist()  # the hidden figure takes no part
    [{'pct_at_standard': 60.0, 'schools': 1}]
    """
    if minimum < 1:
        raise ValueError("minimum must be at least 1")
    from ibis import _

    # Few nesting levels on purpose: SQLite's parser refuses deeply nested queries,
    # so each level computes every window it can, and row rules are written inline.
    cell = ibis.window(group_by=list(_CELL))
    value = _.pct_at_standard.notnull()
    small = (_.participating.notnull() & (_.participating < minimum)).fill_null(False)
    is_total = _.group == total_group
    level1: dict[str, Any] = {
        "_value": value,
        "_small": small,
        "_n": _.participating.cast("float64"),
        "_total_shown": (is_total & value & ~small).ifelse(1, 0).max().over(cell) == 1,
        "_total_pct": is_total.ifelse(_.pct_at_standard.cast("float64"), ibis.null("float64"))
        .max()
        .over(cell),
        "_total_n": is_total.ifelse(_.participating.cast("float64"), ibis.null("float64"))
        .max()
        .over(cell),
    }
    for number, members in enumerate(partitions):
        member = _.group.isin(list(members))
        candidate = member & value & ~small
        # The smallest shown member is the complement (unknown counts last, then the partition's order).
        position = ibis.cases(*((_.group == g, i) for i, g in enumerate(members)), else_=0)
        order = _.participating.cast("float64").fill_null(1e15) * 64 + position
        level1[f"_order{number}"] = candidate.ifelse(order, ibis.null("float64"))
        level1[f"_least{number}"] = candidate.ifelse(order, ibis.null("float64")).min().over(cell)
        level1[f"_hidden_members{number}"] = (member & small).ifelse(1, 0).sum().over(cell)
    t = results.mutate(**level1)

    complement = ibis.literal(False)
    for number, _members in enumerate(partitions):
        complement = complement | (
            t[f"_order{number}"].notnull()
            & (t[f"_order{number}"] == t[f"_least{number}"])
            & (t[f"_hidden_members{number}"] == 1)
            & t._total_shown
        ).fill_null(False)
    t = t.mutate(_complement=complement)

    level2: dict[str, Any] = {}
    for number, members in enumerate(partitions):
        member = t.group.isin(list(members))
        hidden = member & t._value & (t._small | t._complement)
        shown = member & t._value & ~(t._small | t._complement)
        level2[f"_hidden{number}"] = hidden
        level2[f"_residual{number}"] = t._total_n * t._total_pct - shown.ifelse(
            t._n * t.pct_at_standard, 0.0
        ).sum().over(cell)
        level2[f"_hidden_n{number}"] = hidden.ifelse(t._n, 0.0).sum().over(cell)
        level2[f"_unknown{number}"] = (
            (hidden & t.participating.isnull()).ifelse(1, 0).sum().over(cell)
        )
    t = t.mutate(**level2)

    # Rule 3: the interval that the total minus the shown members pins each hidden member to.
    pinned = ibis.literal(False)
    for number, _members in enumerate(partitions):
        residual, hidden_n = t[f"_residual{number}"], t[f"_hidden_n{number}"]
        low = ibis.greatest(ibis.literal(0.0), (residual - 100.0 * (hidden_n - t._n)) / t._n)
        high = ibis.least(ibis.literal(100.0), residual / t._n)
        pinned = pinned | (
            t[f"_hidden{number}"]
            & t._total_shown
            & (t[f"_unknown{number}"] == 0)
            & t._total_n.notnull()
            # A published share carries float error (7.692308% of 13 students is 1.00000004
            # students): a width within a millionth of a point of the margin counts as pinned.
            & (high - low <= 2 * margin + 1e-6)
        ).fill_null(False)
    t = t.mutate(_pinned=pinned.ifelse(1, 0).max().over(cell) == 1)

    # Rule 4: a group outside every partition whose "other students" are a small group.
    in_partition = t.group.isin([g for members in partitions for g in members] or [total_group])
    others = t._total_n - t._n
    lone = (
        ~in_partition
        & (t.group != total_group)
        & t._total_shown
        & t._total_n.notnull()
        & t._n.notnull()
        & (others >= 1)
        & (others < minimum)
    ).fill_null(False)
    hide_small = t._small & t._value
    hide = hide_small | ((t._complement | lone | ((t.group == total_group) & t._pinned)) & t._value)
    columns = {name: t[name] for name in results.columns}
    columns["pct_at_standard"] = hide.ifelse(
        ibis.null("float64"), t.pct_at_standard.cast("float64")
    )
    columns["participating"] = hide.ifelse(ibis.null("int64"), t.participating.cast("int64"))
    if "status" in results.columns:
        columns["status"] = hide.ifelse(ibis.literal("nr"), t.status)
    return t.select(
        **columns,
        suppressed=hide,
        suppression_reason=hide_small.ifelse(SMALL, hide.ifelse(COMPLEMENTARY, "")),
    )
