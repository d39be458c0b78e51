"""Rendered parts of the evidence pages, kept under the data version (capacity/fragments.py).

The province page is the same for everyone who may read it, so its body is rendered
once per data version, disclosure rule, policy, year and language; so is a board's
page for everyone who may read that board (what differs between its readers, the
link to the schools that beat the odds, stays outside the part), and a school's
status, results, student groups and standing against the odds (its identification
decisions, partners and similar schools, which depend on the reader, are read afresh
between them). The views read them here, and the worker renders them ahead after an
import (warming.py), so that a first visit costs what a second does.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from capacity import fragments
from capacity.directory.models import Board, School
from capacity.evidence import charts, selectors, tables
from capacity.evidence.analytics.policy import Policy
from capacity.evidence.privacy import rule


def province_body(policy: Policy, year: str | None, years: list[str]) -> SafeString:
    """The province evidence page's body in the active language."""

    def figures() -> dict[str, Any]:
        context: dict[str, Any] = {
            "policy": policy,
            "year": year,
            "years": years,
            "policies": selectors.policy_rows(),
        }
        if year is not None:
            over_time = selectors.province_over_time(policy)
            found = selectors.province_identification(policy, year)
            context |= {
                "over_time": over_time,
                "found": found,
                "counts": found.counts(),
                "chart": charts.province_chart(policy),
                "movement": tables.movement_rows(over_time),
                "by_board": tables.board_rows(over_time, year),
                "elementary_schools": selectors.elementary_school_count(),
            }
        return context

    # Everyone who may read the province reads the same page: kept once per version.
    version = (selectors.data_version(), rule().digest, repr(policy), year, years)
    return fragments.rendered("province", version, "evidence/_province_body.html", figures)


def board_body(board: Board, policy: Policy, year: str | None, years: list[str]) -> SafeString:
    """A board evidence page's body in the active language: the policy form, the schools
    needing support, the board over time, the three-year change and the equity gaps."""

    def figures() -> dict[str, Any]:
        context: dict[str, Any] = {
            "board": board,
            "policy": policy,
            "year": year,
            "years": years,
            "policies": selectors.policy_rows(),
            "grade_codes": selectors.GRADE_3_6,
        }
        if year is not None:
            context |= {
                "statuses": selectors.board_identification(board, policy, year),
                "rollup_chart": charts.board_chart(board),
                "trend_rows": tables.trend_rows(selectors.board_trends(board=board, year=year)),
                "trend_base": selectors.trend_base_year(year),
                "trend_nominal_base": tables.years_before(year, 3),
                "gap_rows": tables.gap_rows(selectors.board_gaps(board=board, year=year)),
            }
            context["gap_weighting"] = tables.gap_weighting(context["gap_rows"])
        return context

    # The board's name is read afresh with the board on every request: renaming it shows at once.
    version = (
        selectors.data_version(),
        rule().digest,
        repr(policy),
        year,
        years,
        board.number,
        board.name,
    )
    return fragments.rendered("board", version, "evidence/_board_body.html", figures)


SCHOOL_PARTS = {"head": "evidence/_school_head.html", "results": "evidence/_school_results.html"}


def school_parts(
    school: School, policy: Policy, year: str | None, years: list[str]
) -> dict[str, SafeString]:
    """A school evidence page's kept parts in the active language: "head" (the policy form
    and the school's status) and "results" (its results over time and chart, its student
    groups through the disclosure gate, its standing against the odds)."""

    def figures() -> dict[str, Any]:
        results = selectors.school_results(school=school)
        context: dict[str, Any] = {
            "school": school,
            "policy": policy,
            "year": year,
            "years": years,
            "policies": selectors.policy_rows(),
            "chart": charts.school_chart(school, results, policy) if results else None,
            "table": tables.school_results_table(results),
        }
        if year is not None:
            context |= {
                "status": selectors.province_identification(policy, year).school(school.number),
                "odds": selectors.school_beat_the_odds(school=school, year=year),
                "groups": selectors.school_group_results(school=school, year=year),
            }
        return context

    version = (
        selectors.data_version(),
        rule().digest,
        repr(policy),
        year,
        years,
        school.number,
        school.name,
    )
    return fragments.rendered_parts("school", version, SCHOOL_PARTS, figures)
