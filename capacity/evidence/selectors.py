"""Reads for the evidence pages and API: results, identification and analyses.

The analytics run on the app's database through Ibis (capacity.evidence.data).
Their answers are cached under the data's version (the results' and policies'
count and newest id, and the newest applied import), so a new import or policy
shows at once and an unchanged province is computed once.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Sum

from capacity.audit.models import Action, AuditEntry
from capacity.directory.models import Board, School
from capacity.evidence.analytics import context_model, identification, neighbours, trends
from capacity.evidence.analytics.policy import DEFAULT_POLICY, Policy, PolicyError, parse_policy
from capacity.evidence.data import app_tables
from capacity.evidence.labels import assessment_name
from capacity.evidence.models import Assessment, Result
from capacity.evidence.models import Policy as PolicyRow
from capacity.evidence.privacy import (
    rule,
    shown_changes,
    shown_identification,
    shown_results,
    suppress_results,
)
from capacity.fragments import note_stale, request_seconds, stale_count

T = TypeVar("T")
CACHE_SECONDS = 24 * 3600
GRADE_3_6 = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")


_VERSION: tuple[float, str] = (0.0, "")
# The version last read by any process, with the (wall clock) time its reading began.
_SHARED_VERSION = "evidence:data-version"


def data_version() -> str:
    """Changes whenever results, policies or the directory change (read at most every CAPACITY_DATA_VERSION_TTL
    seconds).

    Reading it sums every result (tens of milliseconds on PostgreSQL for Ontario), so
    the processes share it: one that finds the version another read less than the TTL
    ago takes it, as fresh as its own reading would be (a change is seen within the TTL
    either way); under load the site reads it once per TTL rather than once per
    process."""
    global _VERSION
    now = time.monotonic()
    ttl = settings.CAPACITY_DATA_VERSION_TTL
    if now - _VERSION[0] < ttl and _VERSION[1]:
        return _VERSION[1]
    if ttl > 0:
        shared = cache.get(_SHARED_VERSION)
        if shared is not None:
            read_at, version = shared
            age = time.time() - read_at
            if 0 <= age < ttl:
                _VERSION = (now - age, version)
                return str(version)
    read_at = time.time()
    # Count and newest id catch additions and deletions; the sums catch values changed in place.
    results = Result.objects.aggregate(
        n=Count("pk"), last=Max("pk"), total=Sum("pct_at_standard"), students=Sum("participating")
    )
    policies = PolicyRow.objects.aggregate(n=Count("pk"), last=Max("pk"))
    # The analyses name schools and boards and read their context: an import of the directory
    # (a school renamed, a new year's context) changes answers without touching a result.
    # Every applied import writes an audit entry.
    imports = AuditEntry.objects.filter(action=Action.IMPORT_APPLIED).aggregate(last=Max("pk"))
    raw = f"{results}:{policies}:{imports}"
    version = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]
    _VERSION = (now, version)
    _remember_version(version)
    if ttl > 0:
        cache.set(_SHARED_VERSION, (read_at, version), math.ceil(ttl))
    return version


# The last few data versions seen, newest first: where `cached` looks for a previous answer.
_RECENT_VERSIONS = "evidence:recent-versions"
RECENT_VERSIONS = 4


def _remember_version(version: str) -> None:
    recent: list[str] = cache.get(_RECENT_VERSIONS) or []
    if recent[:1] != [version]:
        recent = [version, *(v for v in recent if v != version)][:RECENT_VERSIONS]
        cache.set(_RECENT_VERSIONS, recent, CACHE_SECONDS)


def forget_data_version() -> None:
    """After this process writes results or policies, read the version afresh (and so will the others)."""
    global _VERSION
    _VERSION = (0.0, "")
    cache.delete(_SHARED_VERSION)


# The answers this process read or computed last, in front of the shared cache. The key
# names the data version, so an entry is never stale; it saves reading (unpickling) a
# province-wide table from the file cache on every request. Callers treat answers as
# read-only: the same object is handed to every request of this process.
_MEMO: OrderedDict[str, tuple[Any]] = OrderedDict()
_MEMO_LOCK = threading.Lock()
MEMO_ENTRIES = 256
# For each analysis (its rule and key), the full key of its newest answer in _MEMO.
_NEWEST: OrderedDict[str, str] = OrderedDict()
POLL_SECONDS = 0.05


def cached(key: str, compute: Callable[[], T]) -> T:
    """Compute once per data version: this process's memory first, then the shared cache.

    After new data (an import, a policy) the answer is computed by one process at a
    time: the first to find it missing takes a lock in the shared cache and computes
    it; the others meanwhile read the answer of the previous data version, when there
    is one, or wait for the new one (CAPACITY_COMPUTE_WAIT seconds at most, then
    compute it themselves). A request that has run CAPACITY_STALE_AFTER seconds reads
    the previous answer instead of computing more. The previous answer was gated by
    the same disclosure rule (the rule is in the key), so it shows nothing the reader
    may not see; it is only older, by the seconds the new one takes. Whatever is made
    from it (a page part, an answer computed from it) is not kept (`fragments.note_stale`).
    """
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    # The disclosure rule is part of the key: a changed rule must not serve figures gated by the old one.
    analysis = f"{rule().digest}:{digest}"
    version = data_version()
    full_key = f"evidence:{version}:{analysis}"
    with _MEMO_LOCK:
        boxed = _MEMO.get(full_key)
        if boxed is not None:
            _MEMO.move_to_end(full_key)
            return boxed[0]
    boxed = cache.get(full_key)  # boxed in a tuple so that None is a cacheable answer
    if boxed is None:
        boxed, fresh = _compute_once(full_key, analysis, version, compute)
        if not fresh:
            return boxed[0]
    with _MEMO_LOCK:
        _MEMO[full_key] = boxed
        _NEWEST[analysis] = full_key
        _NEWEST.move_to_end(analysis)
        while len(_MEMO) > MEMO_ENTRIES:
            _MEMO.popitem(last=False)
        while len(_NEWEST) > MEMO_ENTRIES:
            _NEWEST.popitem(last=False)
    return boxed[0]


def _compute_once(
    full_key: str, analysis: str, version: str, compute: Callable[[], T]
) -> tuple[tuple[T], bool]:
    """The answer missing under `full_key`, and whether it is of this version (see `cached`)."""
    lock = f"{full_key}:computing"
    spent = request_seconds()
    if spent is not None and spent >= settings.CAPACITY_STALE_AFTER:
        previous = _previous_answer(analysis, version)
        if previous is not None:
            note_stale()
            return previous, False
    # The previous answer is read (unpickled) only when another process holds the lock.
    previous, looked = None, False
    deadline = time.monotonic() + settings.CAPACITY_COMPUTE_WAIT
    while not cache.add(lock, True, math.ceil(settings.CAPACITY_COMPUTE_WAIT) + 60):
        if not looked:
            previous, looked = _previous_answer(analysis, version), True
        if previous is not None:
            note_stale()
            return previous, False
        time.sleep(POLL_SECONDS)
        boxed = cache.get(full_key)
        if boxed is not None:
            return boxed, True
        if time.monotonic() >= deadline:
            break  # the process computing it may have died: compute it here too
    try:
        before = stale_count()
        boxed = (compute(),)
        if stale_count() != before:
            return boxed, False  # made from a previous answer: not kept under this version
        cache.set(full_key, boxed, CACHE_SECONDS)
        return boxed, True
    finally:
        cache.delete(lock)


def _previous_answer(analysis: str, version: str) -> tuple[Any] | None:
    """The newest answer of this analysis under an earlier data version, if one is still kept."""
    with _MEMO_LOCK:
        kept = _NEWEST.get(analysis)
        if kept is not None and kept != f"evidence:{version}:{analysis}":
            boxed = _MEMO.get(kept)
            if boxed is not None:
                return boxed
    for earlier in cache.get(_RECENT_VERSIONS) or []:
        if earlier != version:
            previous: tuple[Any] | None = cache.get(f"evidence:{earlier}:{analysis}")
            if previous is not None:
                return previous
    return None


def forget_cached() -> None:
    """Empty this process's memory of answers (tests, after clearing the shared cache)."""
    with _MEMO_LOCK:
        _MEMO.clear()
        _NEWEST.clear()


def shown_tables() -> Any:
    """The app's tables with results as people may read them (the disclosure rule applied)."""
    from dataclasses import replace

    tables = app_tables()
    gated = shown_results(tables.results).drop("suppressed", "suppression_reason")
    return replace(tables, results=gated)


def _board_results(board: Board, *, year: str | None = None) -> Any:
    """One board's results as people may read them (filtered first: the gate works within schools)."""
    results = app_tables().results
    results = results.filter(results.board_number == board.number)
    if year is not None:
        results = results.filter(results.school_year == year)
    return shown_results(results).drop("suppressed", "suppression_reason")


# --- policies and years ------------------------------------------------------


def policy_rows() -> list[PolicyRow]:
    """The newest version of each policy."""
    newest: dict[str, PolicyRow] = {}
    for row in PolicyRow.objects.order_by("name", "-version"):
        newest.setdefault(row.name, row)
    return list(newest.values())


def policy_title(row: PolicyRow) -> str:
    """A stored policy's title in the viewer's language (its file gives English and French)."""
    from django.utils import translation

    try:
        parsed = parse_policy(row.definition, source=str(row))
    except PolicyError:
        return row.title
    return parsed.title_in(translation.get_language() or "en")


def get_policy(name: str | None = None, *, files: bool = False, strict: bool = False) -> Policy:
    """The policy to identify with: the one lookup behind the pages, the API and `capacity identify`.

    In order: a .toml file, when `files` is true and `name` ends in .toml (the
    command line reads the caller's own files; the web never reads a path); the
    newest version stored under `name`; the policy Capacity ships under `name`.
    Without a name, or with a name found nowhere, the default: the stored policy
    marked default, else the newest stored ofip-2016, else the shipped one. With
    `strict` a name found nowhere is refused instead (PolicyError naming the
    shipped policies), as the command line wants.
    """
    from capacity.evidence.analytics.policy import load_policy, shipped_policies

    if name and files and Path(name).suffix == ".toml":
        return load_policy(name)
    rows = PolicyRow.objects.order_by("-version")
    if name:
        row = rows.filter(name=name).first()
        if row is not None:
            return parse_policy(row.definition, source=str(row))
        if name in shipped_policies():
            return load_policy(name)
        if strict and files:
            return load_policy(name)  # raises PolicyError, naming the shipped policies and the file
        if strict:
            raise PolicyError(
                f"No policy named {name!r}. Shipped policies: {', '.join(sorted(shipped_policies()))}."
            )
    row = rows.filter(is_default=True).first() or rows.filter(name=DEFAULT_POLICY).first()
    if row is not None:
        return parse_policy(row.definition, source=str(row))
    return load_policy(DEFAULT_POLICY)


def result_years() -> list[str]:
    """School years that have results, oldest first."""
    return cached(
        "result-years",
        lambda: sorted(Result.objects.values_list("school_year", flat=True).distinct().order_by()),
    )


def default_year(policy: Policy) -> str | None:
    """The latest school year with results the policy counts."""

    def compute() -> str | None:
        years = list(
            Result.objects.filter(assessment__code__in=policy.assessments, group=policy.group)
            .values_list("school_year", flat=True)
            .distinct()
            .order_by()
        )
        return max(years) if years else None

    return cached(f"default-year:{policy.label}", compute)


# --- identification ------------------------------------------------------------


def province_identification(policy: Policy, year: str) -> identification.Identification:
    """Which schools the policy identifies; the figures given as reasons pass the disclosure gate."""
    return cached(
        f"identify:{policy.label}:{policy.threshold}:{year}",
        lambda: shown_identification(identification.identify(app_tables().results, policy, year)),
    )


def province_over_time(policy: Policy) -> identification.OverTime:
    return cached(
        f"overtime:{policy.label}:{policy.threshold}",
        lambda: shown_changes(
            identification.identification_over_time(app_tables().results, policy)
        ),
    )


def simulation(current: Policy, proposed: Policy, year: str) -> identification.Simulation:
    return cached(
        f"simulate:{current.label}:{current.threshold}:{proposed.label}:{proposed.threshold}:{year}",
        lambda: identification.simulate(app_tables().results, current, proposed, year),
    )


def elementary_school_count() -> int:
    """How many elementary schools the directory holds: what "schools evaluated" falls short of."""
    return School.objects.filter(level=School.Level.ELEMENTARY).count()


def board_identification(
    board: Board, policy: Policy, year: str
) -> list[identification.SchoolStatus]:
    found = province_identification(policy, year)
    return [
        s
        for s in found.schools
        if s.board_number == board.number and s.status != identification.NOT_IDENTIFIED
    ]


# --- one school --------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    school_year: str
    assessment: str
    assessment_name: str
    participating: int | None
    pct_at_standard: float | None
    status: str
    status_label: str


def shown_rows_by_school(board_number: str) -> dict[str, list[dict[str, Any]]]:
    """Every result of a board's schools as people may read them, by school number; cached.

    One pass of the gate over the board (the gate works within each school's
    cells, so this hides exactly what gating one school at a time would). Each
    row is what `privacy.suppress` returns plus `name` and `position` (the
    assessment's). The school page, its groups and its similar schools read
    from here, and the worker computes every board's ahead (warming.py): a first
    visit to a school costs what a second does.
    """

    def compute() -> dict[str, list[dict[str, Any]]]:
        rows = suppress_results(
            Result.objects.filter(school__board__number=board_number),
            name=F("assessment__name"),
            position=F("assessment__position"),
        )
        by_school: dict[str, list[dict[str, Any]]] = {}
        for row in sorted(rows, key=lambda r: (r["school_year"], r["position"])):
            by_school.setdefault(row["school_number"], []).append(row)
        return by_school

    return cached(f"shown-rows:{board_number}", compute)


def _shown_rows(school: School) -> list[dict[str, Any]]:
    return shown_rows_by_school(school.board.number).get(school.number, [])


def school_results(*, school: School, group: str = "all") -> list[ResultRow]:
    """The school's results for one group, oldest first, in assessment order, small groups hidden."""
    from capacity.evidence.models import ResultStatus

    # Every group went through the gate (the complementary rule reads them all); one is kept.
    return [
        ResultRow(
            school_year=r["school_year"],
            assessment=r["assessment"],
            assessment_name=assessment_name(r["assessment"], r["name"]),
            participating=r["participating"],
            pct_at_standard=r["pct_at_standard"],
            status=r["status"],
            status_label=str(ResultStatus(r["status"]).label),
        )
        for r in _shown_rows(school)
        if r["group"] == group
    ]


def school_groups(*, school: School) -> list[str]:
    return sorted(set(Result.objects.filter(school=school).values_list("group", flat=True)))


def assessment_names() -> dict[str, str]:
    """Each assessment's name in the current language, by code."""
    return {
        code: assessment_name(code, name)
        for code, name in Assessment.objects.values_list("code", "name")
    }


def context_fit(year: str) -> context_model.ContextModel | None:
    """The province's context model for a year (None when too few schools to fit)."""

    def fit() -> context_model.ContextModel | None:
        tables = app_tables()
        try:
            # Published tables (Ontario's) give no counts but report a percentage
            # only for groups large enough to publish, so unknown counts are trusted.
            return context_model.fit_context_model(
                tables.results, tables.context, year=year, unknown_participation=True
            )
        except ValueError:
            return None

    return cached(f"context-model:{year}", fit)


def context_year_for(year: str) -> str | None:
    """The context year to pair with a results year: the same year, or the nearest earlier one."""
    from capacity.directory.models import SchoolContext

    # The context's years change only with a directory import, which moves the data version.
    years = cached(
        "context-years",
        lambda: sorted(
            set(SchoolContext.objects.values_list("school_year", flat=True).distinct().order_by())
        ),
    )
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else (years[0] if years else None)


def beat_the_odds_table(year: str) -> dict[str, dict[str, Any]]:
    """Every school's standing against its context's prediction for a year, by school number."""

    def table() -> dict[str, dict[str, Any]]:
        model = context_fit(year)
        if model is None:
            return {}
        tables = shown_tables()
        frame = context_model.beat_the_odds(
            tables.results, tables.context, model, year=year, unknown_participation=True
        ).to_pandas()
        return {row["school_number"]: row for row in frame.to_dict("records")}

    return cached(f"beat-the-odds:{year}", table)


def school_beat_the_odds(*, school: School, year: str) -> dict[str, Any] | None:
    """Where the school stands against what its context predicts, for one year."""

    row = beat_the_odds_table(year).get(school.number)
    if row is None:
        return None
    return row | {"model": context_fit(year)}


def standardized_context(*, context_year: str, within: str) -> Any:
    """The context year's schools with their z-scores (neighbours.standardized), read once and cached.

    `within` is "*" for the province or a board's number (the pool the z-scores
    are taken over). Every school page then finds its similar schools in memory
    (neighbours.nearest) instead of running a query of its own: the first visit
    to a school costs what the second does. None when no school has complete
    context that year.
    """

    def compute() -> Any:
        context = app_tables().context
        if within != "*":
            context = context.filter(context.board_number == within)
        try:
            return neighbours.standardized(context, year=context_year).to_pandas()
        except ValueError:
            return None

    return cached(f"standardized-context:{context_year}:{within}", compute)


def similar_table(*, context_year: str, within: str, k: int = 8) -> dict[str, list[dict[str, Any]]]:
    """Every school's `k` most similar schools by context (neighbours.nearest_all), by school number.

    Over the standardized context of the province (within="*") or of one board; the
    worker computes the province's ahead, so a school page looks its school up
    instead of ranking the province. Empty when no school has complete context.
    """

    def compute() -> dict[str, list[dict[str, Any]]]:
        scaled = standardized_context(context_year=context_year, within=within)
        return {} if scaled is None else neighbours.nearest_all(scaled, k=k)

    return cached(f"similar-table:{context_year}:{within}:{k}", compute)


def similar_schools_for(
    *, school: School, year: str, within: str, k: int = 8
) -> list[dict[str, Any]]:
    """The schools most similar by context, province-wide (within="*") or within one board, with their results."""
    context_year = context_year_for(year)
    if context_year is None:
        return []

    table = similar_table(context_year=context_year, within=within, k=k)
    if school.number in table:
        records = table[school.number]
    else:  # a school outside the board looked in, or without complete context: ask the database

        def compute() -> list[dict[str, Any]]:
            context = app_tables().context
            if within != "*":
                context = context.filter(
                    (context.board_number == within) | (context.school_number == school.number)
                )
            try:
                frame = neighbours.similar_schools(
                    context, school_number=school.number, year=context_year, k=k
                )
                return frame.to_pandas().to_dict("records")
            except ValueError:
                return []

        records = cached(f"similar:{school.number}:{context_year}:{within}:{k}", compute)
    numbers = [r["school_number"] for r in records]
    peers = list(
        School.objects.filter(number__in=numbers).values_list("number", "name", "board__number")
    )
    names = {number: name for number, name, _board in peers}
    latest: dict[str, dict[str, float | None]] = {}
    for number, _name, board_number in peers:
        for row in shown_rows_by_school(board_number).get(number, []):
            if (
                row["group"] == "all"
                and row["school_year"] == year
                and row["assessment"] in GRADE_3_6
            ):
                latest.setdefault(number, {})[row["assessment"]] = row["pct_at_standard"]
    return [
        r
        | {
            "school_name": names.get(r["school_number"], r["school_number"]),
            "results": latest.get(r["school_number"], {}),
        }
        for r in records
    ]


def trend_base_year(year: str) -> str | None:
    """The year a three-year change to `year` compares with: three years earlier, or the nearest
    year with results when that one has none (Ontario gave no tests in 2019-20 and 2020-21)."""
    return trends.base_year_for(year, result_years(), years=3)


def board_trends(*, board: Board, year: str) -> list[dict[str, Any]]:
    """Three-year change and slope per school and assessment, for the board's schools."""
    base = trend_base_year(year)
    if base is None:
        return []

    def compute() -> list[dict[str, Any]]:
        results = _board_results(board)
        frame = trends.school_trends(results, latest=year, base=base).to_pandas()
        return frame.to_dict("records")

    return cached(f"board-trends:{board.number}:{year}:{base}", compute)


def board_rollup(*, board: Board) -> list[dict[str, Any]]:
    """The board's participation-weighted results per year and assessment."""

    def compute() -> list[dict[str, Any]]:
        results = _board_results(board)
        return trends.rollup(results).to_pandas().to_dict("records")

    return cached(f"board-rollup:{board.number}", compute)


def province_rollup() -> list[dict[str, Any]]:
    """The province's participation-weighted results per year and assessment, for all students,
    rolled up the way `board_rollup` rolls up a board (from the results as people may read
    them), so a board's figure can stand beside the province's."""

    def compute() -> list[dict[str, Any]]:
        return trends.rollup(shown_tables().results, by=()).to_pandas().to_dict("records")

    return cached("province-rollup", compute)


def board_gaps(*, board: Board, year: str) -> list[dict[str, Any]]:
    """The board's gaps between student groups and all students, for one year."""
    from capacity.evidence.analytics import gaps

    def compute() -> list[dict[str, Any]]:
        results = _board_results(board, year=year)
        frame = gaps.equity_gaps(results, level="board").to_pandas()
        return frame.to_dict("records")

    return cached(f"board-gaps:{board.number}:{year}", compute)


@dataclass(frozen=True)
class GroupRow:
    group: str
    assessment: str
    participating: int | None
    pct_at_standard: float | None
    shown: bool
    reason: str


def school_group_results(*, school: School, year: str) -> list[GroupRow]:
    """The school's results by student group for one year, small groups hidden (see privacy.py)."""
    shown = [r for r in _shown_rows(school) if r["school_year"] == year]
    return [
        GroupRow(
            group=r["group"],
            assessment=r["assessment"],
            participating=r["participating"],
            pct_at_standard=r["pct_at_standard"],
            shown=not r["suppressed"],
            reason=r["suppression_reason"],
        )
        for r in sorted(shown, key=lambda r: (r["group"], r["position"]))
        if r["group"] != "all"
    ]


# --- the home page ---------------------------------------------------------------------


def schools_identification(
    *, numbers: list[str], policy: Policy, year: str
) -> identification.Identification:
    """Identification of a few schools (a principal's, a board's), their reasons through the gate.

    The policy's rule reads each school's own results only, so identifying these schools
    alone gives the same answer as the province's run at a fraction of its cost: a home
    page need not wait for the whole province on a cold cache.
    """
    wanted = sorted(set(numbers))
    if not wanted:
        return identification.Identification(
            policy=policy, year=year, window=identification.policy_window(policy, year), schools=()
        )

    def compute() -> identification.Identification:
        results = app_tables().results
        results = results.filter(results.school_number.isin(wanted))
        return shown_identification(identification.identify(results, policy, year))

    key = hashlib.sha1(",".join(wanted).encode(), usedforsecurity=False).hexdigest()
    return cached(f"identify-schools:{policy.label}:{policy.threshold}:{year}:{key}", compute)


def recent_result_imports(*, limit: int = 5) -> list[Any]:
    """The newest results uploads, for the people who load results (the caller checks who)."""
    from capacity.evidence.models import ResultImport

    return list(ResultImport.objects.select_related("uploaded_by").order_by("-created")[:limit])
