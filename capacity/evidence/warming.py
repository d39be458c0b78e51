"""Computing ahead: the evidence pages' analyses, computed before anyone asks.

The worker runs `warm_analyses` after an import changes results (a task queued
when `results_changed` is sent), and `capacity demo` at its end, so that the
first visit to the province's, a board's or a school's evidence costs what the
second does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from capacity.directory.models import Board
from capacity.evidence import charts, parts, selectors, selectors_partners
from capacity.evidence.analytics.policy import Policy


@dataclass(frozen=True)
class Warmed:
    """What `warm_analyses` computed, for the log and the command's output."""

    year: str | None
    boards: int
    seconds: float
    schools: int = 0
    stopped: bool = False  # `stop` said so before the end (what was computed stays in the cache)


def warm_analyses(
    *, languages: tuple[str, ...] | None = None, stop: Callable[[], bool] | None = None
) -> Warmed:
    """Compute ahead what the evidence pages would compute on their first visit.

    The worker runs this after an import changes results (and the demo build at
    its end), so that nobody waits for an analysis: the province page's
    identification, its history and chart; the year's context model, beat the
    odds and the standardized context similar schools are found in (province and
    each board); each board's results as its readers may see them (the school
    pages read their own from these), rollup, trends, gaps and chart, and every
    school's similar schools (province-wide and within its board); then, last and
    slowest (CAPACITY_WARM_SCHOOL_CHARTS), every school's chart and the parts of its
    page that are the same for all its readers. The answers go to the shared cache
    under the new data version, where the pages look. Only the default policy's
    latest year is computed (and the province's and boards' pages rendered in each
    language): the pages open on it; another policy or year is computed on its first
    visit, as before. A school page then costs about what its second visit does (its
    few own reads remain).

    `stop` is asked before the province's analyses and before each board's (and each
    board's schools'); when it answers yes the warming ends there and says so
    (`Warmed.stopped`). The worker stops for an upload waiting behind it and queues the
    rest: what was computed stays in the cache, so the next warming starts where this
    one ended, and the upload does not wait minutes for a whole warming.
    """
    started = time.perf_counter()
    halt = stop or (lambda: False)
    selectors.forget_data_version()
    languages = languages or tuple(code for code, _name in settings.LANGUAGES)
    policy = selectors.get_policy()
    selectors.result_years()
    year = selectors.default_year(policy)
    if year is None:
        return Warmed(year=None, boards=0, seconds=time.perf_counter() - started)
    if halt():
        return Warmed(year=year, boards=0, seconds=time.perf_counter() - started, stopped=True)
    selectors.province_over_time(policy)
    selectors.province_identification(policy, year)
    selectors.province_rollup()  # beside each board's on its learning profile
    selectors.beat_the_odds_table(year)
    context_year = selectors.context_year_for(year)
    if context_year is not None:
        selectors.standardized_context(context_year=context_year, within="*")
        # Each school's similar schools, province-wide (what a ministry officer's school page shows).
        selectors.similar_table(context_year=context_year, within="*")
    # The lists of schools that beat the odds over several years and every identified school's
    # partners (its evidence page shows them): three years' context models.
    selectors_partners.province_partners(year)
    boards = list(Board.objects.order_by("number"))

    def stopped() -> Warmed:
        return Warmed(
            year=year, boards=len(boards), seconds=time.perf_counter() - started, stopped=True
        )

    for board in boards:
        if halt():
            return stopped()
        if context_year is not None:
            selectors.standardized_context(context_year=context_year, within=board.number)
            selectors.similar_table(context_year=context_year, within=board.number)
        selectors.shown_rows_by_school(board.number)
        selectors.board_rollup(board=board)
        selectors.board_trends(board=board, year=year)
        selectors.board_gaps(board=board, year=year)
    years = selectors.result_years()
    for language in languages:
        with translation.override(language):
            charts.province_chart(policy)
            parts.province_body(policy, year, years)  # the province page itself, rendered
            for board in boards:
                if halt():
                    return stopped()
                charts.board_chart(board)
                parts.board_body(board, policy, year, years)  # each board's page, rendered
    schools = 0
    if settings.CAPACITY_WARM_SCHOOL_CHARTS:
        schools = _school_pages(policy, year, years, boards, languages, halt)
        if schools < 0:
            return stopped()
    return Warmed(
        year=year, boards=len(boards), schools=schools, seconds=time.perf_counter() - started
    )


def _school_pages(
    policy: Policy,
    year: str,
    years: list[str],
    boards: list[Board],
    languages: tuple[str, ...],
    halt: Callable[[], bool],
) -> int:
    """Draw each school's results chart and render its evidence page's kept parts, in each
    language (last: the slowest part, about 0.1 s a chart, so the pages above are ready
    first). Returns the schools whose chart was drawn (those with results), or -1 when
    `halt` stopped it."""
    drawn = 0
    for board in boards:
        if halt():
            return -1
        shown = selectors.shown_rows_by_school(board.number)
        for school in board.schools.order_by("number"):
            results = selectors.school_results(school=school) if school.number in shown else []
            for language in languages:
                with translation.override(language):
                    if results:
                        charts.school_chart(school, results, policy)
                    parts.school_parts(school, policy, year, years)
            drawn += bool(results)
    return drawn
