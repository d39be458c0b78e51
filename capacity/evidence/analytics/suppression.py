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

__all__ = ["complementary_suppression", "reason_for", "suppress_small"]

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

    Example::

        shown = suppress_small(results, value_columns=("pct_at_standard",))
        shown = suppress_small(gaps, count_column="participating",
                               value_columns=("pct_at_standard", "gap"))
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

    Example::

        complementary_suppression([9, 25, 40, 120], total=194)
        # -> [None, None, 40, 120]: 194 - 40 - 120 = 34 = 9 + 25, and 9 cannot be told apart.
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
            frame[column] = frame[column].astype(object).where(~pd.Series(mask, index=frame.index), None)
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
        shown = [(count, index) for index, count in enumerate(counts) if count is not None and index not in reasons]
        if shown:
            # min over (count, index): the smallest count, the first row on ties.
            _, partner = min(shown)
            reasons[partner] = COMPLEMENTARY_REASON
    return reasons
