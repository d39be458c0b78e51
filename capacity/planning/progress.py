"""Where a target stands, computed live from the evidence (or from the team's dated entries).

A target runs in a straight line from its baseline (year and value) to its
target (year and value). The latest measured value after the baseline year
is compared with that line at its own year:

* met: the target year has a value at or above the target;
* on track: the latest value is at or above the line;
* off track: below the line;
* no data: nothing measured after the baseline yet.

School plans read the school's results; board plans the board's results,
weighted by participating students where known (the rollup rule in
docs/analytics.md). Both read through the disclosure gate
(capacity/evidence/privacy.py): a figure hidden on the school's page is no
baseline or latest value here, and takes no part in a board's figure. Nothing
is stored: a results import moves every target the next time it is read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from capacity.directory.models import Board, School
from capacity.evidence.models import Assessment
from capacity.evidence.selectors import shown_rows_by_school
from capacity.planning.models import Target, TargetEntry
from capacity.schoolyears import school_year_label, year_start_of

MET = "met"
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
NO_DATA = "no_data"

LABELS = {
    MET: _("Met"),
    ON_TRACK: _("On track"),
    OFF_TRACK: _("Off track"),
    NO_DATA: _("No data yet"),
}


def school_year_of(day: datetime.date) -> str:
    """Ontario's school year runs September to August."""
    return school_year_label(day.year if day.month >= 9 else day.year - 1)


@dataclass(frozen=True)
class Progress:
    status: str
    latest_year: str | None = None
    latest_value: float | None = None
    expected: float | None = None  # where the line from baseline to target is in the latest year

    @property
    def label(self) -> Any:
        return LABELS[self.status]

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "latest_year": self.latest_year,
            "latest_value": self.latest_value,
            "expected": self.expected,
        }


def measured_values(target: Target) -> dict[str, float]:
    """{school year: value} for the target's measure, as its readers may see it."""
    if target.measure == Target.Measure.CUSTOM:
        return entered_values([target])[target.pk]
    plan = target.goal.plan
    if target.assessment_id is None:
        return {}
    if plan.school_id is not None:
        return school_values([(plan.school_id, target.assessment_id, target.group)]).get(
            (plan.school_id, target.assessment_id, target.group), {}
        )
    return board_values(
        board_id=plan.board_id, assessment_id=target.assessment_id, group=target.group
    )


def entered_values(targets: list[Target]) -> dict[int, dict[str, float]]:
    """{target id: {school year: value}} from the team's dated entries, for many targets in one query."""
    out: dict[int, dict[str, float]] = {target.pk: {} for target in targets}
    for entry in TargetEntry.objects.filter(target__in=targets).order_by("on", "id"):
        # The last entry of a year stands for it.
        out[entry.target_id][school_year_of(entry.on)] = entry.value
    return out


def _places(
    keys: list[tuple[int, int, str]], *, boards: bool
) -> tuple[dict[int, str], dict[int, tuple[str, str]]]:
    """Assessment codes by id, and (school number, board number) by school id (or board
    number by board id, as ("", number), when `boards`)."""
    codes = dict(Assessment.objects.filter(pk__in={k[1] for k in keys}).values_list("pk", "code"))
    if boards:
        places = {
            pk: ("", number)
            for pk, number in Board.objects.filter(pk__in={k[0] for k in keys}).values_list(
                "pk", "number"
            )
        }
    else:
        places = {
            pk: (number, board)
            for pk, number, board in School.objects.filter(pk__in={k[0] for k in keys}).values_list(
                "pk", "number", "board__number"
            )
        }
    return codes, places


def school_values(keys: list[tuple[int, int, str]]) -> dict[tuple[int, int, str], dict[str, float]]:
    """{(school id, assessment id, group): {school year: % at standard}}, hidden figures left out.

    Read from the evidence app's gated results by board (`shown_rows_by_school`,
    computed ahead by the worker): the same gate the evidence pages pass, run
    once per board and results version, not once per page.
    """
    wanted = set(keys)
    out: dict[tuple[int, int, str], dict[str, float]] = {key: {} for key in wanted}
    if not wanted:
        return out
    codes, places = _places(list(wanted), boards=False)
    for key in wanted:
        school_id, assessment_id, group = key
        if school_id not in places or assessment_id not in codes:
            continue
        number, board = places[school_id]
        for row in shown_rows_by_school(board).get(number, []):
            if (
                row["assessment"] == codes[assessment_id]
                and row["group"] == group
                and row["pct_at_standard"] is not None
            ):
                out[key][row["school_year"]] = row["pct_at_standard"]
    return out


def board_values(*, board_id: int, assessment_id: int, group: str) -> dict[str, float]:
    """The board's figure per school year from the figures its readers may see.

    Weighted by participating students where counts are known, otherwise a
    plain mean of the schools' percentages (the rollup rule in
    docs/analytics.md); hidden school figures take no part, so none of them can
    be worked out from the board's figure.
    """
    key = (board_id, assessment_id, group)
    return boards_values([key])[key]


def boards_values(
    keys: list[tuple[int, int, str]],
) -> dict[tuple[int, int, str], dict[str, float]]:
    """`board_values` for many (board id, assessment id, group) at once.

    Read from the evidence app's gated results by board (`shown_rows_by_school`),
    as `school_values` is: the gate works within each school's cells, so the
    board's shown rows are exactly what gating the board alone would show.
    """
    wanted = set(keys)
    sums: dict[tuple[int, int, str], dict[str, list[float]]] = {key: {} for key in wanted}
    if not wanted:
        return {}
    codes, places = _places(list(wanted), boards=True)
    by_board: dict[int, dict[tuple[str, str], tuple[int, int, str]]] = {}
    for key in wanted:
        board_id, assessment_id, group = key
        if board_id in places and assessment_id in codes:
            by_board.setdefault(board_id, {})[(codes[assessment_id], group)] = key
    for board_id, asked in by_board.items():
        for rows in shown_rows_by_school(places[board_id][1]).values():
            for row in rows:
                key_of = asked.get((row["assessment"], row["group"]))
                value = row["pct_at_standard"]
                if key_of is None or value is None:
                    continue
                per_year = sums[key_of]
                weighted, students, plain, n = per_year.setdefault(
                    row["school_year"], [0.0, 0.0, 0.0, 0.0]
                )
                count = row["participating"] or 0
                per_year[row["school_year"]] = [
                    weighted + count * value,
                    students + count,
                    plain + value,
                    n + 1,
                ]
    return {
        key: {
            year: round(weighted / students, 1) if students else round(plain / n, 1)
            for year, (weighted, students, plain, n) in per_year.items()
        }
        for key, per_year in sums.items()
    }


def target_progress(target: Target, values: dict[str, float] | None = None) -> Progress:
    values = measured_values(target) if values is None else values
    baseline_year = target.baseline_year or None
    after = sorted(
        (y for y in values if baseline_year is None or y > baseline_year), key=year_start_of
    )
    if not after:
        return Progress(NO_DATA)
    latest = after[-1]
    value = values[latest]
    if target.target_year in values and values[target.target_year] >= target.target_value:
        return Progress(MET, latest, value, target.target_value)
    if (
        year_start_of(latest) >= year_start_of(target.target_year)
        or baseline_year is None
        or target.baseline_value is None
    ):
        expected = target.target_value
    else:
        span = year_start_of(target.target_year) - year_start_of(baseline_year)
        share = (year_start_of(latest) - year_start_of(baseline_year)) / span if span > 0 else 1.0
        expected = target.baseline_value + share * (target.target_value - target.baseline_value)
    status = ON_TRACK if value >= expected else OFF_TRACK
    if year_start_of(latest) >= year_start_of(target.target_year) and value >= target.target_value:
        status = MET
    return Progress(status, latest, value, round(expected, 1))
