"""The allowed stage moves are computed once: the plan page offers exactly the moves the service accepts."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction

from capacity.planning import services
from capacity.planning.models import Plan, Review, Stage
from capacity.planning.services import NotAllowed


class _Undo(Exception):
    """Raised to roll a trial move back."""


def _service_accepts(plan: Plan, user, to: Stage) -> bool:
    """Try the move for real inside a savepoint, then undo it."""
    try:
        with transaction.atomic():
            services.plan_stage_move(plan=plan, user=user, seen=plan.version, to=to)
            raise _Undo
    except _Undo:
        return True
    except NotAllowed:
        return False
    finally:
        plan.refresh_from_db()


@pytest.mark.parametrize(
    ("stage", "review"),
    list(
        itertools.product(
            [Stage.PLAN, Stage.ACT, Stage.OBSERVE, Stage.REFLECT],
            [Review.DRAFT, Review.SUBMITTED, Review.ACCEPTED],
        )
    ),
)
def test_it_offers_on_the_page_exactly_the_moves_the_service_accepts(
    client, world, stage, review
) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    # A reflection written, so closing the year is refused only by the cycle, never by a missing text.
    Plan.objects.filter(pk=plan.pk).update(
        stage=stage, review=review, overall_impact="Reading rose."
    )
    plan.refresh_from_db()
    accepted = {to for to in Stage if to != stage and _service_accepts(plan, principal, to)}
    allowed = services.plan_stage_moves_allowed(plan)
    assert set(allowed) == accepted
    client.force_login(principal)
    offered = client.get(f"/plans/{plan.pk}/").context["moves"]
    assert [value for value, _label in offered] == [to.value for to in allowed]


def test_it_offers_no_move_to_someone_who_only_reads_the_plan(client, world) -> None:
    plan = services.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )
    Plan.objects.filter(pk=plan.pk).update(review=Review.ACCEPTED)
    client.force_login(world.personas["board_a"])
    assert client.get(f"/plans/{plan.pk}/").context["moves"] == []
