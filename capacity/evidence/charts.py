"""Turning analytics into what pages show: charts (SVG) and the tables beside them."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from capacity.directory.models import Board, School
from capacity.evidence.analytics.identification import OverTime
from capacity.evidence.analytics.policy import Policy
from capacity.evidence.selectors import GRADE_3_6, ResultRow
from capacity.reports.charts import Chart, bar_chart, line_chart, render


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def identified_per_year(over_time: OverTime) -> Chart:
    """Bars of identified and insufficient-data schools per year."""
    data, rows = [], []
    for year in over_time.years:
        counts = over_time.counts[year]
        data.append({"year": year, "count": counts["identified"], "status": _("Identified")})
        data.append({"year": year, "count": counts["insufficient_data"], "status": _("Insufficient data")})
        rows.append([year, counts["identified"], counts["insufficient_data"], counts["schools"]])
    spec = bar_chart(data, x="year", y="count", color="status", title="", description="",
                     x_title=_("School year"), y_title=_("Schools"), color_title=_("Status")).encode(
        xOffset="status:N")
    return render(
        spec,
        title=_("Schools identified per year"),
        description=_("Bars for each school year: schools identified and schools with insufficient data. "
                      "The table below gives the same numbers."),
        columns=[_("School year"), _("Identified"), _("Insufficient data"), _("Schools evaluated")],
        rows=rows,
    )


def movement_rows(over_time: OverTime) -> list[dict[str, Any]]:
    """Entries and exits per year, with how many stayed."""
    return [
        {
            "year": year,
            "identified": over_time.counts[year]["identified"],
            "entries": len(over_time.entries.get(year, [])),
            "exits": len(over_time.exits.get(year, [])),
            "to_insufficient": len(over_time.exits_to_insufficient.get(year, [])),
        }
        for year in over_time.years
    ]


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
        "assessments": [(code, names[code]) for code in codes],
        "rows": [(year, [cells.get((year, code)) for code in codes]) for year in years],
    }


def school_results_chart(school: School, results: list[ResultRow], policy: Policy) -> Chart | None:
    data = [
        {"year": r.school_year, "value": r.pct_at_standard, "assessment": r.assessment_name}
        for r in results if r.pct_at_standard is not None and r.assessment in GRADE_3_6
    ]
    if not data:
        return None
    spec = line_chart(
        data, x="year", y="value", series="assessment", title="", description="",
        x_title=_("School year"), y_title=_("% at or above the standard"), series_title=_("Assessment"),
        rule=policy.threshold,
    )
    return render(
        spec,
        title=_("%(school)s: results over time") % {"school": school.name},
        description=_("Percentage of students at or above the provincial standard on each Grade 3 and "
                      "Grade 6 assessment by school year; the dashed line is the policy threshold of "
                      "%(threshold)s%%. The table below gives every value.") % {"threshold": f"{policy.threshold:g}"},
        height=280,
    )


# Ontario's published tables carry no student counts, so a board's figure from them is
# a plain mean of its schools' percentages; the words must not claim a weighting by students.
ROLLUP_DESCRIPTIONS = {
    "participating": lambda: _(
        "Board-wide percentage of students at or above the provincial standard, weighted by participating "
        "students, for each assessment and school year."),
    "equal": lambda: _(
        "Board-wide mean of the schools' percentages at or above the provincial standard, each school counting "
        "the same (the results carry no student counts), for each assessment and school year."),
    "mixed": lambda: _(
        "Board-wide figure at or above the provincial standard for each assessment and school year: weighted by "
        "participating students where the results give counts, otherwise the mean of the schools' percentages."),
}


def weighting_of(weightings: Iterable[str | None]) -> str:
    """"participating" when every figure is weighted by students, "equal" when every one is a plain mean
    of school percentages (the rollup's `weighting` column), "mixed" otherwise."""
    seen = {w for w in weightings if w}
    return seen.pop() if len(seen) == 1 else ("equal" if not seen else "mixed")


def gap_weighting(rows: list[dict[str, Any]]) -> str:
    """The weighting of board-level gap rows: a group figure with no student count is a plain mean."""
    return weighting_of("participating" if r.get("participating") is not None else "equal" for r in rows)


def board_rollup_chart(board: Board, rollup: list[dict[str, Any]], names: dict[str, str]) -> Chart | None:
    data = [
        {"year": r["school_year"], "value": round(_number(r.get("pct_at_standard")) or 0, 1),
         "assessment": names.get(r["assessment"], r["assessment"])}
        for r in rollup
        if r.get("assessment") in GRADE_3_6 and _number(r.get("pct_at_standard")) is not None
    ]
    if not data:
        return None
    years = sorted({d["year"] for d in data})
    assessments = [names.get(code, code) for code in GRADE_3_6]
    table = {(d["year"], d["assessment"]): d["value"] for d in data}
    spec = line_chart(data, x="year", y="value", series="assessment", title="", description="",
                      x_title=_("School year"), y_title=_("% at or above the standard"),
                      series_title=_("Assessment"))
    return render(
        spec,
        title=_("%(board)s: results over time") % {"board": board.name},
        description=ROLLUP_DESCRIPTIONS[weighting_of(r.get("weighting") for r in rollup)](),
        columns=[_("School year"), *assessments],
        rows=[[year, *[table.get((year, a)) for a in assessments]] for year in years],
    )


def trend_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per school: its three-year change on each Grade 3/6 assessment."""
    by_school: dict[str, dict[str, Any]] = {}
    for r in records:
        if r.get("assessment") not in GRADE_3_6:
            continue
        row = by_school.setdefault(r["school_number"], {"school_number": r["school_number"],
                                                         "school_name": r.get("school_name", ""), "changes": {}})
        row["changes"][r["assessment"]] = _number(r.get("change"))
    out = []
    for row in by_school.values():
        row["cells"] = [row["changes"].get(code) for code in GRADE_3_6]
        known = [c for c in row["cells"] if c is not None]
        row["mean"] = round(sum(known) / len(known), 1) if known else None
        out.append(row)
    return sorted(out, key=lambda r: (r["mean"] is None, r["mean"] if r["mean"] is not None else 0))


def gap_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [
        {"group": r.get("group"), "assessment": r.get("assessment"), "value": _number(r.get("pct_at_standard")),
         "reference": _number(r.get("reference_pct")), "gap": _number(r.get("gap")),
         "participating": r.get("participating")}
        for r in records if r.get("assessment") in GRADE_3_6
    ]
    return sorted(rows, key=lambda r: (str(r["group"]), GRADE_3_6.index(r["assessment"])))


def problem_rows(problems_csv: str, limit: int = 200) -> list[dict[str, str]]:
    if not problems_csv:
        return []
    return list(csv.DictReader(io.StringIO(problems_csv)))[:limit]
