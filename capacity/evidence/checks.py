"""The long format's checks, run in the engine (DuckDB, or Spark) over the file itself.

`capacity identify --results`, `capacity import results` and its dry run read
national files of tens of millions of rows. Checking them a chunk at a time in
Python cost more than the analysis itself (issue 14), so every check of the long
format runs where the data is, and Python sees only what it must put into words.

How a file is checked (`check_long`):

1. **Each column's distinct cells.** A column of sixty million school numbers
   holds about a hundred thousand different ones, a column of assessments six.
   The engine returns each column's distinct cells; the rules of the long format
   (capacity/evidence/readers.py: `_pad_school_number`, `_school_years`,
   `_figures`, `_clean_names`, the status and assessment codes) judge them, and
   give each its tidied value. This is the only place those rules live.
2. **Tidied columns.** Where every distinct cell is already tidy (a
   machine-written national file), the column is used as it is; otherwise the
   engine maps each cell to its tidied value (a small `CASE` for a few cells, a
   join with the distinct cells for many).
3. **Checks across a row** (a status and a percentage together, levels that
   do not add up to 100, a percentage outside 0-100 in a typed Parquet column)
   run over the tidied columns, or over the columns as read when step 1 proves
   every cell tidy and none refused. One pass settles most of them without
   counting a condition on every row (`_proof`): each figure's least and
   greatest value prove it in range, one count proves that every row has a
   percentage or a status and not both. Only when a proof fails does a further
   pass count every check (`_counts`). Step 1 and this pass are two queries on
   purpose: DuckDB ran distinct cells and counts together slower than apart.
4. Only if something is wrong does the engine return the offending rows (at most
   `MAX_PROBLEMS`, in row order) with each check's verdict; Python words them.

The result is an Ibis table in the canonical shape (`row` and
`readers.BATCH_SCHEMA`'s columns), a view over the file that nothing has copied:
the analyses run on it in the same engine, and the importer streams it to the
database a batch at a time. Results given twice, in one file or across files,
are found by `repeats`: on DuckDB one grouping by school proves there are none
(each school's results set one bit per year x assessment x group, numbered from
the distinct cells of step 1), and only when one is there are the keys' hashes
sorted to find them; only the repeated keys come back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _

from capacity.evidence import cells as r
from capacity.imports.patterns import (
    BOARD_NUMBER_PATTERN,
    NUMBER_PATTERN,
    pad_school_numbers,
    school_number_pattern,
    school_number_problem,
)

# Beyond this many distinct cells a column is tidied by a join rather than a CASE expression.
CASE_LIMIT = 64
TEXT_COLUMNS = ("school_number", "school_year", "assessment", "group", "status", "board_number")
NAME_COLUMNS = ("school_name", "board_name")


Problem = Callable[[int, str, str], None]


@dataclass
class Verdicts:
    """A column's distinct cells (as the engine holds them), their text, tidied value and faults."""

    raw: pa.Array
    text: pa.Array  # trimmed text, "" for blank
    tidy: pa.Array
    faults: dict[str, np.ndarray] = field(default_factory=dict)  # check -> per distinct cell
    identity: bool = False  # every cell is already its tidied value

    def bad(self, check: str) -> pa.Array:
        mask = self.faults.get(check)
        if mask is None or not mask.any():
            return pa.array([], self.raw.type)
        return self.raw.filter(pa.array(mask))

    def any_fault(self) -> bool:
        return any(mask.any() for mask in self.faults.values())


@dataclass(frozen=True)
class KeyCells:
    """What the checks learnt of a file's keys from its distinct cells, without another pass.

    Every tidied school year, assessment and group a kept row can hold (a
    superset: cells of refused rows are among them), and how many different
    school numbers the file holds (at least as many as the kept rows').
    """

    years: frozenset[str]
    assessments: frozenset[str]
    groups: frozenset[str]
    schools: int


@dataclass
class Checked:
    """A long-format file after its checks: the tidied rows in the engine, and what was counted."""

    table: ir.Table  # the tidied rows without a fault
    rows: int  # rows with anything in them (a blank row is skipped)
    unworded: int = 0  # problems found beyond those put into words
    keys: KeyCells | None = None


def _distinct(raw: ir.Table, names: Sequence[str]) -> dict[str, pa.Array]:
    """Each column's distinct cells (a null among them when the column has one), in one pass.

    Nothing else is counted in it: DuckDB ran other aggregates beside these slower than apart.
    """
    aggregates: dict[str, ir.Value] = {}
    # DuckDB keeps a null among a column's distinct cells itself; Spark's list drops it, so it
    # is asked for apart (on DuckDB that costs a third more time on a national file).
    with_null = raw._find_backend().name == "duckdb"
    for position, name in enumerate(names):
        aggregates[f"v{position}"] = raw[name].collect(distinct=True, include_null=with_null)
        if not with_null:
            aggregates[f"n{position}"] = raw[name].isnull().any()
    if not aggregates:
        return {}
    found = raw.aggregate(**aggregates).to_pyarrow()
    distinct: dict[str, pa.Array] = {}
    for position, name in enumerate(names):
        values = found.column(f"v{position}")[0].values
        kind = raw[name].type().to_pyarrow()
        values = pa.array([], kind) if values is None else pc.cast(values, kind)
        if not with_null and found.column(f"n{position}")[0].as_py():
            values = pa.concat_arrays([values, pa.nulls(1, kind)])
        distinct[name] = values
    return distinct


def _text_of(values: pa.Array) -> pa.Array:
    """Each distinct cell as trimmed text, "" for blank (as `readers._Coded` reads a chunk)."""
    coded = r._Coded.of(values)
    return coded.spread(coded.values)


def _analyse(
    distinct: dict[str, pa.Array], present: dict[str, str], given: str | None
) -> dict[str, Verdicts]:
    """Judge each text column's distinct cells by the long format's rules."""
    found: dict[str, Verdicts] = {}
    for name in (*TEXT_COLUMNS, *NAME_COLUMNS):
        if name not in present:
            continue
        values = distinct[name]
        text = _text_of(values)
        blank = r._np(pc.equal(pc.utf8_length(text), 0))
        faults: dict[str, np.ndarray] = {}
        if name == "school_number":
            # The configured scheme (Ontario's five or six digits by default): capacity/schoolnumbers.py.
            tidy = pad_school_numbers(text)
            faults["school_blank"] = blank
            faults["school_bad"] = ~blank & ~r._np(
                pc.match_substring_regex(tidy, school_number_pattern())
            )
        elif name == "school_year":
            tidy, wrong = r._school_years(text)
            faults["year_bad"] = wrong
            if given is not None:
                tidy = pc.if_else(pa.array(blank), pa.scalar(given), tidy)
                faults["year_other"] = ~blank & ~wrong & r._np(pc.not_equal(tidy, given))
            else:
                faults["year_blank"] = blank
        elif name == "assessment":
            tidy = pc.utf8_upper(text)
            faults["assessment_blank"] = blank
            faults["assessment_bad"] = ~blank & ~r._np(
                pc.match_substring_regex(tidy, r.ASSESSMENT_PATTERN)
            )
        elif name == "group":
            tidy = pc.utf8_lower(r._clean_names(text))
            tidy = pc.if_else(pc.equal(pc.utf8_length(tidy), 0), pa.scalar(r.DEFAULT_GROUP), tidy)
            faults["group_long"] = r._np(pc.greater(pc.utf8_length(tidy), r.MAX_GROUP_LENGTH))
        elif name == "status":
            known = r._map(pc.utf8_lower(text), r.LONG_STATUS_CODES)
            faults["status_bad"] = ~blank & r._np(pc.is_null(known))
            tidy = pc.fill_null(known, "")
        elif name == "board_number":
            cleaned = pc.utf8_upper(r._clean_names(text))
            tidy = pc.if_else(
                pc.equal(pc.utf8_length(cleaned), 0), pa.scalar(None, pa.string()), cleaned
            )
            faults["board_bad"] = ~blank & ~r._np(
                pc.match_substring_regex(cleaned, BOARD_NUMBER_PATTERN)
            )
        else:  # names: tidied, never refused
            cleaned = r._clean_names(text)
            tidy = pc.if_else(
                pc.equal(pc.utf8_length(cleaned), 0), pa.scalar(None, pa.string()), cleaned
            )
        verdicts = Verdicts(values, text, tidy, faults)
        verdicts.identity = _same(values, tidy)
        found[name] = verdicts
    return found


def _same(values: pa.Array, tidy: pa.Array) -> bool:
    """True when every distinct cell is text equal to its tidied value (no nulls, nothing to map)."""
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        return False
    if values.null_count or tidy.null_count:
        return False
    return bool(pc.all(pc.equal(pc.cast(values, pa.string()), tidy)).as_py())


@dataclass
class Figures:
    """A figure column's distinct cells judged: numbers, or cells that are not numbers."""

    verdicts: Verdicts | None  # None for a typed (numeric) Parquet column
    plain: bool = False  # every cell is blank or a plain decimal the engine can cast itself


def _analyse_figures(
    distinct: dict[str, pa.Array], present: dict[str, str], types: dict[str, dt.DataType]
) -> dict[str, Figures]:
    found: dict[str, Figures] = {}
    for name in r.FIGURES:
        if name not in present:
            continue
        if types[name].is_numeric():
            found[name] = Figures(None)
            continue
        values = distinct[name]
        coded = r._Coded.of(values)
        numbers, wrong, _empty = r._figures(coded, percent=name != "participating")
        text = coded.spread(coded.values)
        verdicts = Verdicts(values, text, numbers, {"not_number": wrong})
        plain_cells = r._np(pc.match_substring_regex(values, NUMBER_PATTERN)) | r._np(
            pc.equal(values, "")
        )
        found[name] = Figures(verdicts, plain=bool(plain_cells.all()) and not values.null_count)
    return found


# --- Building the tidied table ---------------------------------------------------------------


class _Tidier:
    """Builds the tidied columns over `raw`, joining small lookup tables where a CASE would be too long."""

    def __init__(self, con: Any, raw: ir.Table, prefix: str) -> None:
        self.con = con
        self.table = raw
        self.prefix = prefix
        self.count = 0

    def mapped(self, column: str, verdicts: Verdicts, to: pa.Array, kind: dt.DataType) -> ir.Value:
        """`column` of `raw` mapped through (distinct cell -> `to`)."""
        if len(verdicts.raw) <= CASE_LIMIT:
            source = self.table[column]
            pairs = [
                (value, target)
                for value, target in zip(verdicts.raw.to_pylist(), to.to_pylist(), strict=True)
            ]
            cases = [(source.isnull(), ibis.literal(t, kind)) for v, t in pairs if v is None]
            cases += [
                (source == ibis.literal(v, self.table[column].type()), ibis.literal(t, kind))
                for v, t in pairs
                if v is not None
            ]
            return ibis.cases(*cases, else_=ibis.null(kind)) if cases else ibis.null(kind)
        self.count += 1
        key, value = f"k{self.count}", f"v{self.count}"
        lookup = pa.table({key: verdicts.raw, value: pc.cast(to, kind.to_pyarrow())})
        mapping = self.con.create_table(
            f"{self.prefix}_map{self.count}", lookup, temp=True, overwrite=True
        )
        self.table = self.table.left_join(mapping, self.table[column] == mapping[key]).drop(key)
        result = self.table[value]
        # Nulls never match in a join: a null cell takes the value mapped from null, if any.
        from_null = [
            target
            for cell, target in zip(verdicts.raw.to_pylist(), to.to_pylist(), strict=True)
            if cell is None
        ]
        if from_null:
            result = ibis.ifelse(
                self.table[column].isnull(), ibis.literal(from_null[0], kind), result
            )
        return result


@dataclass
class _Rows:
    """The checks across a row over a file's tidied columns, and what the tidied table reuses."""

    checks: dict[str, ir.BooleanValue]  # in ORDER, each a column the engine can count
    blank: ir.BooleanValue  # a row with nothing in it: skipped, not a fault
    pct: ir.Value
    status: ir.Value
    level_values: list[ir.Value]
    may_be_blank: bool = True  # False: `blank` is never true, and the counts leave it out
    # Checks whose count is 0 when every cell of a column lies in [low, high] (min and max
    # prove it, far cheaper than counting a condition on every row): see `_proof`.
    bounds: dict[str, tuple[ir.Value, float, float]] = field(default_factory=dict)


def _in_range(value: ir.Value) -> ir.BooleanValue:
    return (value >= 0) & (value <= 100)


def _typed_figure(column: ir.Value, kind: dt.DataType) -> ir.Value:
    """A typed (numeric) figure column as a float, NaN read as a missing value."""
    value = column.cast("float64")
    if kind.is_floating():
        value = ibis.ifelse(column.isnan(), ibis.null("float64"), value)
    return value


def _row_checks(
    table: ir.Table,
    columns: dict[str, ir.Value],
    cell_checks: dict[str, ir.BooleanValue],
    types: dict[str, dt.DataType],
    may_be_blank: bool,
) -> _Rows:
    """The checks across a row, on the tidied `columns` of `table`, with the cells judged bad."""
    never = ibis.literal(False)
    # A blank cell is one whose tidied value is empty and that was not refused as a bad cell.
    pct = columns["pct_at_standard"]
    status = columns.get("status", ibis.literal(""))
    status_blank = (status == "") & ~cell_checks.get("status:status_bad", never)
    pct_blank = pct.isnull() & ~cell_checks.get("pct_at_standard:not_number", never)
    has_status = status != ""

    level_values = [columns.get(level, ibis.null("float64")) for level in r.LEVELS]
    pct_given = pct.notnull() & _in_range(pct)
    any_level: ir.BooleanValue = never
    all_levels: ir.BooleanValue = ibis.literal(True)
    total: ir.Value = ibis.literal(0.0)
    for level, value in zip(r.LEVELS, level_values, strict=True):
        if level not in columns:
            all_levels = never
            continue
        given_level = value.notnull() & _in_range(value)
        any_level = any_level | given_level
        all_levels = all_levels & given_level
        total = total + ibis.ifelse(_in_range(value), value, 0.0).fill_null(0.0)
    row_checks: dict[str, ir.BooleanValue] = {}
    bounds: dict[str, tuple[ir.Value, float, float]] = {}
    for name in ("pct_at_standard", *r.LEVELS):
        if name in columns:
            row_checks[f"{name}:outside"] = columns[name].notnull() & ~_in_range(columns[name])
            bounds[f"{name}:outside"] = (columns[name], 0.0, 100.0)
    not_whole = never
    if "participating" in columns:
        counted = columns["participating"]
        outside_int = (counted < 0) | (counted > r.MAX_PARTICIPATING)
        # A typed integer column holds whole numbers: only its range is checked.
        typed_whole = types["participating"].is_integer()
        not_whole = counted.notnull() & (
            outside_int if typed_whole else (counted.floor() != counted) | outside_int
        )
        row_checks["participating:not_whole"] = not_whole
        if typed_whole:
            bounds["participating:not_whole"] = (counted, 0.0, float(r.MAX_PARTICIPATING))
    row_checks["status:both"] = has_status & pct_given
    row_checks["pct_at_standard:neither"] = status_blank & pct_blank
    if any(level in columns for level in r.LEVELS):  # without levels neither can fail
        row_checks["pct_level_1:status_levels"] = has_status & any_level
        row_checks["pct_level_1:sum"] = all_levels & ((total - 100.0).abs() > r.LEVEL_SUM_TOLERANCE)

    # A row with nothing in it is skipped, not a fault. Only a row without a school number can be one.
    def blank_text(name: str) -> ir.BooleanValue:
        column = table[name]
        if types[name].is_numeric():
            empty = column.isnull()
            return empty | column.isnan() if types[name].is_floating() else empty
        return column.isnull() | (column.strip() == "")

    blank: ir.BooleanValue = ibis.literal(False)
    if may_be_blank:
        blank = ibis.literal(True)
        for name in types:
            if name != "row":
                blank = blank & blank_text(name)

    everywhere = table["row"].notnull()
    every = {**cell_checks, **row_checks}
    # A check with no column in it (a literal) is made a column, so the engine can count it.
    checks = {
        key: (every[key] & everywhere) if isinstance(every[key], ir.Scalar) else every[key]
        for key in ORDER
        if key in every
    }
    if isinstance(blank, ir.Scalar):
        blank = blank & everywhere
    return _Rows(checks, blank, pct, status, level_values, may_be_blank=may_be_blank, bounds=bounds)


def _counts(table: ir.Table, rows: _Rows) -> dict[str, ir.Scalar]:
    """The aggregates counting each check's faults, the rows and the blank rows."""
    counts = {
        f"c__{key.replace(':', '__')}": table.count(
            where=(check & ~rows.blank) if rows.may_be_blank else check
        )
        for key, check in rows.checks.items()
    }
    counts["c__rows"] = table.count()
    if rows.may_be_blank:
        counts["c__blank"] = table.count(where=rows.blank)
    return counts


# The two checks on a row's status and percentage, proved together (see `_proof`).
_PAIRED = ("status:both", "pct_at_standard:neither")


def _proof(table: ir.Table, rows: _Rows) -> dict[str, ir.Scalar]:
    """Aggregates that prove most checks have no fault, cheaper than `_counts`.

    Counting a condition on each of sixty million rows costs more than the distinct
    cells do; a column's least and greatest value cost a fraction of that. A check in
    `rows.bounds` has no fault when its column's min and max lie within the bounds.
    When the percentage is proved in range, a row has a status beside a percentage
    ("both") or neither of them ("neither") exactly when `(status <> '') = (percentage
    given)`: one count proves both checks have none. Other checks are counted. When a
    proof fails, `_counts` counts every check (`_settled` says which).
    """
    never_blank = ~rows.blank if rows.may_be_blank else None
    aggregates: dict[str, ir.Scalar] = {"c__rows": table.count()}
    if rows.may_be_blank:
        aggregates["c__blank"] = table.count(where=rows.blank)
    for position, (value, _low, _high) in enumerate(rows.bounds.values()):
        aggregates[f"lo__{position}"] = value.min()
        aggregates[f"hi__{position}"] = value.max()
    if all(key in rows.checks for key in _PAIRED) and "pct_at_standard:outside" in rows.bounds:
        paired = (rows.status != "") == rows.pct.notnull()
        aggregates["paired"] = table.count(
            where=paired if never_blank is None else paired & never_blank
        )
    for key, check in rows.checks.items():
        if key not in rows.bounds and not (key in _PAIRED and "paired" in aggregates):
            aggregates[f"c__{key.replace(':', '__')}"] = table.count(
                where=check if never_blank is None else check & never_blank
            )
    return aggregates


def _settled(found: dict[str, Any], rows: _Rows) -> dict[str, Any] | None:
    """`_counts`'s values from `_proof`'s, or None when a proof failed (count every check)."""
    for position, (_value, low, high) in enumerate(rows.bounds.values()):
        least, most = found[f"lo__{position}"], found[f"hi__{position}"]
        if least is not None and not (low <= least and most <= high):  # NaN fails too
            return None
    if found.get("paired"):
        return None
    # In the checks' order, as `_counts` gives them: a proved check has no fault.
    settled = {key: found[key] for key in ("c__rows", "c__blank") if key in found}
    for key in rows.checks:
        name = f"c__{key.replace(':', '__')}"
        settled[name] = found.get(name, 0)
    return settled


def _counted(found: dict[str, Any]) -> tuple[int, int, dict[str, int]]:
    """(rows, blank rows, {check: faults}) from the values of `_counts`'s aggregates."""
    values = {key[3:]: int(value or 0) for key, value in found.items() if key.startswith("c__")}
    rows = values.pop("rows")
    blanks = values.pop("blank", 0)
    return rows, blanks, {key.replace("__", ":"): value for key, value in values.items()}


def _as_read(
    raw: ir.Table, types: dict[str, dt.DataType]
) -> tuple[ir.Table, dict[str, ir.Value] | None]:
    """The tidied columns if every cell is already tidy, as in a machine-written national file.

    With them, `raw` and the typed figures read once per row (a NaN as a missing
    value), for the checks that use each several times. None when a column's type
    rules that out (text that is not a string, a figure given as text): the
    distinct cells must be judged before the columns can be built.
    """
    figures: dict[str, ir.Value] = {}
    for name, kind in types.items():
        if name in (*TEXT_COLUMNS, *NAME_COLUMNS) and not kind.is_string():
            return raw, None
        if name in r.FIGURES:
            if not kind.is_numeric():
                return raw, None
            figures[f"read__{name}"] = _typed_figure(raw[name], kind)
    read = raw.mutate(**figures) if figures else raw
    columns: dict[str, ir.Value] = {}
    for name in types:
        if name in (*TEXT_COLUMNS, *NAME_COLUMNS):
            columns[name] = read[name]
        elif name in r.FIGURES:
            columns[name] = read[f"read__{name}"]
    return read, columns


def check_long(
    con: Any,
    raw: ir.Table,
    *,
    types: dict[str, dt.DataType],
    given: str | None,
    label: dict[str, str],
    problem: Problem,
    prefix: str,
    max_problems: int,
) -> Checked:
    """Check a long-format file opened in the engine as `raw` (`row` and the present columns by their names).

    `types` are the columns' types in the engine; `given` the school year given with the file; `label`
    each column's name for problems. Problems go to `problem(row, column, reason)` in row order, at most
    `max_problems` of them, the rest counted by the caller through the returned count. Returns the
    tidied rows (those without a fault) as an Ibis table.

    Two passes over a file with nothing wrong: its distinct cells, then the proof of the
    checks across a row (on the columns as read when every cell is already tidy, else on
    the tidied columns). A third counts every check only when a proof fails.
    """
    present = {name: name for name in types if name != "row"}
    asked = [
        name
        for name in present
        if name in (*TEXT_COLUMNS, *NAME_COLUMNS)
        or (name in r.FIGURES and not types[name].is_numeric())
    ]
    read, as_read = _as_read(raw, types)
    distinct = _distinct(read, asked)
    text = _analyse(distinct, present, given)
    figures = _analyse_figures(distinct, present, types)
    if (
        as_read is not None
        and all(v.identity and not v.any_fault() for v in text.values())
        and all(info.verdicts is None for info in figures.values())
    ):
        # Every distinct cell is its own tidied value and none is refused: the columns as
        # read are the tidied ones.
        table, columns = read, as_read
        rows = _row_checks(read, as_read, {}, types, False)
    else:
        table, columns, rows = _tidied(con, raw, text, figures, types, prefix)
    found = _settled(table.aggregate(**_proof(table, rows)).to_pyarrow().to_pylist()[0], rows)
    if found is None:
        found = table.aggregate(**_counts(table, rows)).to_pyarrow().to_pylist()[0]
    rows_total, blanks, faults = _counted(found)
    problems = sum(faults.values())
    checks, blank = rows.checks, rows.blank
    pct, status, level_values = rows.pct, rows.status, rows.level_values

    keep = ~blank
    worded = 0
    if problems:
        failing = [checks[key] for key, count in faults.items() if count]
        any_fault = failing[0]
        for check in failing[1:]:
            any_fault = any_fault | check
        any_fault = any_fault & ~blank
        worded = _word(
            table,
            any_fault,
            {key: checks[key] for key, count in faults.items() if count},
            text,
            figures,
            columns,
            label=label,
            given=given,
            problem=problem,
            max_problems=max_problems,
        )
        keep = keep & ~any_fault
    year = columns.get("school_year")
    if year is None:
        assert given is not None  # without a school_year column the file's year is required
        year = ibis.literal(given)
    canonical = table.select(
        row=table["row"].cast("int64"),
        school_number=columns["school_number"],
        school_name=columns.get("school_name", ibis.null("string")),
        board_number=columns.get("board_number", ibis.null("string")),
        board_name=columns.get("board_name", ibis.null("string")),
        school_year=year,
        assessment=columns["assessment"],
        group=columns.get("group", ibis.literal(r.DEFAULT_GROUP)),
        # A kept row passed every check: its count of students is whole and in range, a
        # percentage is in range and not beside a status, a level in range. The figures
        # are taken as they are, with no test of their own in every query that reads them.
        participating=columns.get("participating", ibis.null("float64")).try_cast("int64"),
        pct_at_standard=pct,
        status=status,
        **dict(zip(r.LEVELS, level_values, strict=True)),
        _keep=keep,
    )
    if problems or rows.may_be_blank:
        canonical = canonical.filter(canonical["_keep"])
    canonical = canonical.drop("_keep")
    return Checked(
        canonical,
        rows=rows_total - blanks,
        unworded=problems - worded,
        keys=_key_cells(text, given),
    )


def _key_cells(text: dict[str, Verdicts], given: str | None) -> KeyCells:
    """The tidied values the key's columns can take, from their distinct cells."""

    def tidied(name: str, otherwise: str | None) -> frozenset[str]:
        verdicts = text.get(name)
        if verdicts is None:
            return frozenset() if otherwise is None else frozenset({otherwise})
        return frozenset(value for value in verdicts.tidy.to_pylist() if value)

    return KeyCells(
        years=tidied("school_year", given),
        assessments=tidied("assessment", None),
        groups=tidied("group", r.DEFAULT_GROUP),
        schools=len(text["school_number"].raw),
    )


def _tidied(
    con: Any,
    raw: ir.Table,
    text: dict[str, Verdicts],
    figures: dict[str, Figures],
    types: dict[str, dt.DataType],
    prefix: str,
) -> tuple[ir.Table, dict[str, ir.Value], _Rows]:
    """The tidied columns (mapped where a cell is not tidy) and the checks across a row on them."""
    tidier = _Tidier(con, raw, prefix)
    columns: dict[str, ir.Value] = {}

    def tidy_text(name: str, kind: dt.DataType = dt.string) -> ir.Value | None:
        verdicts = text.get(name)
        if verdicts is None:
            return None
        if verdicts.identity:
            return tidier.table[name]
        return tidier.mapped(name, verdicts, verdicts.tidy, kind)

    # Columns are built in an order where each later join keeps the earlier columns reachable.
    exprs: dict[str, Callable[[], ir.Value | None]] = {}
    for name in (*TEXT_COLUMNS, *NAME_COLUMNS):
        exprs[name] = lambda name=name: tidy_text(name)  # type: ignore[misc]

    def figure(name: str) -> ir.Value | None:
        info = figures.get(name)
        if info is None:
            return None
        column = tidier.table[name]
        if info.verdicts is None:  # typed: NaN is a missing value
            return _typed_figure(column, types[name])
        if info.plain:  # "" and plain decimals: the engine's own cast reads them alike
            return column.try_cast("float64")
        return tidier.mapped(name, info.verdicts, info.verdicts.tidy, dt.float64)

    for name in r.FIGURES:
        exprs[name] = lambda name=name: figure(name)  # type: ignore[misc]

    # Each mapping may join, replacing tidier.table: build them one at a time, then select.
    built: dict[str, ir.Value] = {}
    for name, make in exprs.items():
        value = make()
        if value is not None:
            tidier.table = tidier.table.mutate(**{f"__{name}": value})
            built[name] = tidier.table[f"__{name}"]
    table = tidier.table
    for name in built:
        columns[name] = table[f"__{name}"]

    # Cells judged bad as distinct values.
    cell_checks: dict[str, ir.BooleanValue] = {}
    for name, verdicts in text.items():
        for check in verdicts.faults:
            bad = verdicts.bad(check)
            if len(bad):
                cell_checks[f"{name}:{check}"] = _isin(table[name], bad)
    for name, info in figures.items():
        if info.verdicts is not None:
            bad = info.verdicts.bad("not_number")
            if len(bad):
                cell_checks[f"{name}:not_number"] = _isin(table[name], bad)
    may_be_blank = bool(text["school_number"].faults["school_blank"].any())
    return table, columns, _row_checks(table, columns, cell_checks, types, may_be_blank)


def _isin(column: ir.Value, values: pa.Array) -> ir.BooleanValue:
    listed = [value for value in values.to_pylist() if value is not None]
    test = column.isin(listed) if listed else ibis.literal(False)
    if values.null_count:
        test = test | column.isnull()
    return test


# --- Putting problems into words --------------------------------------------------------------


def _word(
    table: ir.Table,
    any_fault: ir.BooleanValue,
    checks: dict[str, ir.BooleanValue],
    text: dict[str, Verdicts],
    figures: dict[str, Figures],
    columns: dict[str, ir.Value],
    *,
    label: dict[str, str],
    given: str | None,
    problem: Problem,
    max_problems: int,
) -> int:
    """Fetch the failing rows (at most `max_problems`, in row order) and word each check that failed."""
    names = [name for name in label if name in table.columns]
    shown = table.filter(any_fault).order_by(table["row"]).limit(max_problems)
    fetched = shown.select(
        row=shown["row"],
        **{f"cell__{name}": shown[name] for name in names},
        **{f"check__{i}": check for i, check in enumerate(checks.values())},
        **{
            f"tidy__{name}": columns[name]
            for name in ("status", "pct_level_1", "pct_level_2", "pct_level_3", "pct_level_4")
            if name in columns
        },
    ).to_pyarrow()
    data = fetched.to_pydict()
    keys = list(checks)

    def cell(name: str, index: int) -> str:
        value = data[f"cell__{name}"][index]
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:g}"
        return str(value).strip()

    worded = 0
    for index, row in enumerate(data["row"]):
        failed = [key for position, key in enumerate(keys) if data[f"check__{position}"][index]]
        for key in failed:
            column, check = key.split(":", 1)
            reason = _reason(column, check, cell, index, data, given=given, label=label)
            problem(int(row), label.get(column, column), reason)
            worded += 1
    return worded


# The order a row's problems are listed in (the order the chunked reader found them in).
ORDER = [
    "school_number:school_blank",
    "school_number:school_bad",
    "school_year:year_other",
    "school_year:year_blank",
    "school_year:year_bad",
    "assessment:assessment_blank",
    "assessment:assessment_bad",
    "group:group_long",
    *(
        f"{name}:{check}"
        for name in ("pct_at_standard", *r.LEVELS)
        for check in ("not_number", "outside")
    ),
    "participating:not_number",
    "participating:not_whole",
    "status:status_bad",
    "status:both",
    "pct_at_standard:neither",
    "pct_level_1:status_levels",
    "pct_level_1:sum",
    "board_number:board_bad",
]


def _reason(
    column: str,
    check: str,
    cell: Callable[[str, int], str],
    index: int,
    data: dict[str, list[Any]],
    *,
    given: str | None,
    label: dict[str, str],
) -> str:
    value = cell(column, index)
    if check == "school_blank":
        return _("The school number is missing.")
    if check == "school_bad":
        return school_number_problem(value)
    if check == "year_other":
        return _(
            "The school year here is %(value)s, but %(given)s was given with the file "
            "(%(given)s=%(file)s). Give no year with the file, or the same one."
        ) % {"value": value, "given": given, "file": label.get("__file__", "")}
    if check == "year_blank":
        return _("The school year is missing.")
    if check == "year_bad":
        return _("“%(value)s” is not a school year like 2018-19.") % {"value": value}
    if check == "assessment_blank":
        return _("The assessment is missing.")
    if check == "assessment_bad":
        return _(
            "“%(value)s” is not an assessment code like G3-READ (capital letters, digits and "
            "hyphens)."
        ) % {"value": value}
    if check == "group_long":
        return _("A student group's name has at most %(max)s characters.") % {
            "max": r.MAX_GROUP_LENGTH
        }
    if check == "not_number":
        if column == "participating":
            return _("“%(value)s” is not a number of students.") % {"value": value}
        return _("“%(value)s” is not a number. Give a percentage like 69 or 69.5.") % {
            "value": value
        }
    if check == "outside":
        return _("%(value)s is not a percentage between 0 and %(maximum)s.") % {
            "value": value,
            "maximum": "100",
        }
    if check == "not_whole":
        return _("%(value)s is not a whole number of students.") % {"value": value}
    if check == "status_bad":
        return _(
            "“%(value)s” is not a status: use nr (not reported), nd (no data) or sp "
            "(suppressed), or leave it empty when there is a percentage."
        ) % {"value": value}
    if check == "both":
        return _(
            "Give either a percentage or a status, not both: a result with a status (%(status)s) "
            "has no percentage."
        ) % {"status": data["tidy__status"][index]}
    if check == "neither":
        return _(
            "Give the percentage at the provincial standard, or a status (nr, nd or sp) saying "
            "why there is none."
        )
    if check == "status_levels":
        return _("A result with a status has no figures: leave the levels empty.")
    if check == "sum":
        total = sum(
            data[f"tidy__{level}"][index] or 0.0 for level in r.LEVELS if f"tidy__{level}" in data
        )
        return _(
            "The four levels add up to %(total)s; they should add up to 100 (give or take "
            "%(tolerance)s)."
        ) % {"total": f"{total:g}", "tolerance": f"{r.LEVEL_SUM_TOLERANCE:g}"}
    if check == "board_bad":
        return _(
            "“%(value)s” is not a board number: it should be B followed by five digits, like "
            "B28010."
        ) % {"value": value}
    raise AssertionError(f"unknown check {column}:{check}")  # pragma: no cover


# --- Results given twice ----------------------------------------------------------------------


KEY = ("school_number", "school_year", "assessment", "group")


# A school's results are told apart by one bit each in a string of bits (see `_none_repeated`)
# while the strings of all schools stay below this size; past it, the keys are sorted instead.
KEY_BITS_LIMIT = 2**31
# Kinds of result (year x assessment x group) that fit one integer's bits (`_none_repeated`).
WORD_BITS = 64


def repeats(
    parts: Sequence[ir.Table],
    keys: Sequence[KeyCells | None] | None = None,
) -> list[tuple[tuple[str, ...], int, int, int, int]]:
    """(key, file, row, first file, first row) for each result given again, in file and row order.

    `parts` are the files' tidied tables, in file order, and `keys` what their
    checks learnt of their keys (when every part has them, the engine first
    proves in one grouping that no key repeats, the usual answer). Only keys
    given more than once come back.
    """
    if not parts:
        return []
    union = None
    for index, part in enumerate(parts):
        piece = part.select(
            file=ibis.literal(index, "int32"), row=part["row"], **{k: part[k] for k in KEY}
        )
        union = piece if union is None else union.union(piece, distinct=False)
    assert union is not None
    known = [] if keys is None else [cells for cells in keys if cells is not None]
    if len(known) == len(parts) and _none_repeated(union, known):
        return []
    hits = _doubled(union).to_pyarrow()
    if not hits.num_rows:
        return []
    ordered = hits.sort_by(
        [(k, "ascending") for k in KEY] + [("file", "ascending"), ("row", "ascending")]
    )
    data = ordered.to_pydict()
    found = []
    first: tuple[int, int] | None = None
    previous: tuple[str, ...] | None = None
    for position in range(ordered.num_rows):
        key = tuple(data[k][position] for k in KEY)
        place = (int(data["file"][position]), int(data["row"][position]))
        if key != previous:
            previous, first = key, place
            continue
        assert first is not None
        found.append((key, place[0], place[1], first[0], first[1]))
    found.sort(key=lambda item: (item[1], item[2]))
    return found


def _none_repeated(union: ir.Table, keys: Sequence[KeyCells]) -> bool:
    """True when the engine proves that no key of `union` is given twice; False when it cannot.

    On DuckDB, each (school year, assessment, group) the files can hold is
    numbered, from the cells the checks found; the rows are grouped by school,
    and each school's results set their number's bit in one string of bits.
    A school whose rows outnumber its bits has a result given twice. Grouping by
    school (a hundred thousand groups) is several times quicker than sorting
    sixty million keys, which `_doubled` then does only when a repeat is there.
    False on other engines, when the strings of bits would be too large, or when
    a row's key is not among those numbered (the sort decides).
    """
    backend = union._find_backend()
    if backend.name != "duckdb":
        return False
    years = sorted(frozenset().union(*(cells.years for cells in keys)))
    assessments = sorted(frozenset().union(*(cells.assessments for cells in keys)))
    groups = sorted(frozenset().union(*(cells.groups for cells in keys)))
    size = len(years) * len(assessments) * len(groups)
    schools = sum(cells.schools for cells in keys)
    if not size or size * schools > KEY_BITS_LIMIT:
        return False
    grid = np.indices((len(years), len(assessments), len(groups))).reshape(3, -1)
    numbered = pa.table(
        {
            "key_year": pa.array(years, pa.string()).take(pa.array(grid[0])),
            "key_assessment": pa.array(assessments, pa.string()).take(pa.array(grid[1])),
            "key_group": pa.array(groups, pa.string()).take(pa.array(grid[2])),
            "key_id": pa.array(np.arange(size, dtype=np.int32)),
        }
    )
    name = f"capacity_keys_{id(union)}"
    # Up to 64 kinds, a school's bits fit one unsigned 64-bit integer: OR-ing integers took
    # three quarters of the time of aggregating strings of bits (6 million rows, 60 kinds).
    kinds = (
        "bit_count(bit_or(CAST(1 AS UBIGINT) << k.key_id))"
        if size <= WORD_BITS
        else f"bit_count(bitstring_agg(k.key_id, 0, {size - 1}))"
    )
    backend.con.register(name, numbered)
    try:
        inner = ibis.to_sql(union, dialect="duckdb")
        # The SQL is Ibis's own rendering of `union`; the names are made here; `size` is a count.
        found = backend.con.execute(
            "SELECT count(*) FILTER (WHERE given <> kinds), coalesce(sum(unnumbered), 0) FROM ("  # noqa: S608
            f"SELECT count(*) AS given, {kinds} AS kinds, "
            "count(*) FILTER (WHERE k.key_id IS NULL) AS unnumbered "
            f'FROM ({inner}) AS u LEFT JOIN "{name}" AS k '
            'ON u."school_year" = k.key_year AND u."assessment" = k.key_assessment '
            'AND u."group" = k.key_group GROUP BY u."school_number")'
        ).fetchone()
    finally:
        backend.con.unregister(name)
    assert found is not None
    repeated, unnumbered = found
    return not repeated and not unnumbered


def _doubled(union: ir.Table) -> ir.Table:
    """The rows of `union` whose key is given more than once.

    On DuckDB each row's key is reduced to one 64-bit hash and the hashes sorted
    (a quarter of the time of grouping by the four text columns on a national
    file); rows whose hash repeats come back and are compared by their keys, so a
    collision is never taken for a repeat. Other engines group by the key itself.
    """
    backend = union._find_backend()
    if backend.name == "duckdb":
        inner = ibis.to_sql(union, dialect="duckdb")
        columns = ", ".join(f'"{name}"' for name in KEY)
        # The SQL is Ibis's own rendering of `union`; the column names are the constants in KEY.
        hashed = f"SELECT *, hash({columns}) AS key_hash FROM ({inner})"  # noqa: S608
        # Sorting the hashes and comparing neighbours took half the time of grouping them.
        repeated = (
            f"SELECT DISTINCT key_hash FROM (SELECT key_hash, lag(key_hash) OVER "  # noqa: S608
            f"(ORDER BY key_hash) AS before FROM ({hashed})) WHERE key_hash = before"
        )
        return backend.sql(
            f"SELECT * EXCLUDE (key_hash) FROM ({hashed}) "  # noqa: S608
            f"WHERE key_hash IN ({repeated})"
        )
    doubled = union.group_by(list(KEY)).aggregate(n=union.count()).filter(lambda t: t.n > 1)
    return union.semi_join(doubled, list(KEY))
