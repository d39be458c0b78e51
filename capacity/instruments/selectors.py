"""Every instruments read. Instruments themselves are not confidential: anyone signed in may
read a definition. Rounds are read by the people who run them (access.survey_rounds_filter)
and by those invited; a response is read only by its author; a report holds aggregates
only (capacity/instruments/scoring.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from capacity.directory import access
from capacity.instruments import scoring
from capacity.instruments.definition import Definition, from_json
from capacity.instruments.models import Instrument, Invitation, Response, Round


def instruments() -> list[Instrument]:
    return list(Instrument.objects.order_by("code"))


def definition_of(instrument: Instrument) -> Definition:
    return from_json(instrument.definition)


def summary(definition: Definition) -> dict[str, Any]:
    """What `capacity instruments list` prints: structure and counts, no wording but the names."""
    scale = definition.scale
    return {
        "code": definition.code,
        "version": definition.version,
        "name": {"en": definition.name.en, "fr": definition.name.fr},
        "kind": definition.kind,
        "respondents": list(definition.respondents),
        "raters": list(definition.raters),
        "scoring": definition.scoring,
        "min_respondents": definition.min_respondents,
        "scale": None
        if scale is None
        else {"kind": scale.kind, "min": scale.min, "max": scale.max},
        "dimensions": [
            {
                "code": d.code,
                "name": d.name.en,
                "items": len(d.items),
                "reverse_scored": sum(i.reverse for i in d.items),
                **({"effect_size": d.effect_size} if d.effect_size is not None else {}),
            }
            for d in definition.dimensions
        ],
        "items": len(definition.items),
        "reverse_scored": definition.reverse_count,
    }


def instrument_summaries() -> list[dict[str, Any]]:
    return [summary(definition_of(instrument)) for instrument in instruments()]


def instrument_by_code(code: str) -> Instrument | None:
    """A loaded instrument by its code (anyone signed in may read one), None when unknown."""
    return Instrument.objects.filter(code=code).first()


# --- rounds ----------------------------------------------------------------------------------


def rounds_run_by(user: Any) -> QuerySet[Round]:
    """Rounds whose response rate and report the person may read (access.survey_rounds_filter)."""
    return (
        Round.objects.filter(access.survey_rounds_filter(user))
        .select_related("instrument", "board", "school", "subject")
        .order_by("-opens_on", "-id")
    )


def invitations_of(user: Any) -> QuerySet[Invitation]:
    """The person's own invitations, newest round first, with their response if any."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(user=user)
        .select_related("round", "round__instrument", "round__board", "round__school", "response")
        .order_by("-round__opens_on", "-round_id")
    )


def to_answer(user: Any, today: datetime.date | None = None) -> list[Invitation]:
    """Open rounds the person is invited to and has not sent answers to, closing soonest first."""
    today = today or timezone.localdate()
    rows = invitations_of(user).filter(
        round__opens_on__lte=today, round__closes_on__gte=today, round__closed_at__isnull=True
    )
    waiting = [i for i in rows if not (hasattr(i, "response") and i.response.submitted_at)]
    return sorted(waiting, key=lambda i: (i.round.closes_on, i.round_id))


def get_round_to_run(user: Any, pk: int) -> Round:
    """A round the person runs (its report and rate), 404 when unknown, PermissionDenied otherwise."""
    round_ = get_object_or_404(Round.objects.select_related("instrument", "board", "school"), pk=pk)
    if not access.can_run_survey(user, board=round_.board, school=round_.school):
        raise PermissionDenied
    return round_


def get_invitation(user: Any, round_pk: int) -> Invitation:
    """The person's own invitation to a round, 404 when they have none (a round is not listed to others)."""
    return get_object_or_404(invitations_of(user), round_id=round_pk)


def own_response(invitation: Invitation) -> Response | None:
    return Response.objects.filter(invitation=invitation).first()


@dataclass(frozen=True)
class Rate:
    invited: int
    submitted: int

    @property
    def percent(self) -> float | None:
        return 100 * self.submitted / self.invited if self.invited else None


def response_rate(round_: Round) -> Rate:
    return response_rates([round_])[round_.pk]


def response_rates(rounds: list[Round]) -> dict[int, Rate]:
    """Invited and sent for each of these rounds, in one query (a list of rounds, or one)."""
    rows = (
        Invitation.objects.filter(round__in=rounds)
        .values("round_id")
        .annotate(
            invited=Count("id"),
            submitted=Count("id", filter=Q(response__submitted_at__isnull=False)),
        )
    )
    found = {row["round_id"]: Rate(row["invited"], row["submitted"]) for row in rows}
    return {r.pk: found.get(r.pk, Rate(0, 0)) for r in rounds}


def submitted_answers(round_: Round) -> list[scoring.Answered]:
    """The round's sent answers with role and side only: nobody's name goes into a report."""
    rows = Response.objects.filter(
        invitation__round=round_, submitted_at__isnull=False
    ).values_list("answers", "comment", "invitation__role", "invitation__rater")
    return [scoring.Answered(dict(a), role or "", rater, c or "") for a, c, role, rater in rows]


def previous_round(round_: Round) -> Round | None:
    """The last earlier round of the same instrument structure for the same board or school."""
    return (
        Round.objects.filter(
            instrument=round_.instrument,
            structure_digest=round_.structure_digest,
            board=round_.board,
            school=round_.school,
            opens_on__lt=round_.opens_on,
        )
        .order_by("-opens_on", "-id")
        .first()
    )


def round_report(round_: Round, *, viewer: Any = None) -> scoring.Report:
    """The round's report in confidence; the leader rated sees their own rating beside it."""
    definition = from_json(round_.definition)
    answered = submitted_answers(round_)
    before = previous_round(round_)
    previous = None
    if before is not None:
        previous = scoring.report(
            from_json(before.definition), submitted_answers(before), minimum=before.min_respondents
        )
    found = scoring.report(definition, answered, minimum=round_.min_respondents, previous=previous)
    if viewer is None or round_.subject_id is None or viewer.pk != round_.subject_id:
        found.self_rating = {}  # the leader's own rating is theirs alone
    return found


def definition_of_round(round_: Round) -> Definition:
    """The definition as the round opened with it (a later load never changes a round)."""
    return from_json(round_.definition)


def get_round_to_read(user: Any, pk: int) -> Round:
    """A round whose report the person may read: they run it, or they were invited and it is closed."""
    round_ = get_object_or_404(Round.objects.select_related("instrument", "board", "school"), pk=pk)
    if access.can_run_survey(user, board=round_.board, school=round_.school):
        return round_
    from capacity.instruments.services import CLOSED, round_state

    invited = Invitation.objects.filter(round=round_, user=user).exists()
    if invited and round_state(round_) == CLOSED:
        return round_
    if invited:
        raise PermissionDenied
    raise Http404


def reference_beside(definition: Definition) -> Definition | None:
    """Robinson's leadership dimensions, shown beside a leadership instrument's results."""
    if definition.code != "leadership-competencies":
        return None
    found = Instrument.objects.filter(code="leadership-domains").first()
    return from_json(found.definition) if found else None


def self_rows(report: scoring.Report) -> list[tuple[str, float, float | None, float | None]]:
    """For the leader rated: their own rating, the others' mean and the gap (own minus others)."""
    language = get_language() or "en"
    out = []
    for row in report.dimensions:
        mine = report.self_rating.get(row.dimension.code)
        if mine is None:
            continue
        others = row.figure.mean
        out.append(
            (
                row.dimension.name.get(language),
                mine,
                others,
                None if others is None else mine - others,
            )
        )
    return out


def report_charts(report: scoring.Report) -> dict[str, str]:
    """The report's SVG charts: bars and, from three dimensions, a radar (each with its own text)."""
    from capacity.instruments.charts import dimension_bars, dimension_radar

    return {"bars": dimension_bars(report), "radar": dimension_radar(report)}


WEAKEST_OFFERED = 3


def next_steps(round_: Round, report: scoring.Report, user: Any) -> dict[str, Any]:
    """What the report offers the plan's team: the actions recorded, this year's goals to hang
    strategies on, and (a board's nine characteristics) its weakest characteristics as goals."""
    from capacity.instruments.services import CHARACTERISTIC_OF
    from capacity.planning import selectors as planning_selectors
    from capacity.planning.progress import school_year_of

    if round_.school is not None:
        may_act = access.can_act_for_school(user, round_.school)
    else:
        may_act = round_.board is not None and access.can_act_for_board(user, round_.board)
    plan = planning_selectors.plan_of(
        school_year=school_year_of(timezone.localdate()),
        school=round_.school,
        board=None if round_.school else round_.board,
    )
    weakest: list[tuple[str, str]] = []
    if (
        may_act
        and report.shown
        and round_.school is None
        and report.definition.code == "strong-districts"
    ):
        language = get_language() or "en"
        ranked = sorted(
            (
                row
                for row in report.dimensions
                if row.figure.mean is not None and row.dimension.code in CHARACTERISTIC_OF
            ),
            key=lambda row: (row.figure.mean, row.dimension.code),
        )
        tagged = set(plan.goals.values_list("characteristic", flat=True)) if plan else set()
        weakest = [
            (row.dimension.code, row.dimension.name.get(language))
            for row in ranked[:WEAKEST_OFFERED]
            if CHARACTERISTIC_OF[row.dimension.code] not in tagged
        ]
    return {
        "may_act": may_act,
        "actions": list(round_.actions.select_related("goal", "strategy")),
        "plan": plan,
        "goals": list(plan.goals.all()) if plan is not None and may_act else [],
        "weakest": weakest,
    }


def goal_for_actions(round_: Round, user: Any, goal_id: str) -> Any:
    """A goal of this year's plan of the round's school or board, chosen on the report page."""
    from capacity.planning.models import Goal

    if not goal_id.isdigit():
        raise Http404
    goal = get_object_or_404(Goal.objects.select_related("plan"), pk=int(goal_id))
    place_ok = (
        goal.plan.school_id == round_.school_id
        if round_.school_id
        else goal.plan.board_id == round_.board_id and goal.plan.school_id is None
    )
    if not place_ok:
        raise Http404
    return goal


# --- comparison with the board and the province -----------------------------------------

COMPARISON_PLACES = 5  # a board's or the province's figure pools at least this many places
COMPARISON_DAYS = 365


@dataclass(frozen=True)
class Comparison:
    """The pooled mean of comparable rounds elsewhere, per dimension; None when too few places."""

    label: str
    places: int
    respondents: int
    means: dict[str, float]


def _pooled(rounds: list[Round], definition: Definition) -> tuple[int, int, dict[str, float]]:
    """Pool the respondents of rounds whose own report is shown (each above its minimum)."""
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    places = respondents = 0
    for other in rounds:
        answered = [
            a
            for a in submitted_answers(other)
            if not ("others" in definition.raters and a.rater == "self")
        ]
        if len(answered) < other.min_respondents:
            continue  # a round under its own minimum takes no part, so it cannot be worked out
        places += 1
        respondents += len(answered)
        for dimension in definition.dimensions:
            for a in answered:
                value = scoring.dimension_score(definition, dimension, a.answers)
                if value is not None:
                    sums[dimension.code] = sums.get(dimension.code, 0.0) + value
                    counts[dimension.code] = counts.get(dimension.code, 0) + 1
    return places, respondents, {code: sums[code] / counts[code] for code in sums}


def comparisons(round_: Round) -> list[Comparison]:
    """The round's board (for a school's round) and the province, where each pools at least
    COMPARISON_PLACES schools (or boards) with enough respondents of their own: the latest round of
    the same instrument structure per place, within a year before this one closed. This round's own
    place is left out, so its figure is compared with the others'."""
    definition = from_json(round_.definition)
    since = round_.closes_on - datetime.timedelta(days=COMPARISON_DAYS)
    candidates = Round.objects.filter(
        structure_digest=round_.structure_digest,
        instrument__code=round_.instrument.code,
        closes_on__gte=since,
        opens_on__lte=round_.closes_on,
    ).exclude(pk=round_.pk)
    if round_.school_id is not None:
        candidates = candidates.filter(school__isnull=False).exclude(school_id=round_.school_id)
    else:
        candidates = candidates.filter(board__isnull=False, school__isnull=True).exclude(
            board__in=[round_.board] if round_.board is not None else []
        )

    def latest_per_place(rows: list[Round]) -> list[Round]:
        chosen: dict[int, Round] = {}
        for row in sorted(rows, key=lambda r: (r.opens_on, r.pk)):
            chosen[row.school_id or row.board_id or 0] = row
        return list(chosen.values())

    out = []
    groups: list[tuple[str, list[Round]]] = []
    if round_.school is not None:
        same_board = candidates.filter(school__board_id=round_.school.board_id)
        groups.append(("board", latest_per_place(list(same_board))))
    groups.append(("province", latest_per_place(list(candidates))))
    for label, rows in groups:
        places, respondents, means = _pooled(rows, definition)
        if places >= COMPARISON_PLACES:
            out.append(Comparison(label, places, respondents, means))
    return out


def register_definition() -> Definition | None:
    """The compliance register's definition (its categories' meanings and reflection prompts)."""
    found = Instrument.objects.filter(code="compliance-register").first()
    return from_json(found.definition) if found else None
