"""The evidence's items on the home pages: identification and why, results at a glance, imports.

Every figure here comes through the disclosure gate: a school's results from
`selectors.school_results` (suppress_results), a board's from `board_rollup`
(computed from the figures people may see), identification reasons from
`shown_identification`. A hidden figure is named as hidden, never shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.directory.models import Board, School
from capacity.evidence import selectors
from capacity.evidence.analytics.identification import (
    IDENTIFIED,
    INSUFFICIENT_DATA,
    Identification,
)
from capacity.evidence.models import ResultImport
from capacity.homeitems import DONE, FAILED, INFO, WAITING, HomeItem, HomeSection
from capacity.homeitems import IDENTIFIED as IDENTIFIED_WORD

# How many assessments a results section lists (the Grade 3 and 6 ones come first).
RESULT_ITEMS = 8


def sections(user: Any) -> list[HomeSection]:
    """The evidence sections the person's roles call for (see capacity/homeitems.py)."""
    scope = access.scope_for(user)
    out: list[HomeSection] = []
    if scope.ministry:
        out.append(_province(order=60))
        if access.can_import_results(user):
            out.append(_imports(order=90))
    team_schools = list(
        access.team_schools_for(user).select_related("board").order_by("name", "number")
    )
    if team_schools:
        out.append(_identification(team_schools, order=15))
        out.extend(_school_results(school, order=55) for school in team_schools)
    if not scope.province and scope.board_ids:
        boards = list(access.boards_for(user).order_by("name"))
        out.extend(_board_results(board, order=65) for board in boards)
    return out


def _pct(value: float) -> str:
    return number_format(value, decimal_pos=1)


def _policy_and_year() -> tuple[Any, str | None]:
    policy = selectors.get_policy()
    return policy, selectors.default_year(policy)


def _identification(schools: list[School], *, order: int) -> HomeSection:
    """Whether each of the person's schools is identified for focused intervention, and why."""
    policy, year = _policy_and_year()
    items: list[HomeItem] = []
    if year is not None:
        found = selectors.schools_identification(
            numbers=[s.number for s in schools], policy=policy, year=year
        )
        names = selectors.assessment_names()
        items = [_identification_item(found, school, names, year) for school in schools]
    return HomeSection(
        heading_id="home-identification",
        title=_("Identification for focused intervention"),
        items=tuple(items),
        empty=_(
            "No assessment results have been imported yet. Once they are, whether your school is "
            "identified for focused intervention, and why, appears here."
        ),
        order=order,
    )


def _identification_item(
    found: Identification, school: School, names: dict[str, str], year: str
) -> HomeItem:
    url = reverse("school_evidence", args=[school.number])
    status = found.school(school.number)
    if status is None or status.status == INSUFFICIENT_DATA:
        return HomeItem(
            text=_("%(school)s: not enough results in %(year)s to decide.")
            % {"school": school.name, "year": year},
            url=url,
            status=INFO,
            status_text=_("Not decided"),
        )
    if status.status != IDENTIFIED:
        return HomeItem(
            text=_("%(school)s is not identified for focused intervention in %(year)s.")
            % {"school": school.name, "year": year},
            url=url,
            status=DONE,
            status_text=_("Not identified"),
        )
    reasons = [
        _("%(assessment)s in %(year)s: %(pct)s%%")
        % {
            "assessment": names.get(r.assessment, r.assessment),
            "year": r.school_year,
            "pct": _pct(r.pct_at_standard),
        }
        if r.pct_at_standard is not None
        else _("%(assessment)s in %(year)s: figure hidden to protect a small group")
        % {"assessment": names.get(r.assessment, r.assessment), "year": r.school_year}
        for r in status.reasons
    ]
    return HomeItem(
        text=_("%(school)s is identified for focused intervention in %(year)s.")
        % {"school": school.name, "year": year},
        url=url,
        status=IDENTIFIED_WORD,
        status_text=_("Identified"),
        detail=_(
            "Why: results of all students below %(threshold)s%% at the provincial standard: %(reasons)s."
        )
        % {"threshold": _pct(found.policy.threshold), "reasons": "; ".join(reasons)},
    )


def _latest_with_change(
    rows: Iterable[tuple[str, str, float | None]], names: dict[str, str]
) -> list[HomeItem]:
    """One item per assessment: its latest figure and the change from the nearest earlier year with one.

    `rows` are (school_year, assessment code, % at standard or None when hidden or missing).
    """
    by_code: dict[str, list[tuple[str, float | None]]] = {}
    for year, code, value in rows:
        by_code.setdefault(code, []).append((year, value))
    items = []
    for code, years in by_code.items():
        years.sort()
        latest_year, latest = years[-1]
        name = names.get(code, code)
        if latest is None:
            items.append(
                HomeItem(
                    text=_("%(assessment)s, %(year)s: not shown")
                    % {"assessment": name, "year": latest_year},
                    detail=_(
                        "No figure can be shown for this year: too few students wrote it, or it was not reported."
                    ),
                )
            )
            continue
        earlier = [(y, v) for y, v in years[:-1] if v is not None]
        detail = _("No earlier year to compare with.")
        if earlier:
            before_year, before = earlier[-1]
            change = latest - before
            if abs(change) < 0.05:
                detail = _("Unchanged since %(year)s.") % {"year": before_year}
            elif change > 0:
                detail = _("Up %(points)s points since %(year)s.") % {
                    "points": _pct(change),
                    "year": before_year,
                }
            else:
                detail = _("Down %(points)s points since %(year)s.") % {
                    "points": _pct(-change),
                    "year": before_year,
                }
        items.append(
            HomeItem(
                text=_("%(assessment)s, %(year)s: %(pct)s%% at or above the standard")
                % {"assessment": name, "year": latest_year, "pct": _pct(latest)},
                detail=detail,
            )
        )
    return items[:RESULT_ITEMS]


def _school_results(school: School, *, order: int) -> HomeSection:
    """The school's latest results for all students, with their trend (through the gate)."""
    rows = selectors.school_results(school=school)
    names = {r.assessment: r.assessment_name for r in rows}
    items = _latest_with_change(
        ((r.school_year, r.assessment, r.pct_at_standard) for r in rows), names
    )
    return HomeSection(
        heading_id=f"home-results-{school.number}",
        title=_("Latest results: %(school)s") % {"school": school.name},
        items=tuple(items),
        empty=_(
            "No assessment results have been imported for this school. Its latest results and their "
            "trend appear here once they are."
        ),
        more_url=reverse("school_evidence", args=[school.number]),
        more_text=_("All of the school's evidence"),
        order=order,
    )


def _board_results(board: Board, *, order: int) -> HomeSection:
    """The board's results at a glance: each assessment's latest figure for all students and its change."""
    rollup = [r for r in selectors.board_rollup(board=board) if r.get("group") == "all"]
    names = selectors.assessment_names()
    order_of = {code: i for i, code in enumerate(selectors.GRADE_3_6)}
    rows = sorted(
        ((r["school_year"], r["assessment"], r["pct_at_standard"]) for r in rollup),
        key=lambda row: (order_of.get(row[1], len(order_of)), row[1]),
    )
    items = _latest_with_change(rows, names)
    return HomeSection(
        heading_id=f"home-board-results-{board.number}",
        title=_("The board's results at a glance: %(board)s") % {"board": board.name},
        items=tuple(items),
        empty=_(
            "No assessment results have been imported for this board's schools. The board's latest "
            "results and their trend appear here once they are."
        ),
        more_url=reverse("board_evidence", args=[board.number]),
        more_text=_("All of the board's evidence"),
        order=order,
    )


def _province(*, order: int) -> HomeSection:
    """Province headline figures: schools identified, and those with too little data."""
    policy, year = _policy_and_year()
    items: list[HomeItem] = []
    if year is not None:
        counts = selectors.province_identification(policy, year).counts()
        items = [
            HomeItem(
                text=ngettext(
                    "%(count)s school identified for focused intervention in %(year)s",
                    "%(count)s schools identified for focused intervention in %(year)s",
                    counts["identified"],
                )
                % {"count": number_format(counts["identified"], force_grouping=True), "year": year},
                url=reverse("province_evidence"),
                status=IDENTIFIED_WORD,
                status_text=_("Identified"),
                detail=ngettext(
                    "out of %(count)s school with results the policy reads",
                    "out of %(count)s schools with results the policy reads",
                    counts["schools"],
                )
                % {"count": number_format(counts["schools"], force_grouping=True)},
            ),
            HomeItem(
                text=ngettext(
                    "%(count)s school without enough results to decide",
                    "%(count)s schools without enough results to decide",
                    counts["insufficient_data"],
                )
                % {"count": number_format(counts["insufficient_data"], force_grouping=True)},
                url=reverse("province_evidence"),
            ),
        ]
    return HomeSection(
        heading_id="home-province",
        title=_("The province at a glance"),
        items=tuple(items),
        empty=_(
            "No assessment results have been imported yet. How many schools are identified for "
            "focused intervention appears here once they are."
        ),
        more_url=reverse("province_evidence"),
        more_text=_("The province's evidence"),
        order=order,
    )


_IMPORT_STATUS = {
    ResultImport.State.QUEUED: WAITING,
    ResultImport.State.RUNNING: WAITING,
    ResultImport.State.APPLIED: DONE,
    ResultImport.State.REJECTED: FAILED,
    ResultImport.State.FAILED: FAILED,
}


def _imports(*, order: int) -> HomeSection:
    """The newest results uploads and how each went."""
    items = tuple(
        HomeItem(
            text=job.original_name,
            url=reverse("result_import", args=[job.pk]),
            status=_IMPORT_STATUS.get(ResultImport.State(job.state), INFO),
            status_text=str(ResultImport.State(job.state).label),
            on=timezone.localdate(job.created),
            date_text=_("uploaded"),
            detail=_("by %(person)s") % {"person": job.uploaded_by} if job.uploaded_by else "",
        )
        for job in selectors.recent_result_imports(limit=5)
    )
    return HomeSection(
        heading_id="home-imports",
        title=_("Recent result imports"),
        items=items,
        empty=_("No results have been uploaded yet. Each upload and how it went appears here."),
        more_url=reverse("result_imports"),
        more_text=_("Upload results"),
        order=order,
    )
