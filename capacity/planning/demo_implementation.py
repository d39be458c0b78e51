"""The demo's strategies' implementation status with dated evidence, and leading indicators rolled
up, built through the services.

For the demo's school plans that went into action (Act, Observe, Reflect), the team reviews the
strategies at each checkpoint whose date has passed, as a team would: a strategy moves on at its
own pace (most from started to in place, some embedded by spring, a few stuck), now and then one is
left unreviewed, and about one plan in eight has no review at all. The board and province roll-ups
then show a spread. Every review goes through `services_implementation.checkpoint_review`, dated
on or just after its checkpoint.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from capacity.directory.models import Membership, Role
from capacity.planning import services_implementation as services
from capacity.planning.indicators_implementation import STATUSES
from capacity.planning.models import Checkpoint, Kind, Plan, Stage, Strategy, StrategyReview

# Plans reviewed at most (a service call per checkpoint keeps the demo's build time in bounds).
MAX_PLANS = 200

EVIDENCE = (
    "Walk-throughs in six classrooms: the anchor charts and success criteria are up in four.",
    "Co-planning minutes from two divisions; the strategy appears in both teams' plans.",
    "Student work samples from the last moderation session show the strategy in use.",
    "Teachers' self-reports at the staff meeting; two grades have not started yet.",
    "Classroom observations during the learning walk: consistent use in the junior division.",
    "Exit tickets collected across three classes; students name the strategy unprompted.",
    "The literacy lead's coaching log: weekly sessions held since the last checkpoint.",
    "Timetable changes in place; the common planning time was used three weeks out of four.",
    "Parent newsletter and the school council minutes describe the routine as established.",
    "Release days used for co-teaching; the follow-up observations are scheduled.",
)


def _team_people() -> dict[int, object]:
    """One team member (principal first) for each school, from the roles in force."""
    people: dict[int, object] = {}
    for membership in (
        Membership.objects.in_force()
        .filter(role__in=[Role.PRINCIPAL, Role.SCHOOL_TEAM], school__isnull=False)
        .select_related("user")
        .order_by("role", "id")
    ):
        if membership.school_id is not None:
            people.setdefault(membership.school_id, membership.user)
    return people


def _can_sign_in(user: object) -> bool:
    return bool(user is not None and user.has_usable_password())  # type: ignore[attr-defined]


def build(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 13)
    today = timezone.localdate()
    if StrategyReview.objects.exists():
        return {"strategy_reviews": StrategyReview.objects.count()}
    people = _team_people()
    eligible = list(
        Plan.objects.filter(
            kind=Kind.SCHOOL, stage__in=[Stage.ACT, Stage.OBSERVE, Stage.REFLECT]
        ).order_by("school_year", "id")
    )
    rng.shuffle(eligible)
    # The demo's sign-ins (people with a password) first, so their own plans show reviews; the
    # rest a sample across the province, so every board's roll-up has some.
    eligible.sort(key=lambda p: not _can_sign_in(people.get(p.school_id)))  # type: ignore[arg-type]
    plans = eligible[:MAX_PLANS]
    if not plans:
        return {"strategy_reviews": 0}
    strategies: dict[int, list[Strategy]] = defaultdict(list)
    for strategy in Strategy.objects.filter(goal__plan__in=plans).order_by(
        "goal__position", "goal_id", "id"
    ):
        strategies[strategy.goal.plan_id].append(strategy)
    checkpoints: dict[int, list[Checkpoint]] = defaultdict(list)
    for checkpoint in Checkpoint.objects.filter(plan__in=plans, due__lt=today).order_by(
        "due", "id"
    ):
        checkpoints[checkpoint.plan_id].append(checkpoint)
    reviewed_plans = 0
    for plan in plans:
        user = people.get(plan.school_id)  # type: ignore[arg-type]
        if user is None or not strategies[plan.pk] or not checkpoints[plan.pk]:
            continue
        if rng.random() < 0.125 and not _can_sign_in(user):
            continue  # a team that never reviews: the roll-ups show it (never a demo sign-in's)
        reviewed_plans += 1
        _review_plan(rng, plan, user, strategies[plan.pk], checkpoints[plan.pk], today)
    return {
        "strategy_reviews": StrategyReview.objects.count(),
        "plans_with_strategy_reviews": reviewed_plans,
    }


def _review_plan(
    rng: random.Random,
    plan: Plan,
    user: object,
    strategies: list[Strategy],
    checkpoints: list[Checkpoint],
    today: datetime.date,
) -> None:
    # Each strategy's pace: the chance it moves one status on at a checkpoint.
    pace = {s.pk: rng.choice((0.15, 0.5, 0.7, 0.9)) for s in strategies}
    level = {s.pk: 0 for s in strategies}
    # A team in Act has usually met only its first checkpoint or two.
    reach = len(checkpoints) if plan.stage != Stage.ACT else min(len(checkpoints), 2)
    for checkpoint in checkpoints[:reach]:
        reviews = []
        for strategy in strategies:
            if rng.random() < 0.1:
                continue  # left unreviewed at this checkpoint
            if level[strategy.pk] < len(STATUSES) - 1 and rng.random() < pace[strategy.pk]:
                level[strategy.pk] += 1
            reviews.append(
                services.ReviewInput(
                    strategy=strategy,
                    status=STATUSES[level[strategy.pk]],
                    evidence=rng.choice(EVIDENCE),
                )
            )
        if not reviews:
            continue
        on = min(today, checkpoint.due + datetime.timedelta(days=rng.randint(0, 6)))
        with transaction.atomic():
            plan.refresh_from_db(fields=["version"])
            services.checkpoint_review(
                checkpoint=checkpoint, user=user, seen=plan.version, reviews=reviews, on=on
            )
