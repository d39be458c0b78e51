"""Turning analytics into the charts (SVG) pages show; the tables beside them are in tables.py."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from capacity.directory.models import Board, School
from capacity.evidence import selectors
from capacity.evidence.analytics.identification import OverTime
from capacity.evidence.analytics.policy import Policy
from capacity.evidence.selectors import GRADE_3_6, ResultRow
from capacity.evidence.tables import number_or_none, weighting_of
from capacity.reports.charts import Chart, bar_chart, line_chart, render


def identified_per_year(over_time: OverTime) -> Chart:
    """Bars of identified and insufficient-data schools per year."""
    data, rows = [], []
    for year in over_time.years:
        counts = over_time.counts[year]
        data.append({"year": year, "count": counts["identified"], "status": _("Identified")})
        data.append(
            {"year": year, "count": counts["insufficient_data"], "status": _("Insufficient data")}
        )
        rows.append([year, counts["identified"], counts["insufficient_data"], counts["schools"]])
    spec = bar_chart(
        data,
        x="year",
        y="count",
        color="status",
        title="",
        description="",
        x_title=_("School year"),
        y_title=_("Schools"),
        color_title=_("Status"),
    ).encode(xOffset="status:N")
    return render(
        spec,
        title=_("Schools identified per year"),
        description=_(
            "Bars for each school year: schools identified and schools with insufficient data. "
            "The table below gives the same numbers."
        ),
        columns=[_("School year"), _("Identified"), _("Insufficient data"), _("Schools evaluated")],
        rows=rows,
    )


def school_results_chart(school: School, results: list[ResultRow], policy: Policy) -> Chart | None:
    data = [
        {"year": r.school_year, "value": r.pct_at_standard, "assessment": r.assessment_name}
        for r in results
        if r.pct_at_standard is not None and r.assessment in GRADE_3_6
    ]
    if not data:
        return None
    spec = line_chart(
        data,
        x="year",
        y="value",
        series="assessment",
        title="",
        description="",
        x_title=_("School year"),
        y_title=_("% at or above the standard"),
        series_title=_("Assessment"),
        rule=policy.threshold,
    )
    return render(
        spec,
        title=_("%(school)s: results over time") % {"school": school.name},
        description=_(
            "Percentage of students at or above the provincial standard on each Grade 3 and "
            "Grade 6 assessment by school year; the dashed line is the policy threshold of "
            "%(threshold)s%%. The table below gives every value."
        )
        % {"threshold": f"{policy.threshold:g}"},
        height=280,
    )


# Ontario's published tables carry no student counts, so a board's figure from them is
# a plain mean of its schools' percentages; the words must not claim a weighting by students.
ROLLUP_DESCRIPTIONS = {
    "participating": lambda: _(
        "Board-wide percentage of students at or above the provincial standard, weighted by participating "
        "students, for each assessment and school year."
    ),
    "equal": lambda: _(
        "Board-wide mean of the schools' percentages at or above the provincial standard, each school counting "
        "the same (the results carry no student counts), for each assessment and school year."
    ),
    "mixed": lambda: _(
        "Board-wide figure at or above the provincial standard for each assessment and school year: weighted by "
        "participating students where the results give counts, otherwise the mean of the schools' percentages."
    ),
}


def board_rollup_chart(
    board: Board, rollup: list[dict[str, Any]], names: dict[str, str]
) -> Chart | None:
    data = [
        {
            "year": r["school_year"],
            "value": round(number_or_none(r.get("pct_at_standard")) or 0, 1),
            "assessment": names.get(r["assessment"], r["assessment"]),
        }
        for r in rollup
        if r.get("assessment") in GRADE_3_6 and number_or_none(r.get("pct_at_standard")) is not None
    ]
    if not data:
        return None
    years = sorted({d["year"] for d in data})
    assessments = [names.get(code, code) for code in GRADE_3_6]
    table = {(d["year"], d["assessment"]): d["value"] for d in data}
    spec = line_chart(
        data,
        x="year",
        y="value",
        series="assessment",
        title="",
        description="",
        x_title=_("School year"),
        y_title=_("% at or above the standard"),
        series_title=_("Assessment"),
    )
    return render(
        spec,
        title=_("%(board)s: results over time") % {"board": board.name},
        description=ROLLUP_DESCRIPTIONS[weighting_of(r.get("weighting") for r in rollup)](),
        columns=[_("School year"), *assessments],
        rows=[[year, *[table.get((year, a)) for a in assessments]] for year in years],
    )


def province_chart(policy: Policy) -> Chart:
    """The province page's chart for a policy, in the current language, cached with the analyses."""
    return selectors.cached(
        f"chart:province:{policy.label}:{policy.threshold}:{translation.get_language()}",
        lambda: identified_per_year(selectors.province_over_time(policy)),
    )


def board_chart(board: Board) -> Chart | None:
    """The board page's rollup chart, in the current language, cached with the analyses."""
    return selectors.cached(
        f"chart:board:{board.number}:{translation.get_language()}",
        lambda: board_rollup_chart(
            board, selectors.board_rollup(board=board), selectors.assessment_names()
        ),
    )


def school_chart(school: School, results: list[ResultRow], policy: Policy) -> Chart | None:
    """The school page's chart of its results, in the current language, cached with the analyses.

    The worker draws every school's ahead after an import (warming.py), so that a
    school's first visit does not wait for vl-convert.
    """
    return selectors.cached(
        f"chart:school:{school.number}:{policy.threshold}:{translation.get_language()}",
        lambda: school_results_chart(school, results, policy),
    )
