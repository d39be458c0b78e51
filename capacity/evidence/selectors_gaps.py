"""Reads for gaps against the other students, gap trends, the context gap and cohorts (issue 13).

Every figure starts from the results as people may read them (privacy.shown_results,
filtered to one school or board first: the gate works within a school's cells), so a
hidden group takes part in nothing shown here. The caller has already checked that the
person may read the school or board (directory.access.get_school_for_user and
get_board_for_user); answers are cached under the data's version like the other
evidence reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from capacity.directory.models import Board, School
from capacity.evidence.analytics import cohorts, gaps
from capacity.evidence.data import app_tables
from capacity.evidence.privacy import rule, shown_results
from capacity.evidence.selectors import beat_the_odds_table, cached, result_years
from capacity.schoolyears import school_year_label, year_start_of

# What a year's cell says when it has no gap.
NO_TESTS = "no_tests"  # no provincial tests that year (COVID-19)
NO_RESULTS = "no_results"  # no results imported for that year
NO_GAP = "no_gap"  # results, but no comparison for this group (hidden, no counts, too few others)


def _rows(table: ir.Table) -> list[dict[str, Any]]:
    return list(table.to_pyarrow().to_pylist())


def _school_results(school: School) -> ir.Table:
    results = app_tables().results
    return shown_results(results.filter(results.school_number == school.number)).drop(
        "suppressed", "suppression_reason"
    )


def _board_results(board: Board) -> ir.Table:
    results = app_tables().results
    return shown_results(results.filter(results.board_number == board.number)).drop(
        "suppressed", "suppression_reason"
    )


# --- against the other students ------------------------------------------------------------


def school_against_others(*, school: School) -> list[dict[str, Any]]:
    """Each group of the school against its other students, every year (gaps.gaps_against_others)."""
    minimum = rule().minimum_group
    return cached(
        f"gaps-others:school:{school.number}",
        lambda: _rows(gaps.gaps_against_others(_school_results(school), minimum=minimum)),
    )


def board_against_others(*, board: Board) -> list[dict[str, Any]]:
    """Each group of the board against its other students, every year, over schools with counts."""
    minimum = rule().minimum_group
    return cached(
        f"gaps-others:board:{board.number}",
        lambda: _rows(
            gaps.gaps_against_others(_board_results(board), minimum=minimum, level="board")
        ),
    )


def for_year(rows: list[dict[str, Any]], year: str | None) -> list[dict[str, Any]]:
    return [r for r in rows if r["school_year"] == year]


# --- gap trends ----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearCell:
    year: str
    gap: float | None
    note: str  # "" when there is a gap, else NO_TESTS, NO_RESULTS or NO_GAP


@dataclass(frozen=True)
class GapTrend:
    group: str
    assessment: str
    cells: tuple[YearCell, ...]
    direction: str  # one of gaps.GAP_DIRECTIONS
    first_year: str
    first_gap: float
    last_year: str
    last_gap: float
    change: float


def year_axis() -> list[str]:
    """Every school year from the first with results to the last, the years without any included."""
    years = result_years()
    if not years:
        return []
    first, last = year_start_of(years[0]), year_start_of(years[-1])
    return [school_year_label(start) for start in range(first, last + 1)]


def _trends(rows: list[dict[str, Any]]) -> list[GapTrend]:
    if not rows:
        return []
    table = ibis.memtable(
        pa.table(
            {
                "group": [r["group"] for r in rows],
                "assessment": [r["assessment"] for r in rows],
                "school_year": [r["school_year"] for r in rows],
                "gap": pa.array([r["gap"] for r in rows], pa.float64()),
            }
        )
    )
    moved = _rows(gaps.gap_trends(table, keys=["group", "assessment"]))
    with_results = set(result_years())
    by_key: dict[tuple[str, str], dict[str, float | None]] = {}
    for r in rows:
        by_key.setdefault((r["group"], r["assessment"]), {})[r["school_year"]] = r["gap"]
    axis = year_axis()
    out = []
    for m in moved:
        values = by_key[(m["group"], m["assessment"])]
        cells = tuple(
            YearCell(
                year=y,
                gap=values.get(y),
                note=""
                if values.get(y) is not None
                else NO_TESTS
                if y in gaps.NO_TEST_YEARS and y not in with_results
                else NO_RESULTS
                if y not in with_results
                else NO_GAP,
            )
            for y in axis
        )
        out.append(
            GapTrend(
                group=m["group"],
                assessment=m["assessment"],
                cells=cells,
                direction=m["direction"],
                first_year=m["first_year"],
                first_gap=m["first_gap"],
                last_year=m["last_year"],
                last_gap=m["last_gap"],
                change=m["change"],
            )
        )
    return out


def school_gap_trends(*, school: School) -> list[GapTrend]:
    """Each group's gap against the other students of the school, year by year, and where it went."""
    return _trends(school_against_others(school=school))


def board_gap_trends(*, board: Board) -> list[GapTrend]:
    return _trends(board_against_others(board=board))


# --- the context gap -------------------------------------------------------------------------


@dataclass(frozen=True)
class ContextGap:
    year: str
    actual: float
    predicted: float
    gap: float  # actual - predicted
    existence_proof: bool


def school_context_gaps(*, school: School) -> list[ContextGap]:
    """The school's result against what its context predicts, for every year the model can say."""
    out = []
    for year in result_years():
        row = beat_the_odds_table(year).get(school.number)
        if row is not None:
            out.append(_context_gap(year, row))
    return out


def _context_gap(year: str, row: dict[str, Any]) -> ContextGap:
    return ContextGap(
        year=year,
        actual=float(row["actual"]),
        predicted=float(row["predicted"]),
        gap=float(row["residual"]),
        existence_proof=bool(row["existence_proof"]),
    )


@dataclass(frozen=True)
class BoardContextYear:
    year: str
    schools: int
    mean_gap: float  # the mean of the schools' gaps, each school counting once
    above: int  # schools above their prediction


def board_context_gaps(*, board: Board) -> list[BoardContextYear]:
    """Per year, how the board's schools stand against what their contexts predict, on average."""
    out = []
    for year in result_years():
        found = [
            float(row["residual"])
            for row in beat_the_odds_table(year).values()
            if row["board_number"] == board.number
        ]
        if found:
            out.append(
                BoardContextYear(
                    year=year,
                    schools=len(found),
                    mean_gap=sum(found) / len(found),
                    above=sum(1 for g in found if g > 0),
                )
            )
    return out


def board_schools_context_gaps(*, board: Board, year: str) -> list[dict[str, Any]]:
    """The board's schools in one year against their predictions, the furthest below first."""
    rows = [
        {
            "school_number": row["school_number"],
            "school_name": row["school_name"],
            "gap": _context_gap(year, row),
        }
        for row in beat_the_odds_table(year).values()
        if row["board_number"] == board.number
    ]
    return sorted(rows, key=lambda r: (r["gap"].gap, r["school_number"]))


# --- cohorts -------------------------------------------------------------------------------


def school_cohorts(*, school: School) -> list[dict[str, Any]]:
    """The school's Grade 3 results beside its Grade 6 results three years later, per subject."""
    return cached(
        f"cohorts:school:{school.number}",
        lambda: _rows(cohorts.cohorts(_school_results(school))),
    )


def board_cohorts(*, board: Board) -> list[dict[str, Any]]:
    return cached(
        f"cohorts:board:{board.number}",
        lambda: _rows(cohorts.cohorts(_board_results(board), level="board")),
    )
