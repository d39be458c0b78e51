"""Turning analytics into the tables pages show: rows for templates, with labels and numbers ready."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from capacity.evidence.analytics.identification import Movement, OverTime, Simulation
from capacity.evidence.selectors import GRADE_3_6, ResultRow
from capacity.reports.csv import restore


def number_or_none(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def movement_rows(over_time: OverTime) -> list[Movement]:
    """Entries and exits per year, each year reconciled with the nearest earlier year with results.

    Every way in and out is a column of its own, so that a reader can add them up:
    identified = identified before + entered - left (see identification.Movement).
    """
    return over_time.movement()


# The simulator's by-board table: the columns people may sort by, and the default.
SIMULATION_SORTS = ("board", "current", "proposed", "entering", "leaving")


def simulation_sort(value: str | None) -> tuple[str, bool]:
    """`?sort=` read as (column, descending); an unknown column falls back to board name, A to Z."""
    value = value or ""
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key not in SIMULATION_SORTS:
        return "board", False
    return key, descending


def simulation_board_rows(simulation: Simulation, sort: str | None) -> list[dict[str, Any]]:
    """The simulation's boards as rows, sorted by `sort` ("proposed", "-entering", ...).

    Ties keep board-name order, so that equal counts do not shuffle between requests.
    """
    key, descending = simulation_sort(sort)
    rows = [
        {"board_number": number} | counts | {"change": counts["proposed"] - counts["current"]}
        for number, counts in simulation.by_board.items()
    ]
    rows.sort(key=lambda r: (str(r["board_name"]).casefold(), r["board_number"]))
    if key == "board":
        return list(reversed(rows)) if descending else rows
    return sorted(rows, key=lambda r: int(r[key]), reverse=descending)


def sort_headers(
    columns: Sequence[tuple[str, str, bool]], sort: str | None, query: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Header cells for a table sorted on the server: each a link that sorts by its column.

    `columns` are (key, label, numeric). The sorted column carries aria-sort; its link
    reverses the order. Other links sort numbers largest first and names A to Z. The
    rest of the query string (the form's choices) is kept.
    """
    key, descending = simulation_sort(sort)
    headers = []
    for column, label, numeric in columns:
        if column == key:
            target = column if descending else f"-{column}"
            aria = "descending" if descending else "ascending"
        else:
            target, aria = (f"-{column}" if numeric else column), ""
        params = {k: v for k, v in query.items() if k != "sort"} | {"sort": target}
        headers.append(
            {
                "label": label,
                "numeric": numeric,
                "aria_sort": aria,
                "href": "?" + urlencode(params),
            }
        )
    return headers


def simulation_headers(sort: str | None, query: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The simulator's by-board header row, every column sortable."""
    from django.utils.translation import gettext as _

    columns = [
        ("board", _("Board"), False),
        ("current", _("Now"), True),
        ("proposed", _("Proposed"), True),
        ("entering", _("Would enter"), True),
        ("leaving", _("Would leave"), True),
    ]
    return sort_headers(columns, sort, query)


def years_before(year: str, years: int) -> str:
    """The school year `years` before `year` ("2023-24", 3 -> "2020-21")."""
    from capacity.schoolyears import school_year_label, year_start_of

    return school_year_label(year_start_of(year) - years)


def board_rows(over_time: OverTime, year: str) -> list[dict[str, Any]]:
    boards = over_time.by_board.get(year, {})
    rows = [
        {"board_number": number, "board_name": over_time.boards.get(number, number)} | counts
        for number, counts in boards.items()
    ]
    return sorted(rows, key=lambda r: (-r["identified"], r["board_name"]))


def school_results_table(results: list[ResultRow]) -> dict[str, Any]:
    """Years x assessments, for the data table beside the chart."""
    years = sorted({r.school_year for r in results})
    codes = [c for c in GRADE_3_6 if any(r.assessment == c for r in results)]
    codes += sorted({r.assessment for r in results} - set(codes))
    names = {r.assessment: r.assessment_name for r in results}
    cells = {(r.school_year, r.assessment): r for r in results}
    return {
        "years": years,
        "assessments": [(code, names[code]) for code in codes],
        "rows": [(year, [cells.get((year, code)) for code in codes]) for year in years],
    }


def weighting_of(weightings: Iterable[str | None]) -> str:
    """ "participating" when every figure is weighted by students, "equal" when every one is a plain mean
    of school percentages (the rollup's `weighting` column), "mixed" otherwise."""
    seen = {w for w in weightings if w}
    return seen.pop() if len(seen) == 1 else ("equal" if not seen else "mixed")


def gap_weighting(rows: list[dict[str, Any]]) -> str:
    """The weighting of board-level gap rows: a group figure with no student count is a plain mean."""
    return weighting_of(
        "participating" if r.get("participating") is not None else "equal" for r in rows
    )


def trend_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per school: its three-year change on each Grade 3/6 assessment."""
    by_school: dict[str, dict[str, Any]] = {}
    for r in records:
        if r.get("assessment") not in GRADE_3_6:
            continue
        row = by_school.setdefault(
            r["school_number"],
            {
                "school_number": r["school_number"],
                "school_name": r.get("school_name", ""),
                "changes": {},
            },
        )
        row["changes"][r["assessment"]] = number_or_none(r.get("change"))
    out = []
    for row in by_school.values():
        row["cells"] = [row["changes"].get(code) for code in GRADE_3_6]
        known = [c for c in row["cells"] if c is not None]
        row["mean"] = round(sum(known) / len(known), 1) if known else None
        out.append(row)
    return sorted(out, key=lambda r: (r["mean"] is None, r["mean"] if r["mean"] is not None else 0))


def gap_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [
        {
            "group": r.get("group"),
            "assessment": r.get("assessment"),
            "value": number_or_none(r.get("pct_at_standard")),
            "reference": number_or_none(r.get("reference_pct")),
            "gap": number_or_none(r.get("gap")),
            "participating": r.get("participating"),
        }
        for r in records
        if r.get("assessment") in GRADE_3_6
    ]
    return sorted(rows, key=lambda r: (str(r["group"]), GRADE_3_6.index(r["assessment"])))


def problem_table(problems_csv: str) -> tuple[list[str], list[list[str]]]:
    """An upload's problems as a header and rows, for its CSV and XLSX downloads.

    The stored CSV put an apostrophe before any cell a spreadsheet would run;
    the cells come back as the import wrote them, and the download's writer
    (`capacity/reports/tables.py`) neutralises them again for its format.
    """
    reader = csv.reader(io.StringIO(problems_csv))
    header = next(reader, [])
    return header, [[restore(cell) for cell in row] for row in reader]


def problem_rows(problems_csv: str, limit: int = 200) -> list[dict[str, str]]:
    if not problems_csv:
        return []
    return list(csv.DictReader(io.StringIO(problems_csv)))[:limit]
