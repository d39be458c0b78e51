"""Identify schools for intervention under a policy, and say why.

The rule (see docs/identification.md): in each school year of the policy's
window a school "meets" the rule when at least `min_assessments_below` of the
policy's assessments are reported strictly below the threshold. A year with no
usable result at all is a gap year ("missing"), which the rule never bridges.
Over the window a school is

- identified when the years meeting reach `min_years`,
- not_identified when even counting every gap year as meeting could not
  reach `min_years`,
- insufficient_data otherwise (the answer hangs on the missing years).

For a consecutive rule (`min_years == years`) this reads: identified when every
window year meets, not identified when any year with data fails, otherwise
insufficient data.

Everything is one Ibis expression per question, aggregated per school and year
before anything is joined, so DuckDB, SQLite, PostgreSQL and Spark compute the
same answer in the database; Python only assembles the small final results.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

import ibis
import ibis.expr.types as ir

from capacity.evidence.analytics import history
from capacity.evidence.analytics.history import Trend
from capacity.evidence.analytics.policy import Policy
from capacity.evidence.analytics.schema import (
    RESULTS_SCHEMA,
    check_columns,
    school_year_label,
    year_start,
    year_start_of,
)
from capacity.schoolyears import SCHOOL_YEAR_RE

Status = Literal["identified", "not_identified", "insufficient_data", "sustaining", "static"]

IDENTIFIED: Status = "identified"
NOT_IDENTIFIED: Status = "not_identified"
INSUFFICIENT_DATA: Status = "insufficient_data"
# Only under a policy with an [exit] rule: left identification, watched for a set number of years.
SUSTAINING: Status = "sustaining"
# Only under a policy with a [static] rule: not identified, but no improvement over its years.
STATIC: Status = "static"
STATUSES: tuple[Status, ...] = (IDENTIFIED, NOT_IDENTIFIED, INSUFFICIENT_DATA, SUSTAINING, STATIC)
# An identified school whose status becomes one of these has left identification: it has
# (or keeps) no focused-intervention plan. Insufficient data is not leaving.
LEFT_STATUSES: tuple[Status, ...] = (NOT_IDENTIFIED, SUSTAINING, STATIC)

# The public columns of identification_table(), in order.
TABLE_COLUMNS = (
    "school_number",
    "school_name",
    "board_number",
    "board_name",
    "status",
    "years_meeting",
    "years_missing",
    "lowest_latest",
    "category",
)

_YEAR_LABEL = (
    SCHOOL_YEAR_RE  # the shape of a label; whether its years follow is checked where it matters
)


@dataclass(frozen=True)
class Reason:
    """One result below the threshold that counted toward identification."""

    school_year: str
    assessment: str
    pct_at_standard: (
        float | None
    )  # None when the disclosure gate hides the figure (the decision stands)
    participating: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "school_year": self.school_year,
            "assessment": self.assessment,
            "pct_at_standard": self.pct_at_standard,
            "participating": self.participating,
        }


@dataclass(frozen=True)
class Change:
    """One assessment that moved across the threshold between the previous evaluated year and this one.

    For a school that entered: a result below now that was not below then (at or above
    the threshold, or without a number). For a school that left: a result below then
    that is at or above the threshold now; `above_margin` when it is at or above the
    threshold plus the policy's exit margin too.
    """

    assessment: str
    before_year: str
    before_pct: float | None  # None: no usable result that year
    now_year: str
    now_pct: float | None
    direction: Literal["below", "above"]
    above_margin: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "assessment": self.assessment,
            "before_year": self.before_year,
            "before_pct": self.before_pct,
            "now_year": self.now_year,
            "now_pct": self.now_pct,
            "direction": self.direction,
            "above_margin": self.above_margin,
        }


@dataclass(frozen=True)
class SchoolStatus:
    """One school's standing under a policy in one year, with the evidence for it."""

    school_number: str
    school_name: str
    board_number: str
    board_name: str
    status: Status
    reasons: tuple[Reason, ...]  # the below results in the window years that met the rule
    years_meeting: tuple[str, ...]  # window years in which the school met the per-year rule
    missing: tuple[str, ...]  # window years with no usable result (gap years)
    category: str | None  # for identified schools under a policy with categories
    # The window rule's own answer, before the exit rule, sustaining and static are applied.
    entry_status: str = ""
    held: bool = False  # identified only because it has not yet cleared the exit rule
    clear_years: tuple[
        str, ...
    ] = ()  # consecutive evaluated years, ending here, clear of the raised rule
    left_in: str | None = None  # sustaining: the school year it left identification
    sustaining_years_left: int = 0  # sustaining: evaluated years still to come as sustaining
    trend: Trend | None = None  # under a policy with [static]: the mean's trend
    previous_year: str | None = None  # the nearest earlier year with results
    previous_status: str | None = None  # the status then (None: no result in that window)
    changes: tuple[Change, ...] = ()  # for a school that entered or left: what moved

    @property
    def entered(self) -> bool:
        return self.status == IDENTIFIED and self.previous_status not in (
            IDENTIFIED,
            INSUFFICIENT_DATA,
        )

    @property
    def left(self) -> bool:
        return self.previous_status == IDENTIFIED and self.status in LEFT_STATUSES

    def history_json(self) -> dict[str, Any]:
        """The fields added for issue 13 (exit, sustaining, static, movement), as JSON."""
        return {
            "status": self.status,
            "entry_status": self.entry_status or self.status,
            "held": self.held,
            "clear_years": list(self.clear_years),
            "left_in": self.left_in,
            "sustaining_years_left": self.sustaining_years_left,
            "trend": None if self.trend is None else self.trend.to_json(school_year_label),
            "previous_year": self.previous_year,
            "previous_status": self.previous_status,
            "changes": [c.to_json() for c in self.changes],
        }


@dataclass(frozen=True)
class Identification:
    """Every school with a policy result in the window, and its status."""

    policy: Policy
    year: str
    window: tuple[str, ...]
    schools: tuple[SchoolStatus, ...]  # sorted by school_number
    # Not identified schools left out of `schools` (identify(..., every_school=False)): counted only.
    not_listed: int = 0

    def _with(self, status: Status) -> tuple[SchoolStatus, ...]:
        return tuple(s for s in self.schools if s.status == status)

    @property
    def identified(self) -> tuple[SchoolStatus, ...]:
        return self._with(IDENTIFIED)

    @property
    def not_identified(self) -> tuple[SchoolStatus, ...]:
        return self._with(NOT_IDENTIFIED)

    @property
    def insufficient_data(self) -> tuple[SchoolStatus, ...]:
        return self._with(INSUFFICIENT_DATA)

    @property
    def sustaining(self) -> tuple[SchoolStatus, ...]:
        return self._with(SUSTAINING)

    @property
    def static(self) -> tuple[SchoolStatus, ...]:
        return self._with(STATIC)

    def school(self, school_number: str) -> SchoolStatus | None:
        """The status of one school, or None when it had no policy result in the window."""
        return next((s for s in self.schools if s.school_number == school_number), None)

    def counts(self) -> dict[str, int]:
        """How many schools in each status (and, for identified schools, each category).

        >>> from capacity.evidence.analytics.examples import two_schools
        >>> from capacity.evidence.analytics.policy import load_policy
        >>> identify(two_schools(), load_policy("ofip-2016"), "2018-19").counts()
        {'schools': 2, 'identified': 1, 'not_identified': 1, 'insufficient_data': 0}
        """
        counts = {"schools": len(self.schools) + self.not_listed}
        for status in _statuses(self.policy):
            counts[status] = sum(1 for s in self.schools if s.status == status)
        counts[NOT_IDENTIFIED] += self.not_listed
        for category in self.policy.categories:
            counts[f"category:{category.name}"] = sum(
                1 for s in self.identified if s.category == category.name
            )
        return counts

    def to_json(self) -> dict[str, Any]:
        """The command-line contract: plain JSON types only."""
        return {
            "policy": {
                "name": self.policy.name,
                "version": self.policy.version,
                "title": self.policy.title,
                "options": [{"key": k, "text": t} for k, t in self.policy.options()],
            },
            "year": self.year,
            "window": list(self.window),
            "identified": [
                {
                    "school_number": s.school_number,
                    "school_name": s.school_name,
                    "board_number": s.board_number,
                    "board_name": s.board_name,
                    "category": s.category,
                    "reasons": [r.to_json() for r in s.reasons],
                    **s.history_json(),
                }
                for s in self.identified
            ],
            "insufficient_data": [
                {
                    "school_number": s.school_number,
                    "school_name": s.school_name,
                    "board_number": s.board_number,
                    "missing": list(s.missing),
                }
                for s in self.insufficient_data
            ],
            **{
                status: [
                    {
                        "school_number": s.school_number,
                        "school_name": s.school_name,
                        "board_number": s.board_number,
                        "board_name": s.board_name,
                        **s.history_json(),
                    }
                    for s in self._with(status)
                ]
                for status in _statuses(self.policy)[3:]
            },
            "counts": self.counts(),
        }


def _statuses(policy: Policy) -> tuple[Status, ...]:
    """The statuses a policy can give: sustaining only with an exit rule, static only with [static]."""
    return (
        IDENTIFIED,
        NOT_IDENTIFIED,
        INSUFFICIENT_DATA,
        *((SUSTAINING,) if policy.exit is not None and policy.exit.sustaining_years else ()),
        *((STATIC,) if policy.static is not None else ()),
    )


# --------------------------------------------------------------------------- windows


def _check_year(year: str) -> int:
    if not isinstance(year, str) or not _YEAR_LABEL.match(year):
        raise ValueError(f"A school year looks like '2018-19', not {year!r}.")
    start = year_start_of(year)
    if school_year_label(start) != year:
        raise ValueError(
            f"{year!r} is not a school year: the second part must be the year after the first."
        )
    return start


def policy_window(policy: Policy, year: str) -> tuple[str, ...]:
    """The school years a policy looks at when judging `year`, oldest first.

    The years are calendar-consecutive whether or not there were tests in them,
    so a year without tests shows up as a gap rather than being skipped over.

    >>> from capacity.evidence.analytics.policy import load_policy
    >>> policy_window(load_policy("ofip-2016"), "2018-19")
    ('2017-18', '2018-19')
    """
    last = _check_year(year)
    return tuple(school_year_label(start) for start in range(last - policy.years + 1, last + 1))


# --------------------------------------------------------------------------- expressions


def _null_string() -> ir.StringValue:
    return cast(ir.StringValue, ibis.null("string"))


def _policy_rows(results: ir.Table, policy: Policy, first: int, last: int) -> ir.Table:
    """The results a policy reads in school years `first`..`last`, flagged usable and below.

    `usable` and `below` are 0/1 integers (not booleans) so every backend can sum
    them: PostgreSQL cannot cast a boolean to bigint and SQLite has no booleans.
    """
    check_columns(results, RESULTS_SCHEMA, "results")
    # Filter on the labels (not on year_start) so a database can use an index on
    # school_year, and a malformed label elsewhere in the table is never cast.
    rows = results.filter(
        results.group == policy.group,
        results.assessment.isin(list(policy.assessments)),
        results.school_year.isin([school_year_label(y) for y in range(first, last + 1)]),
    )
    pct = rows.pct_at_standard
    # A null status is taken as "reported": some CSV readers turn "" into null.
    usable = (rows.status.fill_null("") == "") & pct.notnull()
    if policy.min_participating > 0:
        usable = (
            usable & rows.participating.notnull() & (rows.participating >= policy.min_participating)
        )
    usable = usable.fill_null(False)
    below = (usable & (pct < policy.threshold)).fill_null(False)
    extra: dict[str, Any] = {}
    if policy.exit is not None:
        raised = (usable & (pct < policy.threshold + policy.exit.margin)).fill_null(False)
        extra["below_raised"] = ibis.ifelse(raised, 1, 0).cast("int64")
    return rows.select(
        "school_number",
        "school_name",
        "board_number",
        "board_name",
        "assessment",
        "participating",
        "pct_at_standard",
        ys=year_start(rows.school_year),
        usable=ibis.ifelse(usable, 1, 0).cast("int64"),
        below=ibis.ifelse(below, 1, 0).cast("int64"),
        **extra,
    )


def _meets(policy: Policy, below: ir.IntegerValue, usable: ir.IntegerValue) -> ir.BooleanValue:
    """The per-year rule on a year's counts of below and usable results.

    Counting by share compares whole numbers (below x denominator >= numerator x usable),
    so 4 of 6 meets a share of 2/3 exactly on every engine.
    """
    meets = below >= policy.min_assessments_below
    if policy.min_usable > 0:
        meets = meets & (usable >= policy.min_usable)
    if policy.count == "share" and policy.min_share_below is not None:
        share = policy.min_share_below
        meets = meets & (below * share.denominator >= usable * share.numerator)
    return cast(ir.BooleanValue, meets)


def _school_years(rows: ir.Table, policy: Policy, *, names: bool = True) -> ir.Table:
    """One row per school and school year: has_data, meets (0/1), the lowest usable result, names.

    `names=False` leaves the names out of the aggregation (see `_status_table`).
    """
    if policy.count == "share" or policy.min_usable > 0 or policy.has_history:
        return _school_years_counted(rows, policy)
    named: dict[str, Any] = {}
    if names:
        # One name per school and year in practice; max() keeps it deterministic.
        named = {
            "school_name": rows.school_name.max(),
            "board_number": rows.board_number.max(),
            "board_name": rows.board_name.max(),
        }
    return rows.group_by("school_number", "ys").aggregate(
        has_data=ibis.ifelse(rows.usable.sum() > 0, 1, 0).cast("int64"),
        meets=ibis.ifelse(rows.below.sum() >= policy.min_assessments_below, 1, 0).cast("int64"),
        min_pct=ibis.ifelse(rows.usable == 1, rows.pct_at_standard, ibis.null("float64")).min(),
        **named,
    )


def _school_years_counted(rows: ir.Table, policy: Policy) -> ir.Table:
    """`_school_years` for the options of issue 13: count by share, a floor of usable results,
    and the facts the history needs (meets with the raised threshold, the mean result).

    Counted in a first step (per school and year), then compared, so the comparison reads
    plain integers on every engine.
    """
    counted = rows.group_by("school_number", "ys").aggregate(
        usable_n=rows.usable.sum().cast("int64"),
        below_n=rows.below.sum().cast("int64"),
        raised_n=(rows.below_raised.sum() if policy.exit is not None else rows.below.sum()).cast(
            "int64"
        ),
        min_pct=ibis.ifelse(rows.usable == 1, rows.pct_at_standard, ibis.null("float64")).min(),
        mean_pct=ibis.ifelse(rows.usable == 1, rows.pct_at_standard, ibis.null("float64")).mean(),
        school_name=rows.school_name.max(),
        board_number=rows.board_number.max(),
        board_name=rows.board_name.max(),
    )
    return counted.mutate(
        has_data=ibis.ifelse(counted.usable_n > 0, 1, 0).cast("int64"),
        meets=ibis.ifelse(_meets(policy, counted.below_n, counted.usable_n), 1, 0).cast("int64"),
        meets_raised=ibis.ifelse(_meets(policy, counted.raised_n, counted.usable_n), 1, 0).cast(
            "int64"
        ),
    )


def _status_table(
    results: ir.Table, policy: Policy, eval_starts: Sequence[int], *, names: bool = True
) -> ir.Table:
    """Per school and evaluated year: the public columns plus `eval_start` and two bit masks.

    With `names=False` the school's and board's names are left out (null): picking
    them (the latest year's, by a join back) costs more than the rule itself on a
    national file, and identify() first only asks which schools it will list.

    `meet_mask` and `data_mask` have bit k set when the year k years before the
    evaluated one met the rule / had usable data, so identify() can name the
    years without a per-year query. (Bit arithmetic on small integers is exact
    and identical on every backend, unlike string aggregation.)
    """
    n = policy.years
    starts = sorted(set(eval_starts))
    rows = _policy_rows(results, policy, starts[0] - n + 1, starts[-1])
    sy = _school_years(rows, policy, names=names)
    if len(starts) == 1:
        # One evaluated year: no fan-out, and fewer layers for Ibis to compile.
        expanded = sy
        keys: list[Any] = ["school_number"]
        offset: ir.IntegerValue = starts[0] - sy.ys
        bit: ir.IntegerValue = ibis.cases(*((offset == k, 1 << k) for k in range(n)), else_=0)
    else:
        # Each school year belongs to the windows of the n evaluated years that
        # end at it or after it: fan it out once per offset, after aggregating.
        expanded = ibis.union(
            *(
                sy.mutate(
                    eval_start=(sy.ys + k).cast("int64"),
                    offset=ibis.literal(k, "int64"),
                    bit=ibis.literal(1 << k, "int64"),
                )
                for k in range(n)
            )
        )
        expanded = expanded.filter(expanded.eval_start.isin(starts))
        keys = ["school_number", "eval_start"]
        offset, bit = expanded.offset, expanded.bit

    agg = expanded.group_by(*keys).aggregate(
        years_meeting=expanded.meets.sum().cast("int64"),
        years_with_data=expanded.has_data.sum().cast("int64"),
        lowest_latest=ibis.ifelse(offset == 0, expanded.min_pct, ibis.null("float64")).min(),
        meet_mask=(expanded.meets * bit).sum().cast("int64"),
        data_mask=(expanded.has_data * bit).sum().cast("int64"),
        latest_ys=expanded.ys.max(),
    )
    if names:
        named = expanded.select(
            *keys, "school_name", "board_number", "board_name", latest_ys=expanded.ys
        )
        # Names come from the school's latest year in the window.
        joined = agg.join(named, [*keys, "latest_ys"])
    else:
        joined = agg.mutate(
            school_name=_null_string(), board_number=_null_string(), board_name=_null_string()
        )
    eval_start = joined.eval_start if len(starts) > 1 else ibis.literal(starts[0], "int64")

    meeting = joined.years_meeting
    missing = (n - joined.years_with_data).cast("int64")
    status = ibis.cases(
        (meeting >= policy.min_years, IDENTIFIED),
        (meeting + missing < policy.min_years, NOT_IDENTIFIED),
        else_=INSUFFICIENT_DATA,
    )
    if policy.categories:
        # The first category (lowest `below` first) that the lowest latest result is under.
        ranked = ibis.cases(
            *((joined.lowest_latest < c.below, c.name) for c in policy.categories),
            else_=_null_string(),
        )
        category = ibis.ifelse(status == IDENTIFIED, ranked, _null_string())
    else:
        category = _null_string()
    return joined.select(
        school_number=joined.school_number,
        school_name=joined.school_name,
        board_number=joined.board_number,
        board_name=joined.board_name,
        status=status,
        years_meeting=meeting,
        years_missing=missing,
        lowest_latest=joined.lowest_latest.cast("float64"),
        category=category.cast("string"),
        eval_start=eval_start.cast("int64"),
        meet_mask=joined.meet_mask,
        data_mask=joined.data_mask,
    )


def identification_table(results: ir.Table, policy: Policy, year: str) -> ir.Table:
    """One row per school with a policy result in the window ending at `year`.

    Columns: school_number, school_name, board_number, board_name, status
    ("identified", "not_identified" or "insufficient_data"), years_meeting,
    years_missing, lowest_latest (the lowest usable policy result in `year`)
    and category (null unless identified under a policy with categories).
    Nothing runs until the expression is executed.

    >>> from capacity.evidence.analytics.examples import two_schools
    >>> from capacity.evidence.analytics.policy import load_policy
    >>> table = identification_table(two_schools(), load_policy("ofip-2016"), "2018-19")
    >>> table.select("school_number", "status", "years_meeting").order_by("school_number").to_pyarrow().to_pylist()
    [{'school_number': '000002', 'status': 'not_identified', 'years_meeting': 0},
     {'school_number': '019186', 'status': 'identified', 'years_meeting': 2}]
    """
    table = _status_table(results, policy, [_check_year(year)])
    return table.select(*TABLE_COLUMNS).order_by("school_number")


def _reason_rows(results: ir.Table, policy: Policy, year: str) -> ir.Table:
    """The below results in the window years where the school met the rule."""
    last = _check_year(year)
    rows = _policy_rows(results, policy, last - policy.years + 1, last)
    window = ibis.window(group_by=[rows.school_number, rows.ys])
    rows = rows.mutate(year_below=rows.below.sum().over(window))
    if policy.count == "share" or policy.min_usable > 0:
        rows = rows.mutate(year_usable=rows.usable.sum().over(window))
        rows = rows.filter(rows.below == 1, _meets(policy, rows.year_below, rows.year_usable))
    else:
        rows = rows.filter(rows.below == 1, rows.year_below >= policy.min_assessments_below)
    return rows.select("school_number", "ys", "assessment", "pct_at_standard", "participating")


@functools.lru_cache(maxsize=4096)
def _masked_years(window: tuple[str, ...], mask: int) -> tuple[str, ...]:
    """The window years whose bit is set; bit k is the year k years before the last.

    Kept per (window, mask): a national run asks for it twice per school, and a
    three-year window has eight masks.
    """
    n = len(window)
    return tuple(label for i, label in enumerate(window) if mask & (1 << (n - 1 - i)))


def identify(
    results: ir.Table, policy: Policy, year: str, *, every_school: bool = True
) -> Identification:
    """Run a policy for one school year and explain every school's status.

    With `every_school=False` the schools not identified are counted but not
    listed (`Identification.not_listed`): what `capacity identify` prints, where
    a national run has a hundred thousand of them and a few thousand others.

    Queries: the years with results, the per-school status table, the below results
    that count as reasons, the status in the previous year with results (for a policy
    with an exit or static rule: every earlier year, walked in order), and the
    results of the schools that entered or left (what moved). With `every_school=False`
    and no history, a first pass without names finds the schools to list, and the other
    queries read only their results (`_listed_only`).

    >>> from capacity.evidence.analytics.examples import two_schools
    >>> from capacity.evidence.analytics.policy import load_policy
    >>> found = identify(two_schools(), load_policy("ofip-2016"), "2018-19")
    >>> [(s.school_number, [r.assessment for r in s.reasons][:4]) for s in found.identified]
    [('019186', ['G3-READ', 'G3-WRITE', 'G3-MATH', 'G6-READ'])]
    """
    window = policy_window(policy, year)
    first = year_start_of(window[0])
    last = year_start_of(year)
    # The years with results, across every school: the previous year is the system's, not a school's.
    earlier = [y for y in _data_years(results, policy) if y < last]
    previous = earlier[-1] if earlier else None
    not_listed = 0
    narrowed = False
    if not every_school and not policy.has_history:
        before = results
        results, not_listed = _listed_only(results, policy, last)
        narrowed = results is not before
    previous_status: dict[str, str] = {}
    if narrowed and previous is not None:
        # A few thousand schools: both years' statuses in one query (the previous one's for
        # whether a school entered), split here.
        import pyarrow.compute as pc

        both = _status_table(results, policy, [previous, last]).to_pyarrow()
        latest = pc.equal(both.column("eval_start"), last)
        status_columns = both.filter(latest).to_pydict()
        earlier_rows = both.filter(pc.invert(latest)).select(["school_number", "status"])
        previous_status = dict(
            zip(
                earlier_rows.column("school_number").to_pylist(),
                earlier_rows.column("status").to_pylist(),
                strict=True,
            )
        )
    else:
        # Column by column: a national file's hundred thousand rows as dicts cost more than the query.
        status_columns = _status_table(results, policy, [last]).to_pyarrow().to_pydict()
    reason_rows = _reason_rows(results, policy, year).to_pyarrow().to_pylist()

    standings: dict[str, dict[int, history.Standing]] = {}
    trends: dict[str, dict[int, Trend | None]] = {}
    if policy.has_history:
        standings, trends, _ = _standings(results, policy, [*earlier, last])
        if previous is not None:
            previous_status = {
                number: by_year[previous].status
                for number, by_year in standings.items()
                if previous in by_year
            }
    elif previous is not None and not narrowed:
        prev_rows = _status_table(results, policy, [previous]).select("school_number", "status")
        previous_status = {
            r["school_number"]: r["status"] for r in prev_rows.to_pyarrow().to_pylist()
        }

    order = {code: i for i, code in enumerate(policy.assessments)}
    reasons: dict[str, list[tuple[int, int, Reason]]] = {}
    for row in reason_rows:
        ys = int(row["ys"])
        participating = row["participating"]
        reason = Reason(
            school_year=window[ys - first],
            assessment=row["assessment"],
            pct_at_standard=float(row["pct_at_standard"]),
            participating=None if participating is None else int(participating),
        )
        reasons.setdefault(row["school_number"], []).append((ys, order[reason.assessment], reason))

    full_mask = (1 << policy.years) - 1
    previous_label = None if previous is None else school_year_label(previous)
    schools = []
    # A national file has a hundred thousand schools, most of them with no reasons and no
    # history: the loop does for each only what its own row asks.
    for (
        number,
        name,
        board_number,
        board_name,
        entry,
        category,
        lowest,
        meet_mask,
        data_mask,
    ) in zip(
        *(
            status_columns[column]
            for column in (
                "school_number",
                "school_name",
                "board_number",
                "board_name",
                "status",
                "category",
                "lowest_latest",
                "meet_mask",
                "data_mask",
            )
        ),
        strict=True,
    ):
        standing = standings.get(number, {}).get(last) if standings else None
        status = cast(Status, entry if standing is None else standing.status)
        if status == NOT_IDENTIFIED and not every_school:
            not_listed += 1
            continue
        if standing is not None and standing.held:
            category = _held_category(policy, lowest)
        own_reasons = reasons.get(number)
        schools.append(
            SchoolStatus(
                school_number=number,
                school_name=name,
                board_number=board_number,
                board_name=board_name,
                status=status,
                reasons=tuple(r for _, _, r in sorted(own_reasons, key=lambda t: t[:2]))
                if own_reasons
                else (),
                years_meeting=_masked_years(window, int(meet_mask)),
                missing=_masked_years(window, full_mask & ~int(data_mask)),
                category=category if status == IDENTIFIED else None,
                entry_status=entry,
                held=bool(standing and standing.held),
                clear_years=tuple(school_year_label(y) for y in standing.clear) if standing else (),
                left_in=(
                    school_year_label(standing.left_in)
                    if standing and standing.left_in is not None and status == SUSTAINING
                    else None
                ),
                sustaining_years_left=standing.sustaining_left
                if standing and status == SUSTAINING
                else 0,
                trend=trends[number].get(last) if number in trends else None,
                previous_year=previous_label,
                previous_status=previous_status.get(number),
            )
        )
    if previous is not None:
        moved = {
            (s.school_number, last): (previous, "entered" if s.entered else "left")
            for s in schools
            if s.entered or s.left
        }
        found_changes = _changes(results, policy, moved)
        # Only the schools that entered or left have changes to add.
        schools = [
            replace(s, changes=tuple(found_changes[key]))
            if (key := (s.school_number, last)) in found_changes
            else s
            for s in schools
        ]
    schools.sort(key=lambda s: s.school_number)  # in Python: database collations differ
    return Identification(
        policy=policy, year=year, window=window, schools=tuple(schools), not_listed=not_listed
    )


# Up to this many schools to list, identify(every_school=False) reads only their results after
# a first pass without names; more, and narrowing saves little: it reads every school's.
LISTED_ONLY_LIMIT = 20_000


def _listed_only(results: ir.Table, policy: Policy, last: int) -> tuple[ir.Table, int]:
    """The results of the schools identify() will list, and how many schools it will not list.

    A first pass runs the rule without names and keeps the schools whose status is not
    "not identified"; every later query (names, reasons, the previous year's status) reads
    only their results. A school's status depends on its own results alone, so each listed
    school's figures are the same as from the whole table. Only for a policy without a
    history: there a school's final status comes from the walk, not this pass. With more
    than LISTED_ONLY_LIMIT schools to list, the whole table is kept (counted the same).
    """
    import pyarrow.compute as pc

    first_pass = _status_table(results, policy, [last], names=False)
    statuses = first_pass.select("school_number", "status").to_pyarrow()
    listed = statuses.filter(pc.not_equal(statuses.column("status"), NOT_IDENTIFIED))
    if listed.num_rows > LISTED_ONLY_LIMIT:
        return results, 0  # the loop counts the schools it does not list
    # A table the engine joins with, not a list in the query: compiling thousands of literals
    # took longer than running the query.
    numbers = ibis.memtable(listed.select(["school_number"]))
    narrowed = results.filter(results.school_number.isin(numbers.school_number))
    return narrowed, statuses.num_rows - listed.num_rows


# How far back an entry or exit looks for the year it is compared with (school years).
_LOOKBACK = 10


def _held_category(policy: Policy, lowest: float | None) -> str | None:
    """A held school's category: as for any identified school, else the last (lightest) one."""
    if not policy.categories:
        return None
    for category in policy.categories:
        if lowest is not None and lowest < category.below:
            return category.name
    return policy.categories[-1].name


def _standings(
    results: ir.Table, policy: Policy, starts: Sequence[int]
) -> tuple[
    dict[str, dict[int, history.Standing]],
    dict[str, dict[int, Trend | None]],
    list[dict[str, Any]],
]:
    """Every school's standing in each evaluated year, the history options applied.

    Two queries: the window rule's status per school and evaluated year, and the
    per-year facts (usable data, meeting the raised rule, the mean result). The walk
    itself is plain Python over at most a few rows per school (history.walk).
    Also gives the status rows (names, boards) with `status` replaced.
    """
    starts = sorted(set(starts))
    table = _status_table(results, policy, starts)
    rows = table.select(
        "school_number", "school_name", "board_number", "board_name", "eval_start", "status"
    )
    status_rows = rows.to_pyarrow().to_pylist()
    reach = policy.static.years - 1 if policy.static is not None else 0
    facts_table = _school_years(
        _policy_rows(results, policy, starts[0] - reach, starts[-1]), policy
    ).select("school_number", "ys", "has_data", "meets_raised", "mean_pct")
    facts: dict[str, dict[int, dict[str, Any]]] = {}
    for row in facts_table.to_pyarrow().to_pylist():
        facts.setdefault(row["school_number"], {})[int(row["ys"])] = row
    entries: dict[str, dict[int, str]] = {}
    for row in status_rows:
        entries.setdefault(row["school_number"], {})[int(row["eval_start"])] = row["status"]

    standings: dict[str, dict[int, history.Standing]] = {}
    trends: dict[str, dict[int, Trend | None]] = {}
    for number, entry_by_year in entries.items():
        own = facts.get(number, {})
        walked = history.walk(
            [
                history.Fact(
                    start=start,
                    entry=entry_by_year.get(start),
                    has_data=bool(own.get(start, {}).get("has_data")),
                    meets_raised=bool(own.get(start, {}).get("meets_raised")),
                )
                for start in starts
            ],
            policy.exit,
        )
        # Rounded: engines may sum in another order, and the trend must not differ in the last bit.
        means = {
            ys: round(float(row["mean_pct"]), 6)
            for ys, row in own.items()
            if row["mean_pct"] is not None
        }
        school_trends: dict[int, Trend | None] = {}
        for start, standing in walked.items():
            found = history.trend(means, start, policy.static) if policy.static else None
            school_trends[start] = found
            if history.is_static(standing, found):
                walked[start] = replace(standing, status=STATIC)
        standings[number] = walked
        trends[number] = school_trends
    for row in status_rows:
        row["entry_status"] = row["status"]
        row["status"] = standings[row["school_number"]][int(row["eval_start"])].status
    return standings, trends, status_rows


def _changes(
    results: ir.Table, policy: Policy, moved: dict[tuple[str, int], tuple[int, str]]
) -> dict[tuple[str, int], list[Change]]:
    """What moved for each (school, year) that entered or left.

    `moved` maps (school number, evaluated year) to (the previous evaluated year,
    "entered" or "left"). A school that entered is compared with the latest earlier
    year with results in which it did not meet the per-year rule (under a two-year
    rule, the year before the window: what kept it out); one that left, with the
    latest earlier year in which it met the rule (what kept it in). Without such a
    year, with the previous evaluated year. Two queries over those schools only:
    their per-year facts and their results.
    """
    if not moved:
        return {}
    numbers = sorted({number for number, _ in moved})
    lo = min(min(y for _, y in moved), min(p for p, _ in moved.values())) - _LOOKBACK
    hi = max(y for _, y in moved)
    rows = _policy_rows(results, policy, lo, hi)
    rows = rows.filter(rows.school_number.isin(numbers))
    years = _school_years(rows, policy).select("school_number", "ys", "has_data", "meets")
    facts: dict[str, dict[int, tuple[bool, bool]]] = {}
    for row in years.to_pyarrow().to_pylist():
        facts.setdefault(row["school_number"], {})[int(row["ys"])] = (
            bool(row["has_data"]),
            bool(row["meets"]),
        )
    rows = rows.select("school_number", "ys", "assessment", "pct_at_standard", "usable", "below")
    found: dict[tuple[str, int, str], tuple[float | None, bool]] = {}
    for row in rows.to_pyarrow().to_pylist():
        pct = float(row["pct_at_standard"]) if row["usable"] else None
        found[(row["school_number"], int(row["ys"]), row["assessment"])] = (pct, bool(row["below"]))
    bases: dict[tuple[str, int], tuple[int, str]] = {}
    for (number, now), (previous, kind) in moved.items():
        wanted = kind == "left"  # entered: a year that did not meet; left: one that did
        earlier = [
            ys
            for ys, (has_data, meets) in facts.get(number, {}).items()
            if ys < now and has_data and meets == wanted
        ]
        bases[(number, now)] = (max(earlier) if earlier else previous, kind)
    moved = bases
    margin = policy.exit.margin if policy.exit is not None else 0.0
    out: dict[tuple[str, int], list[Change]] = {}
    for (number, now), (before, kind) in moved.items():
        changes = []
        for code in policy.assessments:
            pct_then, below_then = found.get((number, before, code), (None, False))
            pct_now, below_now = found.get((number, now, code), (None, False))
            if kind == "entered" and below_now and not below_then:
                direction: Literal["below", "above"] = "below"
            elif kind == "left" and below_then and pct_now is not None and not below_now:
                direction = "above"
            else:
                continue
            changes.append(
                Change(
                    assessment=code,
                    before_year=school_year_label(before),
                    before_pct=pct_then,
                    now_year=school_year_label(now),
                    now_pct=pct_now,
                    direction=direction,
                    above_margin=direction == "above"
                    and pct_now is not None
                    and pct_now >= policy.threshold + margin,
                )
            )
        out[(number, now)] = changes
    return out


# --------------------------------------------------------------------------- over time


@dataclass(frozen=True)
class OverTime:
    """How identification moves from year to year under one policy.

    Every mapping is keyed by school year label (oldest first) and holds plain
    lists and dicts, ready for templates and JSON. Entries and exits compare
    each evaluated year with the previous *evaluated* year (the nearest earlier
    year with results: after Ontario's 2019-20 and 2020-21, when no tests were
    given, 2021-22 is compared with 2018-19; `previous` and `skipped` say so);
    the first has nothing to compare with, so its lists are empty.
    `movement()` puts the lists together so that each year reconciles.
    """

    policy: Policy
    years: list[str]
    # year -> {"schools", "identified", "not_identified", "insufficient_data"}
    counts: dict[str, dict[str, int]]
    # year -> school numbers identified now, not identified (or absent) the previous year
    entries: dict[str, list[str]]
    # year -> identified the previous year, not_identified now: they transitioned out
    exits: dict[str, list[str]]
    # year -> identified the previous year, insufficient_data now (a gap, not an exit)
    exits_to_insufficient: dict[str, list[str]]
    # year -> insufficient_data the previous year, identified now (not counted as entries)
    entries_from_insufficient: dict[str, list[str]]
    # year -> identified the previous year, no policy result at all in this year's window
    exits_without_data: dict[str, list[str]]
    # school number -> consecutive evaluated years identified, for schools identified in the last year
    durations: dict[str, int]
    # year -> board number -> {"schools", "identified", "not_identified", "insufficient_data"}
    by_board: dict[str, dict[str, dict[str, int]]]
    # board number -> board name
    boards: dict[str, str]
    # school number -> {"school_name", "board_number"} for every school named in the lists above
    schools: dict[str, dict[str, str]] = field(default_factory=dict)
    # year -> the evaluated year it is compared with (None for the first)
    previous: dict[str, str | None] = field(default_factory=dict)
    # year -> the calendar school years between `previous` and it that had no results (a gap)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    # year -> school number -> what moved (Change.to_json()), for every entry and exit
    changes: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    def movement(self) -> list[Movement]:
        """Each evaluated year as identified before, plus entries, minus exits, oldest first.

        >>> from capacity.evidence.analytics.examples import two_schools
        >>> from capacity.evidence.analytics.policy import load_policy
        >>> rows = identification_over_time(two_schools(), load_policy("ofip-2016")).movement()
        >>> [(m.year, m.compared_with, m.before, m.entered, m.left, m.identified) for m in rows]
        [('2017-18', None, 0, 0, 0, 0), ('2018-19', '2017-18', 0, 1, 0, 1)]
        >>> all(m.reconciles for m in rows)
        True
        """
        rows = []
        for year in self.years:
            previous = self.previous.get(year)
            rows.append(
                Movement(
                    year=year,
                    compared_with=previous,
                    skipped=tuple(self.skipped.get(year, [])),
                    before=self.counts[previous][IDENTIFIED] if previous else 0,
                    entries=len(self.entries.get(year, [])),
                    entries_from_insufficient=len(self.entries_from_insufficient.get(year, [])),
                    exits=len(self.exits.get(year, [])),
                    exits_to_insufficient=len(self.exits_to_insufficient.get(year, [])),
                    exits_without_data=len(self.exits_without_data.get(year, [])),
                    identified=self.counts[year][IDENTIFIED],
                )
            )
        return rows

    def duration_histogram(self) -> dict[int, int]:
        """How many schools identified in the last year have been identified for 1, 2, ... years."""
        histogram: dict[int, int] = {}
        for years in self.durations.values():
            histogram[years] = histogram.get(years, 0) + 1
        return dict(sorted(histogram.items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": {
                "name": self.policy.name,
                "version": self.policy.version,
                "title": self.policy.title,
            },
            "years": list(self.years),
            "counts": self.counts,
            "entries": self.entries,
            "exits": self.exits,
            "exits_to_insufficient": self.exits_to_insufficient,
            "entries_from_insufficient": self.entries_from_insufficient,
            "exits_without_data": self.exits_without_data,
            "durations": self.durations,
            "duration_histogram": {str(k): v for k, v in self.duration_histogram().items()},
            "by_board": self.by_board,
            "boards": self.boards,
            "schools": self.schools,
            "previous": self.previous,
            "skipped": self.skipped,
            "changes": self.changes,
        }


@dataclass(frozen=True)
class Movement:
    """One evaluated year's identified schools, reconciled with the year it is compared with.

    identified = before + entries + entries_from_insufficient
                 - exits - exits_to_insufficient - exits_without_data
    """

    year: str
    compared_with: str | None  # the nearest earlier year with results; None for the first year
    skipped: tuple[str, ...]  # school years between the two with no results
    before: int  # identified in `compared_with`
    entries: int  # identified now; not identified, or absent, then
    entries_from_insufficient: int  # identified now; insufficient data then
    exits: int  # identified then; not identified now (they improved)
    exits_to_insufficient: int  # identified then; insufficient data now (a gap, not an improvement)
    exits_without_data: int  # identified then; no result at all in this year's window
    identified: int

    @property
    def entered(self) -> int:
        return self.entries + self.entries_from_insufficient

    @property
    def left(self) -> int:
        return self.exits + self.exits_to_insufficient + self.exits_without_data

    @property
    def reconciles(self) -> bool:
        """True when the year's identified schools are the previous ones plus entries minus exits."""
        return self.identified == self.before + self.entered - self.left


def _data_years(results: ir.Table, policy: Policy) -> list[int]:
    check_columns(results, RESULTS_SCHEMA, "results")
    rows = results.filter(
        results.group == policy.group, results.assessment.isin(list(policy.assessments))
    )
    labels = rows.select("school_year").distinct().to_pyarrow().column("school_year").to_pylist()
    return sorted(
        year_start_of(label)
        for label in labels
        if isinstance(label, str) and _YEAR_LABEL.match(label)
    )


def _empty_counts(policy: Policy | None = None) -> dict[str, int]:
    statuses = _statuses(policy) if policy is not None else STATUSES[:3]
    return {"schools": 0, **dict.fromkeys(statuses, 0)}


def identification_over_time(
    results: ir.Table, policy: Policy, years: Sequence[str] | None = None
) -> OverTime:
    """Identification in each of `years` (default: every year with policy results), with entries and exits.

    Three small queries: the years (when not given), counts per year, board and
    status, and the rows of schools identified in a year or the year before.

    >>> from capacity.evidence.analytics.examples import two_schools
    >>> from capacity.evidence.analytics.policy import load_policy
    >>> over = identification_over_time(two_schools(), load_policy("ofip-2016"))
    >>> over.counts["2018-19"]["identified"], over.counts["2017-18"]["insufficient_data"], over.exits["2018-19"]
    (1, 1, [])
    """
    starts = (
        sorted({_check_year(y) for y in years})
        if years is not None
        else _data_years(results, policy)
    )
    labels = [school_year_label(s) for s in starts]
    empty = OverTime(
        policy=policy,
        years=labels,
        counts={y: _empty_counts(policy) for y in labels},
        entries={y: [] for y in labels},
        exits={y: [] for y in labels},
        exits_to_insufficient={y: [] for y in labels},
        entries_from_insufficient={y: [] for y in labels},
        exits_without_data={y: [] for y in labels},
        durations={},
        by_board={y: {} for y in labels},
        boards={},
        previous={y: (labels[i - 1] if i else None) for i, y in enumerate(labels)},
        # The calendar years strictly between two evaluated years had no results.
        skipped={
            y: [school_year_label(s) for s in range(starts[i - 1] + 1, starts[i])] if i else []
            for i, y in enumerate(labels)
        },
    )
    if not starts:
        return empty
    if policy.has_history:
        return _with_changes(results, _over_time_walked(results, policy, starts, empty))
    table = _status_table(results, policy, starts)

    # Counts per year, board and status.
    counted = table.group_by("eval_start", "board_number", "status").aggregate(
        n=table.count().cast("int64"), board_name=table.board_name.max()
    )
    counts, by_board, boards = empty.counts, empty.by_board, empty.boards
    board_name_year: dict[str, int] = {}
    for row in counted.to_pyarrow().to_pylist():
        label = school_year_label(int(row["eval_start"]))
        board = row["board_number"]
        n = int(row["n"])
        counts[label][row["status"]] += n
        counts[label]["schools"] += n
        board_counts = by_board[label].setdefault(board, _empty_counts())
        board_counts[row["status"]] += n
        board_counts["schools"] += n
        if int(row["eval_start"]) >= board_name_year.get(board, -1):
            board_name_year[board] = int(row["eval_start"])
            boards[board] = row["board_name"]
    for label in labels:
        by_board[label] = dict(sorted(by_board[label].items()))

    # The previous and next evaluated year of each evaluated year, as expressions.
    def neighbour(pairs: list[tuple[int, int]]) -> ir.IntegerValue:
        if not pairs:
            return cast(ir.IntegerValue, ibis.null("int64"))
        return cast(
            ir.IntegerValue,
            ibis.cases(
                *((table.eval_start == a, b) for a, b in pairs), else_=ibis.null("int64")
            ).cast("int64"),
        )

    previous_of = neighbour(list(zip(starts[1:], starts[:-1], strict=True)))
    next_of = neighbour(list(zip(starts[:-1], starts[1:], strict=True)))
    by_school = ibis.window(group_by="school_number", order_by="eval_start")
    lagged = table.mutate(
        lag_eval=table.eval_start.lag().over(by_school),
        lag_status=table.status.lag().over(by_school),
        lead_eval=table.eval_start.lead().over(by_school),
        previous_of=previous_of,
        next_of=next_of,
    )
    # The status in the previous evaluated year, null when the school was absent then.
    lagged = lagged.mutate(
        prev_status=ibis.ifelse(
            lagged.lag_eval == lagged.previous_of, lagged.lag_status, _null_string()
        )
    )
    events = lagged.filter(
        (lagged.status == IDENTIFIED) | (lagged.prev_status.fill_null("") == IDENTIFIED)
    )
    events = events.select(
        "eval_start",
        "school_number",
        "school_name",
        "board_number",
        "status",
        "prev_status",
        "lead_eval",
        "next_of",
    )

    first = starts[0]
    identified_in: dict[str, set[int]] = {}
    schools: dict[str, dict[str, str]] = {}
    lists = (
        empty.entries,
        empty.exits,
        empty.exits_to_insufficient,
        empty.entries_from_insufficient,
        empty.exits_without_data,
    )
    for row in events.to_pyarrow().to_pylist():
        start = int(row["eval_start"])
        label = school_year_label(start)
        number = row["school_number"]
        status, prev = row["status"], row["prev_status"]
        schools[number] = {"school_name": row["school_name"], "board_number": row["board_number"]}
        if status == IDENTIFIED:
            identified_in.setdefault(number, set()).add(start)
            if row["next_of"] is not None and row["lead_eval"] != row["next_of"]:
                empty.exits_without_data[school_year_label(int(row["next_of"]))].append(number)
            if start == first:
                continue
            if prev == INSUFFICIENT_DATA:
                empty.entries_from_insufficient[label].append(number)
            elif prev != IDENTIFIED:
                empty.entries[label].append(number)
        elif prev == IDENTIFIED:
            target = empty.exits if status == NOT_IDENTIFIED else empty.exits_to_insufficient
            target[label].append(number)
    for mapping in lists:
        for values in mapping.values():
            values.sort()

    durations: dict[str, int] = {}
    for number, identified_years in identified_in.items():
        if starts[-1] not in identified_years:
            continue
        run = 0
        for start in reversed(starts):
            if start not in identified_years:
                break
            run += 1
        durations[number] = run
    return _with_changes(
        results,
        OverTime(
            policy=policy,
            years=labels,
            counts=counts,
            entries=empty.entries,
            exits=empty.exits,
            exits_to_insufficient=empty.exits_to_insufficient,
            entries_from_insufficient=empty.entries_from_insufficient,
            exits_without_data=empty.exits_without_data,
            durations=dict(sorted(durations.items())),
            by_board=by_board,
            boards=dict(sorted(boards.items())),
            schools=dict(sorted(schools.items())),
            previous=empty.previous,
            skipped=empty.skipped,
        ),
    )


def _with_changes(results: ir.Table, over: OverTime) -> OverTime:
    """The same OverTime with `changes`: what moved for each entry and exit (one query)."""
    moved: dict[tuple[str, int], tuple[int, str]] = {}
    for kind, mapping in (("entered", over.entries), ("left", over.exits)):
        for label, numbers in mapping.items():
            previous = over.previous.get(label)
            if previous is None:
                continue
            for number in numbers:
                moved[(number, year_start_of(label))] = (year_start_of(previous), kind)
    found = _changes(results, over.policy, moved)
    changes: dict[str, dict[str, list[dict[str, Any]]]] = {label: {} for label in over.years}
    for (number, start), items in sorted(found.items()):
        changes[school_year_label(start)][number] = [c.to_json() for c in items]
    return replace(over, changes=changes)


def _over_time_walked(
    results: ir.Table, policy: Policy, starts: list[int], empty: OverTime
) -> OverTime:
    """identification_over_time for a policy with an exit or static rule: the statuses come from
    the walk over the years (history.walk), so the lists are made in Python from the status rows."""
    _, _, rows = _standings(results, policy, starts)
    labels = empty.years
    counts = {label: _empty_counts(policy) for label in labels}
    by_board: dict[str, dict[str, dict[str, int]]] = {label: {} for label in labels}
    boards: dict[str, str] = {}
    board_year: dict[str, int] = {}
    status_of: dict[str, dict[int, str]] = {}
    names: dict[str, dict[str, str]] = {}
    name_year: dict[str, int] = {}
    for row in rows:
        start, number, board = int(row["eval_start"]), row["school_number"], row["board_number"]
        label = school_year_label(start)
        counts[label][row["status"]] += 1
        counts[label]["schools"] += 1
        board_counts = by_board[label].setdefault(board, _empty_counts(policy))
        board_counts[row["status"]] += 1
        board_counts["schools"] += 1
        if start >= board_year.get(board, -1):
            board_year[board], boards[board] = start, row["board_name"]
        status_of.setdefault(number, {})[start] = row["status"]
        if start >= name_year.get(number, -1):  # the name in the school's latest evaluated year
            name_year[number] = start
            names[number] = {"school_name": row["school_name"], "board_number": board}
    schools: dict[str, dict[str, str]] = {}
    for number, by_year in status_of.items():
        for i, start in enumerate(starts):
            label = school_year_label(start)
            now = by_year.get(start)
            prev = by_year.get(starts[i - 1]) if i else None
            if i == 0 or (now != IDENTIFIED and prev != IDENTIFIED):
                continue
            schools[number] = names[number]
            if now == IDENTIFIED:
                if prev == INSUFFICIENT_DATA:
                    empty.entries_from_insufficient[label].append(number)
                elif prev != IDENTIFIED:
                    empty.entries[label].append(number)
            elif now is None:
                empty.exits_without_data[label].append(number)
            elif now == INSUFFICIENT_DATA:
                empty.exits_to_insufficient[label].append(number)
            else:
                empty.exits[label].append(number)
        if by_year.get(starts[0]) == IDENTIFIED:
            schools[number] = names[number]
    for mapping in (
        empty.entries,
        empty.exits,
        empty.exits_to_insufficient,
        empty.entries_from_insufficient,
        empty.exits_without_data,
    ):
        for values in mapping.values():
            values.sort()
    durations: dict[str, int] = {}
    for number, by_year in status_of.items():
        run = 0
        for start in reversed(starts):
            if by_year.get(start) != IDENTIFIED:
                break
            run += 1
        if run:
            durations[number] = run
    return replace(
        empty,
        counts=counts,
        durations=dict(sorted(durations.items())),
        by_board={label: dict(sorted(by_board[label].items())) for label in labels},
        boards=dict(sorted(boards.items())),
        schools=dict(sorted(schools.items())),
    )


# --------------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class Simulation:
    """What changes if `proposed` replaces `current` for one school year."""

    current: Policy
    proposed: Policy
    year: str
    # Each school: school_number, school_name, board_number, board_name, current_status, proposed_status
    # (a status is None when the school had no result in that policy's window).
    entering: list[dict[str, Any]]  # identified under proposed, not under current
    leaving: list[dict[str, Any]]  # identified under current, not under proposed
    counts: dict[str, int]  # {"current", "proposed", "entering", "leaving"}
    # board number -> {"board_name", "current", "proposed", "entering", "leaving"}
    by_board: dict[str, dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        def describe(policy: Policy) -> dict[str, Any]:
            return {"name": policy.name, "version": policy.version, "title": policy.title}

        return {
            "current": describe(self.current),
            "proposed": describe(self.proposed),
            "year": self.year,
            "entering": self.entering,
            "leaving": self.leaving,
            "counts": self.counts,
            "by_board": self.by_board,
        }


def simulate(results: ir.Table, current: Policy, proposed: Policy, year: str) -> Simulation:
    """Compare two policies for one year: which schools would enter and leave, by board.

    One query, returning only the schools identified under either policy.

    >>> from capacity.evidence.analytics.examples import two_schools
    >>> from capacity.evidence.analytics.policy import load_policy
    >>> ofip = load_policy("ofip-2016")
    >>> simulate(two_schools(), ofip, ofip.with_threshold(60), "2018-19").counts
    {'current': 1, 'proposed': 2, 'entering': 1, 'leaving': 0}
    """
    _check_year(year)
    if current.has_history or proposed.has_history:
        return _simulate_walked(results, current, proposed, year)
    sides = []
    for side, policy in (("current", current), ("proposed", proposed)):
        table = _status_table(results, policy, [year_start_of(year)])
        sides.append(
            table.select(
                "school_number",
                "school_name",
                "board_number",
                "board_name",
                current_status=table.status if side == "current" else _null_string(),
                proposed_status=table.status if side == "proposed" else _null_string(),
            )
        )
    both = ibis.union(*sides)
    # max() of a column with one non-null value per school: safe under any collation.
    merged = both.group_by("school_number").aggregate(
        school_name=both.school_name.max(),
        board_number=both.board_number.max(),
        board_name=both.board_name.max(),
        current_status=both.current_status.max(),
        proposed_status=both.proposed_status.max(),
    )
    merged = merged.filter(
        (merged.current_status.fill_null("") == IDENTIFIED)
        | (merged.proposed_status.fill_null("") == IDENTIFIED)
    )
    entering: list[dict[str, Any]] = []
    leaving: list[dict[str, Any]] = []
    by_board: dict[str, dict[str, Any]] = {}
    for row in sorted(merged.to_pyarrow().to_pylist(), key=lambda r: r["school_number"]):
        now, then = row["proposed_status"] == IDENTIFIED, row["current_status"] == IDENTIFIED
        board = by_board.setdefault(
            row["board_number"],
            {
                "board_name": row["board_name"],
                "current": 0,
                "proposed": 0,
                "entering": 0,
                "leaving": 0,
            },
        )
        board["current"] += int(then)
        board["proposed"] += int(now)
        if now and not then:
            entering.append(row)
            board["entering"] += 1
        elif then and not now:
            leaving.append(row)
            board["leaving"] += 1
    by_board = dict(sorted(by_board.items()))
    counts = {
        "current": sum(b["current"] for b in by_board.values()),
        "proposed": sum(b["proposed"] for b in by_board.values()),
        "entering": len(entering),
        "leaving": len(leaving),
    }
    return Simulation(
        current=current,
        proposed=proposed,
        year=year,
        entering=entering,
        leaving=leaving,
        counts=counts,
        by_board=by_board,
    )


def _simulate_walked(results: ir.Table, current: Policy, proposed: Policy, year: str) -> Simulation:
    """simulate() when a policy has an exit or static rule: its statuses come from the walk
    over the years, so both sides are identified in full and compared in Python."""
    now = {s.school_number: s for s in identify(results, current, year).schools}
    then = {s.school_number: s for s in identify(results, proposed, year).schools}
    entering: list[dict[str, Any]] = []
    leaving: list[dict[str, Any]] = []
    by_board: dict[str, dict[str, Any]] = {}
    for number in sorted(set(now) | set(then)):
        a, b = now.get(number), then.get(number)
        was, will = bool(a and a.status == IDENTIFIED), bool(b and b.status == IDENTIFIED)
        if not (was or will):
            continue
        school = cast(SchoolStatus, b or a)
        row = {
            "school_number": number,
            "school_name": school.school_name,
            "board_number": school.board_number,
            "board_name": school.board_name,
            "current_status": a.status if a else None,
            "proposed_status": b.status if b else None,
        }
        board = by_board.setdefault(
            school.board_number,
            {
                "board_name": school.board_name,
                "current": 0,
                "proposed": 0,
                "entering": 0,
                "leaving": 0,
            },
        )
        board["current"] += int(was)
        board["proposed"] += int(will)
        if will and not was:
            entering.append(row)
            board["entering"] += 1
        elif was and not will:
            leaving.append(row)
            board["leaving"] += 1
    by_board = dict(sorted(by_board.items()))
    return Simulation(
        current=current,
        proposed=proposed,
        year=year,
        entering=entering,
        leaving=leaving,
        counts={
            "current": sum(b["current"] for b in by_board.values()),
            "proposed": sum(b["proposed"] for b in by_board.values()),
            "entering": len(entering),
            "leaving": len(leaving),
        },
        by_board=by_board,
    )
