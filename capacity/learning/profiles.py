"""Board profiles at a glance: reads for /learning/boards/ (learning_boards, learning_board).

A profile gathers what other apps already compute, through their own selectors, so each
figure is the one the app's own page shows: the directory's board profile (schools by
level), the evidence app's board and province rollups (results through the disclosure
gate, capacity/evidence/privacy.py), the instruments' report of the last self-assessment
(capacity/learning/recommend.py) and the library's published case studies of the board.
Who sees what is decided in capacity/directory/access.py: the board's pages by
`get_board_for_user`, the self-assessment's figures by `can_run_survey` (the people who
read the round's report).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from capacity.directory import access
from capacity.directory import selectors as directory_selectors
from capacity.directory.models import Board
from capacity.evidence import selectors as evidence_selectors
from capacity.evidence.tables import number_or_none
from capacity.instruments.models import Round
from capacity.learning import recommend
from capacity.learning.models import Item, Kind
from capacity.learning.selectors import published_items


def boards(user: Any) -> QuerySet[Board]:
    """The boards the person may see, by name, with their elementary and secondary counts."""
    return directory_selectors.board_list(user=user)


def last_self_assessments(board_ids: list[int]) -> dict[int, datetime.date]:
    """When each board's latest closed self-assessment closed, in one query (existence and date
    only: the list shows no figure)."""
    today = timezone.localdate()
    rows = (
        Round.objects.filter(
            board_id__in=board_ids, school__isnull=True, instrument__code=recommend.INSTRUMENT
        )
        .filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))
        .values("board_id")
        .annotate(last=Max("closes_on"))
    )
    return {row["board_id"]: row["last"] for row in rows}


@dataclass(frozen=True)
class ResultLine:
    """One assessment's latest figure for all students: the board's beside the province's."""

    assessment: str
    name: str
    board: float | None  # None: no school's figure could be shown (the gate hid them all)
    province: float | None


def results_at_a_glance(board: Board) -> tuple[str | None, list[ResultLine]]:
    """The latest school year with results for the board, and each assessment's board and
    province figures that year, read from evidence's rollups (never recomputed here)."""
    rollup = [r for r in evidence_selectors.board_rollup(board=board) if r.get("group") == "all"]
    if not rollup:
        return None, []
    year = max(str(r["school_year"]) for r in rollup)
    province = {
        r["assessment"]: number_or_none(r.get("pct_at_standard"))
        for r in evidence_selectors.province_rollup()
        if r.get("group") == "all" and r["school_year"] == year
    }
    names = evidence_selectors.assessment_names()
    order = {code: i for i, code in enumerate(evidence_selectors.GRADE_3_6)}
    lines = [
        ResultLine(
            assessment=r["assessment"],
            name=names.get(r["assessment"], r["assessment"]),
            board=number_or_none(r.get("pct_at_standard")),
            province=province.get(r["assessment"]),
        )
        for r in rollup
        if r["school_year"] == year
    ]
    lines.sort(key=lambda line: (order.get(line.assessment, len(order)), line.assessment))
    return year, lines


def board_cases(board: Board) -> list[Item]:
    """The board's own published case studies (written in Capacity for this board)."""
    return list(published_items(Kind.CASE).filter(board=board))


@dataclass(frozen=True)
class Profile:
    board: Board
    directory: directory_selectors.BoardProfile
    year: str | None
    results: list[ResultLine]
    may_read_assessment: bool
    last_round: Round | None
    assessment: recommend.SelfAssessment | None  # None for those who may not read its report
    weakest: list[recommend.Weak]
    recommendations: list[recommend.Recommendation]
    cases: list[Item]

    @property
    def modules(self) -> list[recommend.Recommendation]:
        return [r for r in self.recommendations if r.item.kind == Kind.MODULE]

    @property
    def case_studies(self) -> list[recommend.Recommendation]:
        return [r for r in self.recommendations if r.item.kind == Kind.CASE]


def profile(user: Any, board: Board) -> Profile:
    """The board at a glance for this person (the board already checked with
    `access.get_board_for_user`). The self-assessment's figures and what to read next, which
    names its weakest characteristics, are read only for those who may read its report."""
    may_read = access.can_run_survey(user, board=board)
    last_round = recommend.latest_round(board)
    assessment: recommend.SelfAssessment | None = None
    weakest: list[recommend.Weak] = []
    recommendations: list[recommend.Recommendation] = []
    if may_read and last_round is not None:
        # "Your board" only to its own people; a ministry officer reads "this board's".
        own = board.pk in access.scope_for(user).board_ids
        assessment, weakest, recommendations = recommend.for_board(board, found=last_round, own=own)
    # Others learn only that it exists, when it closed and who it is reported to.
    year, results = results_at_a_glance(board)
    return Profile(
        board=board,
        directory=directory_selectors.board_profile(board=board),
        year=year,
        results=results,
        may_read_assessment=may_read,
        last_round=last_round,
        assessment=assessment,
        weakest=weakest,
        recommendations=recommendations,
        cases=board_cases(board),
    )
