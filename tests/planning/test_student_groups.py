"""A goal's or target's student group is one of the groups results are reported for."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from capacity.planning.forms import TargetForm
from capacity.planning.models import Goal, Plan, Target


@pytest.fixture
def goal(world) -> Goal:
    plan = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2018-19"
    )
    return Goal.objects.create(plan=plan, statement="Readers")


def test_it_offers_the_groups_by_name_and_refuses_typed_text(goal) -> None:
    form = TargetForm(
        data={
            "measure": "custom",
            "description": "Samples",
            "group": "ELL kids",
            "target_value": 60,
            "target_year": "2019-20",
            "version": 1,
        },
        instance=Target(goal=goal),
    )
    assert ("ell", "English language learners") in form.fields["group"].choices
    assert not form.is_valid() and "group" in form.errors


def test_the_database_refuses_a_group_it_does_not_know(goal) -> None:
    target = Target(
        goal=goal,
        measure="custom",
        description="x",
        group="ELL",
        target_value=60,
        target_year="2019-20",
    )
    with pytest.raises(ValidationError):
        target.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        target.save()
